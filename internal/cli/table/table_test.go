package table

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"testing"
)

// One set of rows in every format, byte for byte.
func TestFormats(t *testing.T) {
	rows := [][]Cell{
		{Text("100"), Int(18), Num(0.05, 3), Num(math.NaN(), 1), Bool(false)},
		{Text(`a "b",c`), Int(-3), Num(1.23456, 3), Num(72.04999, 1), Bool(true)},
	}
	for _, tc := range []struct{ format, want string }{
		{"tsv", "record\tsample\ttime\thr\tnoisy\n100\t18\t0.050\tNaN\t0\na \"b\",c\t-3\t1.235\t72.0\t1\n"},
		{"text", "record   sample  time   hr    noisy\n100      18      0.050  NaN   0\na \"b\",c  -3      1.235  72.0  1\n"},
		{"csv", "record,sample,time,hr,noisy\n100,18,0.050,NaN,0\n\"a \"\"b\"\",c\",-3,1.235,72.0,1\n"},
		{"json", `{"record":"100","sample":18,"time":0.05,"hr":null,"noisy":false}` + "\n" +
			`{"record":"a \"b\",c","sample":-3,"time":1.2346,"hr":72.05,"noisy":true}` + "\n"},
		{"other", "record\tsample\ttime\thr\tnoisy\n100\t18\t0.050\tNaN\t0\na \"b\",c\t-3\t1.235\t72.0\t1\n"},
	} {
		var b bytes.Buffer
		w := New(&b, tc.format, "record", "sample", "time", "hr", "noisy")
		for _, r := range rows {
			if err := w.Row(r...); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.format, b.String(), tc.want)
		}
	}
}

type failWriter struct{ n int }

var errFull = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errFull
	}
	f.n--
	return len(p), nil
}

// The first write error comes back from every later row and from Flush:
// at Flush when the rows fit the buffer, at a Row when they outgrow it.
func TestFirstErrorKept(t *testing.T) {
	for _, format := range []string{"tsv", "json", "csv"} { // text: tabwriter writes a one-column line at once
		w := New(&failWriter{}, format, "a")
		if err := w.Row(Int(1)); err != nil {
			t.Errorf("%s: Row before any write: %v", format, err)
		}
		if err := w.Flush(); !errors.Is(err, errFull) {
			t.Errorf("%s: Flush: %v", format, err)
		}
		if err := w.Row(Int(2)); !errors.Is(err, errFull) {
			t.Errorf("%s: Row after a failed Flush: %v", format, err)
		}
	}
	for _, format := range []string{"tsv", "json"} {
		w := New(&failWriter{n: 1}, format, "a")
		var err error
		for i := 0; i < bufSize && err == nil; i++ {
			err = w.Row(Int(int64(i)))
		}
		if !errors.Is(err, errFull) {
			t.Errorf("%s: %d rows and no error: %v", format, bufSize, err)
		}
		if err := w.Row(Int(3)); !errors.Is(err, errFull) {
			t.Errorf("%s: Row after a failed write: %v", format, err)
		}
		if err := w.Flush(); !errors.Is(err, errFull) {
			t.Errorf("%s: Flush: %v", format, err)
		}
	}
}

type countWriter struct {
	bytes.Buffer
	writes int
}

func (c *countWriter) Write(p []byte) (int, error) {
	c.writes++
	return c.Buffer.Write(p)
}

// Many rows are written in few writes, and the same bytes as row by row.
func TestBuffered(t *testing.T) {
	for _, format := range []string{"tsv", "json"} {
		var w countWriter
		tw := New(&w, format, "record", "sample", "hr")
		var want bytes.Buffer
		if format == "tsv" {
			want.WriteString("record\tsample\thr\n")
		}
		const rows = 10000
		for i := range rows {
			tw.Row(Text("r<1>"), Int(int64(i)), Num(float64(i)/7, 1))
			if format == "tsv" {
				fmt.Fprintf(&want, "r<1>\t%d\t%.1f\n", i, float64(i)/7)
			} else {
				fmt.Fprintf(&want, `{"record":"r\u003c1\u003e","sample":%d,"hr":%s}`+"\n", i,
					strconv.FormatFloat(math.Round(float64(i)/7*1e4)/1e4, 'f', -1, 64))
			}
		}
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		if w.String() != want.String() {
			t.Errorf("%s: the rows differ from row-by-row formatting", format)
		}
		if w.writes > rows/100 {
			t.Errorf("%s: %d rows in %d writes", format, rows, w.writes)
		}
	}
}

func TestNumber(t *testing.T) {
	for v, want := range map[float64]string{1.00004: "1", 2.5: "2.5", math.Inf(1): "null", math.NaN(): "null", -0.12345: "-0.1235"} {
		b, err := Number(v).MarshalJSON()
		if err != nil || string(b) != want {
			t.Errorf("Number(%v) = %s, %v; want %s", v, b, err, want)
		}
	}
}
