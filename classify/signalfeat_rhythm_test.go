package classify

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/synth"
)

func rhythmVector(t *testing.T, x []float64, fs float64) map[string]float64 {
	t.Helper()
	return namedVector(t, DefaultSignalFeatures(), x, fs)
}

// namedVector returns the features o computes of x by name.
func namedVector(t *testing.T, o SignalFeatures, x []float64, fs float64) map[string]float64 {
	t.Helper()
	spec := SignalSpec(o)
	v, err := spec.SignalVector(x, fs)
	if err != nil {
		t.Fatal(err)
	}
	names := spec.Names()
	if len(v) != len(names) {
		t.Fatalf("%d features, %d names", len(v), len(names))
	}
	m := map[string]float64{}
	for i, n := range names {
		m[n] = v[i]
	}
	return m
}

func synthMV(t *testing.T, rhythm string, fs, hr float64, seed int64) []float64 {
	t.Helper()
	rec, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: fs, HR: hr, Duration: 60, Seed: seed, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	return rec.MV
}

// Feature set 2 tells synthetic AF from sinus rhythm on every measure
// it claims to, at any rate: irregular RR (entropy, Lorenz cells), no
// repeating P wave, more 4-9 Hz activity between beats.
func TestRhythmFeaturesAFvsSinus(t *testing.T) {
	for _, fs := range []float64{250, 360, 500} {
		n := rhythmVector(t, synthMV(t, synth.Normal, fs, 70, 3), fs)
		a := rhythmVector(t, synthMV(t, synth.AFib, fs, 90, 3), fs)
		for _, c := range []struct {
			name   string
			afMore bool
		}{{"rr.sampen", true}, {"rr.cosen", true}, {"rr.lorenz.cells", true}, {"rr.lorenz.radius", true}, {"rr.pnn20", true},
			{"p.corr.median", false}, {"p.present", false}, {"p.amp/qrs", false}} {
			if (a[c.name] > n[c.name]) != c.afMore || math.IsNaN(a[c.name]) || math.IsNaN(n[c.name]) {
				t.Errorf("%g Hz: %s AF %.3f, sinus %.3f (want AF %s)", fs, c.name, a[c.name], n[c.name], map[bool]string{true: "higher", false: "lower"}[c.afMore])
			}
		}
		if n["p.corr.median"] < 0.8 {
			t.Errorf("%g Hz: sinus P-wave correlation %.3f, want >= 0.8", fs, n["p.corr.median"])
		}
	}
}

// The same signal at 360 Hz and resampled to 250 Hz gives nearly the same
// rhythm features: within 20 % (0.1 for values under 0.5; beat times move
// by up to a sample, 4 ms at 250 Hz, which shifts a few entropy matches
// and Lorenz cells).
func TestRhythmFeaturesRateIndependent(t *testing.T) {
	for _, rh := range []string{synth.Normal, synth.AFib} {
		x := synthMV(t, rh, 360, 80, 5)
		y, err := signal.Resample(x, 360, 250)
		if err != nil {
			t.Fatal(err)
		}
		a, b := rhythmVector(t, x, 360), rhythmVector(t, y, 250)
		for _, name := range rhythmFeatureNames {
			tol := 0.2 * math.Max(math.Abs(a[name]), 0.5)
			if strings.HasPrefix(name, "pace.") {
				tol = 0.1 // curvature over 4 ms: 1 sample at 250 Hz, 1.44 at 360 Hz
			}
			if math.Abs(a[name]-b[name]) > tol {
				t.Errorf("%s %s: %.4f at 360 Hz, %.4f at 250 Hz", rh, name, a[name], b[name])
			}
		}
	}
}

// A pacemaker spike (1 ms, 3 mV) 80 ms before every QRS shows in the
// pacing features, at any rate.
func TestRhythmFeaturesPacing(t *testing.T) {
	for _, fs := range []float64{250, 360} {
		rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: fs, HR: 70, Duration: 30, Seed: 9, Noise: 0.02})
		if err != nil {
			t.Fatal(err)
		}
		plain := rhythmVector(t, rec.MV, fs)
		paced := slices.Clone(rec.MV)
		for _, b := range rec.Beats {
			i := int(b.Sample) - int(math.Round(0.08*fs))
			if i >= 0 && i < len(paced) {
				paced[i] += 3
			}
		}
		p := rhythmVector(t, paced, fs)
		if !(p["pace.spiky"] >= 0.8 && plain["pace.spiky"] <= 0.2) || !(p["pace.spike/qrs"] > 2*plain["pace.spike/qrs"]) {
			t.Errorf("%g Hz: spiky %.2f vs %.2f, spike/qrs %.3f vs %.3f", fs, p["pace.spiky"], plain["pace.spiky"], p["pace.spike/qrs"], plain["pace.spike/qrs"])
		}
	}
}

// Few or no beats: every feature is finite or NaN, never Inf, and
// nothing panics.
func TestRhythmFeaturesFewBeats(t *testing.T) {
	fs := 300.0
	flat := make([]float64, int(3*fs))
	v := rhythmVector(t, flat, fs)
	for _, n := range rhythmFeatureNames {
		if math.IsInf(v[n], 0) {
			t.Errorf("flat: %s is %v", n, v[n])
		}
	}
	if !math.IsNaN(v["rr.sampen"]) || !math.IsNaN(v["p.corr.median"]) {
		t.Errorf("flat: sampen %v, p.corr %v; want NaN", v["rr.sampen"], v["p.corr.median"])
	}
	x := synthMV(t, synth.Normal, fs, 60, 1)[:int(4*fs)]
	v = rhythmVector(t, x, fs)
	for _, n := range rhythmFeatureNames {
		if math.IsInf(v[n], 0) {
			t.Errorf("4 s: %s is %v", n, v[n])
		}
	}
}

// Models trained before feature sets existed (no feature_set in their
// header) keep predicting with the 56 set-1 features; a set this build
// does not know is refused with a clear error.
func TestSignalFeatureSets(t *testing.T) {
	old := SignalFeatures{QRSHalfWidth: 0.1, Bands: []float64{0.5, 3, 6, 10, 15, 25, 40}, Window: "hann", SegmentSeconds: 0.7, Overlap: 0.5}
	if n := len(old.Names()); n != 56 {
		t.Fatalf("set 1 has %d features, want 56", n)
	}
	if d := DefaultSignalFeatures(); d.FeatureSet != 5 || len(d.Names()) != 68 {
		t.Fatalf("default set %d with %d features", d.FeatureSet, len(d.Names()))
	}
	cur := DefaultSignalFeatures()
	cur.FeatureSet = 3
	set2 := cur
	set2.FeatureSet = 2
	if n := len(set2.Names()); n != 56+len(rhythmFeatureNames) {
		t.Fatalf("set 2 has %d features", n)
	}
	x := synthMV(t, synth.Normal, 360, 70, 2)[:3600]
	// Set 3 is set 2 without the template, spectrogram and amplitude
	// features: the same values under the same names.
	v2, err := SignalSpec(set2).SignalVector(x, 360)
	if err != nil {
		t.Fatal(err)
	}
	v3, err := SignalSpec(cur).SignalVector(x, 360)
	if err != nil || len(v3) != len(cur.Names()) || len(v2) != len(set2.Names()) {
		t.Fatalf("set 3: %d values for %d names (%v); set 2: %d for %d", len(v3), len(cur.Names()), err, len(v2), len(set2.Names()))
	}
	idx2 := map[string]int{}
	for i, n := range set2.Names() {
		idx2[n] = i
	}
	for i, n := range cur.Names() {
		j, ok := idx2[n]
		if !ok || strings.HasPrefix(n, "spec.") || strings.HasPrefix(n, "signal.") || strings.HasPrefix(n, "qrs.template") {
			t.Fatalf("set 3 feature %q not a kept set-2 feature", n)
		}
		if a, b := v3[i], v2[j]; a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Errorf("%s: set 3 %v, set 2 %v", n, a, b)
		}
	}
	// Set 4 is set 3 with the interval features from clean beats only:
	// on a clean synthetic signal (no Noisy beat) the same values.
	set4 := DefaultSignalFeatures()
	set4.FeatureSet = 4
	v4, err := SignalSpec(set4).SignalVector(x, 360)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range set4.Names() {
		if a, b := v4[i], v3[i]; a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Errorf("%s: set 4 %v, set 3 %v on a clean signal", n, a, b)
		}
	}
	for _, sf := range []SignalFeatures{old, set2, cur, set4} {
		spec := SignalSpec(sf)
		v, err := spec.SignalVector(x, 360)
		if err != nil {
			t.Fatal(err)
		}
		X := [][]float64{v, v}
		m, err := Train([]string{"a", "b"}, spec, X, []int{0, 1}, TrainOptions{Forest: ForestOptions{Trees: 2, Seed: 1, Jobs: 1}})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		hasSet := bytes.Contains(buf.Bytes(), []byte(`"feature_set"`))
		if hasSet != (sf.FeatureSet != 0) {
			t.Errorf("set %d: feature_set in header %v", sf.FeatureSet, hasSet)
		}
		m2, err := LoadModel(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m2.PredictSignal(x, 360); err != nil {
			t.Errorf("set %d: %v", sf.FeatureSet, err)
		}
	}
	future := cur
	future.FeatureSet = LatestSignalFeatureSet + 1
	err = future.check()
	if err == nil || !strings.Contains(err.Error(), "unknown to this build") {
		t.Errorf("set %d: %v", future.FeatureSet, err)
	}
	// The settings round-trip through JSON with their set.
	b, _ := json.Marshal(cur)
	var back SignalFeatures
	if err := json.Unmarshal(b, &back); err != nil || back.FeatureSet != 3 {
		t.Errorf("JSON round trip: %s -> %+v, %v", b, back, err)
	}
}

// TestRRFeaturesCleanIntervals: with clean flags (set 4), an interval that
// touches a noisy beat counts nowhere, and neither do the pairs and
// triples of intervals across it. A regular rhythm with false beats
// inserted between true ones (flagged noisy) gives the features of the
// regular rhythm; counted as beats they make it look irregular.
func TestRRFeaturesCleanIntervals(t *testing.T) {
	const fs = 360.0
	var at []int64
	var clean []bool
	var regular []int64
	for i := range 60 {
		s := int64(i) * 288 // 75 bpm
		regular = append(regular, s)
		at = append(at, s)
		clean = append(clean, true)
		if i%7 == 3 {
			// a noise peak taken for a beat, and the next true beat
			// found in the noise too
			at = append(at, s+100)
			clean = append(clean, false)
		}
	}
	dur := 60 * 288 / fs
	want := rrFeatures(nil, regular, nil, fs, dur)
	got := rrFeatures(nil, at, clean, fs, dur)
	all := rrFeatures(nil, at, nil, fs, dur)
	for i, n := range rrFeatureNames {
		if n == "beats.per.s" {
			continue // all beats found, as before
		}
		if math.Abs(got[i]-want[i]) > 1e-12 && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Errorf("%s: %v with the noisy intervals left out, %v for the regular rhythm", n, got[i], want[i])
		}
	}
	cv := slices.Index(rrFeatureNames, "rr.cv")
	if !(all[cv] > 0.2) || !(want[cv] < 1e-9) {
		t.Errorf("rr.cv: %v counting every beat, %v regular: the test does not exercise the flags", all[cv], want[cv])
	}
	// Every interval touching a noisy beat: no interval left.
	for i := range clean {
		clean[i] = i%2 == 0
	}
	none := rrFeatures(nil, at, clean, fs, dur)
	if !math.IsNaN(none[1]) {
		t.Errorf("hr.mean %v without any clean interval, want NaN", none[1])
	}
}
