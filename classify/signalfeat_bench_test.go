package classify

import (
	"fmt"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// BenchmarkSignalFeatures computes the features of a 30 s record at 300
// Hz (the length and rate of the CinC 2017 recordings) with sets 4 and 5:
// a synthetic one, and the shared set's A00001 (30 s, 300 Hz) when it is
// there.
func BenchmarkSignalFeatures(b *testing.B) {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: 300, Duration: 30, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	inputs := []struct {
		name string
		x    []float64
		fs   float64
	}{{"synth", rec.MV, rec.Fs}}
	if x, fs, err := ReadSignal("../../shared/data/cinc2017-train/records/A00001.hea"); err == nil {
		inputs = append(inputs, struct {
			name string
			x    []float64
			fs   float64
		}{"A00001", x, fs})
	}
	for _, in := range inputs {
		for _, set := range []int{4, 5} {
			o := DefaultSignalFeatures()
			o.FeatureSet = set
			spec := SignalSpec(o)
			b.Run(fmt.Sprintf("%s/set%d", in.name, set), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, err := spec.SignalVector(in.x, in.fs); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkPredictSignal30s predicts a 30 s record at 300 Hz with a
// set-5 model of 100 trees: features, then the forest (issue 20 asks for
// at most 5 ms).
func BenchmarkPredictSignal30s(b *testing.B) {
	rhythms := []string{synth.Normal, synth.AFib, synth.PVC}
	o := DefaultSignalFeatures()
	o.FeatureSet = 5
	spec := SignalSpec(o)
	var X [][]float64
	var y []int
	for k, rh := range rhythms {
		for seed := int64(1); seed <= 6; seed++ {
			rec, err := synth.Generate(synth.Options{Rhythm: rh, Fs: 300, Duration: 30, Seed: seed, Noise: 0.02})
			if err != nil {
				b.Fatal(err)
			}
			v, err := spec.SignalVector(rec.MV, rec.Fs)
			if err != nil {
				b.Fatal(err)
			}
			X, y = append(X, v), append(y, k)
		}
	}
	m, err := Train(rhythms, spec, X, y, TrainOptions{Forest: ForestOptions{Trees: 100, Seed: 1}})
	if err != nil {
		b.Fatal(err)
	}
	rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: 300, Duration: 30, Seed: 99, Noise: 0.05})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.PredictSignal(rec.MV, rec.Fs); err != nil {
			b.Fatal(err)
		}
	}
}
