package stream

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// replaceEvery returns text lines of x with every k-th line (from the
// first) replaced by bad.
func replaceEvery(x []float64, k int, bad string) []byte {
	lines := bytes.Split(bytes.TrimSuffix(textOf(x), []byte("\n")), []byte("\n"))
	for i := 0; i < len(lines); i += k {
		lines[i] = []byte(bad)
	}
	return append(bytes.Join(lines, []byte("\n")), '\n')
}

// Bad lines (NaN, blank, garbage with digits, over-long) hold their place
// in the sample clock: windows arrive at the same sample and time, with
// the same heart rate within a beat, as from the clean input, and every
// bad line is counted (issue 19, item 3).
func TestBadLinesHoldTheClock(t *testing.T) {
	rec := simulate(t, synth.AFib, 130, 360, 7)
	cfg := Config{Fs: 360, Window: 60, Hop: 10}
	clean, cc := newStream(t, InputOptions{MaxLine: 64}, cfg)
	feed(t, clean, textOf(rec.MV), nil)
	want := cc.of(EventWindow)
	for _, bad := range []string{"NaN", "", "  ", "1.2.3", "null", strings.Repeat("7", 100)} {
		s, c := newStream(t, InputOptions{MaxLine: 64}, cfg)
		feed(t, s, replaceEvery(rec.MV, 5, bad), []int{4093})
		got := c.of(EventWindow)
		if len(got) != len(want) {
			t.Fatalf("bad line %q: %d windows, want %d", bad, len(got), len(want))
		}
		for i := range got {
			g, w := got[i].Body.(*WindowBody), want[i].Body.(*WindowBody)
			if got[i].Sample != want[i].Sample || got[i].T != want[i].T || g.HR == nil || math.Abs(*g.HR-*w.HR) > 0.03**w.HR {
				t.Fatalf("bad line %q: window %d at %d (t %g), hr %v; want %d (t %g), hr %v", bad, i, got[i].Sample, got[i].T, g.HR, want[i].Sample, want[i].T, *w.HR)
			}
		}
		st := c.of(EventStatus)
		last := st[len(st)-1].Body.(*StatusBody)
		n := int64((len(rec.MV) + 4) / 5)
		if last.Samples != int64(len(rec.MV)) || last.Held != n || last.Malformed+last.TooLong != n || last.Quality != "ok" {
			t.Fatalf("bad line %q: final status %+v; want %d samples, %d held and counted", bad, last, len(rec.MV), n)
		}
	}
}

// Lines without a digit or a spelling of a missing value are messages
// from the device, not samples: counted, but they hold no place.
func TestMessageLinesHoldNoPlace(t *testing.T) {
	s, c := newStream(t, InputOptions{}, Config{Fs: 125, Window: 1, Hop: 1})
	feed(t, s, []byte("0.1\n0.2\nbattery low\n0.3\n\n0.4\n"), nil)
	st := c.of(EventStatus)
	last := st[len(st)-1].Body.(*StatusBody)
	if last.Samples != 5 || last.Malformed != 2 || last.Held != 1 {
		t.Fatalf("final status %+v; want 5 samples (one held for the blank line), 2 malformed", last)
	}
}

// JSON: null in an array holds its place; a line without the field is
// another message.
func TestJSONNullHeld(t *testing.T) {
	var got []float64
	sk := &clockSink{on: func(v float64) { got = append(got, v) }}
	d, err := newDecoder(InputOptions{Format: FormatJSON}, sk)
	if err != nil {
		t.Fatal(err)
	}
	d.write([]byte(`{"ecg":[1,null,3]}` + "\n" + `{"battery":80}` + "\n" + `{"ecg":null}` + "\n" + `{"ecg":4}` + "\n"))
	if len(got) != 5 || got[1] != 1 || got[3] != 3 || sk.counts[ProblemHeld] != 2 || sk.counts[ProblemMalformed] != 3 {
		t.Fatalf("samples %v, counts %v", got, sk.counts)
	}
}

// With every line malformed, the final status says so: no samples, and
// quality "none", not "ok".
func TestAllMalformedIsNotOK(t *testing.T) {
	for _, in := range []string{strings.Repeat("NaN\n", 1000), strings.Repeat("abc\n", 1000), strings.Repeat("\n", 1000)} {
		s, c := newStream(t, InputOptions{}, Config{Fs: 360})
		feed(t, s, []byte(in), nil)
		st := c.of(EventStatus)
		last := st[len(st)-1].Body.(*StatusBody)
		if last.Quality == "ok" || last.Samples != 0 || last.Malformed+last.Header != 1000 {
			t.Errorf("%.8q...: final status %+v", in, last)
		}
	}
}

// clockSink counts what a decoder finds.
type clockSink struct {
	samples int64
	counts  [numProblems]int64
	on      func(v float64)
}

func (c *clockSink) sample(v, ts float64, hasTS bool) {
	c.samples++
	if c.on != nil {
		c.on(v)
	}
}

func (c *clockSink) problem(kind int) { c.counts[kind]++ }

// goodLines counts the lines of data whose first comma-separated field
// is a finite number (strconv's reading), the samples a decoder must
// find, and the lines from the first good one on that must each give
// one sample (good or held): all but comments and message lines.
func goodLines(data []byte, maxLine int) (good, due int64) {
	lines := bytes.Split(data, []byte("\n"))
	if n := len(lines); lines[n-1] == nil || len(lines[n-1]) == 0 {
		lines = lines[:n-1]
	}
	first := -1
	for i, l := range lines {
		if len(l) > maxLine {
			continue
		}
		t := bytes.TrimSpace(bytes.TrimRight(l, "\r"))
		f, _, _ := bytes.Cut(t, []byte(","))
		v, err := strconv.ParseFloat(string(bytes.TrimSpace(f)), 64)
		if len(t) > 0 && t[0] != '#' && err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			good++
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return 0, 0
	}
	for i, l := range lines {
		t := bytes.TrimSpace(bytes.TrimRight(l, "\r"))
		switch {
		case len(l) > maxLine:
			due++
		case len(t) > 0 && t[0] == '#':
		case len(t) > 0 && isMessage(t):
		case i == 0 && isHeader(t):
		default:
			due++
		}
	}
	return good, due
}

// isHeader reports whether t, the first line, is taken as a column
// header: not a number, with a letter, its first field not a spelling
// of a missing value.
func isHeader(t []byte) bool {
	f, _, _ := bytes.Cut(t, []byte(","))
	f = bytes.TrimSpace(f)
	if v, err := strconv.ParseFloat(string(f), 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
		return false
	}
	switch strings.ToLower(strings.TrimLeft(string(f), "+-")) {
	case "nan", "null", "na", "inf", "infinity":
		return false
	}
	return bytes.ContainsAny(bytes.ToLower(t), "abcdefghijklmnopqrstuvwxyz")
}

// FuzzStreamClock feeds arbitrary bytes, in chunks the input chooses, to
// a text decoder with a sample clock: it never panics, every sample is a
// good line or a held one (samples == good + held), and every line that
// was due as a sample (all but comments and messages) gives exactly one.
func FuzzStreamClock(f *testing.F) {
	f.Add([]byte("0.1\nNaN\n\n0.3\n"), uint8(3))
	f.Add([]byte("ecg\n1\n2\nabc\n1e400\n4,5\n#c\n"), uint8(1))
	f.Add([]byte("NaN\nNaN\n0.5\r\n"+strings.Repeat("9", 80)+"\n7"), uint8(17))
	f.Add([]byte("\n\n\n"), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		const maxLine = 64
		sk := &clockSink{}
		d, err := newDecoder(InputOptions{Column: 1, Delimiter: ",", MaxLine: maxLine}, sk)
		if err != nil {
			t.Fatal(err)
		}
		n := int(chunk) + 1
		for p := data; len(p) > 0; {
			k := min(n, len(p))
			d.write(p[:k])
			p = p[k:]
		}
		d.flush()
		good, due := goodLines(data, maxLine)
		held := sk.counts[ProblemHeld]
		if sk.samples != good+held {
			t.Fatalf("%d samples, %d good lines + %d held (counts %v)", sk.samples, good, held, sk.counts)
		}
		if good > 0 && sk.samples != due {
			t.Fatalf("%d samples, %d lines due (good %d, counts %v)", sk.samples, due, good, sk.counts)
		}
		if held > sk.counts[ProblemMalformed]+sk.counts[ProblemTooLong] {
			t.Fatalf("%d held, more than the bad lines counted: %v", held, sk.counts)
		}
	})
}
