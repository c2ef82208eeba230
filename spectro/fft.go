package spectro

import (
	"math"
	"math/bits"
)

// realFFT is the forward real FFT of the STFT. For power-of-two lengths of
// at least 8 it is a radix-2 decimation-in-time transform of the n/2-point
// complex sequence z[j] = x[2j] + i·x[2j+1], with the bit-reversal folded
// into the load, the first two stages fused without multiplications, one
// contiguous twiddle table per stage, and the split of Z into the
// coefficients of x done only for the bins the caller asks for.
//
// Other even lengths pack x the same way and transform z with cfft
// (fft_mixed.go: mixed-radix Stockham for factors 2, 3, 4, 5 and any odd
// prime, Bluestein's chirp-z over a power of two for a large prime
// factor), then split as above. Odd lengths transform x itself with
// cfft, asking for the (n+1)/2 bins kept (which shortens Bluestein's
// convolution to a power of two >= 3n/2 rather than 2n).
//
// cfft replaced gonum's dsp/fourier (FFTPACK) for every length that is not
// a power of two, because it measured faster for all of them: thread-CPU
// medians over every n in 1..1100 gave gonum/ours 3.8x (geometric mean)
// for even n, 2.1x for odd n done by mixed radix, 8x for Bluestein (a
// prime 1021: 20x, as FFTPACK's generic radix is O(p²)); the closest
// cases (odd n with a prime factor near 100-140, e.g. 685 = 5·137, 963 =
// 9·107) re-measured at 1.5x; n = 1 ties. BenchmarkRealFFT (transform and
// power of all bins, ns/op, medians of -count 5 -benchtime 0.5s on 2
// shared cores under a load average of about 8, so absolute values are
// inflated and the ratios are what to read):
//
//	   n    ours    gonum   gonum/ours
//	 250   4,169   14,625   3.5
//	 256   2,651    9,907   3.7  (radix-2/4 path)
//	 360   7,969   35,191   4.4
//	 500  13,544   48,462   3.6
//	 510  15,334   38,534   2.5  (255 = 3·5·17: generic radix 17)
//	 720   9,801   45,399   4.6
//	1000  18,740   42,484   2.3
//	1021  93,046 1,861,774 20    (prime: Bluestein, M = 2048)
//	1024  18,900   89,187   4.7  (radix-2/4 path)
//
// Twiddles are computed directly with math.Sincos (no recurrences), so
// the error is a few units in the last place times log2(n): within 1.5e-15
// of the largest coefficient against the O(n²) definition for every n
// tested. gonum's generic radix rotates by recurrence and is off by up to
// 2.5e-12 (n = 1019), so TestRealFFT checks against the definition where
// the two differ by more than 1e-13.
//
// Reference: Cooley & Tukey, "An algorithm for the machine calculation of
// complex Fourier series", Math. Comp. 19 (1965); for the real-to-complex
// split, Brigham, "The Fast Fourier Transform and its Applications"
// (1988), ch. 9.
type realFFT struct {
	n    int
	m    int          // n/2, the complex transform length
	rev  []int32      // bit-reversal permutation of 0..m-1
	tw   []complex128 // stage twiddles: tw[h+j] = exp(-2πi j/(2h)), 0 <= j < h
	post []complex128 // exp(-2πi k/n), 0 <= k <= m
	z    []complex128 // work, m values (n for odd n: the whole spectrum)
	c    *cfft        // other lengths: complex transform of length m (n if odd)
	in   []complex128 // input of c: x packed in pairs (even n) or as is
	odd  bool         // c transforms x itself (odd n): z holds X
}

// newRealFFT returns the transform of length n >= 1. Its cost is O(n log n)
// time and O(n) memory; transform then allocates nothing.
func newRealFFT(n int) *realFFT {
	f := &realFFT{n: n}
	if n < 8 || n&(n-1) != 0 {
		if n%2 == 1 {
			f.odd = true
			f.c = newCFFT(n, (n+1)/2)
			f.in = make([]complex128, n)
			f.z = make([]complex128, n)
			return f
		}
		m := n / 2
		f.m = m
		f.c = newCFFT(m, m)
		f.in = make([]complex128, m)
		f.z = make([]complex128, m)
		f.post = postTwiddles(n)
		return f
	}
	m := n / 2
	f.m = m
	f.rev = make([]int32, m)
	shift := uint(bits.Len(uint(m - 1))) // log2 m
	for j := range f.rev {
		f.rev[j] = int32(bits.Reverse64(uint64(j)) >> (64 - shift))
	}
	f.tw = make([]complex128, m)
	for h := 1; h < m; h *= 2 {
		for j := 0; j < h; j++ {
			s, c := math.Sincos(-math.Pi * float64(j) / float64(h))
			f.tw[h+j] = complex(c, s)
		}
	}
	f.post = postTwiddles(n)
	f.z = make([]complex128, m)
	return f
}

// postTwiddles returns exp(-2πi k/n) for 0 <= k <= n/2, the twiddles of
// the split of an even-length real transform.
func postTwiddles(n int) []complex128 {
	post := make([]complex128, n/2+1)
	for k := range post {
		s, c := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		post[k] = complex(c, s)
	}
	return post
}

// transform computes the FFT of x (len n); read the bins with coef.
func (f *realFFT) transform(x []float64) {
	if f.c != nil {
		in := f.in
		if f.odd {
			for i, v := range x[:len(in)] {
				in[i] = complex(v, 0)
			}
		} else {
			x = x[:2*len(in)]
			for j := range in {
				in[j] = complex(x[2*j], x[2*j+1])
			}
		}
		f.c.transform(f.z, in)
		return
	}
	z, m := f.z, f.m
	x = x[:2*m]
	for j, r := range f.rev {
		z[r] = complex(x[2*j], x[2*j+1])
	}
	// Stages of length 2 and 4 fused: twiddles 1 and -i.
	for i := 0; i+3 < m; i += 4 {
		q := z[i : i+4 : i+4]
		b0, b1 := q[0]+q[1], q[0]-q[1]
		b2, b3 := q[2]+q[3], q[2]-q[3]
		b3 = complex(imag(b3), -real(b3)) // -i·b3
		q[0], q[2] = b0+b2, b0-b2
		q[1], q[3] = b1+b3, b1-b3
	}
	h := 4
	// Two radix-2 stages (half-lengths h and 2h) per pass over the data:
	// half the loads and stores, and the second stage's odd twiddle is
	// -i times its even one.
	for ; 4*h <= m; h *= 4 {
		tw1 := f.tw[h : 2*h : 2*h]
		tw2 := f.tw[2*h : 3*h : 3*h]
		for i := 0; i < m; i += 4 * h {
			q0 := z[i : i+h : i+h]
			q1 := z[i+h : i+2*h : i+2*h]
			q2 := z[i+2*h : i+3*h : i+3*h]
			q3 := z[i+3*h : i+4*h : i+4*h]
			for j, w := range tw1 {
				wr, wi := real(w), imag(w)
				b, d := q1[j], q3[j]
				tb := complex(wr*real(b)-wi*imag(b), wr*imag(b)+wi*real(b))
				td := complex(wr*real(d)-wi*imag(d), wr*imag(d)+wi*real(d))
				a1, b1 := q0[j]+tb, q0[j]-tb
				c1, d1 := q2[j]+td, q2[j]-td
				v := tw2[j]
				vr, vi := real(v), imag(v)
				tc := complex(vr*real(c1)-vi*imag(c1), vr*imag(c1)+vi*real(c1))
				t := complex(vr*real(d1)-vi*imag(d1), vr*imag(d1)+vi*real(d1))
				t = complex(imag(t), -real(t)) // -i·t
				q0[j], q2[j] = a1+tc, a1-tc
				q1[j], q3[j] = b1+t, b1-t
			}
		}
	}
	// A last radix-2 stage when log2(m) is odd.
	for ; h < m; h *= 2 {
		tw := f.tw[h : 2*h : 2*h]
		for i := 0; i < m; i += 2 * h {
			a := z[i : i+h : i+h]
			b := z[i+h : i+2*h : i+2*h]
			for j, w := range tw {
				u := a[j]
				bj := b[j]
				t := complex(real(w)*real(bj)-imag(w)*imag(bj), real(w)*imag(bj)+imag(w)*real(bj))
				a[j] = u + t
				b[j] = u - t
			}
		}
	}
}

// coef returns coefficient k (0 <= k <= n/2) of the last transform.
func (f *realFFT) coef(k int) complex128 {
	if f.odd {
		return f.z[k]
	}
	m := f.m
	zk := f.z[k%m]
	zc := f.z[(m-k)%m]
	zc = complex(real(zc), -imag(zc)) // conj(Z[m-k])
	e := zk + zc                      // 2·E_k
	o := zk - zc                      // 2i·O_k
	o = complex(imag(o), -real(o))    // 2·O_k
	w := f.post[k]
	wo := complex(real(w)*real(o)-imag(w)*imag(o), real(w)*imag(o)+imag(w)*real(o))
	return (e + wo) * 0.5
}

// power writes |X_k|² for lo <= k < hi of the last transform to dst[k-lo].
func (f *realFFT) power(dst []float64, lo, hi int) {
	dst = dst[:hi-lo]
	if f.odd {
		for k, c := range f.z[lo:hi] {
			dst[k] = real(c)*real(c) + imag(c)*imag(c)
		}
		return
	}
	m := f.m
	z := f.z[:m]
	post := f.post[:m+1]
	for k := lo; k < hi; k++ {
		a, b := k, m-k
		if a == m {
			a = 0
		}
		if b == m {
			b = 0
		}
		zr, zi := real(z[a]), imag(z[a])
		cr, ci := real(z[b]), -imag(z[b])
		er, ei := zr+cr, zi+ci      // 2·E_k
		or, oi := zi-ci, -(zr - cr) // 2·O_k
		w := post[k]
		wr, wi := real(w), imag(w)
		xr := (er + (wr*or - wi*oi)) * 0.5
		xi := (ei + (wr*oi + wi*or)) * 0.5
		dst[k-lo] = xr*xr + xi*xi
	}
}
