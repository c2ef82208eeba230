package serve

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
)

// TestServeWindowWarning: ecg serve with an image model that records its
// archive's 30 s stride warns once on stderr, also with --quiet, when
// --window gives another length, and says nothing when --window is left
// to the model.
func TestServeWindowWarning(t *testing.T) {
	spec := classify.ImageSpec(classify.DefaultImageFeatures(), nil)
	n := len(spec.Names())
	m, err := classify.Train([]string{"AF", "N"}, spec, [][]float64{make([]float64, n), make([]float64, n)}, []int{0, 1},
		classify.TrainOptions{Forest: classify.ForestOptions{Trees: 1, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	m.Info.Features.Spectrogram = &classify.SpectrogramSettings{
		STFT:    classify.SpectrogramSTFT{Window: "hann", NPerSeg: 256, NOverlap: 128, NFFT: 256, Detrend: "constant", Scaling: "density", Mode: "psd", FMin: 0, FMax: 50},
		Image:   classify.SpectrogramImage{Width: 224, Height: 224, Colormap: "gray", DBMin: -80, DBMax: -10},
		StrideS: 30}
	path := filepath.Join(t.TempDir(), "m.ecgm")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve stops as soon as it starts
	const want = "ecg serve: warning: the model reads 30 s images (its archive's ecg spectro --stride); --window 60s squeezes 60 s into them\n"
	for _, c := range []struct {
		args  []string
		quiet bool
		warn  bool
	}{
		{[]string{"--window", "60s"}, false, true},
		{[]string{"--window", "60s"}, true, true},
		{nil, false, false},
		{[]string{"--window", "30s"}, false, false},
	} {
		args := append([]string{"--listen", "127.0.0.1:0", "--events", filepath.Join(t.TempDir(), "ev"), "--model", path}, c.args...)
		_, errOut, err := runQuiet(t, ctx, c.quiet, args...)
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if got := strings.Count(errOut, want); got != map[bool]int{true: 1}[c.warn] {
			t.Errorf("%v: %d warnings in %q", c.args, got, errOut)
		}
		if !c.warn && strings.Contains(errOut, "warning") {
			t.Errorf("%v: %q", c.args, errOut)
		}
	}
}
