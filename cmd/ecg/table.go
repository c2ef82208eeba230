package main

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

// table writes rows of named columns as text (aligned columns), tsv, csv
// (a header row, then one row per line) or json (JSON lines: one object
// per row, keyed by the column names in order). A cell carries its text
// and its JSON value, so that one row serves every format.
type table struct {
	format string
	cols   []string
	csv    *csv.Writer
	tab    *tabwriter.Writer
	w      io.Writer
	line   []byte
	err    error // the first error, returned by every later row and flush
}

// cell is one value of a row: as text (text, tsv, csv) and as JSON.
type cell struct {
	text string
	json []byte
}

// newTable returns a table of columns cols writing to w in format (text,
// tsv, csv or json; anything else is written as tsv) and writes the
// header row (none for json; an error writing it comes from the next row
// or flush).
func newTable(w io.Writer, format string, cols ...string) *table {
	t := &table{format: format, cols: cols, w: w}
	switch format {
	case "csv":
		t.csv = csv.NewWriter(w)
	case "text":
		t.tab = tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	case "json":
		return t
	}
	head := make([]cell, len(cols))
	for i, c := range cols {
		head[i] = cell{text: c}
	}
	t.row(head...)
	return t
}

// row writes one row, a cell per column.
func (t *table) row(cells ...cell) error {
	if t.err == nil {
		t.err = t.write(cells)
	}
	return t.err
}

// write writes one row.
func (t *table) write(cells []cell) error {
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

// flush writes what the table buffers (text and csv); call it after the
// last row.
func (t *table) flush() error {
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

// textCell is a string (a JSON string).
func textCell(s string) cell {
	b, _ := json.Marshal(s)
	return cell{text: s, json: b}
}

// intCell is an integer.
func intCell(v int64) cell {
	s := strconv.FormatInt(v, 10)
	return cell{text: s, json: []byte(s)}
}

// numCell is a float: with prec decimals as text (ffmt), rounded to 4
// decimals in JSON (jnum; NaN is null).
func numCell(v float64, prec int) cell {
	b, _ := jnum(v).MarshalJSON()
	return cell{text: ffmt(v, prec), json: b}
}

// boolCell is a flag: 1 or 0 as text, true or false in JSON.
func boolCell(v bool) cell {
	if v {
		return cell{text: "1", json: []byte("true")}
	}
	return cell{text: "0", json: []byte("false")}
}

// ffmt formats v with prec decimals, NaN (and infinities) as "NaN".
func ffmt(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "NaN"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

// jnum is a float that marshals NaN as null.
type jnum float64

// MarshalJSON writes v rounded to 4 decimals, NaN and infinities as null.
func (v jnum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(float64(v)*1e4)/1e4, 'f', -1, 64), nil
}
