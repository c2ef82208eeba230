package datasets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestArchiveRecordLabels labels whole-record windows from a labels CSV:
// one window per record whatever its length, in the folder of its mapped
// label, annotations counted when there are some; unlisted records are
// not used, and a record the labels miss is skipped and counted.
func TestArchiveRecordLabels(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 185)
	writeTestRecord(t, db, "r2", 9)
	writeTestRecord(t, db, "r3", 40)
	csv := filepath.Join(db, "REFERENCE.csv")
	if err := os.WriteFile(csv, []byte("r2,A\nr1,N\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	records, labels, from, err := RecordLabelsCSV(db, LabelSource{CSV: csv, Map: LabelMap{"A": "AF"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 || records[0] != filepath.Join(db, "r1") || labels[records[1]] != "AF" || from != "REFERENCE.csv A=AF" {
		t.Fatalf("records %v labels %v from %q", records, labels, from)
	}
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Label: LabelRecord, WholeRecord: true, RecordLabels: labels, LabelsFrom: from,
		Signals: []string{"MLII"}, Outputs: []Output{textOutput}, Jobs: 2}
	res, err := Archive(context.Background(), append(records, filepath.Join(db, "r3")), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Windows != 2 || res.Labels["N"] != 1 || res.Labels["AF"] != 1 || res.SkippedNoLabel != 1 || res.ShortRecords != 0 {
		t.Fatalf("result %+v", res)
	}
	rows, err := ReadManifestFile(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Image != "N/r1_0000m00s_MLII.txt" || rows[0].End != 18500 || rows[0].Beats != 185 ||
		rows[1].Image != "AF/r2_0000m00s_MLII.txt" || rows[1].End != 900 || rows[1].LabelFraction != 1 {
		t.Fatalf("rows %+v", rows)
	}
	params, err := os.ReadFile(filepath.Join(out, ParamsName))
	if err != nil || !strings.Contains(string(params), `"whole_record": true`) || !strings.Contains(string(params), `"labels_from": "REFERENCE.csv A=AF"`) {
		t.Fatalf("params %s, %v", params, err)
	}

	// Labels per record need no annotations.
	for _, r := range []string{"r1", "r2"} {
		os.Remove(filepath.Join(db, r+".atr"))
	}
	opt.Out = t.TempDir()
	if res, err = Archive(context.Background(), records, opt); err != nil || res.Windows != 2 || len(res.Failed) != 0 {
		t.Fatalf("without annotations: %+v, %v", res, err)
	}
	// Labels per record without the labels are an error.
	opt.RecordLabels = nil
	if _, err := Archive(context.Background(), records, opt); err == nil {
		t.Fatal("LabelRecord without RecordLabels: no error")
	}
}

// TestArchiveParamsUnchanged checks that the parameter file of an archive
// without the newer options has none of their keys (earlier archives
// resume).
func TestArchiveParamsUnchanged(t *testing.T) {
	opt := ArchiveOptions{Out: t.TempDir(), Label: LabelRhythm, Outputs: []Output{textOutput}}
	if err := opt.defaults(); err != nil {
		t.Fatal(err)
	}
	pf, err := checkParams(&opt)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(pf.want); strings.Contains(s, "whole_record") || strings.Contains(s, "labels_from") {
		t.Fatalf("params %s", s)
	}
}

// TestArchiveLabelsChanged: a label changed in the labels CSV (same file
// name, same label map) makes the archive's parameters other ones, so a
// run does not resume windows filed under the old label; the same labels
// reached by other record paths resume.
func TestArchiveLabelsChanged(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 20)
	out := t.TempDir()
	rec := filepath.Join(db, "r1")
	opt := ArchiveOptions{Out: out, Label: LabelRecord, WholeRecord: true, RecordLabels: map[string]string{rec: "N"},
		LabelsFrom: "REFERENCE.csv", Signals: []string{"MLII"}, Outputs: []Output{textOutput}}
	if _, err := Archive(context.Background(), []string{rec}, opt); err != nil {
		t.Fatal(err)
	}
	rel := db + "/./r1"
	opt.RecordLabels = map[string]string{rel: "N"}
	if res, err := Archive(context.Background(), []string{rel}, opt); err != nil || res.Existing != 1 {
		t.Fatalf("same labels by another path: %+v, %v", res, err)
	}
	opt.RecordLabels = map[string]string{rec: "AF"}
	_, err := Archive(context.Background(), []string{rec}, opt)
	var pe *ParamsError
	if !errors.As(err, &pe) {
		t.Fatalf("a changed label resumed the archive: %v", err)
	}
	opt.Force = true
	if res, err := Archive(context.Background(), []string{rec}, opt); err != nil || res.Labels["AF"] != 1 || res.Removed != 1 {
		t.Fatalf("--force with the new label: %+v, %v", res, err)
	}
}
