package classify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"testing"
)

// TestWriteOutOfFold checks the CSV of out-of-fold scores against the
// pooled report it must agree with: one row per sample in order, the
// reference label, a fold that keeps each record whole, the argmax label,
// and probabilities that sum to 1 and reproduce the report's confusion
// matrix.
func TestWriteOutOfFold(t *testing.T) {
	spec := ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil)
	X, y, records, _ := cvRows(spec, 20)
	labels := []string{"a", "b"}
	res, err := CrossValidateVectors(t.Context(), labels, spec, X, y, records,
		CVOptions{Folds: 4, Seed: 2, Forest: ForestOptions{Trees: 10, Seed: 1, Jobs: 2}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := res.WriteOutOfFold(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[0]; len(got) != 6 || got[0] != "file" || got[3] != "predicted" || got[4] != "p_a" || got[5] != "p_b" {
		t.Fatalf("header %q", got)
	}
	if len(rows) != len(X)+1 {
		t.Fatalf("%d rows, want %d", len(rows)-1, len(X))
	}
	var confusion [2][2]int
	foldOf := map[string]string{}
	for i, r := range rows[1:] {
		if r[0] != strconv.Itoa(i+1) || r[1] != labels[y[i]] {
			t.Errorf("row %d: %q, want row number %d and label %s", i+1, r, i+1, labels[y[i]])
		}
		if f, ok := foldOf[records[i]]; ok && f != r[2] {
			t.Errorf("record %s in folds %s and %s", records[i], f, r[2])
		}
		foldOf[records[i]] = r[2]
		pa, _ := strconv.ParseFloat(r[4], 64)
		pb, _ := strconv.ParseFloat(r[5], 64)
		if s := pa + pb; s < 0.999 || s > 1.001 {
			t.Errorf("row %d: probabilities sum to %v", i+1, s)
		}
		want := "a"
		if pb > pa {
			want = "b"
		}
		if r[3] != want {
			t.Errorf("row %d: predicted %s, the scores say %s", i+1, r[3], want)
		}
		p := 0
		if r[3] == "b" {
			p = 1
		}
		confusion[y[i]][p]++
	}
	for i := range 2 {
		for j := range 2 {
			if confusion[i][j] != res.Report.Confusion[i][j] {
				t.Errorf("confusion from the CSV %v, the report's %v", confusion, res.Report.Confusion)
			}
		}
	}
	if err := (&CVResult{}).WriteOutOfFold(&buf); !errors.Is(err, ErrNoOutOfFold) {
		t.Errorf("an empty result: %v, want ErrNoOutOfFold", err)
	}
}
