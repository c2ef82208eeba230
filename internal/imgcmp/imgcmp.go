package imgcmp

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
)

// Tolerance says how far two images may differ and still be equal.
type Tolerance struct {
	// Channel is the largest difference, in 8-bit steps (0-255), that a
	// red, green, blue or alpha value may have for its pixel to count
	// as equal. 0: pixels must match exactly.
	Channel uint8
	// Pixels is the share (0 to 1) of pixels allowed to differ by more
	// than Channel. 0: none.
	Pixels float64
}

// Exact is the tolerance of identical pixels.
var Exact = Tolerance{}

// DiffError says how two images differ: in size, or in how many pixels
// differ beyond the tolerance, by how much at most and where first.
type DiffError struct {
	GotSize, WantSize image.Point // width and height
	Differ, Total     int         // pixels beyond the tolerance, of all pixels
	Largest           uint8       // largest channel difference, 8-bit steps
	First             image.Point // first differing pixel (row by row), from the top left corner
	Tolerance         Tolerance
}

func (e *DiffError) Error() string {
	if e.GotSize != e.WantSize {
		return fmt.Sprintf("image is %dx%d, want %dx%d", e.GotSize.X, e.GotSize.Y, e.WantSize.X, e.WantSize.Y)
	}
	return fmt.Sprintf("%d of %d pixels (%.3g%%, allowed %.3g%%) differ by more than %d steps: largest %d, first at (%d,%d)",
		e.Differ, e.Total, 100*float64(e.Differ)/float64(e.Total), 100*e.Tolerance.Pixels,
		e.Tolerance.Channel, e.Largest, e.First.X, e.First.Y)
}

// Compare returns nil when got and want have the same size and their
// pixels are equal within tol, else a *DiffError. Pixels are compared by
// position from each image's top left corner, as non-premultiplied 8-bit
// RGBA, whatever the images' colour models.
func Compare(got, want image.Image, tol Tolerance) error {
	gb, wb := got.Bounds(), want.Bounds()
	e := &DiffError{GotSize: gb.Size(), WantSize: wb.Size(), Total: wb.Dx() * wb.Dy(), Tolerance: tol}
	if e.GotSize != e.WantSize {
		return e
	}
	for y := 0; y < wb.Dy(); y++ {
		for x := 0; x < wb.Dx(); x++ {
			d := pixelDelta(got.At(gb.Min.X+x, gb.Min.Y+y), want.At(wb.Min.X+x, wb.Min.Y+y))
			if d <= tol.Channel {
				continue
			}
			if e.Differ == 0 {
				e.First = image.Pt(x, y)
			}
			e.Differ++
			e.Largest = max(e.Largest, d)
		}
	}
	if e.Differ == 0 || float64(e.Differ) <= tol.Pixels*float64(e.Total) {
		return nil
	}
	return e
}

// ComparePNG decodes two PNG files' bytes and compares them as Compare
// does. A PNG that does not decode is an error naming which one.
func ComparePNG(got, want []byte, tol Tolerance) error {
	g, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		return fmt.Errorf("got: %w", err)
	}
	w, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		return fmt.Errorf("want: %w", err)
	}
	return Compare(g, w, tol)
}

// pixelDelta is the largest difference of the two colours' channels, as
// non-premultiplied 8-bit values.
func pixelDelta(a, b color.Color) uint8 {
	ca := color.NRGBAModel.Convert(a).(color.NRGBA)
	cb := color.NRGBAModel.Convert(b).(color.NRGBA)
	return max(absDiff(ca.R, cb.R), absDiff(ca.G, cb.G), absDiff(ca.B, cb.B), absDiff(ca.A, cb.A))
}

func absDiff(a, b uint8) uint8 {
	if a > b {
		return a - b
	}
	return b - a
}
