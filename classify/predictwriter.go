package classify

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// PredictionWriter writes predictions a line each, as ecg predict prints
// them: CSV (file, label, confidence, confident, then label2, score2, ...
// for the Top best labels after the first) or JSON lines. Each line is
// written through at once, so a pipe sees predictions as they come.
type PredictionWriter struct {
	w    io.Writer
	json bool
	top  int
	cw   *csv.Writer
}

// NewPredictionWriter returns a writer of format "csv" or "json" that
// lists the top best labels (at least 1) of each prediction; for CSV it
// writes the header now.
func NewPredictionWriter(w io.Writer, format string, top int) (*PredictionWriter, error) {
	pw := &PredictionWriter{w: w, json: format == "json", top: max(top, 1), cw: csv.NewWriter(w)}
	if pw.json {
		return pw, nil
	}
	head := []string{"file", "label", "confidence", "confident"}
	for k := 2; k <= pw.top; k++ {
		head = append(head, "label"+strconv.Itoa(k), "score"+strconv.Itoa(k))
	}
	pw.cw.Write(head)
	return pw, pw.Flush()
}

// Write writes the prediction p of the file at path.
func (pw *PredictionWriter) Write(path string, p Prediction) error {
	top := p.Top(pw.top)
	if pw.json {
		type out struct {
			File       string       `json:"file"`
			Label      string       `json:"label"`
			Confidence float64      `json:"confidence"`
			Confident  bool         `json:"confident"`
			Top        []LabelScore `json:"top,omitempty"`
		}
		rec := out{File: path, Label: p.Label, Confidence: p.Confidence, Confident: p.Confident}
		if pw.top > 1 {
			rec.Top = top
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(pw.w, "%s\n", b)
		return err
	}
	row := []string{path, p.Label, strconv.FormatFloat(p.Confidence, 'f', 4, 64), strconv.FormatBool(p.Confident)}
	for _, s := range top[1:] {
		row = append(row, s.Label, strconv.FormatFloat(s.Score, 'f', 4, 64))
	}
	pw.cw.Write(row)
	return pw.Flush()
}

// Flush writes any buffered CSV and returns the first write error.
func (pw *PredictionWriter) Flush() error {
	pw.cw.Flush()
	return pw.cw.Error()
}
