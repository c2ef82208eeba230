package table

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Writer writes rows of named columns in one format. The first error is
// kept and returned by every later Row and by Flush.
type Writer struct {
	format string
	cols   []string
	csv    *csv.Writer
	tab    *tabwriter.Writer
	w      io.Writer
	line   []byte
	err    error
}

// Cell is one value of a row: as text (text, tsv, csv) and as JSON.
type Cell struct {
	text string
	json []byte
}

// New returns a Writer of columns cols writing to w in format (text, tsv,
// csv or json; anything else is written as tsv) and writes the header row
// (none for json; an error writing it comes from the next Row or Flush).
func New(w io.Writer, format string, cols ...string) *Writer {
	t := &Writer{format: format, cols: cols, w: w}
	switch format {
	case "csv":
		t.csv = csv.NewWriter(w)
	case "text":
		t.tab = tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	case "json":
		return t
	}
	head := make([]Cell, len(cols))
	for i, c := range cols {
		head[i] = Cell{text: c}
	}
	t.Row(head...)
	return t
}

// Row writes one row, a cell per column.
func (t *Writer) Row(cells ...Cell) error {
	if t.err == nil {
		t.err = t.write(cells)
	}
	return t.err
}

// write writes one row.
func (t *Writer) write(cells []Cell) error {
	if t.format == "json" {
		t.line = append(t.line[:0], '{')
		for i, c := range cells {
			if i > 0 {
				t.line = append(t.line, ',')
			}
			t.line = strconv.AppendQuote(t.line, t.cols[i])
			t.line = append(append(t.line, ':'), c.json...)
		}
		t.line = append(t.line, "}\n"...)
		_, err := t.w.Write(t.line)
		return err
	}
	cols := make([]string, len(cells))
	for i, c := range cells {
		cols[i] = c.text
	}
	switch t.format {
	case "csv":
		return t.csv.Write(cols)
	case "text":
		_, err := fmt.Fprintln(t.tab, strings.Join(cols, "\t"))
		return err
	}
	_, err := fmt.Fprintln(t.w, strings.Join(cols, "\t"))
	return err
}

// Flush writes what the Writer buffers (text and csv); call it after the
// last row.
func (t *Writer) Flush() error {
	if t.err != nil {
		return t.err
	}
	switch t.format {
	case "csv":
		t.csv.Flush()
		return t.csv.Error()
	case "text":
		return t.tab.Flush()
	}
	return nil
}

// Text is a string cell (a JSON string).
func Text(s string) Cell {
	b, _ := json.Marshal(s)
	return Cell{text: s, json: b}
}

// Int is an integer cell.
func Int(v int64) Cell {
	s := strconv.FormatInt(v, 10)
	return Cell{text: s, json: []byte(s)}
}

// Num is a float cell: with prec decimals as text (FormatFloat), rounded
// to 4 decimals in JSON (Number; NaN is null).
func Num(v float64, prec int) Cell {
	b, _ := Number(v).MarshalJSON()
	return Cell{text: FormatFloat(v, prec), json: b}
}

// Bool is a flag cell: 1 or 0 as text, true or false in JSON.
func Bool(v bool) Cell {
	if v {
		return Cell{text: "1", json: []byte("true")}
	}
	return Cell{text: "0", json: []byte("false")}
}

// FormatFloat formats v with prec decimals, NaN (and infinities) as "NaN".
func FormatFloat(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// Number is a float that marshals as JSON rounded to 4 decimals, NaN and
// infinities as null.
type Number float64

// MarshalJSON writes v rounded to 4 decimals, NaN and infinities as null.
func (v Number) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(float64(v)*1e4)/1e4, 'f', -1, 64), nil
}
