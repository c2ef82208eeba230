package table

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
	"unicode/utf8"
)

// bufSize is how many bytes of rows a tsv or json Writer gathers before
// it writes them: one write per so many rows, not one per row.
const bufSize = 32 << 10

// Writer writes rows of named columns in one format. Rows are buffered:
// call Flush after the last. The first error is kept and returned by
// every later Row and by Flush.
type Writer struct {
	format string
	cols   []string
	csv    *csv.Writer
	tab    *tabwriter.Writer
	w      io.Writer
	buf    []byte   // tsv and json: rows not yet written; text: one line
	texts  []string // csv: the row's cells as text
	err    error
}

// cellKind says which of a Cell's fields holds its value.
type cellKind uint8

const (
	kindText cellKind = iota
	kindInt
	kindNum
	kindBool
)

// Cell is one value of a row, formatted as the Writer's format asks: as
// text (text, tsv, csv) or as JSON.
type Cell struct {
	kind cellKind
	prec int // kindNum: decimals as text
	text string
	num  float64 // kindNum
	i    int64   // kindInt; kindBool: 0 or 1
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
		head[i] = Text(c)
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
	switch t.format {
	case "json":
		t.buf = append(t.buf, '{')
		for i, c := range cells {
			if i > 0 {
				t.buf = append(t.buf, ',')
			}
			t.buf = strconv.AppendQuote(t.buf, t.cols[i])
			t.buf = c.appendJSON(append(t.buf, ':'))
		}
		t.buf = append(t.buf, "}\n"...)
	case "csv":
		t.texts = t.texts[:0]
		for _, c := range cells {
			s := c.text
			if c.kind != kindText {
				s = string(c.appendText(nil))
			}
			t.texts = append(t.texts, s)
		}
		return t.csv.Write(t.texts)
	case "text":
		_, err := t.tab.Write(t.appendTSV(t.buf[:0], cells))
		return err
	default:
		t.buf = t.appendTSV(t.buf, cells)
	}
	if len(t.buf) >= bufSize {
		return t.writeBuf()
	}
	return nil
}

// appendTSV appends cells to b as text, tab-separated, and a newline.
func (t *Writer) appendTSV(b []byte, cells []Cell) []byte {
	for i, c := range cells {
		if i > 0 {
			b = append(b, '\t')
		}
		b = c.appendText(b)
	}
	return append(b, '\n')
}

// writeBuf writes the buffered rows.
func (t *Writer) writeBuf() error {
	_, err := t.w.Write(t.buf)
	t.buf = t.buf[:0]
	return err
}

// Flush writes what the Writer buffers; call it after the last row.
func (t *Writer) Flush() error {
	if t.err != nil {
		return t.err
	}
	switch t.format {
	case "csv":
		t.csv.Flush()
		t.err = t.csv.Error()
	case "text":
		t.err = t.tab.Flush()
	default:
		if len(t.buf) > 0 {
			t.err = t.writeBuf()
		}
	}
	return t.err
}

// Text is a string cell (a JSON string).
func Text(s string) Cell { return Cell{kind: kindText, text: s} }

// Int is an integer cell.
func Int(v int64) Cell { return Cell{kind: kindInt, i: v} }

// Num is a float cell: with prec decimals as text (FormatFloat), rounded
// to 4 decimals in JSON (Number; NaN is null).
func Num(v float64, prec int) Cell { return Cell{kind: kindNum, num: v, prec: prec} }

// Bool is a flag cell: 1 or 0 as text, true or false in JSON.
func Bool(v bool) Cell {
	if v {
		return Cell{kind: kindBool, i: 1}
	}
	return Cell{kind: kindBool}
}

// appendText appends c as text to b.
func (c Cell) appendText(b []byte) []byte {
	switch c.kind {
	case kindInt:
		return strconv.AppendInt(b, c.i, 10)
	case kindNum:
		return appendFloat(b, c.num, c.prec)
	case kindBool:
		return append(b, byte('0'+c.i))
	}
	return append(b, c.text...)
}

// appendJSON appends c as JSON to b.
func (c Cell) appendJSON(b []byte) []byte {
	switch c.kind {
	case kindInt:
		return strconv.AppendInt(b, c.i, 10)
	case kindNum:
		return Number(c.num).appendJSON(b)
	case kindBool:
		if c.i != 0 {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	}
	return appendJSONString(b, c.text)
}

// appendJSONString appends s as encoding/json writes it: plain ASCII
// directly, anything else (quotes, escapes, HTML's <, > and &, non-ASCII)
// through json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			m, _ := json.Marshal(s)
			return append(b, m...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// FormatFloat formats v with prec decimals, NaN (and infinities) as "NaN".
func FormatFloat(v float64, prec int) string {
	return string(appendFloat(nil, v, prec))
}

// appendFloat appends v with prec decimals to b, NaN (and infinities) as
// "NaN".
func appendFloat(b []byte, v float64, prec int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, "NaN"...)
	}
	return strconv.AppendFloat(b, v, 'f', prec, 64)
}

// Number is a float that marshals as JSON rounded to 4 decimals, NaN and
// infinities as null.
type Number float64

// MarshalJSON writes v rounded to 4 decimals, NaN and infinities as null.
func (v Number) MarshalJSON() ([]byte, error) {
	return v.appendJSON(nil), nil
}

// appendJSON appends v as MarshalJSON writes it to b.
func (v Number) appendJSON(b []byte) []byte {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, math.Round(float64(v)*1e4)/1e4, 'f', -1, 64)
}
