package figure

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"
)

var tuneTrials = []TuneTrial{
	{ID: 0, Objective: 0.80, Folds: []float64{0.79, 0.81}, Status: "ok", Values: []float64{60, 1}},
	{ID: 1, Objective: 0.70, Folds: []float64{0.70}, Status: "stopped", Values: []float64{300, 0}},
	{ID: 2, Objective: 0.85, Folds: []float64{0.84, 0.86}, Status: "ok", Values: []float64{120, 0}},
	{ID: 3, Status: "failed", Values: []float64{80, 1}},
}

// countColour decodes a PNG and counts the pixels of colour c (within a
// small tolerance, for anti-aliasing).
func countColour(t *testing.T, b []byte, c color.RGBA) (int, image.Rectangle) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	near := func(a uint32, b uint8) bool { d := int(a>>8) - int(b); return d > -8 && d < 8 }
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c.R) && near(g, c.G) && near(bl, c.B) {
				n++
			}
		}
	}
	return n, img.Bounds()
}

// The tune figures draw their trials: the best-so-far line and means in
// red, finished trials in blue, stopped ones in grey.
func TestTuneFigures(t *testing.T) {
	var buf bytes.Buffer
	if err := TuneHistory(&buf, tuneTrials, "macro-f1", false); err != nil {
		t.Fatal(err)
	}
	red, bounds := countColour(t, buf.Bytes(), tuneBest)
	grey, _ := countColour(t, buf.Bytes(), tuneStopped)
	if red < 100 || grey < 20 || bounds.Dx() < 600 {
		t.Errorf("history: %d red and %d grey pixels in %v", red, grey, bounds)
	}
	for _, axis := range []TuneAxis{{Name: "trees", Log: true}, {Name: "class-weight", Categories: []string{"balanced", "none"}}} {
		buf.Reset()
		j := 0
		if axis.Categories != nil {
			j = 1
		}
		if err := TuneParam(&buf, tuneTrials, axis, j, "macro-f1"); err != nil {
			t.Fatal(err)
		}
		if blue, _ := countColour(t, buf.Bytes(), tuneOK); blue < 40 {
			t.Errorf("%s: %d blue pixels", axis.Name, blue)
		}
	}
	buf.Reset()
	if err := TuneFolds(&buf, tuneTrials, "macro-f1"); err != nil {
		t.Fatal(err)
	}
	if red, _ := countColour(t, buf.Bytes(), tuneBest); red < 30 {
		t.Errorf("folds: %d red pixels", red)
	}
	if err := TuneFolds(&buf, tuneTrials[3:], "macro-f1"); err == nil {
		t.Error("folds of failed trials only: no error")
	}
}
