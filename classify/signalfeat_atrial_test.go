package classify

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// set8Vector returns the set-8 features of x by name.
func set8Vector(t *testing.T, x []float64, fs float64) map[string]float64 {
	t.Helper()
	o := DefaultSignalFeatures()
	o.FeatureSet = 8
	return namedVector(t, o, x, fs)
}

// withWave returns x (at fs Hz) plus a sine of amp mV at f Hz.
func withWave(x []float64, fs, f, amp float64) []float64 {
	y := slices.Clone(x)
	for i := range y {
		y[i] += amp * math.Sin(2*math.Pi*f*float64(i)/fs)
	}
	return y
}

// Set 8 is set 7 with the atrial features after it: the first 66 values
// are set 7's bit for bit, whole and with crop views; a stack takes
// sets 7 and 8 of a set-8 model and nothing else; a set-8 model saves,
// loads and scores the same.
func TestSet8ExtendsSet7(t *testing.T) {
	o7, o8 := DefaultSignalFeatures(), DefaultSignalFeatures()
	o7.FeatureSet, o8.FeatureSet = 7, 8
	n7, n8 := o7.Names(), o8.Names()
	if len(n8) != 79 || !slices.Equal(n8[:len(n7)], n7) || !slices.Equal(n8[len(n7):], append(slices.Clone(atrialFeatureNames), waveFeatureNames...)) {
		t.Fatalf("set 8 names (%d) are not set 7's (%d), the atrial and the wave features", len(n8), len(n7))
	}
	x := synthRhythm(t, synth.AFib, 360, 4)
	for _, crops := range []int{0, 2} {
		o7.Crops, o8.Crops = crops, crops
		if crops > 0 {
			o7.CropShare, o8.CropShare = 0.75, 0.75
		}
		v7, err := SignalSpec(o7).SignalVector(x, 360)
		if err != nil {
			t.Fatal(err)
		}
		v8, err := SignalSpec(o8).SignalVector(x, 360)
		if err != nil {
			t.Fatal(err)
		}
		if len(v8) != len(n8)*(1+crops) {
			t.Fatalf("crops %d: %d values, want %d", crops, len(v8), len(n8)*(1+crops))
		}
		for view := 0; view <= crops; view++ {
			for j := range n7 {
				a, b := v7[view*len(n7)+j], v8[view*len(n8)+j]
				if math.Float64bits(a) != math.Float64bits(b) {
					t.Errorf("crops %d view %d: %s is %v in set 8, %v in set 7", crops, view, n7[j], b, a)
				}
			}
		}
	}
	o8.Crops, o8.CropShare = 0, 0
	spec := SignalSpec(o8)
	if n, err := spec.prefixFeatures(7); err != nil || n != 66 {
		t.Errorf("set 7 of set 8: %d (%v), want 66", n, err)
	}
	if n, err := spec.prefixFeatures(8); err != nil || n != 79 {
		t.Errorf("set 8 of set 8: %d (%v), want 79", n, err)
	}
	for _, s := range []int{4, 5, 6, 9} {
		if _, err := spec.prefixFeatures(s); err == nil {
			t.Errorf("set %d taken as a prefix of set 8", s)
		}
	}
	if _, err := SignalSpec(o7).prefixFeatures(8); err == nil {
		t.Error("set 8 taken as a prefix of set 7")
	}
	X, y := cropRows(t, spec)
	m, err := Train([]string{"N", "AF"}, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 4, Seed: 1, Jobs: 1}})
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadModel(bytes.NewReader(saved(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if p, q := back.Scores(nil, X[1]), m.Scores(nil, X[1]); !slices.Equal(p, q) || back.Info.Features.Signal.FeatureSet != 8 {
		t.Errorf("reloaded set-8 model: %v, want %v", p, q)
	}
}

// Fibrillatory waves survive QRST cancellation and sinus rhythm leaves
// little: a sinus rhythm with 0.05 mV of 6 Hz added has its residual's
// dominant frequency within 0.5 Hz of 6, most of its 3-12 Hz power near
// it, and twice the residual's 4-9 Hz share and residual share of the
// same rhythm without it (under 0.1), at 250, 360 and 500
// Hz; the synthetic AF's residual has more 4-9 Hz power than sinus
// rhythm's.
func TestAtrialResidualFindsFWaves(t *testing.T) {
	for _, fs := range []float64{250, 360, 500} {
		x := synthRhythm(t, synth.Normal, fs, 3)
		clean := set8Vector(t, x, fs)
		fw := set8Vector(t, withWave(x, fs, 6, 0.05), fs)
		af := set8Vector(t, synthRhythm(t, synth.AFib, fs, 3), fs)
		if df := fw["aa.res.df"]; !(math.Abs(df-6) <= 0.5) {
			t.Errorf("%v Hz: dominant frequency %v with 6 Hz waves", fs, df)
		}
		if oi := fw["aa.res.oi"]; !(oi > 0.7 && oi <= 1) {
			t.Errorf("%v Hz: organisation index %v with 6 Hz waves, want over 0.7", fs, oi)
		}
		if !(fw["aa.res.rel49"] > 2*clean["aa.res.rel49"]) || !(fw["aa.res.49/hf"] > 2*clean["aa.res.49/hf"]) {
			t.Errorf("%v Hz: 4-9 Hz share %v, over 10-30 Hz %v with 6 Hz waves; %v, %v without", fs,
				fw["aa.res.rel49"], fw["aa.res.49/hf"], clean["aa.res.rel49"], clean["aa.res.49/hf"])
		}
		if s := clean["aa.res.share"]; !(s < 0.1) || !(fw["aa.res.share"] > 2*s) {
			t.Errorf("%v Hz: residual share %v clean, %v with 6 Hz waves", fs, s, fw["aa.res.share"])
		}
		if !(fw["aa.res.df.iqr"] < 0.5) {
			t.Errorf("%v Hz: spread of the segments' peaks %v Hz with steady 6 Hz waves", fs, fw["aa.res.df.iqr"])
		}
		if !(af["aa.res.49/signal"] > 2*clean["aa.res.49/signal"]) || !(af["aa.res.rel49"] > clean["aa.res.rel49"]) {
			t.Errorf("%v Hz: AF residual 4-9 Hz %v of the signal, %v of itself (sinus %v, %v)", fs,
				af["aa.res.49/signal"], af["aa.res.rel49"], clean["aa.res.49/signal"], clean["aa.res.rel49"])
		}
	}
}

// qrstResidual subtracts the template scaled to each window: windows that
// are the template times 0.8 and 1.3 leave nothing, a gain past 0.5-1.5
// is held there, and a sample two windows share is cancelled by the
// first only.
func TestQRSTResidual(t *testing.T) {
	tmpl := []float64{0, 1, 3, -2, 0.5, 0}
	residual := func(span []float64, starts []int) []float64 {
		wins := make([][]float64, len(starts))
		for j, s := range starts {
			wins[j] = span[s : s+len(tmpl)]
		}
		return qrstResidual(span, wins, starts, 0, tmpl)
	}
	span := make([]float64, 40)
	starts := []int{2, 10, 25}
	for j, g := range []float64{0.8, 1.3, 3} {
		for i, v := range tmpl {
			span[starts[j]+i] = g * v
		}
	}
	res := residual(span, starts)
	for i, r := range res {
		want := 0.0
		if i >= 25 && i < 25+len(tmpl) {
			want = 1.5 * tmpl[i-25] // 3 times the template, held to 1.5
		}
		if math.Abs(r-want) > 1e-12 {
			t.Errorf("residual[%d] = %v, want %v", i, r, want)
		}
	}
	// Windows at 2 and 5 share samples 5-7: the template once at 2, and
	// its last three samples again at 8-10 (the second window's gain,
	// 4.75 / 14.25, is held to 0.5).
	span = make([]float64, 20)
	for i, v := range tmpl {
		span[2+i] = v
		if i >= 3 {
			span[5+i] = v
		}
	}
	res = residual(span, []int{2, 5})
	for i, r := range res {
		want := 0.0
		if i >= 8 && i <= 10 {
			want = 0.5 * tmpl[i-5]
		}
		if math.Abs(r-want) > 1e-12 {
			t.Errorf("overlapping windows: residual[%d] = %v, want %v", i, r, want)
		}
	}
}

// Where the residual cannot be read the features are NaN, never Inf:
// a flat signal, fewer than 3 beat windows, and a rate of 24 Hz or less.
func TestAtrialFeaturesUndefined(t *testing.T) {
	flat := make([]float64, 300*10)
	for name, v := range set8Vector(t, flat, 300) {
		if slices.Contains(atrialFeatureNames, name) && !math.IsNaN(v) {
			t.Errorf("flat signal: %s = %v, want NaN", name, v)
		}
	}
	tmpl := []float64{0, 1, 0}
	wins := [][]float64{tmpl, tmpl, tmpl}
	bp := make([]float64, 200)
	for _, fs := range []float64{20, 300} {
		w := wins
		if fs == 300 {
			w = wins[:2]
		}
		v := atrialFeatures(nil, bp, w, []int{0, 50, 100}, tmpl, fs)
		if len(v) != len(atrialFeatureNames) {
			t.Fatalf("%d values, want %d", len(v), len(atrialFeatureNames))
		}
		for i, x := range v {
			if !math.IsNaN(x) {
				t.Errorf("fs %v, %d windows: %s = %v, want NaN", fs, len(w), atrialFeatureNames[i], x)
			}
		}
	}
}
