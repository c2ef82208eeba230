// Package imgcmp compares images as decoded pixels, within a tolerance, so
// that golden PNGs survive a change of encoder settings or a font
// rasteriser's rounding but not a real change of the picture. Two PNGs
// whose bytes differ may hold the same pixels; two whose pixels differ by
// one step in a few places may both be right.
package imgcmp
