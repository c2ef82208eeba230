package spectro

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"testing"
)

// gridSpectrogram returns a spectrogram in dB with nf rows and nt columns
// whose value at row i, column j is f(i, j).
func gridSpectrogram(nf, nt int, f func(i, j int) float64) *Spectrogram {
	s := &Spectrogram{DB: true, Params: Params{Mode: ModePSD}}
	s.resize(nf, nt)
	for i := range s.Power {
		s.Freqs[i] = float64(i)
		for j := range s.Power[i] {
			s.Power[i][j] = f(i, j)
		}
	}
	for j := range s.Times {
		s.Times[j] = float64(j)
	}
	return s
}

func TestRawImageLevels(t *testing.T) {
	// Two rows: low frequency at -80 dB (level 0), high at -10 dB (255);
	// same size as the source, so no interpolation.
	s := gridSpectrogram(2, 3, func(i, j int) float64 { return -80 + 70*float64(i) })
	img := RawImage(s, ImageOptions{Width: 3, Height: 2}).(*image.Gray)
	for x := 0; x < 3; x++ {
		if top, bot := img.GrayAt(x, 0).Y, img.GrayAt(x, 1).Y; top != 255 || bot != 0 {
			t.Fatalf("column %d: top %d bottom %d, want 255 (high frequency) over 0", x, top, bot)
		}
	}
	// Mid-range value, clamping, NaN and -Inf.
	vals := []float64{-45, -200, 30, math.NaN(), math.Inf(-1)}
	want := []uint8{128, 0, 255, 0, 0} // (-45+80)/70*255 = 127.5 -> 128
	s = gridSpectrogram(1, len(vals), func(i, j int) float64 { return vals[j] })
	img = RawImage(s, ImageOptions{Width: len(vals), Height: 1}).(*image.Gray)
	for j, w := range want {
		if got := img.GrayAt(j, 0).Y; got != w {
			t.Errorf("value %g: level %d, want %d", vals[j], got, w)
		}
	}
}

func TestRawImageLinearInput(t *testing.T) {
	// A linear PSD of 1e-4.5 (-45 dB re 1) renders like -45 dB.
	s := gridSpectrogram(1, 1, func(i, j int) float64 { return math.Pow(10, -4.5) })
	s.DB = false
	img := RawImage(s, ImageOptions{Width: 1, Height: 1}).(*image.Gray)
	if got := img.GrayAt(0, 0).Y; got != 128 {
		t.Fatalf("level %d, want 128", got)
	}
	// Magnitude mode: 20 log10.
	s.Params.Mode = ModeMagnitude
	s.Power[0][0] = math.Pow(10, -45.0/20)
	if got := RawImage(s, ImageOptions{Width: 1, Height: 1}).(*image.Gray).GrayAt(0, 0).Y; got != 128 {
		t.Fatalf("magnitude: level %d, want 128", got)
	}
}

func TestRawImageResample(t *testing.T) {
	// A ramp in time from level 0 to 255 over 4 columns, upsampled to 8:
	// pixel centres map to source positions (x+0.5)/2-0.5, clamped.
	s := gridSpectrogram(1, 4, func(i, j int) float64 { return -80 + 70*float64(j)/3 })
	img := RawImage(s, ImageOptions{Width: 8, Height: 5}).(*image.Gray)
	want := []uint8{0, 21, 64, 106, 149, 191, 234, 255} // 85 per source column at (x+0.5)/2-0.5
	for x, w := range want {
		for y := 0; y < 5; y++ {
			if got := img.GrayAt(x, y).Y; got != w {
				t.Fatalf("pixel (%d,%d) = %d, want %d", x, y, got, w)
			}
		}
	}
	if b := img.Bounds(); b.Dx() != 8 || b.Dy() != 5 {
		t.Fatalf("bounds %v", b)
	}
	// Default size.
	if b := RawImage(s, ImageOptions{}).Bounds(); b.Dx() != 224 || b.Dy() != 224 {
		t.Fatalf("default bounds %v", b)
	}
}

func TestViridisPNG(t *testing.T) {
	s := gridSpectrogram(2, 2, func(i, j int) float64 { return -80 + 70*float64(i) })
	img := RawImage(s, ImageOptions{Width: 2, Height: 2, Colormap: Viridis})
	var buf bytes.Buffer
	var enc PNGEncoder
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	dec, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// Top row is the high end of viridis (yellow #fde725), bottom the low
	// end (dark purple #440154).
	top := color.RGBAModel.Convert(dec.At(0, 0)).(color.RGBA)
	bot := color.RGBAModel.Convert(dec.At(0, 1)).(color.RGBA)
	if top != (color.RGBA{0xfd, 0xe7, 0x25, 255}) || bot != (color.RGBA{0x44, 0x01, 0x54, 255}) {
		t.Fatalf("top %v bottom %v", top, bot)
	}
	// The palette rises in luminance (perceptual order); steps of 8 so
	// that rounding to 8 bits cannot make a neighbour darker.
	prev := -1.0
	pal := Viridis.Palette()
	for i := 0; i < len(pal); i += 8 {
		r, g, b, _ := pal[i].RGBA()
		l := 0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(b)
		if l < prev {
			t.Fatalf("viridis luminance drops at %d", i)
		}
		prev = l
	}
}

func TestParseColormap(t *testing.T) {
	for _, s := range []string{"gray", "viridis"} {
		c, err := ParseColormap(s)
		if err != nil || c.String() != s {
			t.Errorf("%s: %v %v", s, c, err)
		}
	}
	if _, err := ParseColormap("jet"); err == nil {
		t.Error("jet: no error")
	}
}

func BenchmarkRawPNG(b *testing.B) {
	x := benchSignal(21600)
	pl, _ := NewPlan(360, DefaultParams(360))
	var s Spectrogram
	var r Renderer
	var enc PNGEncoder
	var buf bytes.Buffer
	for _, cm := range []Colormap{Gray, Viridis} {
		b.Run(cm.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := pl.ComputeInto(&s, x); err != nil {
					b.Fatal(err)
				}
				buf.Reset()
				if err := enc.Encode(&buf, r.Render(&s, ImageOptions{Colormap: cm})); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPNGEncoder checks that our encoder's files decode with image/png to
// the same pixels, at every level, for gray, paletted and other images.
func TestPNGEncoder(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 37, 11))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i*7 + i/37*13)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 5, 3), Viridis.Palette())
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i * 17)
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 3, 3))
	for i := range rgba.Pix {
		rgba.Pix[i] = uint8(i * 9)
		if i%4 == 3 {
			rgba.Pix[i] = 255
		}
	}
	sub := gray.SubImage(image.Rect(3, 2, 20, 9))
	for _, level := range []int{0, 1, 9} {
		enc := PNGEncoder{Level: level}
		for _, img := range []image.Image{gray, pal, rgba, sub} {
			var buf bytes.Buffer
			if err := enc.Encode(&buf, img); err != nil {
				t.Fatal(err)
			}
			dec, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("level %d %T: %v", level, img, err)
			}
			b := img.Bounds()
			if dec.Bounds().Dx() != b.Dx() || dec.Bounds().Dy() != b.Dy() {
				t.Fatalf("level %d %T: bounds %v, want %v", level, img, dec.Bounds(), b)
			}
			for y := 0; y < b.Dy(); y++ {
				for x := 0; x < b.Dx(); x++ {
					r1, g1, b1, a1 := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
					r2, g2, b2, a2 := dec.At(x, y).RGBA()
					if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
						t.Fatalf("level %d %T: pixel (%d,%d) differs", level, img, x, y)
					}
				}
			}
		}
	}
}
