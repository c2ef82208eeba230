package classify

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateCV = flag.Bool("update-cv", false, "rewrite testdata/cv-one-file-per-record.* with this build's output")

// oneFileRecords are out-of-fold scores of 8 files of 3 labels in 2 folds,
// each file its own record.
func oneFileRecords() (labels []string, y []int, groups []string, fold []int, scores [][]float64) {
	labels = []string{"AF", "N", "Other"}
	y = []int{0, 1, 2, 1, 0, 1, 2, 2}
	groups = []string{"A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08"}
	fold = []int{0, 1, 0, 1, 1, 0, 1, 0}
	scores = [][]float64{
		{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.3, 0.3, 0.4}, {0.5, 0.4, 0.1},
		{0.2, 0.5, 0.3}, {0.1, 0.6, 0.3}, {0.2, 0.2, 0.6}, {0.1, 0.45, 0.45},
	}
	return labels, y, groups, fold, scores
}

// TestCVReportOneFilePerRecord: when every record has one file, the
// report, text and JSON, is byte for byte what ecg printed before the
// per-record view (testdata/cv-one-file-per-record.*, written by the
// code of 37c41b7), and has no per-record view.
func TestCVReportOneFilePerRecord(t *testing.T) {
	labels, y, groups, fold, scores := oneFileRecords()
	r := &CVResult{Source: "hand", Folds: 2, Seed: 4, Files: len(y), Records: len(groups), ScoreLabels: []string{"N", "AF", "Other"}}
	if err := r.evaluate(labels, y, groups, fold, scores, []int{1, 0, 2}); err != nil {
		t.Fatal(err)
	}
	if r.PerRecord != nil {
		t.Fatalf("one file per record: a per-record view %+v, want none", r.PerRecord)
	}
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		if err := r.WriteReport(&buf, format); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "cv-one-file-per-record."+format)
		if *updateCV {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s report differs from %s:\n%s\n--- want\n%s", format, path, buf.Bytes(), want)
		}
	}
}
