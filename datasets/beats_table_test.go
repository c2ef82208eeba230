package datasets

import (
	"math"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
)

func TestBeatsTableClasses(t *testing.T) {
	a := &beats.Analysis{Fs: 100, Beats: []beats.Beat{{Sample: 100}, {Sample: 180, Noisy: true}}}
	recs := []RecordBeats{{Name: "r", Analysis: a, Classes: []string{"N", "V"}, Scores: []float64{0.9, 0.6}}}
	tab := BeatsTable(recs, true)
	if want := []string{"record", "sample", "time", "rr", "hr", "noisy", "class", "score"}; len(tab.Columns) != len(want) || tab.Columns[6] != "class" {
		t.Fatalf("columns %v, want %v", tab.Columns, want)
	}
	var rows [][]Cell
	if err := tab.Rows(func(row []Cell) error { rows = append(rows, append([]Cell(nil), row...)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || !math.IsNaN(rows[0][3].Num) || rows[1][3].Num != 0.8 || rows[1][4].Num != 75 || !rows[1][5].Bool || rows[1][6].Text != "V" || rows[1][7].Num != 0.6 {
		t.Errorf("rows %+v", rows)
	}
	if cols := BeatsTable([]RecordBeats{{Name: "r", Analysis: a}}, false).Columns; len(cols) != 5 {
		t.Errorf("without classes or record: columns %v", cols)
	}
	m := beats.MatchResult{TP: 9, FN: 1, FP: 0}
	n := 0
	CompareTable([]RecordBeats{{Name: "a", Analysis: &beats.Analysis{Match: &m}}, {Name: "b", Analysis: &beats.Analysis{Match: &m}}}).Rows(func(row []Cell) error {
		n++
		if n == 3 && (row[0].Text != "TOTAL" || row[1].Int != 18) {
			t.Errorf("total row %+v", row)
		}
		return nil
	})
	if n != 3 {
		t.Errorf("%d compare rows, want 2 and TOTAL", n)
	}
}
