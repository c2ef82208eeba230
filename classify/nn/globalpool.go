package nn

import (
	"math/rand/v2"
)

// Global poolings of Arch.GlobalPool: what the last block's channels are
// reduced to before the dense head.
const (
	// GlobalAvg averages each channel ("" in an Arch, the default, which
	// model files of every earlier version mean).
	GlobalAvg = ""
	// GlobalMax takes each channel's largest value.
	GlobalMax = "max"
	// GlobalAvgMax joins each channel's average and its largest value
	// (2C values: the C averages, then the C maxima).
	GlobalAvgMax = "avgmax"
)

// checkGlobalPool checks a.GlobalPool.
func (a Arch) checkGlobalPool() error {
	switch a.GlobalPool {
	case GlobalAvg, GlobalMax, GlobalAvgMax:
		return nil
	}
	return archErr("global pool %q (%q, %q or none for the average)", a.GlobalPool, GlobalMax, GlobalAvgMax)
}

// pooledValues is the number of values the global pooling of a makes
// from c channels.
func (a Arch) pooledValues(c int) int {
	if a.Recurrent > 0 && a.RecurrentAvg {
		return c + 2*a.Recurrent
	}
	if a.Recurrent > 0 {
		return 2 * a.Recurrent
	}
	if a.GlobalPool == GlobalAvgMax {
		return 2 * c
	}
	return c
}

// newGlobalPool returns the global pooling layer of a over s (the GRU of
// a recurrent network).
func (a Arch) newGlobalPool(s Shape) Layer {
	if a.Recurrent > 0 {
		return NewGRU(s, a.Recurrent, a.RecurrentAvg)
	}
	switch a.GlobalPool {
	case GlobalMax:
		return NewGlobalMaxPool(s)
	case GlobalAvgMax:
		return NewGlobalAvgMaxPool(s)
	}
	return NewGlobalAvgPool(s)
}

// GlobalMaxPool takes every channel's largest value: C x H x W to
// C x 1 x 1. Its gradient goes to the first of the largest values. It has
// no parameters.
type GlobalMaxPool struct{ in Shape }

// NewGlobalMaxPool returns the global max pooling of in.
func NewGlobalMaxPool(in Shape) *GlobalMaxPool { return &GlobalMaxPool{in} }

// In is the input shape.
func (l *GlobalMaxPool) In() Shape { return l.in }

// Out is C x 1 x 1.
func (l *GlobalMaxPool) Out() Shape { return Shape{l.in.C, 1, 1} }

// NumParams is 0.
func (l *GlobalMaxPool) NumParams() int { return 0 }

// Init does nothing.
func (l *GlobalMaxPool) Init([]float64, *rand.Rand) {}

// Forward writes each channel's largest value.
func (l *GlobalMaxPool) Forward(_, in, out []float64) { channelMax(l.in, in, out) }

// Backward gives each channel's gradient to the first of its largest
// values (the one Forward kept), 0 to the others.
func (l *GlobalMaxPool) Backward(_, in, out, dout, din, _ []float64) {
	if din != nil {
		channelMaxBackward(l.in, in, out, dout, din)
	}
}

// channelMax writes into out[c] the largest value of channel c of in (of
// shape s).
func channelMax(s Shape, in, out []float64) {
	n := s.H * s.W
	for c := 0; c < s.C; c++ {
		plane := in[c*n : (c+1)*n]
		m := plane[0]
		for _, v := range plane[1:] {
			if v > m {
				m = v
			}
		}
		out[c] = m
	}
}

// channelMaxBackward writes into din the gradient dout[c] at the first
// value of channel c equal to its maximum out[c], 0 elsewhere.
func channelMaxBackward(s Shape, in, out, dout, din []float64) {
	n := s.H * s.W
	for c := 0; c < s.C; c++ {
		plane, d := in[c*n:(c+1)*n], din[c*n:(c+1)*n]
		clear(d)
		for i, v := range plane {
			if v == out[c] {
				d[i] = dout[c]
				break
			}
		}
	}
}

// GlobalAvgMaxPool joins every channel's average and largest value:
// C x H x W to 2C x 1 x 1, the averages first. It has no parameters.
type GlobalAvgMaxPool struct {
	in  Shape
	avg *GlobalAvgPool
}

// NewGlobalAvgMaxPool returns the joined global average and max pooling
// of in.
func NewGlobalAvgMaxPool(in Shape) *GlobalAvgMaxPool {
	return &GlobalAvgMaxPool{in: in, avg: NewGlobalAvgPool(in)}
}

// In is the input shape.
func (l *GlobalAvgMaxPool) In() Shape { return l.in }

// Out is 2C x 1 x 1.
func (l *GlobalAvgMaxPool) Out() Shape { return Shape{2 * l.in.C, 1, 1} }

// NumParams is 0.
func (l *GlobalAvgMaxPool) NumParams() int { return 0 }

// Init does nothing.
func (l *GlobalAvgMaxPool) Init([]float64, *rand.Rand) {}

// Forward writes the channels' averages, then their largest values.
func (l *GlobalAvgMaxPool) Forward(_, in, out []float64) {
	l.avg.Forward(nil, in, out[:l.in.C])
	channelMax(l.in, in, out[l.in.C:])
}

// Backward spreads the averages' gradients evenly and adds the maxima's
// to the first of each channel's largest values.
func (l *GlobalAvgMaxPool) Backward(_, in, out, dout, din, _ []float64) {
	if din == nil {
		return
	}
	C, n := l.in.C, l.in.H*l.in.W
	l.avg.Backward(nil, in, out[:C], dout[:C], din, nil)
	for c := 0; c < C; c++ {
		plane := in[c*n : (c+1)*n]
		for i, v := range plane {
			if v == out[C+c] {
				din[c*n+i] += dout[C+c]
				break
			}
		}
	}
}
