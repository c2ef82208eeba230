package datasets

import (
	"path/filepath"
	"sort"
)

// RecordLabelsCSV reads the labels of the WFDB records in dir from the
// labels CSV src.CSV, renamed by src.Map (ReadLabelCSV: a listed record
// without its header is an error naming the line; records the CSV does
// not list are not used), for an archive labelled per record
// (LabelRecord). It returns the records' paths (dir/RECORD), sorted by
// record name, the labels to set as ArchiveOptions.RecordLabels and a
// description of the source for ArchiveOptions.LabelsFrom (the CSV's
// file name and the label map).
func RecordLabelsCSV(dir string, src LabelSource) (records []string, labels map[string]string, from string, err error) {
	ds, err := ReadLabelCSV(dir, src.CSV, src.Map)
	if err != nil {
		return nil, nil, "", err
	}
	files := append([]LabeledFile(nil), ds.Files...)
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	labels = make(map[string]string, len(files))
	for _, f := range files {
		records = append(records, f.Path)
		labels[f.Path] = f.Label
	}
	from = filepath.Base(src.CSV)
	if m := src.Map.String(); m != "" {
		from += " " + m
	}
	return records, labels, from, nil
}
