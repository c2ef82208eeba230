package nn

import (
	"math/rand/v2"
	"sync"
)

// Conv1D is a one-dimensional convolution of a signal of In.C channels
// (leads or feature maps) of In.W samples (In.H is 1): Out filters of K
// taps (K odd) over all input channels, stride Stride, zero padding K/2,
// so that the output has ceil(W/Stride) samples and output sample x sees
// input samples x*Stride-K/2 to x*Stride+K/2. Its parameters are the
// weights, filter by filter, channel by channel (Out*In.C*K), then one
// bias per filter.
type Conv1D struct {
	in     Shape
	OutC   int
	K      int
	Stride int
	nW     int
	cols   sync.Pool // *[]float64 of colsSize values (a stride over 1)
}

// NewConv1D returns a convolution of in (In.H 1) with outC filters of k
// taps and the stride (at least 1).
func NewConv1D(in Shape, outC, k, stride int) *Conv1D {
	return &Conv1D{in: in, OutC: outC, K: k, Stride: max(stride, 1), nW: outC * in.C * k}
}

// In is the input shape.
func (l *Conv1D) In() Shape { return l.in }

// Out is OutC channels of ceil(W/Stride) samples.
func (l *Conv1D) Out() Shape { return Shape{l.OutC, 1, conv1DLen(l.in.W, l.Stride)} }

// conv1DLen is the output length of a strided convolution with "same"
// padding of w samples: ceil(w/stride).
func conv1DLen(w, stride int) int { return (w + stride - 1) / stride }

// NumParams counts the weights and biases.
func (l *Conv1D) NumParams() int { return l.nW + l.OutC }

// Init draws He-normal weights (fan-in In.C*K) and zero biases.
func (l *Conv1D) Init(p []float64, rng *rand.Rand) {
	heInit(p[:l.nW], l.in.C*l.K, rng)
	clear(p[l.nW:l.NumParams()])
}

// valid returns the output samples [x0, x1) whose input sample
// x*Stride + k - K/2 of tap k lies inside the signal, and that input
// sample's offset for x = 0.
func (l *Conv1D) valid(k, outW int) (x0, x1, shift int) {
	s, shift := l.Stride, k-l.K/2
	// x*s + shift >= 0 and x*s + shift <= W-1.
	x0 = 0
	if shift < 0 {
		x0 = (-shift + s - 1) / s
	}
	x1 = min(outW, (l.in.W-1-shift)/s+1)
	if l.in.W-1-shift < 0 {
		x1 = 0
	}
	return x0, max(x1, x0), shift
}

// Forward convolves: out[o][x] = bias[o] + sum over c and k of
// w[o,c,k] * in[c][x*Stride + k - K/2] (0 outside the signal), the terms
// of each output added in that order, those outside the signal left out.
func (l *Conv1D) Forward(p, in, out []float64) {
	W, oW, C, K := l.in.W, l.Out().W, l.in.C, l.K
	w, b := p[:l.nW], p[l.nW:]
	for o := 0; o < l.OutC; o++ {
		dst := out[o*oW : (o+1)*oW]
		for i := range dst {
			dst[i] = b[o]
		}
	}
	if l.Stride != 1 {
		l.forwardStrided(w, in, out)
		return
	}
	for o := 0; o < l.OutC; o += 2 {
		d1, w1 := pairOf(o, l.OutC, oW, C*K)
		l.line(out, o*oW, o*C*K, d1, w1, in, w, C, W, K, 1)
	}
}

// line adds to the W outputs of dst at d0 (weights from w0) and, when
// d1 >= 0, at d1 (weights from w1) their terms, a stride of 1: at x the
// sum over a < na and k of w[w0 + a*wa + k] * in[a*ia + x + s*(k-K/2)],
// s 1 (Forward) or -1 (the input gradient), in that order, those outside
// [0, W) left out.
func (l *Conv1D) line(dst []float64, d0, w0, d1, w1 int, in, w []float64, na, ia, wa, s int) {
	K, n, pad := l.K, l.in.W, l.K/2
	_, hi := interior(n, K)
	// Taps k0 to k1 reach inside: all of them from x to hi.
	for x, m := 0, 1; x < n; x += m {
		k0, k1 := validTaps(x, n, K, s)
		if m = 1; k0 == 0 && k1 == K {
			m = hi - x
		}
		e1 := d1
		if d1 >= 0 {
			e1 = d1 + x
		}
		corrPair(dst, d0+x, e1, in, x+s*(k0-pad), w, w0+k0, w1+k0,
			corrArgs{n: m, na: na, ia: ia, wa: wa, nb: 1, wb: K, nk: k1 - k0, ik: s})
	}
}

// Backward adds the weight and bias gradients to g and writes the input
// gradient to din.
func (l *Conv1D) Backward(p, in, _, dout, din, g []float64) {
	oW := l.Out().W
	w := p[:l.nW]
	gw, gb := g[:l.nW], g[l.nW:]
	addSums(gb[:l.OutC], dout, oW)
	if l.Stride != 1 {
		l.backwardStrided(w, in, dout, din, gw)
		return
	}
	l.weightGrads(in, dout, gw)
	if din != nil {
		l.inputGrads(w, dout, din)
	}
}

// weightGrads adds to gw the gradient of every weight (a stride of 1):
// the sum of dout times the shifted input over the valid outputs, in the
// four partial sums of dot: four filters and two channels at once, then
// the filters left up to dotMax at once.
func (l *Conv1D) weightGrads(in, dout, gw []float64) {
	W, oW, C, K := l.in.W, l.Out().W, l.in.C, l.K
	var res [dotMax]float64
	for c := 0; c < C; c += 2 {
		for k := 0; k < K; k++ {
			x0, x1, shift := l.valid(k, oW)
			if x0 >= x1 {
				continue
			}
			a := dotArgs{n: x1 - x0, rows: 1, rs: x1 - x0, fs: oW}
			o := 0
			for ; c+1 < C && o+4 <= l.OutC; o += 4 {
				dot4x2(res[:], dout, o*oW+x0, in, c*W+x0+shift, W, a)
				for f := 0; f < 8; f++ {
					gw[((o+f/2)*C+c+f%2)*K+k] += res[f]
				}
			}
			for ch := c; ch < min(c+2, C); ch++ {
				for o := o; o < l.OutC; {
					nf := dotRuns(l.OutC - o)
					dot(res[:], dout, o*oW+x0, in, ch*W+x0+shift, nf, a)
					for f, v := range res[:nf] {
						gw[((o+f)*C+ch)*K+k] += v
					}
					o += nf
				}
			}
		}
	}
}

// inputGrads writes the input gradient (a stride of 1): din[c][j] is the
// sum over o and k of w[o,c,k] * dout[o][j-k+K/2], the terms added in
// that order, those outside the output left out.
func (l *Conv1D) inputGrads(w, dout, din []float64) {
	W, oW, C, K := l.in.W, l.Out().W, l.in.C, l.K
	clear(din)
	for c := 0; c < C; c += 2 {
		d1, w1 := pairOf(c, C, W, K)
		l.line(din, c*W, c*K, d1, w1, dout, w, l.OutC, oW, C*K, -1)
	}
}

// Pool1D pools a signal of In.C channels of In.W samples (In.H 1) over
// windows of Size samples with stride Size (samples that do not fill a
// window are dropped): the maximum of each window (Max) or its mean. It
// has no parameters.
type Pool1D struct {
	in   Shape
	Size int
	Max  bool
}

// NewPool1D returns a pooling of in over windows of size samples; max
// selects max pooling, else average pooling.
func NewPool1D(in Shape, size int, max bool) *Pool1D { return &Pool1D{in: in, Size: size, Max: max} }

// In is the input shape.
func (l *Pool1D) In() Shape { return l.in }

// Out is the pooled shape: W/Size samples.
func (l *Pool1D) Out() Shape { return Shape{l.in.C, 1, l.in.W / l.Size} }

// NumParams is 0.
func (l *Pool1D) NumParams() int { return 0 }

// Init does nothing.
func (l *Pool1D) Init([]float64, *rand.Rand) {}

// argmax returns the largest of in[base:base+Size] and its index, the
// first on ties.
func (l *Pool1D) argmax(in []float64, base int) (float64, int) {
	bv, bi := in[base], base
	for i := base + 1; i < base+l.Size; i++ {
		bv, bi = pickGreater(bv, bi, in[i], i)
	}
	return bv, bi
}

// Forward pools.
func (l *Pool1D) Forward(_, in, out []float64) {
	W, oW, S := l.in.W, l.Out().W, l.Size
	inv := 1 / float64(S)
	for c := 0; c < l.in.C; c++ {
		if l.Max && S == 2 {
			pool2Max(out[c*oW:(c+1)*oW], in[c*W:])
			continue
		}
		for x := 0; x < oW; x++ {
			base := c*W + x*S
			if l.Max {
				out[c*oW+x], _ = l.argmax(in, base)
				continue
			}
			s := 0.0
			for _, v := range in[base : base+S] {
				s += v
			}
			out[c*oW+x] = s * inv
		}
	}
}

// Backward routes each output gradient to its window's maximum (Max) or
// spreads it evenly over the window.
func (l *Pool1D) Backward(_, in, _, dout, din, _ []float64) {
	if din == nil {
		return
	}
	clear(din)
	W, oW, S := l.in.W, l.Out().W, l.Size
	inv := 1 / float64(S)
	for c := 0; c < l.in.C; c++ {
		if l.Max && S == 2 {
			pool2MaxBack(din[c*W:], in[c*W:], dout[c*oW:(c+1)*oW])
			continue
		}
		for x := 0; x < oW; x++ {
			base, d := c*W+x*S, dout[c*oW+x]
			if l.Max {
				_, i := l.argmax(in, base)
				din[i] += d
				continue
			}
			for i := base; i < base+S; i++ {
				din[i] += d * inv
			}
		}
	}
}
