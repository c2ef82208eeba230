package figure

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"

	"github.com/ecgkit/ecg/internal/imgcmp"
)

// TestEncodeOpaquePNG: image/png decodes what encodeOpaquePNG writes to
// the same pixels, for images of one band, several bands and a partial
// last band, and the bytes are the same twice.
func TestEncodeOpaquePNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []image.Point{{1, 1}, {7, 3}, {300, pngBand}, {129, 3*pngBand + 17}} {
		img := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		for y := 0; y < size.Y; y++ {
			for x := 0; x < size.X; x++ {
				v := uint8(rng.IntN(256))
				if y%5 != 0 {
					v = uint8(x)
				}
				img.Set(x, y, color.RGBA{R: v, G: uint8(y), B: 255 - v, A: 255})
			}
		}
		var a, b bytes.Buffer
		if err := encodeOpaquePNG(&a, img); err != nil {
			t.Fatal(err)
		}
		if err := encodeOpaquePNG(&b, img); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%v: two encodings differ", size)
		}
		got, err := png.Decode(&a)
		if err != nil {
			t.Fatalf("%v: %v", size, err)
		}
		if err := imgcmp.Compare(got, img, imgcmp.Exact); err != nil {
			t.Errorf("%v: %v", size, err)
		}
	}
}
