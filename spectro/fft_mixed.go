package spectro

import (
	"math"
	"math/bits"
)

// cfft is a forward complex DFT of one fixed length n,
//
//	X[k] = Σ_j x[j]·exp(-2πi·jk/n),  0 <= k < n,
//
// for any n >= 1. Lengths whose prime factors are small are done by a
// mixed-radix Stockham (self-sorting) Cooley–Tukey transform with
// butterflies for radices 2, 3, 4 and 5 and a generic one for any odd
// prime; lengths where that would cost more than a chirp-z transform
// (a large prime factor) use Bluestein's algorithm over a power-of-two
// cfft. Construction is O(n log n) time and O(n) memory (O(M) with
// M < 4n for Bluestein), plus (p-1)²/4 cosines for a generic radix p,
// which the cost model keeps near or below 100 and maxRadix caps at 257;
// transform allocates nothing.
//
// Stockham decimation in time, as used here (Van Loan, "Computational
// Frameworks for the Fast Fourier Transform", SIAM 1992, §1.7 and §2.3;
// Temperton, "Self-sorting mixed-radix fast Fourier transforms", J.
// Comput. Phys. 52 (1983)): write n = p_1·p_2·…·p_s. Before stage q the
// array holds, for every residue j mod r (r = n/L, L = p_1…p_{q-1}), the
// L-point DFT Y[k, j] of the subsequence x[j], x[j+r], …, x[j+(L-1)r],
// stored at k·r + j. With p = p_q, r' = r/p, ω_N = exp(-2πi/N) and
// k' = k + L·v,
//
//	Y'[k + L·v, j'] = Σ_{u<p} ω_p^{uv} · (ω_{Lp}^{uk} · Y[k, j' + u·r']),
//
// a p-point DFT of twiddled inputs read at k·p·r' + u·r' + j' and written
// at (k + L·v)·r' + j': both contiguous in j', no bit reversal, and after
// the last stage (r = 1) the array is X in natural order. Stages
// alternate between the output slice and one work buffer.
type cfft struct {
	n      int
	stages []cstage
	work   []complex128 // ping-pong partner of dst, n values
	blue   *bluestein   // non-nil: Bluestein's algorithm instead of stages
}

// cstage is one radix-p pass of the Stockham transform.
type cstage struct {
	p, l, r int          // radix, L (transforms done), r' (= n/(L·p))
	tw      []complex128 // tw[k·(p-1) + u-1] = exp(-2πi·uk/(Lp)), 0 <= k < L, 1 <= u < p
	rot     []complex128 // generic radix: rot[(v-1)h + u-1] = cos + i·sin(2π·uv/p), 1 <= u, v <= h = (p-1)/2
	buf     []complex128 // generic radix: p-1 values of scratch
}

// newCFFT returns a plan for the complex DFT of length n >= 1 of which
// the caller reads the first nout (1 <= nout <= n) outputs: a real input
// of odd length needs only (n+1)/2, which lets Bluestein's convolution be
// shorter.
func newCFFT(n, nout int) *cfft { return newCFFTPath(n, nout, useBluestein(n, nout, factorize(n))) }

// newCFFTPath is newCFFT with the choice of Bluestein's algorithm made by
// the caller (tests and benchmarks).
func newCFFTPath(n, nout int, blue bool) *cfft {
	f := &cfft{n: n}
	fac := factorize(n)
	if blue {
		f.blue = newBluestein(n, nout)
		return f
	}
	l := 1
	for _, p := range fac {
		r := n / (l * p)
		s := cstage{p: p, l: l, r: r, tw: make([]complex128, l*(p-1))}
		for k := 0; k < l; k++ {
			for u := 1; u < p; u++ {
				s.tw[k*(p-1)+u-1] = expm(u*k, l*p)
			}
		}
		if p > 5 {
			// h×h table of cos + i·sin(2π·uv/p), 1 <= u, v <= h: p is
			// below the Bluestein crossover (about 100 for n up to 10⁴)
			// and at most maxRadix, so this stays small.
			h := (p - 1) / 2
			s.rot = make([]complex128, h*h)
			for v := 1; v <= h; v++ {
				for u := 1; u <= h; u++ {
					e := expm(u*v, p)
					s.rot[(v-1)*h+u-1] = complex(real(e), -imag(e))
				}
			}
			s.buf = make([]complex128, p-1)
		}
		f.stages = append(f.stages, s)
		l *= p
	}
	if len(f.stages) > 1 {
		f.work = make([]complex128, n)
	}
	return f
}

// expm returns exp(-2πi·a/b) for a >= 0, computed directly with a
// reduced mod b first (so the argument of Sincos is below 2π) and exact
// values at the quarter turns.
func expm(a, b int) complex128 {
	a %= b
	switch {
	case a == 0:
		return 1
	case 4*a == b:
		return -1i
	case 2*a == b:
		return -1
	case 4*a == 3*b:
		return 1i
	}
	s, c := math.Sincos(-2 * math.Pi * float64(a) / float64(b))
	return complex(c, s)
}

// factorize splits n into the radices of the Stockham stages: fours
// first, then a two, threes, fives and the remaining primes ascending.
func factorize(n int) []int {
	var fac []int
	for n%4 == 0 {
		fac = append(fac, 4)
		n /= 4
	}
	for _, p := range []int{2, 3, 5} {
		for n%p == 0 {
			fac = append(fac, p)
			n /= p
		}
	}
	for p := 7; p*p <= n; p += 2 {
		for n%p == 0 {
			fac = append(fac, p)
			n /= p
		}
	}
	if n > 1 {
		fac = append(fac, n)
	}
	return fac
}

// stageCost is the cost per point of a radix-p stage, in rough units of
// a real floating-point operation, for choosing between the mixed-radix
// stages and Bluestein's algorithm: a generic radix-p butterfly does
// 4h² real multiply-adds for p points (h = (p-1)/2), a twiddle 6. The
// constants were fitted to timings of both paths for primes 13..257 and
// products of a small and a large prime (the crossover is near p = 100).
func stageCost(p int) float64 {
	switch p {
	case 2:
		return 5
	case 3:
		return 8
	case 4:
		return 8.5
	case 5:
		return 11
	}
	q := float64(p - 1)
	return 2*q*q/float64(p) + 6
}

// maxRadix bounds the generic radix (and so its (p-1)²/4 table) whatever
// the cost model says; it only matters for lengths far above 10⁴.
const maxRadix = 257

// useBluestein reports whether Bluestein's algorithm is expected to be
// cheaper than the mixed-radix stages for the first nout outputs of an
// n-point DFT with prime factors fac.
func useBluestein(n, nout int, fac []int) bool {
	if len(fac) == 0 || fac[len(fac)-1] <= 5 || n&(n-1) == 0 {
		return false
	}
	if fac[len(fac)-1] > maxRadix {
		return true
	}
	mixed := 0.0
	for _, p := range fac {
		mixed += float64(n) * stageCost(p)
	}
	m := bluesteinLen(n, nout)
	lg := float64(bits.Len(uint(m)) - 1)
	// Two transforms of length m (radix 4) and three pointwise products.
	blue := float64(m) * (2*4.25*lg + 18)
	return blue < mixed
}

// bluesteinLen is the length of the cyclic convolution that gives the
// first nout outputs of an n-point DFT: the power of two M >= n+nout-1.
func bluesteinLen(n, nout int) int {
	return 1 << bits.Len(uint(n+nout-2))
}

// transform writes the DFT of src to dst (both of length n; they must not
// overlap). src is left unchanged. Only the first nout values of dst are
// sure to be written.
func (f *cfft) transform(dst, src []complex128) {
	n := f.n
	dst, src = dst[:n:n], src[:n:n]
	if f.blue != nil {
		f.blue.transform(dst, src)
		return
	}
	if len(f.stages) == 0 {
		copy(dst, src)
		return
	}
	// Stage i writes to dst when an even number of stages follow it.
	in := src
	for i := range f.stages {
		out := dst
		if (len(f.stages)-1-i)%2 == 1 {
			out = f.work[:n:n]
		}
		s := &f.stages[i]
		switch s.p {
		case 2:
			pass2(out, in, s.l, s.r, s.tw)
		case 3:
			pass3(out, in, s.l, s.r, s.tw)
		case 4:
			pass4(out, in, s.l, s.r, s.tw)
		case 5:
			pass5(out, in, s.l, s.r, s.tw)
		default:
			passGeneric(out, in, s)
		}
		in = out
	}
}

// mulc is a·b written out (the compiler keeps it inline and branch-free).
func mulc(a, b complex128) complex128 {
	return complex(real(a)*real(b)-imag(a)*imag(b), real(a)*imag(b)+imag(a)*real(b))
}

// scale is c·a for real c (Go's c*a would multiply by complex(c, 0) in
// full).
func scale(c float64, a complex128) complex128 { return complex(c*real(a), c*imag(a)) }

// mulmi is -i·a.
func mulmi(a complex128) complex128 { return complex(imag(a), -real(a)) }

func pass2(dst, src []complex128, l, r int, tw []complex128) {
	lr := l * r
	if r == 1 {
		src, tw = src[:2*l], tw[:l]
		d0, d1 := dst[:l], dst[l:2*l]
		for k := range d0 {
			a0 := src[2*k]
			a1 := mulc(src[2*k+1], tw[k])
			d0[k], d1[k] = a0+a1, a0-a1
		}
		return
	}
	for k := 0; k < l; k++ {
		s0 := src[2*k*r : 2*k*r+r]
		s1 := src[2*k*r+r : 2*k*r+2*r]
		d0 := dst[k*r : k*r+r]
		d1 := dst[k*r+lr : k*r+lr+r]
		s1, d0, d1 = s1[:len(s0)], d0[:len(s0)], d1[:len(s0)]
		if k == 0 {
			for j, a0 := range s0 {
				a1 := s1[j]
				d0[j], d1[j] = a0+a1, a0-a1
			}
			continue
		}
		w := tw[k]
		for j, a0 := range s0 {
			a1 := mulc(s1[j], w)
			d0[j], d1[j] = a0+a1, a0-a1
		}
	}
}

func pass4(dst, src []complex128, l, r int, tw []complex128) {
	lr := l * r
	if r == 1 {
		src, tw = src[:4*l], tw[:3*l]
		d0, d1, d2, d3 := dst[:l], dst[l:2*l], dst[2*l:3*l], dst[3*l:4*l]
		for k := range d0 {
			q := src[4*k : 4*k+4 : 4*k+4]
			w := tw[3*k : 3*k+3 : 3*k+3]
			a0, a1, a2, a3 := q[0], mulc(q[1], w[0]), mulc(q[2], w[1]), mulc(q[3], w[2])
			t0, t1 := a0+a2, a0-a2
			t2, t3 := a1+a3, mulmi(a1-a3)
			d0[k], d2[k] = t0+t2, t0-t2
			d1[k], d3[k] = t1+t3, t1-t3
		}
		return
	}
	for k := 0; k < l; k++ {
		b := 4 * k * r
		s0 := src[b : b+r]
		s1 := src[b+r : b+2*r]
		s2 := src[b+2*r : b+3*r]
		s3 := src[b+3*r : b+4*r]
		o := k * r
		d0 := dst[o : o+r]
		d1 := dst[o+lr : o+lr+r]
		d2 := dst[o+2*lr : o+2*lr+r]
		d3 := dst[o+3*lr : o+3*lr+r]
		s1, s2, s3 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)]
		d0, d1, d2, d3 = d0[:len(s0)], d1[:len(s0)], d2[:len(s0)], d3[:len(s0)]
		if k == 0 {
			for j, a0 := range s0 {
				a1, a2, a3 := s1[j], s2[j], s3[j]
				t0, t1 := a0+a2, a0-a2
				t2, t3 := a1+a3, mulmi(a1-a3)
				d0[j], d2[j] = t0+t2, t0-t2
				d1[j], d3[j] = t1+t3, t1-t3
			}
			continue
		}
		w1, w2, w3 := tw[3*k], tw[3*k+1], tw[3*k+2]
		for j, a0 := range s0 {
			a1, a2, a3 := mulc(s1[j], w1), mulc(s2[j], w2), mulc(s3[j], w3)
			t0, t1 := a0+a2, a0-a2
			t2, t3 := a1+a3, mulmi(a1-a3)
			d0[j], d2[j] = t0+t2, t0-t2
			d1[j], d3[j] = t1+t3, t1-t3
		}
	}
}

// Radix 3: with ω = exp(-2πi/3) = -1/2 - i·√3/2, s = a1+a2, d = a1-a2,
// X0 = a0 + s, X1,2 = a0 - s/2 ∓ i·(√3/2)·d.
const sin60 = 0.86602540378443864676372317075293618347140262690519

func bfly3(a0, a1, a2 complex128) (x0, x1, x2 complex128) {
	s, d := a1+a2, a1-a2
	m := a0 - scale(0.5, s)
	t := scale(sin60, mulmi(d)) // -i·(√3/2)·d
	return a0 + s, m + t, m - t
}

func pass3(dst, src []complex128, l, r int, tw []complex128) {
	lr := l * r
	if r == 1 {
		src, tw = src[:3*l], tw[:2*l]
		d0, d1, d2 := dst[:l], dst[l:2*l], dst[2*l:3*l]
		for k := range d0 {
			q := src[3*k : 3*k+3 : 3*k+3]
			w := tw[2*k : 2*k+2 : 2*k+2]
			d0[k], d1[k], d2[k] = bfly3(q[0], mulc(q[1], w[0]), mulc(q[2], w[1]))
		}
		return
	}
	for k := 0; k < l; k++ {
		b := 3 * k * r
		s0 := src[b : b+r]
		s1 := src[b+r : b+2*r]
		s2 := src[b+2*r : b+3*r]
		o := k * r
		d0 := dst[o : o+r]
		d1 := dst[o+lr : o+lr+r]
		d2 := dst[o+2*lr : o+2*lr+r]
		s1, s2 = s1[:len(s0)], s2[:len(s0)]
		d0, d1, d2 = d0[:len(s0)], d1[:len(s0)], d2[:len(s0)]
		if k == 0 {
			for j, a0 := range s0 {
				d0[j], d1[j], d2[j] = bfly3(a0, s1[j], s2[j])
			}
			continue
		}
		w1, w2 := tw[2*k], tw[2*k+1]
		for j, a0 := range s0 {
			d0[j], d1[j], d2[j] = bfly3(a0, mulc(s1[j], w1), mulc(s2[j], w2))
		}
	}
}

// Radix 5: with c_u = cos(2πu/5), s_u = sin(2πu/5), S_u = a_u + a_{5-u},
// D_u = a_u - a_{5-u}:
//
//	X0 = a0 + S1 + S2
//	X1,4 = a0 + c1·S1 + c2·S2 ∓ i·(s1·D1 + s2·D2)
//	X2,3 = a0 + c2·S1 + c1·S2 ∓ i·(s2·D1 - s1·D2)
const (
	cos72  = 0.30901699437494742410229341718281905886436044109775
	cos144 = -0.80901699437494742410229341718281905886436044109775
	sin72  = 0.95105651629515357211643933337938214340569863412575
	sin144 = 0.58778525229247312916870595463907276859765243764315
)

func bfly5(a0, a1, a2, a3, a4 complex128) (x0, x1, x2, x3, x4 complex128) {
	s1, d1 := a1+a4, a1-a4
	s2, d2 := a2+a3, a2-a3
	m1 := a0 + scale(cos72, s1) + scale(cos144, s2)
	m2 := a0 + scale(cos144, s1) + scale(cos72, s2)
	t1 := mulmi(scale(sin72, d1) + scale(sin144, d2))
	t2 := mulmi(scale(sin144, d1) - scale(sin72, d2))
	return a0 + s1 + s2, m1 + t1, m2 + t2, m2 - t2, m1 - t1
}

func pass5(dst, src []complex128, l, r int, tw []complex128) {
	lr := l * r
	if r == 1 {
		src, tw = src[:5*l], tw[:4*l]
		d0, d1, d2, d3, d4 := dst[:l], dst[l:2*l], dst[2*l:3*l], dst[3*l:4*l], dst[4*l:5*l]
		for k := range d0 {
			q := src[5*k : 5*k+5 : 5*k+5]
			w := tw[4*k : 4*k+4 : 4*k+4]
			d0[k], d1[k], d2[k], d3[k], d4[k] = bfly5(q[0],
				mulc(q[1], w[0]), mulc(q[2], w[1]), mulc(q[3], w[2]), mulc(q[4], w[3]))
		}
		return
	}
	for k := 0; k < l; k++ {
		b := 5 * k * r
		s0 := src[b : b+r]
		s1 := src[b+r : b+2*r]
		s2 := src[b+2*r : b+3*r]
		s3 := src[b+3*r : b+4*r]
		s4 := src[b+4*r : b+5*r]
		o := k * r
		d0 := dst[o : o+r]
		d1 := dst[o+lr : o+lr+r]
		d2 := dst[o+2*lr : o+2*lr+r]
		d3 := dst[o+3*lr : o+3*lr+r]
		d4 := dst[o+4*lr : o+4*lr+r]
		s1, s2, s3, s4 = s1[:len(s0)], s2[:len(s0)], s3[:len(s0)], s4[:len(s0)]
		d0, d1, d2, d3, d4 = d0[:len(s0)], d1[:len(s0)], d2[:len(s0)], d3[:len(s0)], d4[:len(s0)]
		if k == 0 {
			for j, a0 := range s0 {
				d0[j], d1[j], d2[j], d3[j], d4[j] = bfly5(a0, s1[j], s2[j], s3[j], s4[j])
			}
			continue
		}
		w1, w2, w3, w4 := tw[4*k], tw[4*k+1], tw[4*k+2], tw[4*k+3]
		for j, a0 := range s0 {
			d0[j], d1[j], d2[j], d3[j], d4[j] = bfly5(a0,
				mulc(s1[j], w1), mulc(s2[j], w2), mulc(s3[j], w3), mulc(s4[j], w4))
		}
	}
}

// passGeneric is a radix-p stage for an odd prime p. With S_u = a_u +
// a_{p-u} and D_u = a_u - a_{p-u} for 1 <= u <= h = (p-1)/2,
//
//	X_v, X_{p-v} = a0 + Σ_u cos(2πuv/p)·S_u ∓ i·Σ_u sin(2πuv/p)·D_u,
//
// h² complex-by-real products for each pair of outputs instead of p².
func passGeneric(dst, src []complex128, s *cstage) {
	p, l, r := s.p, s.l, s.r
	lr := l * r
	h := (p - 1) / 2
	sum, dif := s.buf[:h:h], s.buf[h:2*h:2*h]
	for k := 0; k < l; k++ {
		w := s.tw[k*(p-1) : (k+1)*(p-1)]
		w = w[:p-1]
		for j := 0; j < r; j++ {
			b := k*p*r + j
			a0 := src[b]
			x0 := a0
			for u := 1; u <= h; u++ {
				au := src[b+u*r]
				av := src[b+(p-u)*r]
				if k > 0 {
					au = mulc(au, w[u-1])
					av = mulc(av, w[p-u-1])
				}
				sum[u-1], dif[u-1] = au+av, au-av
				x0 += au + av
			}
			o := k*r + j
			dst[o] = x0
			for v := 1; v <= h; v++ {
				row := s.rot[(v-1)*h : v*h]
				row = row[:len(sum)]
				var ar, ai, br, bi float64
				for u, cs := range row {
					c, sn := real(cs), imag(cs) // cos, sin of 2π(u+1)v/p
					ar += c * real(sum[u])
					ai += c * imag(sum[u])
					br += sn * real(dif[u])
					bi += sn * imag(dif[u])
				}
				a := a0 + complex(ar, ai)
				t2 := complex(bi, -br) // -i·B
				dst[o+v*lr] = a + t2
				dst[o+(p-v)*lr] = a - t2
			}
		}
	}
}

// bluestein computes a DFT of any length n as a cyclic convolution of
// length M, using jk = (j² + k² - (k-j)²)/2:
//
//	X[k] = c_k · Σ_j (x[j]·c_j) · conj(c_{k-j}),  c_j = exp(-πi·j²/n).
//
// For k < nout the index k-j runs over -(n-1)..nout-1, so any M >=
// n+nout-1 (a power of two here) holds the kernel without wrapping onto
// itself: 2n-1 for the whole spectrum, about 3n/2 for half of it.
//
// Reference: Bluestein, "A linear filtering approach to the computation
// of discrete Fourier transform", IEEE Trans. Audio Electroacoust. 18
// (1970); Rabiner, Schafer & Rader, "The chirp z-transform algorithm",
// ibid. 17 (1969). The inverse transform of the convolution is done with
// the forward one, as conj(FFT(conj(·)))/M.
type bluestein struct {
	n     int
	nout  int          // outputs computed
	chirp []complex128 // c_j, 0 <= j < n
	kern  []complex128 // FFT of conj(c) wrapped to length M, times 1/M
	a, b  []complex128 // work, M values each
	fft   *cfft        // length M
}

func newBluestein(n, nout int) *bluestein {
	m := bluesteinLen(n, nout)
	b := &bluestein{
		n:     n,
		nout:  nout,
		chirp: make([]complex128, n),
		kern:  make([]complex128, m),
		a:     make([]complex128, m),
		b:     make([]complex128, m),
		fft:   newCFFT(m, m),
	}
	for j := range b.chirp {
		// j² mod 2n keeps the angle π·j²/n below 2π: exact reduction in
		// integers (j² < 2^62 for any slice length here).
		b.chirp[j] = expm(j*j%(2*n), 2*n)
	}
	a := b.a
	for j, c := range b.chirp {
		cc := complex(real(c), -imag(c))
		if j < nout {
			a[j] = cc
		}
		if j > 0 {
			a[m-j] = cc
		}
	}
	b.fft.transform(b.kern, a)
	clear(a)
	inv := 1 / float64(m)
	for i, v := range b.kern {
		b.kern[i] = scale(inv, v)
	}
	return b
}

func (b *bluestein) transform(dst, src []complex128) {
	n := b.n
	a, y := b.a, b.b
	chirp := b.chirp[:n:n]
	src, dst = src[:n:n], dst[:n:n]
	for j, c := range chirp {
		a[j] = mulc(src[j], c)
	}
	clear(a[n:])
	b.fft.transform(y, a)
	kern := b.kern[:len(y):len(y)]
	for i, v := range y {
		t := mulc(v, kern[i])
		a[i] = complex(real(t), -imag(t))
	}
	b.fft.transform(y, a)
	for k, c := range chirp[:b.nout] {
		v := y[k]
		dst[k] = mulc(complex(real(v), -imag(v)), c)
	}
}
