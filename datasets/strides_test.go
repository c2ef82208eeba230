package datasets

import (
	"math"
	"reflect"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

func TestStrides(t *testing.T) {
	for _, tc := range []struct {
		n, stride, hop int64
		keep           bool
		want           []Span
	}{
		{100, 30, 30, false, []Span{{Start: 0, End: 30}, {Start: 30, End: 60}, {Start: 60, End: 90}}},
		{100, 30, 30, true, []Span{{Start: 0, End: 30}, {Start: 30, End: 60}, {Start: 60, End: 90}, {Start: 90, End: 100}}},
		{90, 30, 30, true, []Span{{Start: 0, End: 30}, {Start: 30, End: 60}, {Start: 60, End: 90}}},
		{100, 40, 20, false, []Span{{Start: 0, End: 40}, {Start: 20, End: 60}, {Start: 40, End: 80}, {Start: 60, End: 100}}},
		{100, 40, 20, true, []Span{{Start: 0, End: 40}, {Start: 20, End: 60}, {Start: 40, End: 80}, {Start: 60, End: 100}, {Start: 80, End: 100}}},
		{20, 30, 30, false, nil},
		{20, 30, 30, true, []Span{{Start: 0, End: 20}}},
		{0, 30, 30, true, nil},
		{100, 0, 30, true, nil},
	} {
		if got := Strides(tc.n, tc.stride, tc.hop, tc.keep); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Strides(%d,%d,%d,%v) = %v, want %v", tc.n, tc.stride, tc.hop, tc.keep, got, tc.want)
		}
	}
	// Record 100: 650000 samples at 360 Hz, 60 s strides: 30 full strides.
	if got := len(Strides(650000, Samples(60, 360), Samples(60, 360), false)); got != 30 {
		t.Errorf("record 100: %d strides, want 30", got)
	}
}

func TestBeatWindow(t *testing.T) {
	before, after := Samples(0.25, 360), Samples(0.45, 360)
	if before != 90 || after != 162 {
		t.Fatalf("samples %d %d", before, after)
	}
	if w, ok := BeatWindow(1000, before, after, 650000); !ok || w != (Span{Start: 910, End: 1162}) {
		t.Errorf("got %v %v", w, ok)
	}
	if _, ok := BeatWindow(50, before, after, 650000); ok {
		t.Error("beat at 50: window starts before the record")
	}
	if _, ok := BeatWindow(649900, before, after, 650000); ok {
		t.Error("beat at 649900: window runs past the end")
	}
}

func TestSanitizeLabel(t *testing.T) {
	for in, want := range map[string]string{
		"(AFIB": "AFIB", "(N": "N", "(B\x00": "B", "(SVTA": "SVTA", "AB": "AB", "(P": "P",
		"../x": "_x", "a/b\\c": "a_b_c", "..": "unlabelled", "": "unlabelled", " (VT ": "VT",
		".hidden": "hidden", "(IVR": "IVR", "MISSB": "MISSB", "x y": "x_y", "é": "_",
	} {
		if got := SanitizeLabel(in); got != want {
			t.Errorf("SanitizeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRhythmOf(t *testing.T) {
	eps := []wfdb.Episode{{Label: "N", Start: 0, End: 1000}, {Label: "AFIB", Start: 1000, End: 1900}, {Label: "N", Start: 1900, End: 5000}}
	for _, tc := range []struct {
		span  Span
		label string
		frac  float64
	}{
		{Span{Start: 0, End: 500}, "N", 1},
		{Span{Start: 900, End: 1900}, "AFIB", 0.9},
		{Span{Start: 1800, End: 2200}, "N", 0.75},
		{Span{Start: 800, End: 2000}, "AFIB", 0.75},
		{Span{Start: 6000, End: 7000}, "", 0},
		{Span{Start: 4900, End: 5100}, "N", 0.5},
	} {
		l, f := RhythmOf(eps, tc.span)
		if l != tc.label || math.Abs(f-tc.frac) > 1e-12 {
			t.Errorf("RhythmOf(%v) = %q %g, want %q %g", tc.span, l, f, tc.label, tc.frac)
		}
	}
}

func TestBeatsLabels(t *testing.T) {
	anns := []wfdb.Annotation{
		{Sample: 100, Type: wfdb.Normal}, {Sample: 18, Type: wfdb.Rhythm, Aux: "(N"},
		{Sample: 400, Type: wfdb.PVC}, {Sample: 700, Type: wfdb.Normal},
		{Sample: 1000, Type: wfdb.Normal}, {Sample: 1360, Type: wfdb.Normal},
	}
	beats := RefBeats(anns)
	if len(beats) != 5 || beats[0].Sample != 100 || beats[1].Class != 'V' || beats[0].Class != 'N' {
		t.Fatalf("RefBeats: %+v", beats)
	}
	n, counts := CountBeats(beats, Span{Start: 100, End: 1000})
	if n != 3 || counts != [5]int{2, 0, 1, 0, 0} {
		t.Fatalf("CountBeats: %d %v", n, counts)
	}
	if w := WorstClass(counts); w != "V" {
		t.Errorf("WorstClass(%v) = %q", counts, w)
	}
	if w := WorstClass([5]int{3, 0, 0, 0, 1}); w != "Q" {
		t.Errorf("WorstClass N+Q = %q", w)
	}
	if w := WorstClass([5]int{3, 1, 0, 1, 0}); w != "F" {
		t.Errorf("WorstClass N+S+F = %q", w)
	}
	if w := WorstClass([5]int{}); w != "" {
		t.Errorf("WorstClass none = %q", w)
	}
	prev, next, local, avg := RRFeatures(beats, 2, 360)
	if prev != 300.0/360 || next != 300.0/360 || local != 300.0/360 || avg != 1260.0/4/360 {
		t.Errorf("RRFeatures(2): %g %g %g %g", prev, next, local, avg)
	}
	prev, next, local, _ = RRFeatures(beats, 0, 360)
	if !math.IsNaN(prev) || !math.IsNaN(local) || next != 300.0/360 {
		t.Errorf("RRFeatures(0): %g %g %g", prev, next, local)
	}
	_, next, local, _ = RRFeatures(beats, 4, 360)
	if !math.IsNaN(next) || local != 1260.0/4/360 {
		t.Errorf("RRFeatures(4): next %g local %g", next, local)
	}
}
