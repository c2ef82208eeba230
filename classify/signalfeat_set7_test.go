package classify

import (
	"bytes"
	"math"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// Set 7 is set 5 without the two pacing features: its names are set 5's
// less those, in order, and its vector set 5's values less theirs, bit
// for bit, whole and with crop views; a model of set 7 saves, loads and
// scores the same.
func TestSet7IsSet5WithoutPacing(t *testing.T) {
	o5, o7 := DefaultSignalFeatures(), DefaultSignalFeatures()
	o5.FeatureSet, o7.FeatureSet = 5, 7
	n5, n7 := o5.Names(), o7.Names()
	want := slices.DeleteFunc(slices.Clone(n5), func(n string) bool { return n == "pace.spike/qrs" || n == "pace.spiky" })
	if len(n5) != 68 || !slices.Equal(n7, want) || len(n7) != 66 {
		t.Fatalf("set 7 names (%d) are not set 5's (%d) without the pacing features", len(n7), len(n5))
	}
	rec, err := synth.Generate(synth.Options{Rhythm: synth.PVC, Fs: 360, Duration: 30, Seed: 5, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	for _, crops := range []int{0, 2} {
		o5.Crops, o7.Crops = crops, crops
		if crops > 0 {
			o5.CropShare, o7.CropShare = 0.75, 0.75
		}
		v5, err := SignalSpec(o5).SignalVector(rec.MV, rec.Fs)
		if err != nil {
			t.Fatal(err)
		}
		v7, err := SignalSpec(o7).SignalVector(rec.MV, rec.Fs)
		if err != nil {
			t.Fatal(err)
		}
		if len(v7) != len(n7)*(1+crops) {
			t.Fatalf("crops %d: %d values, want %d", crops, len(v7), len(n7)*(1+crops))
		}
		for view := 0; view <= crops; view++ {
			for j, name := range n7 {
				a, b := v5[view*len(n5)+slices.Index(n5, name)], v7[view*len(n7)+j]
				if a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
					t.Errorf("crops %d view %d: %s is %v in set 7, %v in set 5", crops, view, name, b, a)
				}
			}
		}
	}
	spec := SignalSpec(o7)
	X, y := cropRows(t, spec)
	m, err := Train([]string{"N", "AF"}, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Rounds: 4, Seed: 1, Jobs: 1}})
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadModel(bytes.NewReader(saved(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	if p, q := back.Scores(nil, X[1]), m.Scores(nil, X[1]); !slices.Equal(p, q) || back.Info.Features.Signal.FeatureSet != 7 {
		t.Errorf("reloaded set-7 model: %v, want %v", p, q)
	}
}

// Set 7 extends no set: a stack of gbdts over sets of a set-7 model takes
// set 7 only, and a set-6 model cannot take it.
func TestSet7Prefixes(t *testing.T) {
	o := DefaultSignalFeatures()
	o.FeatureSet = 7
	if n, err := SignalSpec(o).prefixFeatures(7); err != nil || n != 66 {
		t.Errorf("set 7 of set 7: %d (%v), want 66", n, err)
	}
	for _, s := range []int{4, 5, 6} {
		if _, err := SignalSpec(o).prefixFeatures(s); err == nil {
			t.Errorf("set %d taken as a prefix of set 7", s)
		}
	}
	o.FeatureSet = 6
	if _, err := SignalSpec(o).prefixFeatures(7); err == nil {
		t.Error("set 7 taken as a prefix of set 6")
	}
	if n, err := SignalSpec(o).prefixFeatures(5); err != nil || n != 68 {
		t.Errorf("set 5 of set 6: %d (%v), want 68", n, err)
	}
}
