package signal

import (
	"fmt"
	"math"
)

// MaxResampleFactor bounds the integers of the rational rate change
// Resample and ResamplePoly accept (the filter has 20 x max(up, down) + 1
// taps).
const MaxResampleFactor = 1000

// Resample converts x from rate from to rate to (Hz) with ResamplePoly,
// after writing to/from as a ratio of integers up/down no larger than
// MaxResampleFactor (360 -> 250 Hz is 25/36, 360 -> 300 Hz is 5/6). It
// fails when no such ratio is within 1e-9 of to/from. Samples must be
// finite (fill invalid samples first).
func Resample(x []float64, from, to float64) ([]float64, error) {
	if !(from > 0 && to > 0) || math.IsInf(from, 0) || math.IsInf(to, 0) {
		return nil, fmt.Errorf("resample: rates %v -> %v Hz", from, to)
	}
	up, down, ok := ratio(to/from, MaxResampleFactor)
	if !ok {
		return nil, fmt.Errorf("resample: %v -> %v Hz is not a ratio of integers up to %d", from, to, MaxResampleFactor)
	}
	return ResamplePoly(x, up, down)
}

// ratio finds integers p/q (q, p <= limit) equal to r within 1e-9
// relative, by the continued fraction of r.
func ratio(r float64, limit int) (p, q int, ok bool) {
	// Convergents h/k of the continued fraction of r.
	h0, h1 := 0.0, 1.0
	k0, k1 := 1.0, 0.0
	v := r
	for i := 0; i < 64; i++ {
		a := math.Floor(v)
		h0, h1 = h1, a*h1+h0
		k0, k1 = k1, a*k1+k0
		if h1 > float64(limit) || k1 > float64(limit) {
			return 0, 0, false
		}
		if math.Abs(h1/k1-r) <= 1e-9*r {
			return int(h1), int(k1), true
		}
		f := v - a
		if f < 1e-12 {
			break
		}
		v = 1 / f
	}
	return 0, 0, false
}

// ResamplePoly changes the rate of x by up/down with a polyphase FIR
// filter, as scipy.signal.resample_poly(x, up, down) does with its
// defaults: the low-pass is a windowed sinc of 20 x max(up, down) + 1 taps
// with cut-off at the lower of the two Nyquist frequencies (1/max(up,
// down) of the upsampled Nyquist), a Kaiser window with beta 5, unit DC
// gain (times up), zeros beyond both ends of x, and the filter's delay
// removed so that output sample i lies at input time i*down/up. The
// output has ceil(len(x)*up/down) samples. up and down are reduced by
// their greatest common divisor; both must be in 1..MaxResampleFactor.
func ResamplePoly(x []float64, up, down int) ([]float64, error) {
	if up < 1 || down < 1 || up > MaxResampleFactor || down > MaxResampleFactor {
		return nil, fmt.Errorf("resample: factors %d/%d out of 1..%d", up, down, MaxResampleFactor)
	}
	g := GCD(up, down)
	up, down = up/g, down/g
	if up == 1 && down == 1 {
		return append([]float64(nil), x...), nil
	}
	nIn := len(x)
	nOut := (nIn*up + down - 1) / down
	h := ResampleFilter(up, down)
	half := (len(h) - 1) / 2
	// Delay the filter by pre zeros so that its centre, after the
	// decimation, falls on a whole output sample, then drop the output
	// samples before it.
	pre := down - half%down
	skip := (half + pre) / down
	y := make([]float64, nOut)
	for i := range y {
		t := (i + skip) * down // index in the upsampled, filtered signal
		// y = sum over n of x[n] * h[t - pre - n*up] for taps in range.
		j := t - pre
		nHi := j / up // the largest n with j - n*up >= 0
		if nHi >= nIn {
			nHi = nIn - 1
		}
		s := 0.0
		for n := nHi; n >= 0; n-- {
			k := j - n*up
			if k >= len(h) {
				break
			}
			s += x[n] * h[k]
		}
		y[i] = s
	}
	return y, nil
}

// ResampleFilter returns the low-pass filter ResamplePoly uses for a rate
// change by up/down (already reduced): 20 x max(up, down) + 1 taps of
// sinc(n/max) / max windowed by a Kaiser window with beta 5, scaled to a
// sum of up (as scipy.signal.firwin(..., window=("kaiser", 5.0)) * up).
func ResampleFilter(up, down int) []float64 {
	m := max(up, down)
	half := 10 * m
	n := 2*half + 1
	fc := 1 / float64(m)
	h := make([]float64, n)
	const beta = 5.0
	i0b := besselI0(beta)
	sum := 0.0
	for i := range h {
		t := float64(i - half)
		v := fc
		if t != 0 {
			v = math.Sin(math.Pi*fc*t) / (math.Pi * t)
		}
		r := 2*float64(i)/float64(n-1) - 1
		w := besselI0(beta*math.Sqrt(math.Max(0, 1-r*r))) / i0b
		h[i] = v * w
		sum += h[i]
	}
	for i := range h {
		h[i] *= float64(up) / sum
	}
	return h
}

// besselI0 is the modified Bessel function of the first kind, order 0,
// by its power series (converges quickly for the small arguments of a
// Kaiser window).
func besselI0(x float64) float64 {
	s, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 200; k++ {
		term *= q / float64(k*k)
		s += term
		if term < 1e-17*s {
			break
		}
	}
	return s
}

// GCD returns the greatest common divisor of a and b (non-negative).
func GCD(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
