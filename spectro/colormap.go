package spectro

import (
	"fmt"
	"image/color"
	"strings"
)

// Colormap maps a level 0-255 (low to high power) to a colour.
type Colormap int

// Colormaps.
const (
	// Gray maps levels to grey levels: black is low power, white high.
	// Images are image.Gray (one byte per pixel).
	Gray Colormap = iota
	// Viridis is a perceptually uniform map from dark purple (low) through
	// blue and green to yellow (high). Images are image.Paletted with a
	// 256-colour palette (one byte per pixel; PNG decoders return RGB).
	Viridis
)

// ParseColormap reads "gray" (or "grey") or "viridis".
func ParseColormap(s string) (Colormap, error) {
	switch strings.ToLower(s) {
	case "gray", "grey", "grayscale":
		return Gray, nil
	case "viridis":
		return Viridis, nil
	}
	return 0, fmt.Errorf("colormap %q: want gray or viridis", s)
}

// String returns the name ParseColormap reads.
func (c Colormap) String() string {
	if c == Viridis {
		return "viridis"
	}
	return "gray"
}

// Palette returns the colormap's 256 colours, low to high.
func (c Colormap) Palette() color.Palette {
	if c == Viridis {
		return viridisPalette
	}
	return grayPalette
}

// viridisAnchors are ten evenly spaced colours of the viridis map (van der
// Walt and Smith, 2015; released to the public domain under CC0): the
// palette interpolates linearly between them in sRGB, which stays within
// a few levels of the full 256-entry table.
var viridisAnchors = [10][3]uint8{
	{0x44, 0x01, 0x54}, {0x48, 0x28, 0x78}, {0x3e, 0x4a, 0x89}, {0x31, 0x68, 0x8e}, {0x26, 0x82, 0x8e},
	{0x1f, 0x9e, 0x89}, {0x35, 0xb7, 0x79}, {0x6d, 0xcd, 0x59}, {0xb4, 0xde, 0x2c}, {0xfd, 0xe7, 0x25},
}

var viridisPalette, grayPalette = makePalettes()

func makePalettes() (color.Palette, color.Palette) {
	v := make(color.Palette, 256)
	g := make(color.Palette, 256)
	last := len(viridisAnchors) - 1
	for i := range v {
		pos := float64(i) / 255 * float64(last)
		k := int(pos)
		if k >= last {
			k = last - 1
		}
		t := pos - float64(k)
		a, b := viridisAnchors[k], viridisAnchors[k+1]
		var rgb [3]uint8
		for c := range rgb {
			rgb[c] = uint8(float64(a[c])*(1-t) + float64(b[c])*t + 0.5)
		}
		v[i] = color.RGBA{rgb[0], rgb[1], rgb[2], 255}
		g[i] = color.Gray{uint8(i)}
	}
	return v, g
}
