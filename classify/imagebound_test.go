package classify

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countingImage is a uniform grey image that counts the pixels read.
type countingImage struct {
	w, h  int
	reads *int
}

func (m countingImage) ColorModel() color.Model { return color.GrayModel }
func (m countingImage) Bounds() image.Rectangle { return image.Rect(0, 0, m.w, m.h) }
func (m countingImage) At(x, y int) color.Color {
	*m.reads++
	return color.Gray{Y: 128}
}

// Issue 19: a 1-pixel-tall image of 1,048,576 columns took 3 s in the
// image features: each of the 31 x 64 cells no pixel fell into converted
// the whole source row again. The work is bounded by the pixels: each
// source row is read at most twice, whatever the aspect ratio.
func TestImageFeaturesWorkBoundedByPixels(t *testing.T) {
	spec := ImageSpec(DefaultImageFeatures(), nil)
	for _, size := range [][2]int{{1 << 16, 1}, {1, 1 << 14}, {3, 5}, {1 << 12, 2}} {
		reads := 0
		img := countingImage{w: size[0], h: size[1], reads: &reads}
		if _, err := spec.ImageVector(img, nil); err != nil {
			t.Fatal(err)
		}
		if px := size[0] * size[1]; reads > 2*px {
			t.Errorf("%d x %d image: %d pixel reads for %d pixels (want at most 2 per pixel)", size[0], size[1], reads, px)
		}
	}
}

// An image wider or taller than MaxImageSide is refused from its header,
// naming the file and its size.
func TestReadImageRefusesAbsurdSides(t *testing.T) {
	dir := t.TempDir()
	for _, size := range [][2]int{{1 << 20, 1}, {1, MaxImageSide + 1}} {
		path := filepath.Join(dir, "wide.png")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, image.NewGray(image.Rect(0, 0, size[0], size[1]))); err != nil {
			t.Fatal(err)
		}
		f.Close()
		_, err = ReadImage(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "on a side") {
			t.Errorf("%d x %d: %v, want an error naming the file and the side limit", size[0], size[1], err)
		}
	}
}

// Issue 19: "predict MODEL dir/" said "a image model cannot read record
// files". A folder, or a file of the other kind, is described: what was
// found, what the model was trained on, what to give it.
func TestPredictFileSaysWhatWasFound(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"r1.hea", "r1.dat", "r2.hea", "r2.dat", "x.csv"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img := ImageSpec(DefaultImageFeatures(), nil)
	sig := SignalSpec(DefaultSignalFeatures())
	for _, c := range []struct {
		spec FeatureSpec
		path string
		want string
	}{
		{img, dir, dir + " holds 2 WFDB records and 1 CSV file; this model was trained on spectrogram images: give it images"},
		{sig, dir, dir + " is a folder: give the files to label, not the folder (it holds 2 WFDB records and 1 CSV file)"},
		{img, filepath.Join(dir, "r1"), "r1 is a WFDB record; this model was trained on spectrogram images"},
		{sig, filepath.Join(dir, "x.png"), "x.png is an image; this model was trained on signals: give it WFDB records"},
	} {
		m := &Model{Info: ModelInfo{Features: c.spec}}
		_, err := m.PredictFile(c.path, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s model, %s: %v, want %q", c.spec.Input, c.path, err, c.want)
		}
	}
}
