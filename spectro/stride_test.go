package spectro_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/spectro"
)

// tone returns n samples at fs Hz of a sine of f Hz, 1 mV.
func tone(n int, fs, f float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Sin(2 * math.Pi * f * float64(i) / fs)
	}
	return x
}

func TestOverridesApply(t *testing.T) {
	n, over := 128, 16
	win := "hamming"
	p := spectro.DefaultParams(360)
	// nperseg alone sets the overlap to half and the FFT to the segment.
	got := (&spectro.Overrides{NPerSeg: &n, Window: &win}).Apply(p)
	if got.NPerSeg != 128 || got.NOverlap != 64 || got.NFFT != 128 || got.Window != "hamming" || got.FMax != 40 {
		t.Fatalf("nperseg: %+v", got)
	}
	got = (&spectro.Overrides{NPerSeg: &n, NOverlap: &over}).Apply(spectro.BeatParams(360))
	if got.NPerSeg != 128 || got.NOverlap != 16 || got.NFFT != 128 {
		t.Fatalf("nperseg, noverlap: %+v", got)
	}
	if got := (&spectro.Overrides{}).Apply(p); got != p {
		t.Fatalf("no overrides changed %+v to %+v", p, got)
	}
}

// The renderer gives the same bytes from many goroutines as from one,
// with plans per sampling rate, and checks its parameters up front.
func TestStrideRendererConcurrent(t *testing.T) {
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{Image: spectro.ImageOptions{Width: 64, Height: 48}})
	if err != nil {
		t.Fatal(err)
	}
	type input struct {
		x  []float64
		fs float64
	}
	var in []input
	for k := 0; k < 12; k++ {
		fs := []float64{360, 250, 500}[k%3]
		in = append(in, input{tone(int(10*fs), fs, float64(5+k)), fs})
	}
	want := make([][]byte, len(in))
	for i, c := range in {
		var b bytes.Buffer
		if err := r.WritePNG(&b, c.x, c.fs); err != nil {
			t.Fatal(err)
		}
		want[i] = b.Bytes()
	}
	img, err := png.Decode(bytes.NewReader(want[0]))
	if err != nil || img.Bounds().Dx() != 64 || img.Bounds().Dy() != 48 {
		t.Fatalf("image %v %v", img.Bounds(), err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(in))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range in {
				var b bytes.Buffer
				if err := r.WritePNG(&b, c.x, c.fs); err != nil || !bytes.Equal(b.Bytes(), want[i]) {
					errs <- fmt.Errorf("input %d: differs from one goroutine's (%v)", i, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if r.MinSamples(360) != 256 || r.MinSamples(250) != 128 {
		t.Fatalf("min samples %d %d", r.MinSamples(360), r.MinSamples(250))
	}
	bad := -1
	if _, err := spectro.NewStrideRenderer(spectro.StrideOptions{Set: spectro.Overrides{NPerSeg: &bad}}); err == nil {
		t.Fatal("nperseg -1: no error")
	}
}

func TestStrideRendererCSV(t *testing.T) {
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{Beat: true})
	if err != nil {
		t.Fatal(err)
	}
	x := tone(360, 360, 10)
	var b bytes.Buffer
	if err := r.CSV().Write(&b, &datasets.Window{X: x, Fs: 360}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	var s *spectro.Spectrogram
	if err := r.Spectrogram(x, 360, func(sp *spectro.Spectrogram) error {
		s = &spectro.Spectrogram{Freqs: append([]float64(nil), sp.Freqs...), Times: append([]float64(nil), sp.Times...)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	head := strings.Split(lines[0], ",")
	if head[0] != `freq_hz\time_s` || len(head) != len(s.Times)+1 || len(lines) != len(s.Freqs)+1 {
		t.Fatalf("csv %d lines, header %q", len(lines), lines[0])
	}
	if !strings.HasPrefix(lines[1], "1.40625,") || r.Params(360).NFFT != 256 {
		t.Fatalf("first row %.40q, params %+v", lines[1], r.Params(360))
	}
	p := r.Parameters()
	if p["stft_at_360hz"].(map[string]any)["nperseg"] != 64 || p["image"].(map[string]any)["width"] != 224 {
		t.Fatalf("parameters %v", p)
	}
}

// A renderer turns a stride into a raw image for models in one call; as
// an archive output it writes one PNG per window.
func ExampleStrideRenderer() {
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{})
	if err != nil {
		panic(err)
	}
	x := tone(60*360, 360, 10) // one minute at 360 Hz
	var b bytes.Buffer
	if err := r.WritePNG(&b, x, 360); err != nil {
		panic(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		panic(err)
	}
	p := r.Params(360)
	fmt.Printf("%dx%d image, %s window of %d samples\n", img.Bounds().Dx(), img.Bounds().Dy(), p.Window, p.NPerSeg)
	fmt.Println("archive output:", r.PNG().Suffix)
	// Output:
	// 224x224 image, hann window of 256 samples
	// archive output: .png
}

// TestStrideRendererRenderImage checks that the image RenderImage gives
// is the one WritePNG encodes, pixel for pixel, in both colour maps.
func TestStrideRendererRenderImage(t *testing.T) {
	for _, cm := range []string{"gray", "viridis"} {
		c, err := spectro.ParseColormap(cm)
		if err != nil {
			t.Fatal(err)
		}
		r, err := spectro.NewStrideRenderer(spectro.StrideOptions{Image: spectro.ImageOptions{Width: 40, Height: 30, Colormap: c}})
		if err != nil {
			t.Fatal(err)
		}
		x := tone(3000, 300, 7)
		var b bytes.Buffer
		if err := r.WritePNG(&b, x, 300); err != nil {
			t.Fatal(err)
		}
		want, err := png.Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		err = r.RenderImage(x, 300, func(got image.Image) error {
			if got.Bounds() != want.Bounds() {
				return fmt.Errorf("bounds %v, want %v", got.Bounds(), want.Bounds())
			}
			for y := 0; y < 30; y++ {
				for x := 0; x < 40; x++ {
					r1, g1, b1, _ := got.At(x, y).RGBA()
					r2, g2, b2, _ := want.At(x, y).RGBA()
					if r1 != r2 || g1 != g2 || b1 != b2 {
						return fmt.Errorf("pixel %d,%d differs", x, y)
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", cm, err)
		}
	}
	if err := r0().RenderImage([]float64{1, 2}, 300, func(image.Image) error { return nil }); err == nil {
		t.Fatal("2 samples: no error")
	}
}

func r0() *spectro.StrideRenderer {
	r, _ := spectro.NewStrideRenderer(spectro.StrideOptions{})
	return r
}
