package classify

import (
	"encoding/csv"
	"encoding/json"
	"errors"
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
	// records: rows are records (WriteRecord), not files.
	records bool
}

// NewPredictionWriter returns a writer of format "csv" or "json" that
// lists the top best labels (at least 1) of each prediction; for CSV it
// writes the header now.
func NewPredictionWriter(w io.Writer, format string, top int) (*PredictionWriter, error) {
	return newPredictionWriter(w, format, top, false)
}

// NewRecordPredictionWriter is NewPredictionWriter for the predictions of
// records (WriteRecord): the CSV columns are record, label, confidence,
// confident, files (the number of files averaged), then label2, score2,
// ...; a JSON line has "record" and "files" instead of "file".
func NewRecordPredictionWriter(w io.Writer, format string, top int) (*PredictionWriter, error) {
	return newPredictionWriter(w, format, top, true)
}

func newPredictionWriter(w io.Writer, format string, top int, records bool) (*PredictionWriter, error) {
	pw := &PredictionWriter{w: w, json: format == "json", top: max(top, 1), cw: csv.NewWriter(w), records: records}
	if pw.json {
		return pw, nil
	}
	head := []string{"file", "label", "confidence", "confident"}
	if records {
		head = []string{"record", "label", "confidence", "confident", "files"}
	}
	for k := 2; k <= pw.top; k++ {
		head = append(head, "label"+strconv.Itoa(k), "score"+strconv.Itoa(k))
	}
	pw.cw.Write(head)
	return pw, pw.Flush()
}

// predictionFields are the fields of a JSON line after the file or record.
type predictionFields struct {
	Label      string       `json:"label"`
	Confidence float64      `json:"confidence"`
	Confident  bool         `json:"confident"`
	Top        []LabelScore `json:"top,omitempty"`
}

// errWriterKind is returned when a file's prediction is written to a
// writer of records or the other way round.
var errWriterKind = errors.New("classify: a file's prediction to a writer of records, or a record's to one of files")

// Write writes the prediction p of the file at path.
func (pw *PredictionWriter) Write(path string, p Prediction) error {
	if pw.records {
		return errWriterKind
	}
	if pw.json {
		return pw.writeJSON(struct {
			File string `json:"file"`
			predictionFields
		}{path, pw.fields(p)})
	}
	return pw.writeCSV([]string{path}, nil, p)
}

// WriteRecord writes the prediction of a record, with a writer from
// NewRecordPredictionWriter.
func (pw *PredictionWriter) WriteRecord(rp RecordPrediction) error {
	if !pw.records {
		return errWriterKind
	}
	if pw.json {
		return pw.writeJSON(struct {
			Record string `json:"record"`
			Files  int    `json:"files"`
			predictionFields
		}{rp.Record, rp.Files, pw.fields(rp.Prediction)})
	}
	return pw.writeCSV([]string{rp.Record}, []string{strconv.Itoa(rp.Files)}, rp.Prediction)
}

// fields are p's JSON fields, its best labels with Top above 1.
func (pw *PredictionWriter) fields(p Prediction) predictionFields {
	f := predictionFields{Label: p.Label, Confidence: p.Confidence, Confident: p.Confident}
	if pw.top > 1 {
		f.Top = p.Top(pw.top)
	}
	return f
}

// writeJSON writes v as a line of JSON.
func (pw *PredictionWriter) writeJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(pw.w, "%s\n", b)
	return err
}

// writeCSV writes a row: head, p's label, confidence and confident, then
// more, then p's next best labels and their scores.
func (pw *PredictionWriter) writeCSV(head, more []string, p Prediction) error {
	row := append(head, p.Label, strconv.FormatFloat(p.Confidence, 'f', 4, 64), strconv.FormatBool(p.Confident))
	row = append(row, more...)
	for _, s := range p.Top(pw.top)[1:] {
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
