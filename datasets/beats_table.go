package datasets

import (
	"math"

	"github.com/ecgkit/ecg/datasets/beats"
)

// CellKind says what a table Cell holds.
type CellKind int

// The kinds of Cell.
const (
	CellText CellKind = iota // Text
	CellInt                  // Int
	CellNum                  // Num, printed with Prec decimals
	CellBool                 // Bool
)

// Cell is one value of a table row, typed so that a command prints it in
// any format (text, CSV, JSON) as it likes.
type Cell struct {
	Kind CellKind
	Text string
	Int  int64
	Num  float64
	Prec int
	Bool bool
}

func textCell(s string) Cell           { return Cell{Kind: CellText, Text: s} }
func intCell(v int) Cell               { return Cell{Kind: CellInt, Int: int64(v)} }
func numCell(v float64, prec int) Cell { return Cell{Kind: CellNum, Num: v, Prec: prec} }
func boolCell(v bool) Cell             { return Cell{Kind: CellBool, Bool: v} }
func sampleCell(v int64) Cell          { return Cell{Kind: CellInt, Int: v} }

// Table is rows of named columns, made row by row as they are printed.
type Table struct {
	Columns []string
	// Rows calls yield with each row in order (a cell per column; the
	// slice is reused) and returns yield's first error.
	Rows func(yield func([]Cell) error) error
}

// RecordBeats is what ecg beats found in one record, as its tables print
// it.
type RecordBeats struct {
	// Name names the record.
	Name string
	*beats.Analysis
	// Classes and Scores, when not nil, are each beat's class and its
	// score: the beats table has class and score columns.
	Classes []string
	Scores  []float64
}

// BeatsTable is a row per beat of recs: sample, time (s), RR (s), heart
// rate (bpm) and whether it is noisy; with withRecord the record's name
// first, and the class and score when the records have them.
func BeatsTable(recs []RecordBeats, withRecord bool) Table {
	cols := []string{"sample", "time", "rr", "hr", "noisy"}
	if withRecord {
		cols = append([]string{"record"}, cols...)
	}
	classes := len(recs) > 0 && recs[0].Classes != nil
	if classes {
		cols = append(cols, "class", "score")
	}
	return Table{Columns: cols, Rows: func(yield func([]Cell) error) error {
		row := make([]Cell, 0, len(cols))
		for _, r := range recs {
			for i, b := range r.Beats {
				tm := float64(b.Sample) / r.Fs
				rr, hr := math.NaN(), math.NaN()
				if i > 0 {
					rr = float64(b.Sample-r.Beats[i-1].Sample) / r.Fs
					hr = 60 / rr
				}
				row = row[:0]
				if withRecord {
					row = append(row, textCell(r.Name))
				}
				row = append(row, sampleCell(b.Sample), numCell(tm, 3), numCell(rr, 3), numCell(hr, 1), boolCell(b.Noisy))
				if classes {
					row = append(row, textCell(r.Classes[i]), numCell(r.Scores[i], 3))
				}
				if err := yield(row); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

// SummaryTable is a row of heart rate, HRV and QRS polarity per record.
func SummaryTable(recs []RecordBeats) Table {
	cols := []string{"record", "beats", "mean_hr", "min_hr", "max_hr", "sdnn_ms", "rmssd_ms", "pnn50",
		"qrs_polarity", "polarity_agreement", "noisy_beats", "lf_ms2", "hf_ms2", "lf_hf"}
	return Table{Columns: cols, Rows: func(yield func([]Cell) error) error {
		for _, r := range recs {
			h, f := r.HRV, r.Freq
			if err := yield([]Cell{textCell(r.Name), intCell(h.Beats), numCell(h.MeanHR, 1), numCell(h.MinHR, 1), numCell(h.MaxHR, 1),
				numCell(h.SDNN, 1), numCell(h.RMSSD, 1), numCell(h.PNN50, 1), textCell(beats.PolarityName(r.Polarity)), numCell(r.Agreement, 2),
				intCell(h.Noisy), numCell(f.LF, 1), numCell(f.HF, 1), numCell(f.LFHF, 2)}); err != nil {
				return err
			}
		}
		return nil
	}}
}

// CompareTable is the beat-by-beat score of each record that has one
// (Analysis.Match) and, for several, their TOTAL (gross statistics).
func CompareTable(recs []RecordBeats) Table {
	return Table{Columns: []string{"record", "tp", "fn", "fp", "se", "ppv"}, Rows: func(yield func([]Cell) error) error {
		one := func(name string, m beats.MatchResult) error {
			return yield([]Cell{textCell(name), intCell(m.TP), intCell(m.FN), intCell(m.FP),
				numCell(m.Sensitivity(), 2), numCell(m.PositivePredictivity(), 2)})
		}
		var total beats.MatchResult
		n := 0
		for _, r := range recs {
			if r.Match == nil {
				continue
			}
			n++
			total.Add(*r.Match)
			if err := one(r.Name, *r.Match); err != nil {
				return err
			}
		}
		if n > 1 {
			return one("TOTAL", total)
		}
		return nil
	}}
}
