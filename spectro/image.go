package spectro

import (
	"image"
	"math"
)

// Default image parameters.
const (
	// DefaultImageSize is the width and height of raw images in pixels.
	DefaultImageSize = 224
	// DefaultDBMin and DefaultDBMax are the fixed decibel range of raw
	// images, relative to DefaultDBRef: levels at or below DefaultDBMin are
	// black (or dark purple), at or above DefaultDBMax white (yellow). For
	// a PSD density of an ECG in mV with DefaultParams, 0.5-40 Hz, this
	// spans 0.3% to 99.5% of the values measured on mitdb strides (median
	// -41 dB re 1 mV²/Hz; see docs/spectro.md). The range is fixed, not
	// scaled per image, so that images of different strides and records
	// compare.
	DefaultDBMin = -80.0
	DefaultDBMax = -10.0
	// DefaultDBRef is the reference of the decibel scale: 1 in the unit of
	// the spectrogram (1 mV²/Hz for a PSD density of a signal in mV).
	DefaultDBRef = 1.0
)

// ImageOptions control RawImage. The zero value means 224x224 grayscale on
// the default decibel range.
type ImageOptions struct {
	// Width and Height of the image in pixels; 0 means DefaultImageSize.
	Width, Height int
	// Colormap is Gray or Viridis.
	Colormap Colormap
	// DBMin and DBMax are the decibel range mapped to levels 0 and 255.
	// When both are zero, DefaultDBMin and DefaultDBMax.
	DBMin, DBMax float64
	// DBRef is the reference of the decibel scale in the unit of the
	// spectrogram; 0 means DefaultDBRef. Ignored for a spectrogram
	// already in dB.
	DBRef float64
}

func (o ImageOptions) resolved() ImageOptions {
	if o.Width <= 0 {
		o.Width = DefaultImageSize
	}
	if o.Height <= 0 {
		o.Height = DefaultImageSize
	}
	if o.DBMin == 0 && o.DBMax == 0 {
		o.DBMin, o.DBMax = DefaultDBMin, DefaultDBMax
	}
	if o.DBRef <= 0 {
		o.DBRef = DefaultDBRef
	}
	return o
}

// RawImage renders s as an image for models: time left to right, frequency
// bottom to top (lowest band bin on the bottom row), one level per
// decibel step of (DBMax-DBMin)/255, resampled bilinearly to a fixed size.
// NaN values (gaps in the signal) render as level 0. The image is
// *image.Gray for Gray and *image.Paletted for Viridis.
func RawImage(s *Spectrogram, opt ImageOptions) image.Image {
	var r Renderer
	return r.Render(s, opt)
}

// Renderer renders raw images reusing its buffers; the image Render
// returns is overwritten by the next call. A Renderer is not safe for
// concurrent use.
type Renderer struct {
	levels []float32 // source values scaled to 0-255
	rows   []float32 // source rows interpolated to the output width
	xs, ys []interp
	gray   *image.Gray
	pal    *image.Paletted
}

// interp is one output coordinate's two source indices and the weight of
// the second.
type interp struct {
	i0, i1 int
	w      float32
}

// Render renders s with opt; see RawImage.
func (r *Renderer) Render(s *Spectrogram, opt ImageOptions) image.Image {
	opt = opt.resolved()
	nf, nt := len(s.Freqs), len(s.Times)
	W, H := opt.Width, opt.Height
	// Levels of the source grid, row-major with the highest frequency
	// first (image rows run top to bottom).
	if cap(r.levels) < nf*nt {
		r.levels = make([]float32, nf*nt)
	}
	lv := r.levels[:nf*nt]
	k := 10.0
	if s.Params.Mode == ModeMagnitude {
		k = 20
	}
	span := opt.DBMax - opt.DBMin
	if span == 0 {
		span = 1
	}
	g := 255 / span
	for i := 0; i < nf; i++ {
		row := s.Power[nf-1-i]
		dst := lv[i*nt : (i+1)*nt]
		for j, v := range row {
			db := v
			if !s.DB {
				db = k * math.Log10(v/opt.DBRef)
			}
			l := (db - opt.DBMin) * g
			switch {
			case l > 255:
				l = 255
			case l >= 0:
			default: // negative, -Inf or NaN
				l = 0
			}
			dst[j] = float32(l)
		}
	}
	r.xs = interpTable(r.xs, W, nt)
	r.ys = interpTable(r.ys, H, nf)
	var pix []uint8
	var stride int
	var img image.Image
	rect := image.Rect(0, 0, W, H)
	if opt.Colormap == Viridis {
		if r.pal == nil || r.pal.Rect != rect {
			r.pal = image.NewPaletted(rect, viridisPalette)
		}
		pix, stride, img = r.pal.Pix, r.pal.Stride, r.pal
	} else {
		if r.gray == nil || r.gray.Rect != rect {
			r.gray = image.NewGray(rect)
		}
		pix, stride, img = r.gray.Pix, r.gray.Stride, r.gray
	}
	// Separable bilinear interpolation: first along time for every source
	// row, then between the two rows of each output row.
	if cap(r.rows) < nf*W {
		r.rows = make([]float32, nf*W)
	}
	rows := r.rows[:nf*W]
	for i := 0; i < nf; i++ {
		src := lv[i*nt : (i+1)*nt]
		dst := rows[i*W : (i+1)*W]
		for x, ix := range r.xs {
			a := src[ix.i0]
			dst[x] = a + (src[ix.i1]-a)*ix.w
		}
	}
	for y, iy := range r.ys {
		a := rows[iy.i0*W : (iy.i0+1)*W]
		b := rows[iy.i1*W : (iy.i1+1)*W]
		out := pix[y*stride : y*stride+W]
		w := iy.w
		for x := range out {
			out[x] = uint8(a[x] + (b[x]-a[x])*w + 0.5)
		}
	}
	return img
}

// interpTable maps n output pixels onto m source cells by their centres:
// source coordinate (p+0.5)·m/n - 0.5, clamped to the edges.
func interpTable(t []interp, n, m int) []interp {
	t = t[:0]
	for p := 0; p < n; p++ {
		s := (float64(p)+0.5)*float64(m)/float64(n) - 0.5
		if s < 0 {
			s = 0
		}
		if s > float64(m-1) {
			s = float64(m - 1)
		}
		i0 := int(s)
		i1 := min(i0+1, m-1)
		t = append(t, interp{i0, i1, float32(s - float64(i0))})
	}
	return t
}
