package main

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/ecgkit/ecg/datasets"
)

// labelRow is one row of the labels CSV written with -also: a record
// under the output folder, its label and its patient.
type labelRow struct{ record, label, group string }

// alsoDatabase adds a labelled database of short recordings to the
// output folder: dir holds REFERENCE.csv (record,label) and records/;
// records/ is linked as OUT/NAME (NAME the base name of dir) and every
// row becomes a row of the labels CSV, each record its own patient
// (group NAME:RECORD). Labels are kept as the CSV writes them (ecg train
// --label-map renames them).
func alsoDatabase(out, dir string) ([]labelRow, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	ref := filepath.Join(abs, "REFERENCE.csv")
	f, err := os.Open(ref)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := datasets.ReadLabelRows(f, ref)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(abs)
	if err := os.Symlink(filepath.Join(abs, "records"), filepath.Join(out, name)); err != nil {
		return nil, err
	}
	res := make([]labelRow, len(rows))
	for i, r := range rows {
		res[i] = labelRow{record: path.Join(name, r.Record), label: r.Label, group: name + ":" + r.Record}
	}
	return res, nil
}

// writeLabelsCSV writes OUT/labels.csv (record,label,patient, sorted by
// record) for ecg train --labels.
func writeLabelsCSV(out string, rows []labelRow) error {
	sort.Slice(rows, func(i, j int) bool { return rows[i].record < rows[j].record })
	var b bytes.Buffer
	b.WriteString("record,label,patient\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%s,%s\n", r.record, r.label, r.group)
	}
	return os.WriteFile(filepath.Join(out, "labels.csv"), b.Bytes(), 0o644)
}
