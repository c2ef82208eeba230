package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FileKind says what a labelled file holds.
type FileKind int

// Kinds of labelled files.
const (
	KindImage  FileKind = iota + 1 // a PNG or JPEG image (.png, .jpg, .jpeg)
	KindRecord                     // a WFDB record (.hea and its signal files)
	KindCSV                        // a signal as CSV (.csv)
)

func (k FileKind) String() string {
	switch k {
	case KindImage:
		return "image"
	case KindRecord:
		return "record"
	case KindCSV:
		return "csv"
	}
	return fmt.Sprintf("FileKind(%d)", int(k))
}

// LabeledFile is one input of a label-folder dataset.
type LabeledFile struct {
	// Path is the file's path; for a WFDB record, the record path without
	// ".hea" (as wfdb.ReadRecord takes it).
	Path string
	// Rel is Path relative to the dataset root with '/' separators
	// ("AFIB/201_0005m00s_MLII.png"; "N/rec12" for a record; the record
	// name, "A00001", for a record listed in a labels CSV).
	Rel string
	// Label is the name of the top-level folder the file is in, or its
	// label in a labels CSV (ReadLabelCSV); a LabelMap renames it.
	Label string
	Kind  FileKind
	// Group is the record the file comes from, so that splits keep a
	// record's files together: the manifest's record column when the
	// dataset has a manifest row for the file, else the file name up to
	// its first '_' (without extension).
	Group string
	// Manifest is the file's manifest row, or nil.
	Manifest *ManifestRow
}

// LabelFolders is a dataset laid out as one folder per label.
type LabelFolders struct {
	// Dir is the dataset root.
	Dir string
	// Labels are the label folder names, sorted.
	Labels []string
	// Files are the inputs, sorted by Rel (for a labels CSV, by
	// LABEL/Rel: the order of the same records in label folders).
	Files []LabeledFile
	// HasManifest reports whether Dir has manifest.csv (or shard
	// manifests).
	HasManifest bool
	// Skipped lists the top-level folders that are not labels, with why:
	// "name: hidden" (a leading '.' or '_') or "name: empty" (nothing
	// usable in it), for commands to report.
	Skipped []string
}

// MaxLabelFiles bounds the number of files ReadLabelFolders accepts.
const MaxLabelFiles = 10_000_000

// ReadLabelFolders reads a dataset whose sub-folders of dir are labels:
// every image, WFDB record header or CSV file under dir/LABEL (at any
// depth) is an input labelled LABEL. Names starting with '.' or '_' are
// skipped, as are folders holding nothing usable (the top-level ones are
// listed in Skipped). When dir has a manifest
// (an archive from `ecg spectro`), its rows are attached to the images
// they describe and give their record groups.
func ReadLabelFolders(dir string) (*LabelFolders, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	ds := &LabelFolders{Dir: dir}
	var rows map[string]*ManifestRow
	if ms, _ := filepath.Glob(filepath.Join(dir, "manifest*.csv")); len(ms) > 0 {
		all, err := ReadArchiveManifests(dir)
		if err != nil {
			return nil, err
		}
		ds.HasManifest = true
		rows = make(map[string]*ManifestRow, len(all))
		for i := range all {
			rows[all[i].Image] = &all[i]
		}
	}
	for _, e := range ents {
		name := e.Name()
		if !e.IsDir() {
			continue
		}
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			ds.Skipped = append(ds.Skipped, name+": hidden")
			continue
		}
		n0 := len(ds.Files)
		if err := ds.walkLabel(name, rows); err != nil {
			return nil, err
		}
		if len(ds.Files) > n0 {
			ds.Labels = append(ds.Labels, name)
		} else {
			ds.Skipped = append(ds.Skipped, name+": empty")
		}
	}
	if len(ds.Files) == 0 {
		return nil, fmt.Errorf("%s: %w with images, records or CSV files", dir, ErrNoLabels)
	}
	sort.Strings(ds.Labels)
	sort.Slice(ds.Files, func(i, j int) bool { return ds.Files[i].Rel < ds.Files[j].Rel })
	return ds, nil
}

// walkLabel adds the inputs under the label folder dir/label (at any
// depth, names starting with '.' or '_' skipped) to ds, attaching their
// manifest rows.
func (ds *LabelFolders) walkLabel(label string, rows map[string]*ManifestRow) error {
	root := filepath.Join(ds.Dir, label)
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := d.Name()
		if path != root && (strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		kind, stem := fileKind(base)
		if kind == 0 {
			return nil
		}
		if len(ds.Files) >= MaxLabelFiles {
			return fmt.Errorf("%s: more than %d files", ds.Dir, MaxLabelFiles)
		}
		rel, err := filepath.Rel(ds.Dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		f := LabeledFile{Path: path, Rel: rel, Label: label, Kind: kind}
		if kind == KindRecord {
			f.Path = strings.TrimSuffix(path, ".hea")
			f.Rel = strings.TrimSuffix(rel, ".hea")
		}
		if row, ok := rows[rel]; ok {
			f.Manifest = row
			f.Group = row.Record
		}
		if f.Group == "" {
			f.Group = GroupOfName(stem)
		}
		ds.Files = append(ds.Files, f)
		return nil
	})
}

// fileKind returns the kind of a file by its name, and the name without
// extension; 0 for files that are not inputs.
func fileKind(name string) (FileKind, string) {
	ext := strings.ToLower(filepath.Ext(name))
	stem := strings.TrimSuffix(name, filepath.Ext(name))
	switch ext {
	case ".png", ".jpg", ".jpeg":
		return KindImage, stem
	case ".hea":
		return KindRecord, stem
	case ".csv":
		return KindCSV, stem
	}
	return 0, stem
}

// GroupOfName returns the record group of a file name without extension:
// the part before the first '_' ("201_0005m00s_MLII" -> "201"), or the
// whole name when it has none.
func GroupOfName(stem string) string {
	if i := strings.IndexByte(stem, '_'); i > 0 {
		return stem[:i]
	}
	return stem
}

// ErrNoLabels is returned for a directory without label folders.
var ErrNoLabels = errors.New("no label folders")

// LabelIndex returns the index of every file's label in Labels.
func (ds *LabelFolders) LabelIndex() []int {
	idx := make(map[string]int, len(ds.Labels))
	for i, l := range ds.Labels {
		idx[l] = i
	}
	out := make([]int, len(ds.Files))
	for i, f := range ds.Files {
		out[i] = idx[f.Label]
	}
	return out
}
