package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Shape is the size of a tensor: C channels of H rows and W columns,
// stored channel by channel, row by row.
type Shape struct {
	C int `json:"c"`
	H int `json:"h"`
	W int `json:"w"`
}

// Size is the number of values of a tensor of shape s.
func (s Shape) Size() int { return s.C * s.H * s.W }

func (s Shape) String() string { return fmt.Sprintf("%dx%dx%d", s.C, s.H, s.W) }

// Layer is one step of a network. Forward and Backward work on one
// sample and may be called from several goroutines at once with
// different buffers: a layer keeps no state between calls.
type Layer interface {
	// In and Out are the shapes of the layer's input and output.
	In() Shape
	Out() Shape
	// NumParams is the number of parameters the layer owns.
	NumParams() int
	// Init writes initial parameters into p (NumParams values).
	Init(p []float64, rng *rand.Rand)
	// Forward computes out (Out().Size() values) from in with
	// parameters p.
	Forward(p, in, out []float64)
	// Backward takes the loss gradient with respect to the output, dout,
	// adds the gradient with respect to the parameters to g and writes
	// the gradient with respect to the input into din (overwritten; nil
	// when not needed). in and out are the values Forward saw and made.
	Backward(p, in, out, dout, din, g []float64)
}

// heInit fills w with He (Kaiming) normal values for fanIn inputs:
// standard deviation sqrt(2 / fanIn), suited to ReLU networks (He et al.
// 2015, "Delving deep into rectifiers").
func heInit(w []float64, fanIn int, rng *rand.Rand) {
	sd := math.Sqrt(2 / float64(fanIn))
	for i := range w {
		w[i] = rng.NormFloat64() * sd
	}
}

// Pool is a pooling layer over Size x Size windows with stride Size
// (rows and columns that do not fill a window are dropped): the maximum
// of each window (Max) or its mean. It has no parameters.
type Pool struct {
	in   Shape
	Size int
	Max  bool
}

// NewPool returns a pooling of in over size x size windows; max selects
// max pooling, else average pooling.
func NewPool(in Shape, size int, max bool) *Pool { return &Pool{in: in, Size: size, Max: max} }

// In is the input shape.
func (l *Pool) In() Shape { return l.in }

// Out is the pooled shape.
func (l *Pool) Out() Shape { return Shape{l.in.C, l.in.H / l.Size, l.in.W / l.Size} }

// NumParams is 0.
func (l *Pool) NumParams() int { return 0 }

// Init does nothing.
func (l *Pool) Init([]float64, *rand.Rand) {}

// rowBase is the input index of the first window of output row r of
// every channel's oH rows (channel r/oH, row r%oH).
func (l *Pool) rowBase(r, oH int) int { return (r/oH*l.in.H + r%oH*l.Size) * l.in.W }

// pickGreater returns v and i when v > bv, else bv and bi: a step of an
// argmax that keeps the first maximum on ties, with a mask rather than
// a branch (mispredicted half of the time on noisy values).
func pickGreater(bv float64, bi int, v float64, i int) (float64, int) {
	var m uint64
	if v > bv {
		m = ^uint64(0)
	}
	b := math.Float64bits(bv)
	return math.Float64frombits(b ^ (b^math.Float64bits(v))&m), bi ^ (bi^i)&int(m)
}

// argmax returns the maximum of the window at base and its input index,
// the first in row order on ties.
func (l *Pool) argmax(in []float64, base int) (float64, int) {
	W, S := l.in.W, l.Size
	bv, bi := in[base], base
	for y := 0; y < S; y++ {
		for x := 0; x < S; x++ {
			i := base + y*W + x
			bv, bi = pickGreater(bv, bi, in[i], i)
		}
	}
	return bv, bi
}

// Forward pools.
func (l *Pool) Forward(_, in, out []float64) {
	o, W, S := l.Out(), l.in.W, l.Size
	inv := 1 / float64(S*S)
	for r := range o.C * o.H {
		base := l.rowBase(r, o.H)
		if l.Max && S == 2 {
			pool2x2Max(out[r*o.W:(r+1)*o.W], in[base:], in[base+W:])
			continue
		}
		for j := r * o.W; j < (r+1)*o.W; j, base = j+1, base+S {
			if l.Max {
				out[j], _ = l.argmax(in, base)
				continue
			}
			s := 0.0
			for y := 0; y < S; y++ {
				for _, v := range in[base+y*W : base+y*W+S] {
					s += v
				}
			}
			out[j] = s * inv
		}
	}
}

// Backward routes each output gradient to the window's maximum (Max) or
// spreads it evenly over the window.
func (l *Pool) Backward(_, in, _, dout, din, _ []float64) {
	if din == nil {
		return
	}
	clear(din)
	o, W, S := l.Out(), l.in.W, l.Size
	inv := 1 / float64(S*S)
	for r := range o.C * o.H {
		base := l.rowBase(r, o.H)
		if l.Max && S == 2 {
			pool2x2MaxBack(din[base:], din[base+W:], in[base:], in[base+W:], dout[r*o.W:(r+1)*o.W])
			continue
		}
		for j, d := range dout[r*o.W : (r+1)*o.W] {
			if at := base + j*S; l.Max {
				_, i := l.argmax(in, at)
				din[i] += d
			} else {
				for y := 0; y < S; y++ {
					for x := 0; x < S; x++ {
						din[at+y*W+x] += d * inv
					}
				}
			}
		}
	}
}

// ReLU is max(0, x), value by value. It has no parameters.
type ReLU struct{ in Shape }

// NewReLU returns a ReLU of tensors of shape in.
func NewReLU(in Shape) *ReLU { return &ReLU{in} }

// In is the input shape.
func (l *ReLU) In() Shape { return l.in }

// Out is the input shape.
func (l *ReLU) Out() Shape { return l.in }

// NumParams is 0.
func (l *ReLU) NumParams() int { return 0 }

// Init does nothing.
func (l *ReLU) Init([]float64, *rand.Rand) {}

// Forward writes max(0, in) to out.
func (l *ReLU) Forward(_, in, out []float64) {
	out = out[:len(in)]
	m := vectorPart(len(in))
	if m > 0 {
		reluAVX2(&out[0], &in[0], m)
	}
	for i, v := range in[m:] {
		out[m+i] = max(v, 0)
	}
}

// Backward passes dout where the output is positive (the gradient at 0
// is taken as 0).
func (l *ReLU) Backward(_, _, out, dout, din, _ []float64) {
	if din == nil {
		return
	}
	din, dout = din[:len(out)], dout[:len(out)]
	m := vectorPart(len(out))
	if m > 0 {
		reluBackAVX2(&din[0], &out[0], &dout[0], m)
	}
	for i := m; i < len(out); i++ {
		// A mask rather than a branch (mispredicted half of the time
		// on noisy values): all ones where out > 0, else zero (+0).
		var mask uint64
		if out[i] > 0 {
			mask = ^uint64(0)
		}
		din[i] = math.Float64frombits(math.Float64bits(dout[i]) & mask)
	}
}

// GlobalAvgPool averages every channel to one value: C x H x W to
// C x 1 x 1. It has no parameters.
type GlobalAvgPool struct{ in Shape }

// NewGlobalAvgPool returns the global average pooling of in.
func NewGlobalAvgPool(in Shape) *GlobalAvgPool { return &GlobalAvgPool{in} }

// In is the input shape.
func (l *GlobalAvgPool) In() Shape { return l.in }

// Out is C x 1 x 1.
func (l *GlobalAvgPool) Out() Shape { return Shape{l.in.C, 1, 1} }

// NumParams is 0.
func (l *GlobalAvgPool) NumParams() int { return 0 }

// Init does nothing.
func (l *GlobalAvgPool) Init([]float64, *rand.Rand) {}

// Forward writes each channel's mean.
func (l *GlobalAvgPool) Forward(_, in, out []float64) {
	n := l.in.H * l.in.W
	for c := 0; c < l.in.C; c++ {
		s := 0.0
		for _, v := range in[c*n : (c+1)*n] {
			s += v
		}
		out[c] = s / float64(n)
	}
}

// Backward spreads each channel's gradient evenly over its values.
func (l *GlobalAvgPool) Backward(_, _, _, dout, din, _ []float64) {
	if din == nil {
		return
	}
	n := l.in.H * l.in.W
	for c := 0; c < l.in.C; c++ {
		d := dout[c] / float64(n)
		plane := din[c*n : (c+1)*n]
		for i := range plane {
			plane[i] = d
		}
	}
}

// Dense is a fully connected layer: out = W in + b, with W of N rows of
// In().Size() values (the parameters, row by row, then the N biases).
type Dense struct {
	in Shape
	N  int
}

// NewDense returns a dense layer from in to n values.
func NewDense(in Shape, n int) *Dense { return &Dense{in: in, N: n} }

// In is the input shape.
func (l *Dense) In() Shape { return l.in }

// Out is N x 1 x 1.
func (l *Dense) Out() Shape { return Shape{l.N, 1, 1} }

// NumParams counts the weights and biases.
func (l *Dense) NumParams() int { return l.N*l.in.Size() + l.N }

// Init draws He-normal weights and zero biases.
func (l *Dense) Init(p []float64, rng *rand.Rand) {
	n := l.in.Size()
	heInit(p[:l.N*n], n, rng)
	clear(p[l.N*n : l.NumParams()])
}

// Forward computes W in + b.
func (l *Dense) Forward(p, in, out []float64) {
	n := l.in.Size()
	in = in[:n]
	for j := 0; j < l.N; j++ {
		row := p[j*n : (j+1)*n]
		s := p[l.N*n+j]
		for i, v := range in {
			s += row[i] * v
		}
		out[j] = s
	}
}

// Backward adds dout in^T and dout to the weight and bias gradients and
// writes W^T dout to din.
func (l *Dense) Backward(p, in, _, dout, din, g []float64) {
	n := l.in.Size()
	in = in[:n]
	clear(din)
	for j := 0; j < l.N; j++ {
		d := dout[j]
		grow := g[j*n : (j+1)*n]
		for i, v := range in {
			grow[i] += d * v
		}
		g[l.N*n+j] += d
		if din != nil {
			row := p[j*n : (j+1)*n]
			din := din[:n]
			for i, w := range row {
				din[i] += w * d
			}
		}
	}
}
