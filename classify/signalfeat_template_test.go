package classify

import (
	"math"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// set6Vector returns the set-6 features of x by name.
func set6Vector(t *testing.T, x []float64, fs float64) map[string]float64 {
	t.Helper()
	o := DefaultSignalFeatures()
	o.FeatureSet = 6
	return namedVector(t, o, x, fs)
}

// Set 6 is set 5 with the template's samples after it: the first values
// are set 5's bit for bit, so set-5 models predict as before.
func TestSet6ExtendsSet5(t *testing.T) {
	o5, o6 := DefaultSignalFeatures(), DefaultSignalFeatures()
	o5.FeatureSet, o6.FeatureSet = 5, 6
	n5, n6 := o5.Names(), o6.Names()
	if len(n6) != len(n5)+len(templateFeatureNames) || !slices.Equal(n6[:len(n5)], n5) {
		t.Fatalf("set 6 names %v do not extend set 5's", n6)
	}
	if len(templateFeatureNames) != 41 || templateFeatureNames[0] != "tmpl.-250ms" || templateFeatureNames[6] != "tmpl.-100ms" ||
		templateFeatureNames[16] != "tmpl.+0ms" || templateFeatureNames[40] != "tmpl.+450ms" {
		t.Errorf("template features %v", templateFeatureNames)
	}
	seen := map[string]bool{}
	for _, n := range n6 {
		if seen[n] {
			t.Errorf("feature %q twice", n)
		}
		seen[n] = true
	}
	x := synthRhythm(t, synth.PVC, 360, 2)
	v5, err := SignalSpec(o5).SignalVector(x, 360)
	if err != nil {
		t.Fatal(err)
	}
	v6, err := SignalSpec(o6).SignalVector(x, 360)
	if err != nil {
		t.Fatal(err)
	}
	for i := range v5 {
		if math.Float64bits(v5[i]) != math.Float64bits(v6[i]) {
			t.Errorf("%s: set 5 %v, set 6 %v", n5[i], v5[i], v6[i])
		}
	}
}

// The template features describe the beat, not the recording: the same
// rhythm at 250, 300, 360 and 500 Hz, at 7.5 times the gain, gives the
// same values within 0.1 (a tenth of the beat's peak-to-peak); an
// inverted lead gives them negated (the polarity is kept); the QRS is
// where the template is largest; every value is within [-1, 1].
func TestTemplateFeaturesRateGainPolarity(t *testing.T) {
	ref := set6Vector(t, synthRhythm(t, synth.Normal, 360, 3), 360)
	for _, fs := range []float64{250, 300, 360, 500} {
		x := synthRhythm(t, synth.Normal, fs, 3)
		got := set6Vector(t, x, fs)
		for i := range x {
			x[i] *= -7.5
		}
		neg := set6Vector(t, x, fs)
		for _, n := range templateFeatureNames {
			if math.IsNaN(ref[n]) || math.Abs(ref[n]) > 1 {
				t.Fatalf("%s at 360 Hz: %v, want within [-1, 1]", n, ref[n])
			}
			if d := math.Abs(got[n] - ref[n]); !(d <= 0.1) {
				t.Errorf("%v Hz %s: %.3f, at 360 Hz %.3f", fs, n, got[n], ref[n])
			}
			if d := math.Abs(neg[n] + got[n]); !(d <= 1e-9) {
				t.Errorf("%v Hz %s: %.3f inverted and 7.5 times larger, %.3f as it was", fs, n, neg[n], got[n])
			}
		}
	}
	var qrs, rest float64
	for i, n := range templateFeatureNames {
		if v, at := math.Abs(ref[n]), math.Abs(templateTimes[i]); at <= 0.01 {
			qrs = math.Max(qrs, v)
		} else if at >= 0.03 {
			rest = math.Max(rest, v)
		}
	}
	if !(qrs > rest) {
		t.Errorf("template's largest value within 10 ms of the fiducial point %.3f, %.3f from 30 ms away", qrs, rest)
	}
}

// Without 3 whole beats the template features are NaN, never Inf; a
// flat signal too.
func TestTemplateFeaturesUndefined(t *testing.T) {
	flat := make([]float64, 300*10)
	spike := make([]float64, 300*10)
	spike[1500] = 1
	for name, x := range map[string][]float64{"flat": flat, "one spike": spike} {
		v := set6Vector(t, x, 300)
		for _, n := range templateFeatureNames {
			if !math.IsNaN(v[n]) {
				t.Errorf("%s: %s = %v, want NaN", name, n, v[n])
			}
		}
	}
	if v := templateFeatures(nil, nil, 0, 300); len(v) != len(templateFeatureNames) {
		t.Errorf("no template: %d values, want %d", len(v), len(templateFeatureNames))
	}
}
