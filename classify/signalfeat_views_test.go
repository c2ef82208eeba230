package classify

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

func cropSpec(crops int, share float64) FeatureSpec {
	o := DefaultSignalFeatures()
	o.Crops, o.CropShare = crops, share
	return SignalSpec(o)
}

// The vector with crops is the whole signal's vector, then each crop's
// (computed on its own, evenly spread from the start to the end); a
// record too short for MinCropSeconds crops repeats the whole signal's.
func TestCropViews(t *testing.T) {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 250, Duration: 30, Seed: 3, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	x := rec.MV
	one := SignalSpec(DefaultSignalFeatures())
	whole, err := one.SignalVector(x, rec.Fs)
	if err != nil {
		t.Fatal(err)
	}
	spec := cropSpec(2, 0.75)
	v, err := spec.SignalVector(x, rec.Fs)
	if err != nil {
		t.Fatal(err)
	}
	d := len(whole)
	if len(v) != 3*d || spec.VectorLen() != 3*d || len(spec.Names()) != d {
		t.Fatalf("%d values, VectorLen %d, %d names; want %d views of %d", len(v), spec.VectorLen(), len(spec.Names()), 3, d)
	}
	l := int(0.75 * float64(len(x)))
	first, _ := one.SignalVector(x[:l], rec.Fs)
	last, _ := one.SignalVector(x[len(x)-l:], rec.Fs)
	for i, want := range [][]float64{whole, first, last} {
		if !slices.EqualFunc(v[i*d:(i+1)*d], want, sameFloat) {
			t.Errorf("view %d differs from its window's own features", i)
		}
	}
	if slices.EqualFunc(first, last, sameFloat) {
		t.Error("the two crops have the same features")
	}
	short := x[:int(6*rec.Fs)] // 0.75 of 6 s is under 5 s
	v, err = spec.SignalVector(short, rec.Fs)
	w, _ := one.SignalVector(short, rec.Fs)
	if err != nil || !slices.EqualFunc(v, slices.Concat(w, w, w), sameFloat) {
		t.Errorf("6 s record: %v; want the whole signal's view three times", err)
	}
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestCropSettingsChecked(t *testing.T) {
	for _, o := range [][2]float64{{-1, 0}, {MaxCrops + 1, 0.5}, {2, 0.2}, {2, 0.96}, {0, 0.5}, {2, 0}} {
		if err := cropSpec(int(o[0]), o[1]).check(); err == nil {
			t.Errorf("crops %v share %v accepted", o[0], o[1])
		}
	}
	if err := cropSpec(MaxCrops, 0.3).check(); err != nil {
		t.Error(err)
	}
}

// cropRows returns crop vectors of synthetic 20 s records of two rhythms.
func cropRows(t testing.TB, spec FeatureSpec) ([][]float64, []int) {
	t.Helper()
	var X [][]float64
	var y []int
	for k, rh := range []string{synth.Normal, synth.AFib} {
		for seed := int64(1); seed <= 6; seed++ {
			rec, err := synth.Generate(synth.Options{Rhythm: rh, Fs: 250, Duration: 20, Seed: seed, Noise: 0.02})
			if err != nil {
				t.Fatal(err)
			}
			v, err := spec.SignalVector(rec.MV, rec.Fs)
			if err != nil {
				t.Fatal(err)
			}
			X, y = append(X, v), append(y, k)
		}
	}
	return X, y
}

// A model with crops trains on every view as a row (twice the rows of
// its records with one crop) and scores a vector by the normalised
// geometric mean of its views' probabilities; it is saved as version 10,
// loads and scores the same, and the crops in another version (or
// version 10 without them) are refused. Crops with the fusion are
// refused (the forest takes them: forest_groups_test.go).
func TestCropModel(t *testing.T) {
	spec := cropSpec(1, 0.6)
	X, y := cropRows(t, spec)
	labels := []string{"N", "AF"}
	m, err := Train(labels, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 10, Seed: 1, Jobs: 1}})
	if err != nil {
		t.Fatal(err)
	}
	d := len(spec.Names())
	if len(m.Info.FeatureNames) != d || m.gbdt.NumFeatures != d {
		t.Fatalf("%d names, gbdt of %d features; want %d", len(m.Info.FeatureNames), m.gbdt.NumFeatures, d)
	}
	for i, x := range X {
		a, b := m.gbdt.PredictProba(nil, x[:d]), m.gbdt.PredictProba(nil, x[d:])
		var want [2]float64
		for c := range want {
			want[c] = math.Sqrt(a[c] * b[c])
		}
		s := want[0] + want[1]
		got := m.Scores(nil, x)
		for c := range want {
			if math.Abs(got[c]-want[c]/s) > 1e-12 {
				t.Fatalf("row %d: scores %v, want the geometric mean %v of %v and %v", i, got, want, a, b)
			}
		}
	}
	if _, err := m.Predict(X[0][:d]); err == nil {
		t.Error("a vector of one view predicted")
	}
	b, back := reloadCrops(t, m)
	if p, q := back.Scores(nil, X[3]), m.Scores(nil, X[3]); !slices.Equal(p, q) || back.Info.Features.Signal.Crops != 1 {
		t.Errorf("reloaded: %v, want %v", p, q)
	}
	older := bytes.Clone(b)
	older[len(modelMagic)] = modelVersionKinds
	if _, err := LoadModel(bytes.NewReader(withCRC(older))); !errors.Is(err, ErrModelFormat) {
		t.Errorf("crops in version %d: %v", modelVersionKinds, err)
	}
	plain, err := Train(labels, SignalSpec(DefaultSignalFeatures()), viewRows(X, d), y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 3, Seed: 1, Jobs: 1}})
	if err != nil {
		t.Fatal(err)
	}
	pb := saved(t, plain)
	if pb[len(modelMagic)] != modelVersionKinds {
		t.Errorf("no crops: version %d, want %d", pb[len(modelMagic)], modelVersionKinds)
	}
	pb[len(modelMagic)] = modelVersionCrops
	if _, err := LoadModel(bytes.NewReader(withCRC(pb))); !errors.Is(err, ErrModelFormat) {
		t.Errorf("version %d without crops: %v", modelVersionCrops, err)
	}
	if _, err := Train(labels, spec, X, y, TrainOptions{Learner: LearnerGBDTSignet}); err == nil {
		t.Errorf("crops trained with %q", LearnerGBDTSignet)
	}
}

// viewRows returns the first view of every vector of X (d features).
func viewRows(X [][]float64, d int) [][]float64 {
	out := make([][]float64, len(X))
	for i, x := range X {
		out[i] = x[:d]
	}
	return out
}

// cropModelFile returns a small gbdt model file with one crop (a fuzz
// seed of version 10).
func cropModelFile(tb testing.TB) []byte {
	spec := cropSpec(1, 0.6)
	X, y := cropRows(tb, spec)
	m, err := Train([]string{"N", "AF"}, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 2, MaxDepth: 2, Seed: 1, Jobs: 1}})
	if err != nil {
		tb.Fatal(err)
	}
	return saved(tb, m)
}
