package classify

import (
	"fmt"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// BenchmarkSignalFeatures computes the features of a 30 s record at 300
// Hz (the length and rate of the CinC 2017 recordings) with sets 4 to 7:
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
		for _, set := range []int{4, 5, 6, 7} {
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
// set-5 gbdt model of ecg train's defaults (until session 24: a forest of
// 100 trees): features, then the trees (issue 20 asks for at most 5 ms),
// on the whole record only and with ecg train's crops.
func BenchmarkPredictSignal30s(b *testing.B) {
	for _, crops := range []int{0, DefaultCrops} {
		b.Run(fmt.Sprintf("crops=%d", crops), func(b *testing.B) { benchPredictSignal30s(b, crops, false, 5) })
	}
	b.Run(fmt.Sprintf("crops=%d/mains", DefaultCrops), func(b *testing.B) { benchPredictSignal30s(b, DefaultCrops, true, 5) })
	// ecg train's defaults for records: set 7 (TrainSignalFeatureSet).
	b.Run(fmt.Sprintf("crops=%d/mains/set%d", DefaultCrops, TrainSignalFeatureSet), func(b *testing.B) {
		benchPredictSignal30s(b, DefaultCrops, true, TrainSignalFeatureSet)
	})
}

// benchPredictSignal30s is BenchmarkPredictSignal30s with crops crop
// views (ecg train's default share), mains removal or not (ecg train's
// default since session 25; the records have no mains line, so this is the
// cost of looking for one) and feature set set.
func benchPredictSignal30s(b *testing.B, crops int, mains bool, set int) {
	o := DefaultSignalFeatures()
	o.FeatureSet = set
	o.MainsNotch = mains
	if crops > 0 {
		o.Crops, o.CropShare = crops, DefaultCropShare
	}
	spec := SignalSpec(o)
	rhythms := []string{synth.Normal, synth.AFib, synth.PVC}
	var X [][]float64
	var y []int
	var target []float64
	for k, rh := range rhythms {
		for seed := int64(1); seed <= 7; seed++ {
			rec, err := synth.Generate(synth.Options{Rhythm: rh, Fs: 300, Duration: 30, Seed: seed, Noise: 0.02})
			if err != nil {
				b.Fatal(err)
			}
			if seed == 7 { // not trained on
				target = rec.MV
				continue
			}
			v, err := spec.SignalVector(rec.MV, rec.Fs)
			if err != nil {
				b.Fatal(err)
			}
			X, y = append(X, v), append(y, k)
		}
	}
	m, err := Train(rhythms, spec, X, y, TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Seed: 1}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := m.PredictSignal(target, 300); err != nil {
			b.Fatal(err)
		}
	}
}
