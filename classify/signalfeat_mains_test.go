package classify

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// withHum returns x plus a mains line of amp mV at f Hz (fs Hz).
func withHum(x []float64, fs, f, amp float64) []float64 {
	y := slices.Clone(x)
	for i := range y {
		y[i] += amp * math.Sin(2*math.Pi*f*float64(i)/fs+0.3)
	}
	return y
}

// mainsSpec is the default signal spec with mains removal on or off.
func mainsSpec(on bool) FeatureSpec {
	o := DefaultSignalFeatures()
	o.MainsNotch = on
	return SignalSpec(o)
}

// The lines found: none on a synthetic ECG, its noise or a flat signal;
// 50 Hz at 250 and 300 Hz, 60 Hz and its harmonic at 360 and 500 Hz, 50 Hz
// (not 60) at 128 Hz, whose 0.45 fs is 57.6 Hz; a line of 0.05 mV stands
// out of 0.03 mV of white noise.
func TestMainsLines(t *testing.T) {
	for _, tc := range []struct {
		fs     float64
		hum    []float64 // Hz
		amp    float64
		want   []float64
		rhythm string
	}{
		{250, nil, 0, nil, synth.Normal},
		{300, nil, 0, nil, synth.AFib},
		{300, []float64{50}, 0.1, []float64{50}, synth.AFib},
		{250, []float64{50}, 0.05, []float64{50}, synth.Normal},
		{360, []float64{60, 120}, 0.1, []float64{60, 120}, synth.Normal},
		{500, []float64{60}, 0.05, []float64{60}, synth.PVC},
		{128, []float64{50, 60}, 0.1, []float64{50}, synth.Normal},
	} {
		rec, err := synth.Generate(synth.Options{Rhythm: tc.rhythm, Fs: tc.fs, Duration: 20, Seed: 2, Noise: 0.03})
		if err != nil {
			t.Fatal(err)
		}
		x := rec.MV
		for _, f := range tc.hum {
			x = withHum(x, tc.fs, f, tc.amp)
		}
		if got := mainsLines(x, tc.fs); !slices.Equal(got, tc.want) {
			t.Errorf("%s at %g Hz with %v Hz of %g mV: lines %v, want %v", tc.rhythm, tc.fs, tc.hum, tc.amp, got, tc.want)
		}
	}
	if got := mainsLines(make([]float64, 3000), 300); got != nil {
		t.Errorf("flat: %v", got)
	}
}

// With mains removal the features of a recording with 0.1 mV of hum are
// those of the clean recording (within a tenth of what the hum moves them
// without removal, the quality feature sqi.hf most), and a clean recording's
// vector is the same, bit for bit, with and without the setting.
func TestMainsNotchFeatures(t *testing.T) {
	for _, fs := range []float64{300, 360} {
		rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: fs, Duration: 30, Seed: 4, Noise: 0.02})
		if err != nil {
			t.Fatal(err)
		}
		hum := withHum(rec.MV, fs, 50, 0.1)
		off, on := mainsSpec(false), mainsSpec(true)
		clean, err := off.SignalVector(rec.MV, fs)
		if err != nil {
			t.Fatal(err)
		}
		cleanOn, _ := on.SignalVector(rec.MV, fs)
		if !slices.EqualFunc(clean, cleanOn, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
			t.Errorf("%g Hz: the clean vector changed with mains removal", fs)
		}
		raw, _ := off.SignalVector(hum, fs)
		fixed, _ := on.SignalVector(hum, fs)
		j := slices.Index(off.Names(), "sqi.hf")
		if j < 0 {
			t.Fatal("no sqi.hf feature")
		}
		moved, left := math.Abs(raw[j]-clean[j]), math.Abs(fixed[j]-clean[j])
		if !(moved > 0) || !(left < moved/10) {
			t.Errorf("%g Hz: sqi.hf clean %g, hum %g, hum removed %g", fs, clean[j], raw[j], fixed[j])
		}
	}
}

// A model whose features remove mains lines is saved as version 12, with
// crops or without, loads and scores the same; the setting in another
// version, or version 12 without it, is refused; it trains with the forest
// and gbdt, not with the fusion.
func TestMainsModelFile(t *testing.T) {
	labels := []string{"N", "AF"}
	for _, crops := range []int{0, 1} {
		o := DefaultSignalFeatures()
		o.MainsNotch = true
		if crops > 0 {
			o.Crops, o.CropShare = crops, 0.6
		}
		spec := SignalSpec(o)
		X, y := cropRows(t, spec)
		m, err := Train(labels, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 5, Seed: 1, Jobs: 1}})
		if err != nil {
			t.Fatal(err)
		}
		b := saved(t, m)
		if b[len(modelMagic)] != modelVersionMains {
			t.Fatalf("crops %d: version %d, want %d", crops, b[len(modelMagic)], modelVersionMains)
		}
		back, err := LoadModel(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if p, q := back.Scores(nil, X[2]), m.Scores(nil, X[2]); !slices.Equal(p, q) || !back.Info.Features.Signal.MainsNotch {
			t.Errorf("crops %d: reloaded %v, want %v", crops, p, q)
		}
		for _, v := range []uint32{modelVersionKinds, modelVersionCrops, modelVersionCrops + 1, modelVersionMains + 1} {
			other := bytes.Clone(b)
			other[len(modelMagic)] = byte(v)
			if _, err := LoadModel(bytes.NewReader(withCRC(other))); !errors.Is(err, ErrModelFormat) {
				t.Errorf("crops %d, mains removal in version %d: %v", crops, v, err)
			}
		}
		if _, err := Train(labels, spec, X, y, TrainOptions{Learner: LearnerGBDTSignet}); err == nil {
			t.Errorf("crops %d: mains removal trained with the fusion", crops)
		}
	}
	plain := saved(t, mustTrain(t, labels, SignalSpec(DefaultSignalFeatures())))
	plain[len(modelMagic)] = modelVersionMains
	if _, err := LoadModel(bytes.NewReader(withCRC(plain))); !errors.Is(err, ErrModelFormat) {
		t.Errorf("version %d without mains removal: %v", modelVersionMains, err)
	}
	forest := mainsSpec(true)
	X, y := cropRows(t, forest)
	m, err := Train(labels, forest, X, y, TrainOptions{Forest: ForestOptions{Trees: 3, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if b := saved(t, m); b[len(modelMagic)] != modelVersionMains {
		t.Errorf("forest: version %d, want %d", b[len(modelMagic)], modelVersionMains)
	}
}

// mustTrain trains a small gbdt on cropRows of spec.
func mustTrain(t *testing.T, labels []string, spec FeatureSpec) *Model {
	t.Helper()
	X, y := cropRows(t, spec)
	m, err := Train(labels, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 3, Seed: 1, Jobs: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// mainsModelFile returns a small gbdt model file whose features remove
// mains lines (a fuzz seed).
func mainsModelFile(tb testing.TB) []byte {
	spec := mainsSpec(true)
	X, y := cropRows(tb, spec)
	m, err := Train([]string{"N", "AF"}, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 2, MaxDepth: 2, Seed: 1, Jobs: 1}})
	if err != nil {
		tb.Fatal(err)
	}
	return saved(tb, m)
}

// BenchmarkMainsLines looks for mains lines in a clean 30 s record at
// 300 Hz: the cost mains removal adds to a record without hum.
func BenchmarkMainsLines(b *testing.B) {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: 300, Duration: 30, Seed: 1, Noise: 0.02})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if removeMains(rec.MV, rec.Fs) == nil {
			b.Fatal("nil")
		}
	}
}
