package classify

import (
	"fmt"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// BenchmarkSignalFeatures computes the features of a 30 s record at 300
// Hz (the length and rate of the CinC 2017 recordings) with sets 4 and 5.
func BenchmarkSignalFeatures(b *testing.B) {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: 300, Duration: 30, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	for _, set := range []int{4, 5} {
		o := DefaultSignalFeatures()
		o.FeatureSet = set
		spec := SignalSpec(o)
		b.Run(fmt.Sprintf("set%d", set), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := spec.SignalVector(rec.MV, rec.Fs); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
