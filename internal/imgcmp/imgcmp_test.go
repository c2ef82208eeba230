package imgcmp

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

// gradient is a w x h gray ramp with an opaque alpha.
func gradient(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			v := uint8(10 * (x + y))
			m.SetNRGBA(x, y, color.NRGBA{v, v, 255 - v, 255})
		}
	}
	return m
}

func encode(t *testing.T, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCompare(t *testing.T) {
	want := gradient(10, 8)
	nudge := func(x, y int, d uint8) *image.NRGBA {
		m := gradient(10, 8)
		c := m.NRGBAAt(x, y)
		c.G += d
		m.SetNRGBA(x, y, c)
		return m
	}
	offBy3 := nudge(4, 2, 3)
	offBy80 := nudge(7, 5, 80)
	twoOff := nudge(1, 1, 80)
	twoOff.SetNRGBA(2, 1, color.NRGBA{0, 0, 0, 0})
	for _, c := range []struct {
		name    string
		got     image.Image
		tol     Tolerance
		differ  int // 0: equal
		largest uint8
		first   image.Point
	}{
		{"same", gradient(10, 8), Exact, 0, 0, image.Point{}},
		{"off by 3, exact", offBy3, Exact, 1, 3, image.Pt(4, 2)},
		{"off by 3, within 3", offBy3, Tolerance{Channel: 3}, 0, 0, image.Point{}},
		{"off by 80, within 3", offBy80, Tolerance{Channel: 3}, 1, 80, image.Pt(7, 5)},
		// 1 of 80 pixels is 1.25 %.
		{"off by 80, 2% may differ", offBy80, Tolerance{Channel: 3, Pixels: 0.02}, 0, 0, image.Point{}},
		{"two off, 2% may differ", twoOff, Tolerance{Pixels: 0.02}, 2, 255, image.Pt(1, 1)},
	} {
		err := Compare(c.got, want, c.tol)
		if c.differ == 0 {
			if err != nil {
				t.Errorf("%s: %v, want equal", c.name, err)
			}
			continue
		}
		var d *DiffError
		if !errors.As(err, &d) {
			t.Errorf("%s: error %v, want a *DiffError", c.name, err)
			continue
		}
		if d.Differ != c.differ || d.Total != 80 || d.Largest != c.largest || d.First != c.first {
			t.Errorf("%s: %d of %d differ, largest %d, first %v; want %d of 80, %d, %v",
				c.name, d.Differ, d.Total, d.Largest, d.First, c.differ, c.largest, c.first)
		}
	}
}

func TestCompareSize(t *testing.T) {
	err := Compare(gradient(10, 7), gradient(10, 8), Tolerance{Channel: 255, Pixels: 1})
	if err == nil || err.Error() != "image is 10x7, want 10x8" {
		t.Errorf("different sizes: %v", err)
	}
}

// An image is compared from its top left corner, in any colour model: a
// gray sub-image equals an NRGBA copy of its pixels.
func TestCompareOriginAndModel(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 6, 6))
	for i := range g.Pix {
		g.Pix[i] = uint8(7 * i)
	}
	sub := g.SubImage(image.Rect(2, 3, 6, 6))
	copyOf := image.NewNRGBA(image.Rect(0, 0, 4, 3))
	for y := range 3 {
		for x := range 4 {
			copyOf.Set(x, y, g.At(2+x, 3+y))
		}
	}
	if err := Compare(sub, copyOf, Exact); err != nil {
		t.Errorf("sub-image against its copy: %v", err)
	}
	copyOf.Set(3, 2, color.White)
	if err := Compare(sub, copyOf, Exact); err == nil {
		t.Errorf("sub-image against a changed copy: equal")
	}
}

func TestComparePNG(t *testing.T) {
	want := encode(t, gradient(10, 8))
	// The same pixels encoded at another compression level are equal,
	// although the bytes are not.
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	var other bytes.Buffer
	if err := enc.Encode(&other, gradient(10, 8)); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(other.Bytes(), want) {
		t.Fatal("test needs two encodings that differ in bytes")
	}
	if err := ComparePNG(other.Bytes(), want, Exact); err != nil {
		t.Errorf("same pixels, other bytes: %v", err)
	}
	m := gradient(10, 8)
	m.SetNRGBA(0, 0, color.NRGBA{255, 0, 0, 255})
	if err := ComparePNG(encode(t, m), want, Tolerance{Channel: 10}); err == nil {
		t.Errorf("a red pixel: equal")
	}
	if err := ComparePNG([]byte("not a png"), want, Exact); err == nil || !strings.HasPrefix(err.Error(), "got: ") {
		t.Errorf("bad got: %v", err)
	}
	if err := ComparePNG(want, want[:20], Exact); err == nil || !strings.HasPrefix(err.Error(), "want: ") {
		t.Errorf("bad want: %v", err)
	}
}
