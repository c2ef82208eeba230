package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
)

// table writes rows as text (aligned columns), tsv or csv; a command
// writing JSON lines encodes its rows itself (with jnum for floats).
type table struct {
	format string
	csv    *csv.Writer
	tab    *tabwriter.Writer
	w      io.Writer
}

// newTable returns a table writing to w in format (text, tsv or csv;
// anything else is written as tsv).
func newTable(w io.Writer, format string) *table {
	t := &table{format: format, w: w}
	switch format {
	case "csv":
		t.csv = csv.NewWriter(w)
	case "text":
		t.tab = tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	}
	return t
}

// row writes one row.
func (t *table) row(cols ...string) error {
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
	switch t.format {
	case "csv":
		t.csv.Flush()
		return t.csv.Error()
	case "text":
		return t.tab.Flush()
	}
	return nil
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

func (v jnum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, math.Round(float64(v)*1e4)/1e4, 'f', -1, 64), nil
}
