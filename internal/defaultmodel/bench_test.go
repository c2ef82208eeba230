package defaultmodel

import (
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// BenchmarkPredict30s scores a 30 s single-lead recording at 300 Hz (what
// a handheld device records) with the embedded model: features (beat
// detection included) and the model. Issue 20 asks for at most 5 ms.
func BenchmarkPredict30s(b *testing.B) {
	m, err := Load(Name)
	if err != nil {
		b.Fatal(err)
	}
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 300, Duration: 30, Seed: 7, Noise: 0.02})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.PredictSignal(rec.MV, 300); err != nil {
			b.Fatal(err)
		}
	}
}
