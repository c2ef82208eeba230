package classify

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/synth"
)

// set5Names are the features set 5 adds to set 4.
func set5Names() []string {
	return slices.Concat(ectopyFeatureNames, beatShapeFeatureNames, qualityFeatureNames)
}

// set5Vector returns the set-5 features of x by name.
func set5Vector(t *testing.T, x []float64, fs float64) map[string]float64 {
	t.Helper()
	o := DefaultSignalFeatures()
	o.FeatureSet = 5
	return namedVector(t, o, x, fs)
}

func synthRhythm(t *testing.T, rhythm string, fs float64, seed int64) []float64 {
	t.Helper()
	rec, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: fs, Duration: 40, Seed: seed, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	return rec.MV
}

// Set 5 is set 4 with its features after set 4's: the first 37 values
// are set 4's, bit for bit, so models of set 4 predict as before.
func TestSet5ExtendsSet4(t *testing.T) {
	o4, o5 := DefaultSignalFeatures(), DefaultSignalFeatures()
	o4.FeatureSet, o5.FeatureSet = 4, 5
	if DefaultSignalFeatures().FeatureSet != 5 {
		t.Fatalf("default set %d: want 5 (the embedded model's)", DefaultSignalFeatures().FeatureSet)
	}
	n4, n5 := o4.Names(), o5.Names()
	if len(n5) != len(n4)+len(set5Names()) || !slices.Equal(n5[:len(n4)], n4) {
		t.Fatalf("set 5 names %v do not extend set 4's", n5)
	}
	seen := map[string]bool{}
	for _, n := range n5 {
		if seen[n] {
			t.Errorf("feature %q twice", n)
		}
		seen[n] = true
	}
	for _, rh := range []string{synth.Normal, synth.PVC} {
		x := synthRhythm(t, rh, 300, 4)
		v4, err := SignalSpec(o4).SignalVector(x, 300)
		if err != nil {
			t.Fatal(err)
		}
		v5, err := SignalSpec(o5).SignalVector(x, 300)
		if err != nil {
			t.Fatal(err)
		}
		for i := range v4 {
			if math.Float64bits(v4[i]) != math.Float64bits(v5[i]) {
				t.Errorf("%s %s: set 4 %v, set 5 %v", rh, n4[i], v4[i], v5[i])
			}
		}
	}
	// A set-5 model saves its set, loads and predicts with it.
	x := synthRhythm(t, synth.Normal, 300, 5)
	spec := SignalSpec(o5)
	v, err := spec.SignalVector(x, 300)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train([]string{"a", "b"}, spec, [][]float64{v, v}, []int{0, 1}, TrainOptions{Forest: ForestOptions{Trees: 2, Seed: 1, Jobs: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"feature_set":5`)) {
		t.Error("set 5 model header has no feature_set 5")
	}
	m2, err := LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m2.PredictSignal(x, 300); err != nil {
		t.Error(err)
	}
}

// The ectopy features see premature beats, bigeminy, trigeminy and the
// rate extremes of brady- and tachycardia, at any rate.
func TestEctopyFeatures(t *testing.T) {
	for _, fs := range []float64{250, 300, 360, 500} {
		n := set5Vector(t, synthRhythm(t, synth.Normal, fs, 3), fs)
		pvc := set5Vector(t, synthRhythm(t, synth.PVC, fs, 3), fs)
		big := set5Vector(t, synthRhythm(t, synth.Bigeminy, fs, 3), fs)
		tri := set5Vector(t, synthRhythm(t, synth.Trigeminy, fs, 3), fs)
		brady := set5Vector(t, synthRhythm(t, synth.Brady, fs, 3), fs)
		tachy := set5Vector(t, synthRhythm(t, synth.Tachy, fs, 3), fs)
		checks := []struct {
			what string
			ok   bool
		}{
			{"normal has no premature beats", n["ect.premature.per.min"] < 1},
			{"pvc has premature beats", pvc["ect.premature.per.min"] > 4},
			{"pvc pauses are compensatory", pvc["ect.compensation"] > 0.9 && pvc["ect.compensation"] < 1.15},
			{"bigeminy alternates", big["ect.ac1"] < -0.5 && big["ect.ac2"] > 0.5},
			{"trigeminy repeats every third interval", tri["ect.ac3"] > 0.5 && tri["ect.ac3"] > tri["ect.ac1"]},
			{"normal neither", n["ect.ac1"] > -0.5 && n["ect.ac2"] < 0.5},
			{"brady is slow", brady["hr5.max"] < 60},
			{"tachy is fast", tachy["hr5.min"] > 100},
			{"normal within", n["hr5.min"] > 55 && n["hr5.max"] < 100},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("%g Hz: %s: normal %v / pvc %v / bigeminy %v / trigeminy %v", fs, c.what,
					pick5(n, "ect."), pick5(pvc, "ect."), pick5(big, "ect.ac"), pick5(tri, "ect.ac"))
			}
		}
	}
}

func pick5(m map[string]float64, prefix string) map[string]float64 {
	out := map[string]float64{}
	for k, v := range m {
		if strings.HasPrefix(k, prefix) {
			out[k] = math.Round(v*1000) / 1000
		}
	}
	return out
}

// The beat shape features see premature ventricular beats: a second
// cluster of beats, far from the template and wider than it.
func TestBeatShapeFeatures(t *testing.T) {
	for _, fs := range []float64{250, 300, 360, 500} {
		n := set5Vector(t, synthRhythm(t, synth.Normal, fs, 5), fs)
		pvc := set5Vector(t, synthRhythm(t, synth.PVC, fs, 5), fs)
		switch {
		case !(pvc["beat.outlier.share"] > 0.05 && n["beat.outlier.share"] < 0.02):
			t.Errorf("%g Hz: outlier share pvc %.3f, normal %.3f", fs, pvc["beat.outlier.share"], n["beat.outlier.share"])
		case !(pvc["beat.outlier.width"] > 1.2):
			t.Errorf("%g Hz: outlier width over template %.3f, want > 1.2", fs, pvc["beat.outlier.width"])
		case !(pvc["beat.corr.p10"] < n["beat.corr.p10"] && pvc["beat.corr.low"] > n["beat.corr.low"]):
			t.Errorf("%g Hz: corr p10 %.3f vs %.3f, low %.3f vs %.3f", fs, pvc["beat.corr.p10"], n["beat.corr.p10"], pvc["beat.corr.low"], n["beat.corr.low"])
		case !(n["beat.qrs.width"] > 0.04 && n["beat.qrs.width"] < 0.14):
			t.Errorf("%g Hz: template QRS width %.3f s", fs, n["beat.qrs.width"])
		}
		// Bigeminy: half the beats wide, so the quartiles of the widths
		// part.
		if big := set5Vector(t, synthRhythm(t, synth.Bigeminy, fs, 5), fs); !(big["beat.qrs.width.iqr"] > 0.2 && n["beat.qrs.width.iqr"] < 0.1) {
			t.Errorf("%g Hz: QRS width spread bigeminy %.3f, normal %.3f", fs, big["beat.qrs.width.iqr"], n["beat.qrs.width.iqr"])
		}
		// An inverted lead (electrodes swapped) has the same beat shape
		// features: correlations and widths do not see the sign.
		x := synthRhythm(t, synth.PVC, fs, 5)
		for i := range x {
			x[i] = -x[i]
		}
		inv := set5Vector(t, x, fs)
		for _, name := range beatShapeFeatureNames {
			if a, b := inv[name], pvc[name]; math.Abs(a-b) > 0.05*math.Max(math.Abs(b), 0.2) {
				t.Errorf("%g Hz: %s inverted %.4f, upright %.4f", fs, name, a, b)
			}
		}
	}
}

// The quality features rank noise bursts, flat segments and baseline
// wander below a clean recording.
func TestQualityFeatures(t *testing.T) {
	for _, fs := range []float64{250, 300, 360, 500} {
		clean := synthRhythm(t, synth.Normal, fs, 6)
		c := set5Vector(t, clean, fs)
		// Bursts of 2 mV white noise in 2 of every 10 seconds.
		r := rand.New(rand.NewPCG(1, 2))
		noisy := slices.Clone(clean)
		for i := range noisy {
			if int(float64(i)/fs)%10 < 2 {
				noisy[i] += 2 * r.NormFloat64()
			}
		}
		nz := set5Vector(t, noisy, fs)
		for _, k := range []struct {
			name  string
			worse func(a, b float64) bool
		}{
			{"sqi.kurtosis", lower}, {"sqi.psqi", lower}, {"sqi.hf", higher}, {"sqi.bsqi", lower},
			{"sqi.sec.max/median", higher}, {"sqi.sec.bad", higher},
		} {
			if !k.worse(nz[k.name], c[k.name]) {
				t.Errorf("%g Hz: %s noisy %.4f, clean %.4f", fs, k.name, nz[k.name], c[k.name])
			}
		}
		if c["sqi.bsqi"] < 0.9 || c["sqi.flat"] != 0 || c["sqi.kurtosis"] < 5 {
			t.Errorf("%g Hz: clean bSQI %.3f, flat %.3f, kurtosis %.2f", fs, c["sqi.bsqi"], c["sqi.flat"], c["sqi.kurtosis"])
		}
		// 8 of 40 seconds flat (a lead off).
		flat := slices.Clone(clean)
		lo := int(20 * fs)
		for i := lo; i < lo+int(8*fs); i++ {
			flat[i] = flat[lo]
		}
		f := set5Vector(t, flat, fs)
		if math.Abs(f["sqi.flat"]-0.2) > 0.03 || !(f["sqi.sec.min/median"] < 0.05) {
			t.Errorf("%g Hz: flat share %.3f (want 0.2), min second %.3f", fs, f["sqi.flat"], f["sqi.sec.min/median"])
		}
		// Baseline wander of 1 mV.
		rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: fs, Duration: 40, Seed: 6, Noise: 0.02, Wander: 1})
		if err != nil {
			t.Fatal(err)
		}
		if w := set5Vector(t, rec.MV, fs); !(w["sqi.bas"] > 2*c["sqi.bas"]) {
			t.Errorf("%g Hz: baseline share with wander %.4f, without %.4f", fs, w["sqi.bas"], c["sqi.bas"])
		}
	}
}

func lower(a, b float64) bool  { return a < b }
func higher(a, b float64) bool { return a > b }

// The same recording at 360 Hz and resampled to 250, 300 and 500 Hz gives
// nearly the same set-5 features: within 20 % (0.1 for values under 0.5).
// sqi.hf is left out below 360 Hz: resampling to 250 or 300 Hz removes
// the noise above 125 or 150 Hz that it measures.
func TestSet5RateIndependent(t *testing.T) {
	for _, rh := range []string{synth.Normal, synth.PVC, synth.AFib} {
		x := synthRhythm(t, rh, 360, 8)
		a := set5Vector(t, x, 360)
		for _, to := range []float64{250, 300, 500} {
			y, err := signal.Resample(x, 360, to)
			if err != nil {
				t.Fatal(err)
			}
			b := set5Vector(t, y, to)
			for _, name := range set5Names() {
				if name == "sqi.hf" && to < 360 {
					continue
				}
				tol := 0.2 * math.Max(math.Abs(a[name]), 0.5)
				if math.IsNaN(a[name]) != math.IsNaN(b[name]) || math.Abs(a[name]-b[name]) > tol {
					t.Errorf("%s %s: %.4f at 360 Hz, %.4f at %g Hz", rh, name, a[name], b[name], to)
				}
			}
		}
	}
}

// Flat, short, spiky and pure-noise input: every set-5 feature is finite
// or NaN, never Inf, and nothing panics.
func TestSet5DegenerateInput(t *testing.T) {
	const fs = 300.0
	r := rand.New(rand.NewPCG(3, 4))
	noise := make([]float64, int(10*fs))
	for i := range noise {
		noise[i] = r.NormFloat64()
	}
	spike := make([]float64, int(5*fs))
	spike[len(spike)/2] = 5
	short := synthRhythm(t, synth.Normal, fs, 1)[:int(2*fs)]
	for name, x := range map[string][]float64{
		"flat": make([]float64, int(3*fs)), "short": short, "spike": spike, "noise": noise,
	} {
		v := set5Vector(t, x, fs)
		for _, n := range set5Names() {
			if math.IsInf(v[n], 0) {
				t.Errorf("%s: %s is %v", name, n, v[n])
			}
		}
		if name == "flat" && (!math.IsNaN(v["sqi.kurtosis"]) || v["sqi.flat"] != 1) {
			t.Errorf("flat: kurtosis %v, flat share %v", v["sqi.kurtosis"], v["sqi.flat"])
		}
	}
}

// detectorAgreement counts one-to-one matches within the tolerance.
func TestDetectorAgreement(t *testing.T) {
	for _, c := range []struct {
		a, b []int64
		want float64
	}{
		{[]int64{100, 200, 300}, []int64{101, 199, 302}, 1},
		{[]int64{100, 200, 300}, []int64{100, 300}, 2.0 / 3},
		{[]int64{100, 200}, []int64{150, 250, 350}, 0.0 / 5},
		{[]int64{100}, []int64{95, 104}, 1.0 / 2},
		{nil, []int64{1}, 0},
	} {
		if got := detectorAgreement(c.a, c.b, 5); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%v vs %v: %v, want %v", c.a, c.b, got, c.want)
		}
	}
	if !math.IsNaN(detectorAgreement(nil, nil, 5)) {
		t.Error("no beats at all: want NaN")
	}
}

// median by selection equals the median of the sorted values.
func TestMedianSelect(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for n := 1; n < 60; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Round(r.NormFloat64() * 3) // ties too
		}
		s := slices.Clone(x)
		slices.Sort(s)
		if got, want := median(x), quantileSorted(s, 0.5); got != want {
			t.Fatalf("n %d: median %v, want %v", n, got, want)
		}
	}
}
