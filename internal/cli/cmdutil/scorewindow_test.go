package cmdutil

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/stream"
)

// strideModel writes an image forest whose settings record stride
// seconds (0: none) and returns its path.
func strideModel(t *testing.T, stride float64) string {
	t.Helper()
	spec := classify.ImageSpec(classify.DefaultImageFeatures(), nil)
	n := len(spec.Names())
	m, err := classify.Train([]string{"AF", "N"}, spec, [][]float64{make([]float64, n), make([]float64, n)}, []int{0, 1},
		classify.TrainOptions{Forest: classify.ForestOptions{Trees: 1, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if stride > 0 {
		m.Info.Features.Spectrogram = &classify.SpectrogramSettings{
			STFT:    classify.SpectrogramSTFT{Window: "hann", NPerSeg: 256, NOverlap: 128, NFFT: 256, Detrend: "constant", Scaling: "density", Mode: "psd", FMin: 0, FMax: 50},
			Image:   classify.SpectrogramImage{Width: 224, Height: 224, Colormap: "gray", DBMin: -80, DBMax: -10},
			StrideS: stride}
	}
	path := filepath.Join(t.TempDir(), "m.ecgm")
	saveModelFile(t, m, path)
	return path
}

// TestScoreWindowFromModel: ecg stream and ecg serve take the window of
// an image model that records its archive's stride when --window is not
// given (and the hop too when --hop is not given and longer); a given
// window of another length is kept with one warning naming both; a
// model without a stride, a signal model or --model none leave the
// flags' window (60 s by default) and say nothing.
func TestScoreWindowFromModel(t *testing.T) {
	m30, m5, m0 := strideModel(t, 30), strideModel(t, 5), strideModel(t, 0)
	for _, c := range []struct {
		name     string
		args     []string
		win, hop float64
		warn     string // substring of the warning; "": none
	}{
		{"stride, no --window", []string{"--model", m30}, 30, 10, ""},
		{"short stride, no --window", []string{"--model", m5}, 5, 5, ""},
		{"short stride, --hop", []string{"--model", m5, "--hop", "2s"}, 5, 2, ""},
		{"--window longer", []string{"--model", m30, "--window", "60s"}, 60, 10,
			"ecg stream: warning: the model reads 30 s images (its archive's ecg spectro --stride); each --window 60s is scored as the mean of 2 of them, evenly spaced over it\n"},
		{"--window a little longer", []string{"--model", m30, "--window", "30.2s"}, 30.2, 10, "--window 30.2s squeezes 30.2 s into them"},
		{"--window 2.5 strides", []string{"--model", m30, "--window", "75s"}, 75, 10, "each --window 75s is scored as the mean of 3 of them"},
		{"--window shorter", []string{"--model", m30, "--window", "10s"}, 10, 10, "--window 10s stretches 10 s across them"},
		{"--window equal", []string{"--model", m30, "--window", "0.5m"}, 30, 10, ""},
		{"no stride", []string{"--model", m0}, 60, 10, ""},
		{"no stride, --window", []string{"--model", m0, "--window", "20s"}, 20, 10, ""},
		{"none", []string{"--model", "none"}, 60, 10, ""},
	} {
		var o ScoreFlags
		cmd := &cobra.Command{Use: "stream", RunE: func(*cobra.Command, []string) error { return nil }}
		AddScoreFlags(cmd, &o)
		cmd.SetArgs(c.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		cfg, err := o.Config()
		if err != nil {
			t.Fatal(err)
		}
		var warn bytes.Buffer
		if err := o.LoadModel(&cfg, "stream", &warn); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if cfg.Window != c.win || cfg.Hop != c.hop {
			t.Errorf("%s: window %g s, hop %g s; want %g, %g", c.name, cfg.Window, cfg.Hop, c.win, c.hop)
		}
		switch got := warn.String(); {
		case c.warn == "" && got != "":
			t.Errorf("%s: warned %q", c.name, got)
		case c.warn != "" && (!strings.Contains(got, c.warn) || strings.Count(got, "\n") != 1):
			t.Errorf("%s: warned %q, want one line with %q", c.name, got, c.warn)
		}
		cfg.Emit = func(stream.Event) {}
		if _, err := stream.New(stream.InputOptions{}, cfg); err != nil {
			t.Errorf("%s: the stream refuses the window: %v", c.name, err)
		}
	}
}
