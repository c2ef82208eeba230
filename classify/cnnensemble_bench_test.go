package classify_test

import (
	"fmt"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/classify"
)

// BenchmarkTemporalEnsemblePredictPNG predicts a 512x32 grey PNG (the size
// of the beat-resolving CinC spectrograms of docs/rhythm.md) with the
// temporal network at 16x512 (--cnn-arch temporal --image-size 16x512),
// alone and as seed ensembles of 3 and 5 (--cnn-ensemble), and alone with
// group normalisation (--cnn-norm group: networks=1,norm=group): PNG
// decoding, box-averaging to 16x512 and the networks, ecg predict's work
// per image.
func BenchmarkTemporalEnsemblePredictPNG(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	img := image.NewGray(image.Rect(0, 0, 512, 32))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	path := filepath.Join(b.TempDir(), "a.png")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		b.Fatal(err)
	}
	f.Close()
	spec := classify.ImageSpec(classify.ImageFeatures{Rows: 16, Cols: 512, Pixels: true}, nil)
	X, y := make([][]float64, 8), make([]int, 8)
	for i := range X {
		X[i] = make([]float64, 16*512)
		for j := range X[i] {
			X[i][j] = float64(img.GrayAt(j%512, j/512).Y) / 255
		}
		y[i] = i % 4
	}
	for _, c := range []struct {
		n    int
		norm string
	}{{1, ""}, {3, ""}, {5, ""}, {1, classify.CNNNormGroup}} {
		m, err := classify.Train([]string{"AF", "N", "Noisy", "Other"}, spec, X, y, classify.TrainOptions{Learner: classify.LearnerCNN,
			CNN: classify.CNNOptions{Arch: classify.CNNArchTemporal, Epochs: 1, Seed: 1, Ensemble: c.n, Norm: c.norm}})
		if err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("networks=%d", c.n)
		if c.norm != "" {
			name += ",norm=" + c.norm
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.PredictFile(path, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
