package classify

import (
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/datasets"
)

// CheckFilesRendering is CheckArchiveRendering for image files that model
// m scores one by one (ecg predict FILE...), so that scores of images
// rendered otherwise than m's archive are not taken for m's: a file's
// archive is the nearest of its folder and that folder's parent holding
// a parameter file (datasets.ParamsName; ecg spectro writes images into
// the archive, or into its label folders). It returns one error per
// archive rendered otherwise (or whose parameter file is invalid), in the
// order of their first files, each archive checked once; none for a model
// of another input, for files outside archives or in archives whose files
// record no rendering (images made elsewhere), nor for archives rendered
// as m's was.
func CheckFilesRendering(m *Model, paths []string) []error {
	if m.Info.Features.Input != InputImage {
		return nil
	}
	var errs []error
	archiveOf := map[string]string{} // a file's folder -> its archive ("": none)
	checked := map[string]bool{}
	for _, p := range paths {
		dir := filepath.Dir(p)
		archive, seen := archiveOf[dir]
		if !seen {
			archive = nearestArchive(dir)
			archiveOf[dir] = archive
		}
		if archive == "" {
			continue
		}
		key, err := filepath.Abs(archive) // arch and ./arch alike
		if err != nil {
			key = archive
		}
		if checked[key] {
			continue
		}
		checked[key] = true
		if err := checkArchiveRendering(m, archive); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// nearestArchive returns the nearest of dir and its parent that holds a
// parameter file (datasets.ParamsName), "" when neither does.
func nearestArchive(dir string) string {
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if st, err := os.Stat(filepath.Join(d, datasets.ParamsName)); err == nil && !st.IsDir() {
			return d
		}
	}
	return ""
}
