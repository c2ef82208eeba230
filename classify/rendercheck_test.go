package classify_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// TestCheckFilesRendering: files of the archive a model was trained on,
// or outside archives, give no error; files of an archive of images in
// its own folder rendered otherwise, then of an archive of another stride
// from several of its label folders, one file named two ways (absolute
// and relative), give one error per archive naming its parameter file,
// in the order of their first files; a model of records is not checked.
func TestCheckFilesRendering(t *testing.T) {
	def, long := defaultAndLong(t)
	defDS, _, recs := rhythmArchive(t, def)
	ds15, _, _ := rhythmArchiveWith(t, def, func(o *datasets.ArchiveOptions) { o.Stride, o.Hop = 15, 15 })
	flat := filepath.Join(t.TempDir(), "flat") // unlabelled: the images in the archive's folder
	if _, err := datasets.Archive(context.Background(), recs, datasets.ArchiveOptions{Out: flat, Stride: 10, Hop: 10,
		Outputs: []datasets.Output{long.PNG()}, OutputParams: long.Parameters(), MinSamples: long.MinSamples}); err != nil {
		t.Fatal(err)
	}
	flatFiles, _ := filepath.Glob(filepath.Join(flat, "*.png"))
	m := trainSaveLoad(t, defDS, classify.DatasetOptions{Learner: classify.LearnerForest, Forest: classify.ForestOptions{Trees: 3, Seed: 1}})
	paths := func(ds *datasets.LabelFolders) []string {
		var p []string
		for _, f := range ds.Files {
			p = append(p, f.Path)
		}
		return p
	}
	outside := filepath.Join(t.TempDir(), "x.png")
	if err := os.WriteFile(outside, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if errs := classify.CheckFilesRendering(m, append(paths(defDS), outside)); len(errs) != 0 {
		t.Errorf("own archive and a file outside archives: %v", errs)
	}
	ds15Files := paths(ds15)
	if len(flatFiles) == 0 || len(ds15.Labels) < 2 {
		t.Fatalf("%d unlabelled images, labels %v of 15 s strides", len(flatFiles), ds15.Labels)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	again, err := filepath.Rel(wd, ds15Files[0]) // the same file, relative
	if err != nil || again == ds15Files[0] {
		t.Fatalf("%s relative to %s: %s, %v", ds15Files[0], wd, again, err)
	}
	files := append(append(append(paths(defDS), flatFiles...), ds15Files...), again)
	errs := classify.CheckFilesRendering(m, files)
	if len(errs) != 2 {
		t.Fatalf("errors %v, want 2", errs)
	}
	for i, w := range []string{
		filepath.Join(flat, datasets.ParamsName) + ": the images were rendered with nperseg 1024",
		filepath.Join(ds15.Dir, datasets.ParamsName) + ": the images are of 15 s strides",
	} {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d: %v, want %q", i, errs[i], w)
		}
	}
	if errs := classify.CheckFilesRendering(trainRecordsModel(t, recs), files); len(errs) != 0 {
		t.Errorf("a model of records: %v", errs)
	}
}
