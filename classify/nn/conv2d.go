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
	H, W, C, K, P, pad := l.in.H, l.in.W, l.in.C, l.K, l.planes, l.K/2
	w, b := p[:l.nW], p[l.nW:]
	_, hi := interior(W, K)
	for o := 0; o < l.OutC; o++ {
		dst := out[o*P : (o+1)*P]
		for i := range dst {
			dst[i] = b[o]
		}
		for y := 0; y < H; y++ {
			// Rows ky0 to ky1 of the kernel see input rows, columns kx0
			// to kx1 input columns: all of them from x to hi inside.
			ky0, ky1 := max(0, pad-y), min(K, H-y+pad)
			row := dst[y*W : (y+1)*W]
			for x, n := 0, 1; x < W; x += n {
				kx0, kx1 := max(0, pad-x), min(K, W-x+pad)
				if n = 1; kx0 == 0 && kx1 == K {
					n = hi - x
				}
				corr(row[x:x+n], in, (y+ky0-pad)*W+x+kx0-pad, w, (o*C*K+ky0)*K+kx0,
					corrArgs{n: n, na: C, ia: P, wa: K * K, nb: ky1 - ky0, ib: W, wb: K, nk: kx1 - kx0, ik: 1})
			}
		}
	}
}

// Backward adds the weight and bias gradients to g and writes the input
// gradient to din.
func (l *Conv2D) Backward(p, in, out, dout, din, g []float64) {
	w := p[:l.nW]
	gw, gb := g[:l.nW], g[l.nW:]
	for o := 0; o < l.OutC; o++ {
		s := 0.0
		for _, v := range dout[o*l.planes : (o+1)*l.planes] {
			s += v
		}
		gb[o] += s
	}
	l.weightGrads(in, dout, gw)
	if din != nil {
		l.inputGrads(w, dout, din)
	}
}

// weightGrads adds to gw the gradient of every weight: the sum over the
// valid rows and columns of dout times the shifted input, in the four
// partial sums of dot (its rows the plane's rows), for up to dotMax
// filters at once.
func (l *Conv2D) weightGrads(in, dout, gw []float64) {
	W, C, P := l.in.W, l.in.C, l.planes
	var ts []tap
	var res [dotMax]float64
	for c := 0; c < C; c++ {
		ts = l.taps(ts, 0, c)
		for o := 0; o < l.OutC; {
			nf := dotRuns(l.OutC - o)
			for _, t := range ts {
				d0 := o*P + t.y0*W + t.x0
				dot(res[:], dout, d0, in, c*P+t.y0*W+t.x0+t.shift, nf,
					dotArgs{n: t.x1 - t.x0, rows: t.y1 - t.y0, rs: W, fs: P})
				for f, v := range res[:nf] {
					gw[t.wi+(o+f)*C*l.K*l.K] += v
				}
			}
			o += nf
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
	H, W, C, K, P, pad := l.in.H, l.in.W, l.in.C, l.K, l.planes, l.K/2
	clear(din)
	_, hi := interior(W, K)
	for c := 0; c < C; c++ {
		for y := 0; y < H; y++ {
			// Rows ky0 to ky1 of the kernel reach output rows, columns kx0
			// to kx1 output columns: all of them from x to hi inside.
			ky0, ky1 := max(0, y+pad-H+1), min(K, y+pad+1)
			row := din[(c*H+y)*W : (c*H+y+1)*W]
			for x, n := 0, 1; x < W; x += n {
				kx0, kx1 := max(0, x+pad-W+1), min(K, x+pad+1)
				if n = 1; kx0 == 0 && kx1 == K {
					n = hi - x
				}
				corr(row[x:x+n], dout, (y-ky0+pad)*W+x-kx0+pad, w, (c*K+ky0)*K+kx0,
					corrArgs{n: n, na: l.OutC, ia: P, wa: C * K * K, nb: ky1 - ky0, ib: -W, wb: K, nk: kx1 - kx0, ik: -1})
			}
		}
	}
}
