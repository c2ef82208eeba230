package spectro

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Window returns the n values of the named window in the periodic
// ("DFT-even") form that scipy.signal.get_window returns by default
// (fftbins=True): the symmetric window of length n+1 with its last sample
// dropped. Names:
//
//	hann      w[k] = 0.5 - 0.5 cos(2πk/n)
//	hamming   w[k] = 0.54 - 0.46 cos(2πk/n)
//	blackman  w[k] = 0.42 - 0.5 cos(2πk/n) + 0.08 cos(4πk/n)
//	boxcar    w[k] = 1 (also "rectangular", "ones")
//	tukey     flat top with cosine tapers over a fraction alpha of the
//	          window: "tukey" (alpha 0.25, scipy.signal.spectrogram's
//	          default window) or "tukey(0.5)"
//
// The cosine windows are computed as scipy does (a sum of cosines of an
// evenly spaced phase from -π to π), so that the values agree with scipy's
// to a few units in the last place. gonum's dsp/window functions are the
// symmetric forms and would not agree. A window of length 0 or 1 is all
// ones, as in scipy.
//
// Reference: F. J. Harris, "On the use of windows for harmonic analysis
// with the discrete Fourier transform", Proc. IEEE 66(1), 1978.
func Window(name string, n int) ([]float64, error) {
	if n < 0 {
		return nil, fmt.Errorf("window length %d: must not be negative", n)
	}
	kind, alpha, err := parseWindow(name)
	if err != nil {
		return nil, err
	}
	w := make([]float64, n)
	if n <= 1 {
		for i := range w {
			w[i] = 1
		}
		return w, nil
	}
	switch kind {
	case "hann":
		generalCosine(w, []float64{0.5, 1 - 0.5})
	case "hamming":
		generalCosine(w, []float64{0.54, 1 - 0.54})
	case "blackman":
		generalCosine(w, []float64{0.42, 0.50, 0.08})
	case "boxcar":
		for i := range w {
			w[i] = 1
		}
	case "tukey":
		tukey(w, alpha)
	}
	return w, nil
}

// parseWindow splits "tukey(0.5)" into its kind and parameter.
func parseWindow(name string) (kind string, alpha float64, err error) {
	s := strings.ToLower(strings.TrimSpace(name))
	switch s {
	case "hann", "hanning":
		return "hann", 0, nil
	case "hamming", "blackman":
		return s, 0, nil
	case "boxcar", "rectangular", "rect", "ones":
		return "boxcar", 0, nil
	case "tukey":
		return "tukey", 0.25, nil
	}
	if strings.HasPrefix(s, "tukey(") && strings.HasSuffix(s, ")") {
		a, perr := strconv.ParseFloat(s[len("tukey("):len(s)-1], 64)
		if perr != nil || math.IsNaN(a) || math.IsInf(a, 0) {
			return "", 0, fmt.Errorf("window %q: tukey parameter is not a number", name)
		}
		return "tukey", a, nil
	}
	return "", 0, fmt.Errorf("window %q: unknown (want hann, hamming, blackman, boxcar or tukey(alpha))", name)
}

// generalCosine fills w (periodic, length n) with sum a[k] cos(k φ), φ
// evenly spaced from -π to π over n+1 points (the last one dropped), the way
// numpy.linspace spaces them.
func generalCosine(w []float64, a []float64) {
	n := len(w)
	m := n + 1
	step := 2 * math.Pi / float64(m-1)
	for i := range w {
		phi := float64(i)*step + -math.Pi
		v := 0.0
		for k, ak := range a {
			v += ak * math.Cos(float64(k)*phi)
		}
		w[i] = v
	}
}

// tukey fills w with the periodic Tukey (tapered cosine) window.
func tukey(w []float64, alpha float64) {
	n := len(w)
	if alpha <= 0 {
		for i := range w {
			w[i] = 1
		}
		return
	}
	if alpha >= 1 {
		generalCosine(w, []float64{0.5, 0.5})
		return
	}
	m := n + 1 // extended length
	width := int(math.Floor(alpha * float64(m-1) / 2.0))
	for i := range w {
		switch {
		case i <= width:
			w[i] = 0.5 * (1 + math.Cos(math.Pi*(-1+2.0*float64(i)/alpha/float64(m-1))))
		case i < m-width-1:
			w[i] = 1
		default:
			w[i] = 0.5 * (1 + math.Cos(math.Pi*(-2.0/alpha+1+2.0*float64(i)/alpha/float64(m-1))))
		}
	}
}
