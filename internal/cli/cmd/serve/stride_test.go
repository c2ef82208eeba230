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
	x := make([]float64, len(spec.Names()))
	m, err := classify.Train([]string{"AF", "N"}, spec, [][]float64{x, x}, []int{0, 1}, classify.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The settings of an archive of ecg spectro --stride 30s.
	params := `{"label": "rhythm", "stride_s": 30, "image": {"colormap": "gray", "db_max": -10, "db_min": -80, "height": 224, "width": 224},
	  "stft_at_360hz": {"detrend": "constant", "fmax": 40, "fmin": 0.5, "mode": "psd", "nfft": 256, "noverlap": 128, "nperseg": 256, "scaling": "density", "window": "hann"}}`
	if m.Info.Features.Spectrogram, err = classify.ReadArchiveSpectrogram(strings.NewReader(params)); err != nil {
		t.Fatal(err)
	}
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
	const want = "ecg serve: warning: the model reads 30 s images (its archive's ecg spectro --stride); each --window 60s is scored as the mean of 2 of them, evenly spaced over it\n"
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
