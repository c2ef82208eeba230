package nn

import "math/rand/v2"

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
// w[o,c,k] * in[c][x*Stride + k - K/2] (0 outside the signal).
func (l *Conv1D) Forward(p, in, out []float64) {
	W, oW, s := l.in.W, l.Out().W, l.Stride
	w, b := p[:l.nW], p[l.nW:]
	for o := 0; o < l.OutC; o++ {
		dst := out[o*oW : (o+1)*oW]
		for i := range dst {
			dst[i] = b[o]
		}
		for c := 0; c < l.in.C; c++ {
			src := in[c*W : (c+1)*W]
			for k := 0; k < l.K; k++ {
				wv := w[(o*l.in.C+c)*l.K+k]
				x0, x1, shift := l.valid(k, oW)
				if x0 >= x1 {
					continue
				}
				d := dst[x0:x1]
				if s == 1 {
					sv := src[x0+shift : x1+shift]
					for i := range d {
						d[i] += wv * sv[i]
					}
					continue
				}
				j := x0*s + shift
				for i := range d {
					d[i] += wv * src[j]
					j += s
				}
			}
		}
	}
}

// Backward adds the weight and bias gradients to g and writes the input
// gradient to din.
func (l *Conv1D) Backward(p, in, _, dout, din, g []float64) {
	W, oW := l.in.W, l.Out().W
	w := p[:l.nW]
	gw, gb := g[:l.nW], g[l.nW:]
	clear(din)
	for o := 0; o < l.OutC; o++ {
		dd := dout[o*oW : (o+1)*oW]
		s := 0.0
		for _, v := range dd {
			s += v
		}
		gb[o] += s
		for c := 0; c < l.in.C; c++ {
			src := in[c*W : (c+1)*W]
			var dsrc []float64
			if din != nil {
				dsrc = din[c*W : (c+1)*W]
			}
			for k := 0; k < l.K; k++ {
				wi := (o*l.in.C+c)*l.K + k
				x0, x1, shift := l.valid(k, oW)
				if x0 >= x1 {
					continue
				}
				gw[wi] += l.tapBackward(dd[x0:x1], src, dsrc, w[wi], x0*l.Stride+shift)
			}
		}
	}
}

// tapBackward is the backward pass of one tap over the output gradient
// d (of consecutive output samples whose first input sample is j0): it
// returns the sum of d times the input and adds wv times d to the input
// gradient dsrc (when not nil).
func (l *Conv1D) tapBackward(d, src, dsrc []float64, wv float64, j0 int) float64 {
	s := l.Stride
	if s == 1 {
		sv := src[j0 : j0+len(d)]
		var a0, a1, a2, a3 float64
		i := 0
		for ; i+4 <= len(d); i += 4 {
			a0 += d[i] * sv[i]
			a1 += d[i+1] * sv[i+1]
			a2 += d[i+2] * sv[i+2]
			a3 += d[i+3] * sv[i+3]
		}
		for ; i < len(d); i++ {
			a0 += d[i] * sv[i]
		}
		if dsrc != nil {
			ds := dsrc[j0 : j0+len(d)]
			for i, v := range d {
				ds[i] += wv * v
			}
		}
		return (a0 + a1) + (a2 + a3)
	}
	a, j := 0.0, j0
	for _, v := range d {
		a += v * src[j]
		if dsrc != nil {
			dsrc[j] += wv * v
		}
		j += s
	}
	return a
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

// argmax returns the index of the largest of in[base:base+Size], the
// first on ties.
func (l *Pool1D) argmax(in []float64, base int) int {
	best := base
	for i := base + 1; i < base+l.Size; i++ {
		if in[i] > in[best] {
			best = i
		}
	}
	return best
}

// Forward pools.
func (l *Pool1D) Forward(_, in, out []float64) {
	W, oW, S := l.in.W, l.Out().W, l.Size
	inv := 1 / float64(S)
	for c := 0; c < l.in.C; c++ {
		for x := 0; x < oW; x++ {
			base := c*W + x*S
			if l.Max {
				out[c*oW+x] = in[l.argmax(in, base)]
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
		for x := 0; x < oW; x++ {
			base, d := c*W+x*S, dout[c*oW+x]
			if l.Max {
				din[l.argmax(in, base)] += d
				continue
			}
			for i := base; i < base+S; i++ {
				din[i] += d * inv
			}
		}
	}
}
