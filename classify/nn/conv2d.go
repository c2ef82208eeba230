package nn

import "math/rand/v2"

// Conv2D is a 2-D convolution with Out filters of K x K (K odd) over all
// input channels, stride 1 and zero padding K/2, so that the output has
// the input's rows and columns. Its parameters are the weights, filter by
// filter, channel by channel, row by row (Out*In.C*K*K), then one bias
// per filter.
type Conv2D struct {
	in     Shape
	OutC   int
	K      int
	nW     int
	planes int // H*W
}

// NewConv2D returns a convolution of in with outC filters of k x k.
func NewConv2D(in Shape, outC, k int) *Conv2D {
	return &Conv2D{in: in, OutC: outC, K: k, nW: outC * in.C * k * k, planes: in.H * in.W}
}

// In is the input shape.
func (l *Conv2D) In() Shape { return l.in }

// Out is the output shape: OutC channels of the input's size.
func (l *Conv2D) Out() Shape { return Shape{l.OutC, l.in.H, l.in.W} }

// NumParams counts the weights and biases.
func (l *Conv2D) NumParams() int { return l.nW + l.OutC }

// Init draws He-normal weights (fan-in In.C*K*K) and zero biases.
func (l *Conv2D) Init(p []float64, rng *rand.Rand) {
	heInit(p[:l.nW], l.in.C*l.K*l.K, rng)
	clear(p[l.nW:l.NumParams()])
}

// span is the range [lo, hi) of output positions whose input position
// (output + d) is inside [0, n).
func span(d, n int) (lo, hi int) { return max(0, -d), min(n, n-d) }

// interior is the range [lo, hi) of the n positions of a row whose every
// tap of a kernel of k (zero padding k/2, stride 1) lies inside the row:
// the kernels run there, positions outside it are the edges.
func interior(n, k int) (lo, hi int) {
	lo = min(k/2, n)
	return lo, max(lo, n-k/2)
}

// validTaps is the range [k0, k1) of the taps of a kernel of k (zero
// padding k/2, stride 1) at position pos that reach inside [0, n): tap k
// reads pos + s*(k - k/2), s 1 (a convolution) or -1 (its gradient).
func validTaps(pos, n, k, s int) (k0, k1 int) {
	pad := k / 2
	if s > 0 {
		return max(0, pad-pos), min(k, n-pos+pad)
	}
	return max(0, pos+pad-n+1), min(k, pos+pad+1)
}

// tap is one weight of a filter: its index in the weights, the shift of
// its input position from the output position in the flat plane
// (dy*W + dx), and the output rows [y0, y1) and columns [x0, x1) whose
// shifted input lies inside the plane (zero padding outside).
type tap struct{ wi, shift, y0, y1, x0, x1 int }

// taps returns the K*K taps of filter o over input channel c.
func (l *Conv2D) taps(dst []tap, o, c int) []tap {
	H, W, C, K, pad := l.in.H, l.in.W, l.in.C, l.K, l.K/2
	dst = dst[:0]
	for ky := 0; ky < K; ky++ {
		dy := ky - pad
		y0, y1 := span(dy, H)
		for kx := 0; kx < K; kx++ {
			dx := kx - pad
			x0, x1 := span(dx, W)
			dst = append(dst, tap{((o*C+c)*K+ky)*K + kx, dy*W + dx, y0, y1, x0, x1})
		}
	}
	return dst
}

// Forward convolves: out[o] = bias[o] + sum over c, ky, kx of
// w[o,c,ky,kx] * in[c] shifted by (ky-K/2, kx-K/2), the terms of each
// output added in that order, those outside the input left out.
func (l *Conv2D) Forward(p, in, out []float64) {
	C, K, P := l.in.C, l.K, l.planes
	w, b := p[:l.nW], p[l.nW:]
	for o := 0; o < l.OutC; o++ {
		dst := out[o*P : (o+1)*P]
		for i := range dst {
			dst[i] = b[o]
		}
	}
	for o := 0; o < l.OutC; o += 2 {
		d1, w1 := pairOf(o, l.OutC, P, C*K*K)
		init1 := 0.0
		if d1 >= 0 {
			init1 = b[o+1]
		}
		l.plane(out, planePair{o * P, o * C * K * K, b[o], d1, w1, init1}, in, w, C, K*K, 1)
	}
}

// planePair is one output plane (its offset in the outputs, that of its
// weights, its initial value) and optionally a second (d1 < 0: none).
type planePair struct {
	d0, w0 int
	init0  float64
	d1, w1 int
	init1  float64
}

// at returns the offsets of the pair moved by d outputs and wd weights.
func (pp planePair) at(d, wd int) (d0, d1, w0, w1 int) {
	d1 = pp.d1
	if d1 >= 0 {
		d1 += d
	}
	return pp.d0 + d, d1, pp.w0 + wd, pp.w1 + wd
}

// reset sets the output at d of both planes to their initial values.
func (pp planePair) reset(dst []float64, d int) {
	dst[pp.d0+d] = pp.init0
	if pp.d1 >= 0 {
		dst[pp.d1+d] = pp.init1
	}
}

// plane adds to the output planes pp of dst (every value its initial
// one) their terms: at (y, x) the sum over a < na, ky, kx of
// w[w0 + a*wa + ky*K + kx] times in's plane a at (y + s*(ky-K/2),
// x + s*(kx-K/2)), s 1 (Forward) or -1 (the input gradient), in that
// order, those outside the plane left out. The rows whose every kernel
// row is inside run as one stretch from their first inside column to
// their last: its edge columns, where taps wrap to the next row, are
// reset and redone one by one with the taps inside.
func (l *Conv2D) plane(dst []float64, pp planePair, in, w []float64, na, wa, s int) {
	H, W, K, P, pad := l.in.H, l.in.W, l.K, l.planes, l.K/2
	lo, hi := interior(W, K)
	f0, f1 := pad, H-pad
	if hi <= lo || f1 <= f0 {
		f0, f1 = 0, 0
	}
	if f1 > f0 {
		start, end := f0*W+lo, (f1-1)*W+hi
		d0, d1, w0, w1 := pp.at(start, 0)
		corrPair(dst, d0, d1, in, start-s*(pad*W+pad), w, w0, w1,
			corrArgs{n: end - start, na: na, ia: P, wa: wa, nb: K, ib: s * W, wb: K, nk: K, ik: s})
	}
	for y := 0; y < H; y++ {
		stretch := y >= f0 && y < f1
		ky0, ky1 := validTaps(y, H, K, s)
		for x, n := 0, 1; x < W; x += n {
			kx0, kx1 := validTaps(x, W, K, s)
			if n = 1; kx0 == 0 && kx1 == K {
				if n = hi - x; stretch {
					continue
				}
			} else if stretch {
				pp.reset(dst, y*W+x)
			}
			d0, d1, w0, w1 := pp.at(y*W+x, ky0*K+kx0)
			corrPair(dst, d0, d1, in, (y+s*(ky0-pad))*W+x+s*(kx0-pad), w, w0, w1,
				corrArgs{n: n, na: na, ia: P, wa: wa, nb: ky1 - ky0, ib: s * W, wb: K, nk: kx1 - kx0, ik: s})
		}
	}
}

// Backward adds the weight and bias gradients to g and writes the input
// gradient to din.
func (l *Conv2D) Backward(p, in, out, dout, din, g []float64) {
	w := p[:l.nW]
	gw, gb := g[:l.nW], g[l.nW:]
	addSums(gb[:l.OutC], dout, l.planes)
	l.weightGrads(in, dout, gw)
	if din != nil {
		l.inputGrads(w, dout, din)
	}
}

// weightGrads adds to gw the gradient of every weight: the sum over the
// valid rows and columns of dout times the shifted input, in the four
// partial sums of dot (its rows the plane's rows): four filters and two
// channels at once, then the filters left up to dotMax at once.
func (l *Conv2D) weightGrads(in, dout, gw []float64) {
	W, C, P, KK := l.in.W, l.in.C, l.planes, l.K*l.K
	var buf [MaxKernel * MaxKernel]tap
	var res [dotMax]float64
	for c := 0; c < C; c += 2 {
		ts := l.taps(buf[:0], 0, c)
		for _, t := range ts {
			a := dotArgs{n: t.x1 - t.x0, rows: t.y1 - t.y0, rs: W, fs: P}
			s0 := c*P + t.y0*W + t.x0 + t.shift
			o := 0
			for ; c+1 < C && o+4 <= l.OutC; o += 4 {
				dot4x2(res[:], dout, o*P+t.y0*W+t.x0, in, s0, P, a)
				for f := 0; f < 8; f++ {
					gw[t.wi+(o+f/2)*C*KK+f%2*KK] += res[f]
				}
			}
			for ch := c; ch < min(c+2, C); ch++ {
				for o := o; o < l.OutC; {
					nf := dotRuns(l.OutC - o)
					dot(res[:], dout, o*P+t.y0*W+t.x0, in, s0+(ch-c)*P, nf, a)
					for f, v := range res[:nf] {
						gw[t.wi+(o+f)*C*KK+(ch-c)*KK] += v
					}
					o += nf
				}
			}
		}
	}
}

// dotRuns is how many filters of left to run through one dot call: 8 or
// 4 (the assembly's), else one at a time.
func dotRuns(left int) int {
	switch {
	case left >= 8:
		return 8
	case left >= 4:
		return 4
	}
	return 1
}

// inputGrads writes the input gradient: din[c] at (y, x) is the sum over
// o, ky, kx of w[o,c,ky,kx] times dout[o] at (y-ky+K/2, x-kx+K/2), the
// terms added in that order (that of Forward's taps, filter by filter),
// those outside the output left out.
func (l *Conv2D) inputGrads(w, dout, din []float64) {
	C, K, P := l.in.C, l.K, l.planes
	clear(din)
	for c := 0; c < C; c += 2 {
		d1, w1 := pairOf(c, C, P, K*K)
		l.plane(din, planePair{c * P, c * K * K, 0, d1, w1, 0}, dout, w, l.OutC, C*K*K, -1)
	}
}
