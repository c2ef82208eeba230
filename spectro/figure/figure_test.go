package figure

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"os"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/spectro"
)

// synthECG returns n samples at fs of spiky beats every 0.8 s on a slow
// wave, and the beat samples.
func synthECG(n int, fs float64) ([]float64, []int64) {
	x := make([]float64, n)
	var beats []int64
	period := int(0.8 * fs)
	for i := range x {
		t := float64(i) / fs
		x[i] = 0.1 * math.Sin(2*math.Pi*0.3*t)
		d := float64(i%period) - 0.3*fs
		x[i] += 1.2 * math.Exp(-d*d/(2*4*4))
		if i%period == int(0.3*fs) {
			beats = append(beats, int64(i))
		}
	}
	return x, beats
}

func TestDraw(t *testing.T) {
	const fs = 360.0
	x, beats := synthECG(int(20*fs), fs)
	s, err := spectro.Compute(x, fs, spectro.DefaultParams(fs))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err = Draw(&buf, s, Options{Title: "Record synth, MLII, 1:00-1:20", Signal: x, SignalName: "MLII",
		Start: 60, Beats: beats, Colormap: spectro.Viridis, Width: 900, Height: 600})
	if err != nil {
		t.Fatal(err)
	}
	if out := os.Getenv("FIGURE_OUT"); out != "" {
		_ = os.WriteFile(out, buf.Bytes(), 0o644)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 900 || b.Dy() != 600 {
		t.Fatalf("size %v, want 900x600", b)
	}
	// The figure holds beat markers (red), heat map colours (viridis
	// yellow-green and purple) and a white background.
	var red, white, viridis int
	pal := spectro.Viridis.Palette()
	for y := 0; y < 600; y++ {
		for x := 0; x < 900; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			switch {
			case c == color.RGBA{255, 255, 255, 255}:
				white++
			case c.R > 0xc0 && c.G < 0x50 && c.B < 0x50:
				red++
			case near(pal[pal.Index(c)], c):
				viridis++
			}
		}
	}
	if red < 25*10 || white < 900*600/10 || viridis < 900*600/5 {
		t.Fatalf("red %d, white %d, viridis %d pixels: figure does not look drawn", red, white, viridis)
	}
}

// near reports whether two colours differ by at most 6 levels per channel.
func near(a color.Color, b color.RGBA) bool {
	c := color.RGBAModel.Convert(a).(color.RGBA)
	d := func(x, y uint8) bool { return x-y <= 6 || y-x <= 6 }
	return d(c.R, b.R) && d(c.G, b.G) && d(c.B, b.B)
}

func TestDrawErrors(t *testing.T) {
	if err := Draw(&bytes.Buffer{}, &spectro.Spectrogram{}, Options{}); err == nil {
		t.Error("empty spectrogram: no error")
	}
	s, _ := spectro.Compute(make([]float64, 1000), 360, spectro.DefaultParams(360))
	if err := Draw(&bytes.Buffer{}, s, Options{}); err == nil {
		t.Error("no signal: no error")
	}
}

func TestClock(t *testing.T) {
	for _, tc := range []struct {
		s    float64
		want string
	}{{0, "0:00"}, {59.5, "0:59.500"}, {1800, "30:00"}, {3725, "1:02:05"}, {-61, "-1:01"}} {
		if got := Clock(tc.s); got != tc.want {
			t.Errorf("Clock(%g) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

// Window draws an archive window's figure: the same PNG as Draw with the
// beats detected over the lead-in, the title naming record, signal, span
// and label, in viridis for a grayscale renderer.
func TestWindowFigure(t *testing.T) {
	const fs = 360.0
	x, _ := synthECG(int(25*fs), fs)
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lead := int64(5 * fs)
	win := &datasets.Window{Record: "synth", Signal: "MLII", Units: "mV", Fs: fs,
		Span: datasets.Span{Start: 60*360 + lead, End: 60*360 + lead + 20*360}, X: x[lead:],
		Context: x, ContextStart: 60 * 360, Row: &datasets.ManifestRow{Label: "N"}}
	var got bytes.Buffer
	if err := Output(r).Write(&got, win); err != nil {
		t.Fatal(err)
	}
	var marks []int64
	for _, b := range beats.Detect(x, fs) {
		if s := b.Sample - lead; s >= 0 && s < int64(len(x))-lead {
			marks = append(marks, s)
		}
	}
	if len(marks) < 20 {
		t.Fatalf("%d beats detected", len(marks))
	}
	s, err := spectro.Compute(x[lead:], fs, r.Params(fs))
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	if err := Draw(&want, s, Options{Title: "Record synth, MLII, 1:05-1:25, label N", Signal: x[lead:], SignalName: "MLII",
		SignalUnits: "mV", Start: 65, Beats: marks, Colormap: spectro.Viridis}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatal("Window's figure differs from Draw's with the same options")
	}
	img, err := png.Decode(&got)
	if err != nil || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 760 {
		t.Fatalf("figure %v %v", img.Bounds(), err)
	}
}
