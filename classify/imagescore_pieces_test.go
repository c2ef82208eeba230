package classify_test

import (
	"math"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
)

// TestImagePieces: a window at most 1 % longer than the stride (or a
// model without one) is one image; a longer one the stride's multiple
// that covers it.
func TestImagePieces(t *testing.T) {
	for _, c := range []struct {
		window, stride float64
		want           int
	}{
		{30, 30, 1}, {10, 30, 1}, {30.2, 30, 1}, {60, 0, 1}, {math.NaN(), 30, 1},
		{31, 30, 2}, {45, 30, 2}, {60, 30, 2}, {60.2, 30, 2}, {75, 30, 3}, {3600, 30, 120},
	} {
		if got := classify.ImagePieces(c.window, c.stride); got != c.want {
			t.Errorf("ImagePieces(%g, %g) = %d, want %d", c.window, c.stride, got, c.want)
		}
	}
}

// TestImageScorerPieces: a model of 10 s strides scores a 20 s window as
// the mean of its two halves' scores and a 25 s one as the mean of three
// 10 s pieces at 0, 7.5 and 15 s; a 10 s window is one image.
func TestImageScorerPieces(t *testing.T) {
	def, _ := defaultAndLong(t)
	ds, _, _ := rhythmArchiveWith(t, def, func(*datasets.ArchiveOptions) {})
	res, err := classify.TrainDataset(t.Context(), ds, classify.DatasetOptions{Learner: classify.LearnerForest, Forest: classify.ForestOptions{Trees: 5, Seed: 1}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	if m.StrideSeconds() != 10 {
		t.Fatalf("stride %g, want 10", m.StrideSeconds())
	}
	sc := modelScorer(t, m)
	const fs = 300
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: fs, Duration: 30, Seed: 5, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	x := rec.MV
	score := func(x []float64) []float64 {
		t.Helper()
		p, err := sc.PredictSignal(x, fs)
		if err != nil {
			t.Fatal(err)
		}
		s := make([]float64, len(p.Scores))
		for i, ls := range p.Scores {
			s[i] = ls.Score
		}
		return s
	}
	n := 10 * fs
	for _, c := range []struct {
		name   string
		window []float64
		starts []int
	}{
		{"20 s", x[:2*n], []int{0, n}},
		{"25 s", x[:5*n/2], []int{0, 3 * n / 4, 3 * n / 2}},
	} {
		want := make([]float64, len(m.Info.Labels))
		for _, at := range c.starts {
			for i, v := range score(x[at : at+n]) {
				want[i] += v / float64(len(c.starts))
			}
		}
		got := score(c.window)
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Errorf("%s: scores %v, want the mean of %d pieces %v", c.name, got, len(c.starts), want)
				break
			}
		}
	}
}
