package classify_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/spectro"
)

// benchCNN trains the default network of the cnn learner (its
// architecture and input, 32x128 pixels; one epoch on a few random
// images: the cost of a prediction does not depend on the weights).
func benchCNN(b *testing.B) *classify.Model {
	b.Helper()
	spec := classify.ImageSpec(classify.CNNImageFeatures(), nil)
	n := len(spec.Names())
	rng := rand.New(rand.NewPCG(1, 2))
	var X [][]float64
	var y []int
	for i := 0; i < 8; i++ {
		x := make([]float64, n)
		for j := range x {
			x[j] = rng.Float64()
		}
		X, y = append(X, x), append(y, i%4)
	}
	m, err := classify.Train([]string{"AF", "N", "Noisy", "Other"}, spec, X, y,
		classify.TrainOptions{Learner: classify.LearnerCNN, CNN: classify.CNNOptions{Epochs: 1, Seed: 1}})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkCNNPredictPNG predicts a 224x224 spectrogram PNG of a 30 s
// recording at 300 Hz (as ecg spectro --stride record writes it) with
// the cnn learner's network: PNG decoding, resampling to 32x128 and the
// network (ecg predict's work per image; issue 25 asks for at most 5 ms).
func BenchmarkCNNPredictPNG(b *testing.B) {
	m := benchCNN(b)
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 300, Duration: 30, Seed: 7, Noise: 0.02})
	if err != nil {
		b.Fatal(err)
	}
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var png bytes.Buffer
	if err := r.WritePNG(&png, rec.MV, 300); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "a.png")
	if err := os.WriteFile(path, png.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := m.PredictFile(path, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImageScorer30s scores a 30 s window at 300 Hz live: its
// spectrogram rendered in memory, then the network (ecg stream's work per
// window with an image model).
func BenchmarkImageScorer30s(b *testing.B) {
	sc, err := classify.NewImageScorer(benchCNN(b), spectro.StrideOptions{})
	if err != nil {
		b.Fatal(err)
	}
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 300, Duration: 30, Seed: 7, Noise: 0.02})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := sc.PredictSignal(rec.MV, 300); err != nil {
			b.Fatal(err)
		}
	}
}
