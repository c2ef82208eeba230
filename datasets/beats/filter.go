package beats

import "math"

// biquad is a second-order IIR section in transposed direct form II:
// y = b0 x + s1; s1 = b1 x - a1 y + s2; s2 = b2 x - a2 y.
type biquad struct {
	b0, b1, b2, a1, a2 float64
	s1, s2             float64
}

func (q *biquad) step(x float64) float64 {
	y := q.b0*x + q.s1
	q.s1 = q.b1*x - q.a1*y + q.s2
	q.s2 = q.b2*x - q.a2*y
	return y
}

// response returns the complex frequency response at f Hz for rate fs.
func (q *biquad) response(f, fs float64) complex128 {
	w := 2 * math.Pi * f / fs
	z1 := complex(math.Cos(w), -math.Sin(w)) // z^-1
	z2 := z1 * z1
	num := complex(q.b0, 0) + complex(q.b1, 0)*z1 + complex(q.b2, 0)*z2
	den := 1 + complex(q.a1, 0)*z1 + complex(q.a2, 0)*z2
	return num / den
}

// lowpass2 designs a second-order low-pass section with cutoff fc Hz and
// quality factor Q at rate fs by the bilinear transform with the cutoff
// prewarped (R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad
// filter coefficients"). Q = 1/sqrt(2) gives a Butterworth section.
func lowpass2(fc, q, fs float64) biquad {
	w := 2 * math.Pi * fc / fs
	alpha := math.Sin(w) / (2 * q)
	c := math.Cos(w)
	a0 := 1 + alpha
	return biquad{
		b0: (1 - c) / 2 / a0, b1: (1 - c) / a0, b2: (1 - c) / 2 / a0,
		a1: -2 * c / a0, a2: (1 - alpha) / a0,
	}
}

// highpass2 designs a second-order high-pass section (see lowpass2).
func highpass2(fc, q, fs float64) biquad {
	w := 2 * math.Pi * fc / fs
	alpha := math.Sin(w) / (2 * q)
	c := math.Cos(w)
	a0 := 1 + alpha
	return biquad{
		b0: (1 + c) / 2 / a0, b1: -(1 + c) / a0, b2: (1 + c) / 2 / a0,
		a1: -2 * c / a0, a2: (1 - alpha) / a0,
	}
}

// cascade is a chain of biquads.
type cascade []biquad

func (c cascade) step(x float64) float64 {
	for i := range c {
		x = c[i].step(x)
	}
	return x
}

func (c cascade) reset() {
	for i := range c {
		c[i].s1, c[i].s2 = 0, 0
	}
}

func (c cascade) response(f, fs float64) complex128 {
	h := complex(1, 0)
	for i := range c {
		h *= c[i].response(f, fs)
	}
	return h
}

// groupDelay returns the group delay of c at f Hz in samples, by a
// central difference of the unwrapped phase.
func (c cascade) groupDelay(f, fs float64) float64 {
	df := fs * 1e-4
	p1 := phase(c.response(f-df, fs))
	p2 := phase(c.response(f+df, fs))
	d := p2 - p1
	for d > math.Pi {
		d -= 2 * math.Pi
	}
	for d < -math.Pi {
		d += 2 * math.Pi
	}
	dw := 2 * math.Pi * 2 * df / fs
	return -d / dw
}

func phase(h complex128) float64 { return math.Atan2(imag(h), real(h)) }

// copy returns a copy of c with the same state.
func (c cascade) copy() cascade { return append(cascade(nil), c...) }
