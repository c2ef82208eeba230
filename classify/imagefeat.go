package classify

import (
	"fmt"
	"image"
	"math"
	"math/cmplx"
	"slices"

	"gonum.org/v1/gonum/dsp/fourier"
)

// ImageFeatures are the settings of the features computed from an image
// (a spectrogram PNG of any size, or any picture). The image is turned
// into luminance in [0, 1] and box-averaged onto a Rows x Cols matrix
// (rows top to bottom, columns left to right); the features are computed
// from that matrix, so images of any size give the same number of features.
type ImageFeatures struct {
	// Rows and Cols are the size of the resampled matrix (default 32 x 64).
	Rows int `json:"rows"`
	Cols int `json:"cols"`
	// Grid is the side of the coarse thumbnail kept as raw features
	// (default 8: 64 features).
	Grid int `json:"grid"`
	// Pixels makes the features the Rows x Cols luminance matrix itself,
	// row by row (the input of the cnn learner); Grid is then 0.
	Pixels bool `json:"pixels,omitempty"`
}

// DefaultImageFeatures returns the default image feature settings.
func DefaultImageFeatures() ImageFeatures { return ImageFeatures{Rows: 32, Cols: 64, Grid: 8} }

const (
	maxImageSide = 1024
	imgQuantiles = 7 // p5 p10 p25 p50 p75 p90 p95
	imgSpectrum  = 16
)

func (o ImageFeatures) check() error {
	if o.Pixels {
		return o.checkPixels()
	}
	if o.Rows < 4 || o.Rows > maxImageSide || o.Cols < 4 || o.Cols > maxImageSide {
		return fmt.Errorf("image features: rows x cols %d x %d out of range 4..%d", o.Rows, o.Cols, maxImageSide)
	}
	if o.Grid < 1 || o.Grid > o.Rows || o.Grid > o.Cols || o.Grid > 64 {
		return fmt.Errorf("image features: grid %d out of range 1..min(rows, cols, 64)", o.Grid)
	}
	return nil
}

// Names returns the names of the image features in order.
func (o ImageFeatures) Names() []string {
	if o.Pixels {
		return o.pixelNames()
	}
	var n []string
	for r := 0; r < o.Grid; r++ {
		for c := 0; c < o.Grid; c++ {
			n = append(n, fmt.Sprintf("img.grid.%d.%d", r, c))
		}
	}
	for r := 0; r < o.Rows; r++ {
		n = append(n, fmt.Sprintf("img.band.%d.mean", r))
	}
	for r := 0; r < o.Rows; r++ {
		n = append(n, fmt.Sprintf("img.band.%d.std", r))
	}
	for _, s := range []string{"mean", "std", "skew", "kurt", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "entropy", "grad.x", "grad.y"} {
		n = append(n, "img."+s)
	}
	for _, s := range []string{"mean", "std", "min", "max", "cv", "p10", "p50", "p90", "acf.peak", "acf.lag", "acf.lag2", "centroid.mean", "centroid.std"} {
		n = append(n, "img.frame."+s)
	}
	for i := 1; i <= imgSpectrum; i++ {
		n = append(n, fmt.Sprintf("img.frame.spec.%d", i))
	}
	return n
}

// luminance returns the image as a rows x cols matrix of luminance in
// [0, 1] (row-major), each cell the mean of the source pixels it covers.
func luminance(img image.Image, rows, cols int) ([]float64, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("empty image (%d x %d)", w, h)
	}
	// Per source row, accumulate the columns into cols cells.
	colOf := make([]int, w)
	for x := 0; x < w; x++ {
		colOf[x] = x * cols / w
	}
	rowSum := make([]float64, rows*cols)
	rowCnt := make([]float64, rows*cols)
	line := make([]float64, w)
	for y := 0; y < h; y++ {
		pixelRow(img, b.Min.Y+y, line)
		r := y * rows / h
		base := r * cols
		for x, v := range line {
			rowSum[base+colOf[x]] += v
			rowCnt[base+colOf[x]]++
		}
	}
	// Cells that no pixel fell into (the image is smaller than the
	// matrix) take the value of the nearest source pixel. Each source row
	// is converted once more at most (the rows needed come in order), so
	// that the work stays proportional to the pixels, whatever the aspect
	// ratio.
	out := make([]float64, rows*cols)
	have := -1 // the source row in line
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			i := r*cols + c
			if rowCnt[i] > 0 {
				out[i] = rowSum[i] / rowCnt[i]
				continue
			}
			if sy := (r*h + h/2) / rows; sy != have {
				pixelRow(img, b.Min.Y+sy, line)
				have = sy
			}
			out[i] = line[(c*w+w/2)/cols]
		}
	}
	return out, nil
}

// pixelRow writes the luminance of row y of img into line.
func pixelRow(img image.Image, y int, line []float64) {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.Gray:
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range line {
			line[x] = float64(p[x]) / 255
		}
	case *image.NRGBA:
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range line {
			q := p[4*x : 4*x+4]
			a := float64(q[3]) / 255
			line[x] = a * (0.299*float64(q[0]) + 0.587*float64(q[1]) + 0.114*float64(q[2])) / 255
		}
	case *image.RGBA:
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range line {
			q := p[4*x : 4*x+4]
			line[x] = (0.299*float64(q[0]) + 0.587*float64(q[1]) + 0.114*float64(q[2])) / 255
		}
	case *image.Paletted:
		lum := make([]float64, len(m.Palette))
		for i, c := range m.Palette {
			r, g, bb, _ := c.RGBA()
			lum[i] = (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)) / 65535
		}
		p := m.Pix[m.PixOffset(b.Min.X, y):]
		for x := range line {
			if int(p[x]) < len(lum) {
				line[x] = lum[p[x]]
			}
		}
	default:
		for x := range line {
			r, g, bb, _ := img.At(b.Min.X+x, y).RGBA()
			line[x] = (0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bb)) / 65535
		}
	}
}

// imageVector appends the features of img to dst.
func (o ImageFeatures) imageVector(dst []float64, img image.Image) ([]float64, error) {
	m, err := luminance(img, o.Rows, o.Cols)
	if err != nil {
		return nil, err
	}
	if o.Pixels {
		return append(dst, m...), nil
	}
	R, C, G := o.Rows, o.Cols, o.Grid
	dst = thumbnail(dst, m, R, C, G)
	dst = bandProfile(dst, m, R, C)
	dst = globalStats(dst, m, R, C)
	dst = frameProfile(dst, m, R, C)
	return dst, nil
}

// thumbnail appends the means of a G x G grid over the R x C luminance
// matrix m.
func thumbnail(dst, m []float64, R, C, G int) []float64 {
	for gr := 0; gr < G; gr++ {
		r0, r1 := gr*R/G, (gr+1)*R/G
		for gc := 0; gc < G; gc++ {
			c0, c1 := gc*C/G, (gc+1)*C/G
			s := 0.0
			for r := r0; r < r1; r++ {
				for c := c0; c < c1; c++ {
					s += m[r*C+c]
				}
			}
			dst = append(dst, s/float64((r1-r0)*(c1-c0)))
		}
	}
	return dst
}

// bandProfile appends the band (row) profile: every row's mean, then
// every row's standard deviation (variability over time).
func bandProfile(dst, m []float64, R, C int) []float64 {
	bandMean := make([]float64, R)
	for r := 0; r < R; r++ {
		mu, sd := meanStd(m[r*C : r*C+C])
		bandMean[r] = mu
		_ = sd
	}
	dst = append(dst, bandMean...)
	for r := 0; r < R; r++ {
		_, sd := meanStd(m[r*C : r*C+C])
		dst = append(dst, sd)
	}
	return dst
}

// globalStats appends the statistics of the whole matrix: mean, standard
// deviation, skewness, excess kurtosis, quantiles, the entropy of a
// 16-bin histogram and the mean absolute gradients along rows and
// columns.
func globalStats(dst, m []float64, R, C int) []float64 {
	mu, sd := meanStd(m)
	var s3, s4 float64
	for _, v := range m {
		d := v - mu
		s3 += d * d * d
		s4 += d * d * d * d
	}
	n := float64(len(m))
	skew, kurt := 0.0, 0.0
	if sd > 1e-12 {
		skew = s3 / n / (sd * sd * sd)
		kurt = s4/n/(sd*sd*sd*sd) - 3
	}
	sorted := slices.Clone(m)
	slices.Sort(sorted)
	dst = append(dst, mu, sd, skew, kurt)
	for _, q := range []float64{0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95} {
		dst = append(dst, quantileSorted(sorted, q))
	}
	var hist [16]float64
	for _, v := range m {
		b := int(v * 16)
		b = min(max(b, 0), 15)
		hist[b]++
	}
	ent := 0.0
	for _, h := range hist {
		if h > 0 {
			p := h / n
			ent -= p * math.Log2(p)
		}
	}
	var gx, gy float64
	for r := 0; r < R; r++ {
		for c := 0; c < C; c++ {
			if c+1 < C {
				gx += math.Abs(m[r*C+c+1] - m[r*C+c])
			}
			if r+1 < R {
				gy += math.Abs(m[(r+1)*C+c] - m[r*C+c])
			}
		}
	}
	return append(dst, ent, gx/float64(R*(C-1)), gy/float64((R-1)*C))
}

// frameProfile appends the statistics, periodicity and spectrum of the
// frame (column) energy profile, which do not depend on where in the
// image an event falls, and of the frames' spectral centroids.
func frameProfile(dst, m []float64, R, C int) []float64 {
	frame := make([]float64, C)
	cent := make([]float64, C)
	for c := 0; c < C; c++ {
		s, ws := 0.0, 0.0
		for r := 0; r < R; r++ {
			v := m[r*C+c]
			s += v
			// row 0 is the top (highest frequency in a spectrogram)
			ws += v * float64(R-1-r)
		}
		frame[c] = s / float64(R)
		if s > 1e-12 {
			cent[c] = ws / s / float64(R-1)
		}
	}
	fmu, fsd := meanStd(frame)
	fs := slices.Clone(frame)
	slices.Sort(fs)
	cv := 0.0
	if fmu > 1e-12 {
		cv = fsd / fmu
	}
	peak, lag, lag2 := acfPeak(frame, fmu)
	cmu, csd := meanStd(cent)
	dst = append(dst, fmu, fsd, fs[0], fs[len(fs)-1], cv,
		quantileSorted(fs, 0.1), quantileSorted(fs, 0.5), quantileSorted(fs, 0.9),
		peak, lag, lag2, cmu, csd)
	return append(dst, profileSpectrum(frame, fmu, imgSpectrum)...)
}

func meanStd(x []float64) (mu, sd float64) {
	if len(x) == 0 {
		return 0, 0
	}
	for _, v := range x {
		mu += v
	}
	mu /= float64(len(x))
	for _, v := range x {
		d := v - mu
		sd += d * d
	}
	return mu, math.Sqrt(sd / float64(len(x)))
}

// quantileSorted returns the q-quantile of sorted x by linear
// interpolation between closest ranks.
func quantileSorted(x []float64, q float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	pos := q * float64(len(x)-1)
	i := int(pos)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	f := pos - float64(i)
	return x[i]*(1-f) + x[i+1]*f
}

// acfPeak returns the highest normalised autocorrelation of x at lags 2 ..
// len/2, its lag as a fraction of len(x), and the lag of the second
// highest local maximum (0 when none).
func acfPeak(x []float64, mu float64) (peak, lag, lag2 float64) {
	n := len(x)
	var v0 float64
	for _, v := range x {
		v0 += (v - mu) * (v - mu)
	}
	if v0 <= 1e-18 || n < 6 {
		return 0, 0, 0
	}
	acf := make([]float64, n/2+1)
	for l := 1; l <= n/2; l++ {
		s := 0.0
		for i := 0; i+l < n; i++ {
			s += (x[i] - mu) * (x[i+l] - mu)
		}
		acf[l] = s / v0
	}
	best, second := -1, -1
	for l := 2; l < n/2; l++ {
		if acf[l] >= acf[l-1] && acf[l] >= acf[l+1] {
			if best < 0 || acf[l] > acf[best] {
				second, best = best, l
			} else if second < 0 || acf[l] > acf[second] {
				second = l
			}
		}
	}
	if best < 0 {
		return 0, 0, 0
	}
	peak, lag = acf[best], float64(best)/float64(n)
	if second > 0 {
		lag2 = float64(second) / float64(n)
	}
	return peak, lag, lag2
}

// profileSpectrum returns the magnitudes of DFT bins 1..k of x minus its
// mean, divided by the total magnitude over all bins (shift invariant).
func profileSpectrum(x []float64, mu float64, k int) []float64 {
	n := len(x)
	d := make([]float64, n)
	for i, v := range x {
		d[i] = v - mu
	}
	fft := fourier.NewFFT(n)
	coef := fft.Coefficients(nil, d)
	out := make([]float64, k)
	tot := 0.0
	for i := 1; i < len(coef); i++ {
		tot += cmplx.Abs(coef[i])
	}
	for i := 1; i <= k; i++ {
		if i < len(coef) && tot > 1e-18 {
			out[i-1] = cmplx.Abs(coef[i]) / tot
		}
	}
	return out
}
