package classify

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// BenchmarkPredict decodes a 256 x 128 spectrogram-sized PNG and
// classifies it with a 100-tree forest (the default).
func BenchmarkPredict(b *testing.B) {
	spec := ImageSpec(DefaultImageFeatures(), nil)
	var X [][]float64
	var y []int
	for i := 0; i < 300; i++ {
		x, err := spec.ImageVector(testImage(i%3, uint64(i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		X, y = append(X, x), append(y, i%3)
	}
	m, err := Train([]string{"a", "b", "c"}, spec, X, y, TrainOptions{Forest: ForestOptions{Trees: 100, Seed: 1}})
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	img := testImage(2, 5)
	if err := png.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.PredictImage(img, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredictSignal classifies a 10 s window at 360 Hz, as the
// stream scorer does for every window.
func BenchmarkPredictSignal(b *testing.B) {
	rhythms := []string{synth.Normal, synth.AFib}
	sig, fs, y, _ := synthSegments(b, rhythms, 4, 2, 10, 1)
	spec := SignalSpec(DefaultSignalFeatures())
	var X [][]float64
	for i := range sig {
		v, err := spec.SignalVector(sig[i], fs[i])
		if err != nil {
			b.Fatal(err)
		}
		X = append(X, v)
	}
	m, err := Train(rhythms, spec, X, y, TrainOptions{Forest: ForestOptions{Trees: 100, Seed: 1}})
	if err != nil {
		b.Fatal(err)
	}
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 360, Duration: 10, Seed: 99})
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

// BenchmarkTrain grows 100 trees on 10,000 rows of 250 features.
func BenchmarkTrain(b *testing.B) {
	X, y := blobs(10000, 250, 5, 1, 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := TrainForest(X, y, 5, ForestOptions{Trees: 100, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
