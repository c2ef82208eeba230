package stream

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// TestWriteSamplesAsText: samples handed over as numbers give the events
// of the same samples written as text lines (full precision), in any
// units, with missing values, whatever the chunk sizes.
func TestWriteSamplesAsText(t *testing.T) {
	rec := simulate(t, synth.AFib, 95, 250, 4)
	for _, units := range []string{"", "uV", "adu"} {
		x := make([]float64, len(rec.MV))
		for i, v := range rec.MV {
			switch units {
			case "uV":
				v *= 1000
			case "adu":
				v = math.Round(v*200) + 1024
			}
			x[i] = v
		}
		x[0], x[5000], x[5001] = math.NaN(), math.Inf(1), math.NaN() // missing
		var text []byte
		for _, v := range x {
			text = strconv.AppendFloat(text, v, 'g', -1, 64)
			text = append(text, '\n')
		}
		in := InputOptions{Units: units, Baseline: 1024}
		cfg := Config{Fs: 250, Model: rrScorer{}, Beats: true, Window: 30, Hop: 5, AlertWindows: 2}
		s, want := newStream(t, in, cfg)
		feed(t, s, text, []int{4096})
		if len(want.of(EventWindow)) != 14 || len(want.of(EventAlert)) == 0 {
			t.Fatalf("units %q: %d windows, %d alerts from the text", units, len(want.of(EventWindow)), len(want.of(EventAlert)))
		}
		for _, chunk := range []int{1, 25, 1000, len(x)} {
			s, got := newStream(t, in, cfg)
			for i := 0; i < len(x); i += chunk {
				if err := s.WriteSamples(x[i:min(i+chunk, len(x))]); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if g, w := strings.Join(got.lines, "\n"), strings.Join(want.lines, "\n"); g != w {
				for i := range min(len(got.lines), len(want.lines)) {
					if got.lines[i] != want.lines[i] {
						t.Fatalf("units %q, chunks of %d: event %d\n got %s\nwant %s", units, chunk, i, got.lines[i], want.lines[i])
					}
				}
				t.Fatalf("units %q, chunks of %d: %d events, want %d", units, chunk, len(got.lines), len(want.lines))
			}
		}
	}
}

func TestWriteSamplesNeedsRate(t *testing.T) {
	s, _ := newStream(t, InputOptions{Format: FormatJSON}, Config{})
	if err := s.WriteSamples([]float64{1, 2}); err != ErrNoRate {
		t.Errorf("no rate: %v, want ErrNoRate", err)
	}
}

func TestParseColumns(t *testing.T) {
	for _, c := range []struct {
		line string
		want []float64
		ok   bool
	}{
		{"0.5", []float64{0.5}, true},
		{" 1.25 , -0.003\r\n", []float64{1.25, -0.003}, true},
		{"1;2\t3  4", []float64{1, 2, 3, 4}, true},
		{"1e-3,0.1", []float64{0.001, 0.1}, true},
		{"", nil, false},
		{"  \n", nil, false},
		{"time,ecg", nil, false},
		{"1,NaN", []float64{1}, false},
		{"1,,2", []float64{1}, false},
		{"1,inf", []float64{1}, false},
	} {
		got, ok := ParseColumns(nil, []byte(c.line))
		if ok != c.ok || len(got) != len(c.want) {
			t.Errorf("%q: %v %v, want %v %v", c.line, got, ok, c.want, c.ok)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: %v, want %v", c.line, got, c.want)
			}
		}
	}
}

// FuzzParseColumns: never a panic; what parses is finite and parses the
// same after formatting.
func FuzzParseColumns(f *testing.F) {
	for _, s := range []string{"0.5", "1.7e9, 0.25", "1;2\t3", "x", "1,,2", "-0.000", "9999999999999999999"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		vals, ok := ParseColumns(nil, line)
		if !ok {
			return
		}
		var text []byte
		for i, v := range vals {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%q: %v", line, vals)
			}
			if i > 0 {
				text = append(text, ',')
			}
			text = strconv.AppendFloat(text, v, 'g', -1, 64)
		}
		again, ok := ParseColumns(nil, text)
		if !ok || len(again) != len(vals) {
			t.Fatalf("%q -> %q: %v %v", line, text, again, ok)
		}
		for i := range vals {
			if again[i] != vals[i] {
				t.Fatalf("%q -> %q: %v, want %v", line, text, again, vals)
			}
		}
	})
}
