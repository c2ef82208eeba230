package nn

import "fmt"

// The inner loops of the convolutions. Each has a pure-Go version (the
// reference: kernels_test.go holds the assembly ones to its bits) and,
// on amd64 with AVX2, an assembly one that computes the same sums in
// the same order with vector instructions: a multiply rounded to float64
// then an add rounded to float64 for every term (never a fused
// multiply-add), each output's terms added in the order of the reference.
// The conversions float64(x*y) in the reference make that rounding
// explicit, so that no compiler fuses them on any architecture.

// corrArgs describes a correlation over a run of n consecutive outputs:
//
//	dst[t] += sum over a < na, b < nb, k < nk of
//	          w[w0 + a*wa + b*wb + k] * in[i0 + a*ia + b*ib + k*ik + t]
//
// for t in [0, n), each output's terms added in (a, b, k) order to its
// current value. Every index must lie inside the slices.
type corrArgs struct {
	n, na, ia, wa, nb, ib, wb, nk, ik int
}

// corr runs the correlation c into dst from in at i0 and w at w0.
func corr(dst, in []float64, i0 int, w []float64, w0 int, c corrArgs) {
	if c.n <= 0 || c.na <= 0 || c.nb <= 0 || c.nk <= 0 {
		return
	}
	c.checkBounds(len(dst), len(in), i0, len(w), w0)
	if useAVX2 {
		corrAVX2(&dst[0], &in[i0], &w[w0], c.n, c.na, c.ia, c.wa, c.nb, c.ib, c.wb, c.nk, c.ik)
		return
	}
	corrGo(dst, in, i0, w, w0, c)
}

// checkBounds panics when c would read or write outside the slices (the
// assembly does not check).
func (c corrArgs) checkBounds(nDst, nIn, i0, nW, w0 int) {
	lo, hi := c.span()
	lo, hi = lo+i0, hi+i0
	wLast := w0 + (c.na-1)*c.wa + (c.nb-1)*c.wb + c.nk - 1
	if c.n > nDst || lo < 0 || hi >= nIn || w0 < 0 || wLast >= nW || c.wa < 0 || c.wb < 0 {
		panic(fmt.Sprintf("nn: correlation %+v out of range (dst %d, in %d at %d, w %d at %d)", c, nDst, nIn, i0, nW, w0))
	}
}

// span is the range [lo, hi] of the inputs c reads, from its first.
func (c corrArgs) span() (lo, hi int) {
	hi = c.n - 1
	for _, e := range [3]int{(c.na - 1) * c.ia, (c.nb - 1) * c.ib, (c.nk - 1) * c.ik} {
		lo, hi = lo+min(e, 0), hi+max(e, 0)
	}
	return lo, hi
}

// corrPair runs the correlation c twice on the same inputs: into dst
// from d0 with the weights from w0, and into dst from d1 with the
// weights from w1 (two filters, or two channels of an input gradient;
// only the first when d1 < 0). The assembly loads each input once for
// both.
func corrPair(dst []float64, d0, d1 int, in []float64, i0 int, w []float64, w0, w1 int, c corrArgs) {
	if d1 < 0 {
		corr(dst[d0:], in, i0, w, w0, c)
		return
	}
	if c.n <= 0 || c.na <= 0 || c.nb <= 0 || c.nk <= 0 {
		return
	}
	if !useAVX2 {
		corr(dst[d0:], in, i0, w, w0, c)
		corr(dst[d1:], in, i0, w, w1, c)
		return
	}
	if d0 < 0 || d1 < 0 || max(d0, d1)-min(d0, d1) < c.n {
		panic(fmt.Sprintf("nn: correlation outputs at %d and %d overlap or are out of range", d0, d1))
	}
	c.checkBounds(len(dst)-d0, len(in), i0, len(w), w0)
	c.checkBounds(len(dst)-d1, len(in), i0, len(w), w1)
	corrPairAVX2(&dst[d0], &in[i0], &w[w0], c.n, c.na, c.ia, c.wa, c.nb, c.ib, c.wb, c.nk, c.ik, d1-d0, w1-w0)
}

// pairOf returns the output and weight offsets of the second of the
// outputs i and i+1 of n whose outputs are dstride and weights wstride
// apart (for corrPair; -1 when i is the last).
func pairOf(i, n, dstride, wstride int) (d1, w1 int) {
	if i+1 >= n {
		return -1, 0
	}
	return (i + 1) * dstride, (i + 1) * wstride
}

// corrGo is the reference of corr.
func corrGo(dst, in []float64, i0 int, w []float64, w0 int, c corrArgs) {
	for t := range dst[:c.n] {
		acc := dst[t]
		for a := 0; a < c.na; a++ {
			for b := 0; b < c.nb; b++ {
				wi := w0 + a*c.wa + b*c.wb
				j := i0 + a*c.ia + b*c.ib + t
				for k := 0; k < c.nk; k++ {
					acc += float64(w[wi+k] * in[j])
					j += c.ik
				}
			}
		}
		dst[t] = acc
	}
}

// dotArgs describes the dot products of nf runs of d with one run of s:
// rows rows of n values, row r of run f at d[d0 + f*fs + r*rs] and of s
// at s[s0 + r*rs]. Each product has four partial sums: value i of a row
// goes to sum i%4 when i < n-n%4, else to sum 0, rows after rows, and the
// result is (sum0+sum1)+(sum2+sum3).
type dotArgs struct {
	n, rows, rs, fs int
}

// dotMax is the most runs of one dot call.
const dotMax = 8

// dot writes the nf (1 to dotMax) dot products a describes into res.
func dot(res []float64, d []float64, d0 int, s []float64, s0 int, nf int, a dotArgs) {
	res = res[:nf]
	if a.n <= 0 || a.rows <= 0 {
		clear(res)
		return
	}
	last := (a.rows-1)*a.rs + a.n - 1
	if d0 < 0 || s0 < 0 || a.rs < 0 || a.fs < 0 || d0+(nf-1)*a.fs+last >= len(d) || s0+last >= len(s) {
		panic(fmt.Sprintf("nn: dot %+v of %d runs out of range (d %d at %d, s %d at %d)", a, nf, len(d), d0, len(s), s0))
	}
	switch {
	case useAVX2 && nf == 8:
		dot8AVX2((*[8]float64)(res), &d[d0], &s[s0], a.n, a.rows, a.rs, a.fs)
	case useAVX2 && nf == 4:
		dot4AVX2((*[4]float64)(res), &d[d0], &s[s0], a.n, a.rows, a.rs, a.fs)
	default:
		for f := range res {
			res[f] = dotGo(d, d0+f*a.fs, s, s0, a)
		}
	}
}

// dot4x2 writes to res[2f+c] the dot product of run f < 4 of d (as dot's)
// with run c < 2 of s, the second cs values after the first (two input
// channels): each load of d feeds both.
func dot4x2(res []float64, d []float64, d0 int, s []float64, s0, cs int, a dotArgs) {
	res = res[:8]
	if a.n <= 0 || a.rows <= 0 {
		clear(res)
		return
	}
	last := (a.rows-1)*a.rs + a.n - 1
	if d0 < 0 || s0 < 0 || cs < 0 || a.rs < 0 || a.fs < 0 || d0+3*a.fs+last >= len(d) || s0+cs+last >= len(s) {
		panic(fmt.Sprintf("nn: dot %+v of 4x2 runs out of range (d %d at %d, s %d at %d and %d)", a, len(d), d0, len(s), s0, s0+cs))
	}
	if useAVX2 {
		dot4x2AVX2((*[8]float64)(res), &d[d0], &s[s0], a.n, a.rows, a.rs, a.fs, cs)
		return
	}
	for f := 0; f < 4; f++ {
		for c := 0; c < 2; c++ {
			res[2*f+c] = dotGo(d, d0+f*a.fs, s, s0+c*cs, a)
		}
	}
}

// dotGo is the reference of one run of dot.
func dotGo(d []float64, d0 int, s []float64, s0 int, a dotArgs) float64 {
	var a0, a1, a2, a3 float64
	for r := 0; r < a.rows; r++ {
		dr := d[d0+r*a.rs : d0+r*a.rs+a.n]
		sr := s[s0+r*a.rs : s0+r*a.rs+a.n]
		i := 0
		for ; i+4 <= len(dr); i += 4 {
			a0 += float64(dr[i] * sr[i])
			a1 += float64(dr[i+1] * sr[i+1])
			a2 += float64(dr[i+2] * sr[i+2])
			a3 += float64(dr[i+3] * sr[i+3])
		}
		for ; i < len(dr); i++ {
			a0 += float64(dr[i] * sr[i])
		}
	}
	return (a0 + a1) + (a2 + a3)
}

// vectorPart is how many of n values the assembly takes four at a time
// (0 without it); the Go code does the rest.
func vectorPart(n int) int {
	if !useAVX2 {
		return 0
	}
	return n &^ 3
}

// pool2Max writes to out[x] the maximum of in[2x] and in[2x+1], the
// first on ties (in[2x+1] only when greater; never a NaN second).
func pool2Max(out, in []float64) {
	n := len(out)
	in = in[:2*n]
	m := vectorPart(n)
	if m > 0 {
		pool2MaxAVX2(&out[0], &in[0], m)
	}
	for x := m; x < n; x++ {
		out[x], _ = pickGreater(in[2*x], 0, in[2*x+1], 1)
	}
}

// pool2MaxBack routes dout[x] to the maximum of in[2x] and in[2x+1] as
// pool2Max chose it: din there is 0 + dout[x], the other value 0.
func pool2MaxBack(din, in, dout []float64) {
	n := len(dout)
	in, din = in[:2*n], din[:2*n]
	m := vectorPart(n)
	if m > 0 {
		pool2MaxBackAVX2(&din[0], &in[0], &dout[0], m)
	}
	for x := m; x < n; x++ {
		_, i := pickGreater(in[2*x], 2*x, in[2*x+1], 2*x+1)
		din[2*x], din[2*x+1] = 0, 0
		din[i] += dout[x]
	}
}

// pool2x2Max writes to out[x] the maximum of the window of in0[2x],
// in0[2x+1], in1[2x], in1[2x+1], the first in that order on ties.
func pool2x2Max(out, in0, in1 []float64) {
	n := len(out)
	in0, in1 = in0[:2*n], in1[:2*n]
	m := vectorPart(n)
	if m > 0 {
		pool2x2MaxAVX2(&out[0], &in0[0], &in1[0], m)
	}
	for x := m; x < n; x++ {
		out[x], _ = max2x2(in0[2*x:2*x+2], in1[2*x:2*x+2])
	}
}

// pool2x2MaxBack routes dout[x] to the maximum of its window as
// pool2x2Max chose it: din0 or din1 there is 0 + dout[x], 0 elsewhere.
func pool2x2MaxBack(din0, din1, in0, in1, dout []float64) {
	n := len(dout)
	in0, in1, din0, din1 = in0[:2*n], in1[:2*n], din0[:2*n], din1[:2*n]
	m := vectorPart(n)
	if m > 0 {
		pool2x2MaxBackAVX2(&din0[0], &din1[0], &in0[0], &in1[0], &dout[0], m)
	}
	for x := m; x < n; x++ {
		_, i := max2x2(in0[2*x:2*x+2], in1[2*x:2*x+2])
		din0[2*x], din0[2*x+1], din1[2*x], din1[2*x+1] = 0, 0, 0, 0
		if i < 2 {
			din0[2*x+i] += dout[x]
		} else {
			din1[2*x+i-2] += dout[x]
		}
	}
}

// max2x2 returns the maximum of a, b (the first row of a 2 x 2 window)
// then c, d (the second) and its place in that order (0 to 3), the first
// on ties.
func max2x2(r0, r1 []float64) (float64, int) {
	v, i := pickGreater(r0[0], 0, r0[1], 1)
	v, i = pickGreater(v, i, r1[0], 2)
	return pickGreater(v, i, r1[1], 3)
}

// addSums adds to dst[o] the sum of the n values of run o of d (from
// o*n), each in order: four runs at a time, so that their additions
// overlap (a bias gradient).
func addSums(dst, d []float64, n int) {
	o := 0
	for ; o+4 <= len(dst); o += 4 {
		r0, r1, r2, r3 := d[o*n:(o+1)*n], d[(o+1)*n:(o+2)*n], d[(o+2)*n:(o+3)*n], d[(o+3)*n:(o+4)*n]
		var s0, s1, s2, s3 float64
		for i, v := range r0 {
			s0 += v
			s1 += r1[i]
			s2 += r2[i]
			s3 += r3[i]
		}
		dst[o] += s0
		dst[o+1] += s1
		dst[o+2] += s2
		dst[o+3] += s3
	}
	for ; o < len(dst); o++ {
		s := 0.0
		for _, v := range d[o*n : (o+1)*n] {
			s += v
		}
		dst[o] += s
	}
}
