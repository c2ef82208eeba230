package nn

import (
	"math"
	"math/rand/v2"
)

// MaxGroupNorm bounds Arch.GroupNorm (the groups of a block's
// normalisation).
const MaxGroupNorm = MaxFilters

// groupNormEps is the epsilon added to a group's variance before its
// square root: a constant group (variance 0) normalises to 0, then to the
// shift, with no division by zero.
const groupNormEps = 1e-5

// GroupNorm is group normalisation (Wu and He 2018, "Group
// Normalization") of one sample: the In.C channels are split into Groups
// groups of consecutive channels, and each group's values (its channels,
// all rows and columns) are standardised by their own mean and variance,
// x̂ = (x - mean) / sqrt(var + 1e-5) (the variance divided by the group's
// size), then scaled and shifted per channel: out[c] = scale[c] x̂ +
// shift[c]. One group is layer normalisation; In.C groups is instance
// normalisation. It needs no statistics across samples, so it trains and
// predicts alike, one sample at a time. Its parameters are the In.C
// scales, then the In.C shifts.
type GroupNorm struct {
	in     Shape
	Groups int
}

// NewGroupNorm returns a group normalisation of in with groups groups
// (which must divide in.C).
func NewGroupNorm(in Shape, groups int) *GroupNorm { return &GroupNorm{in: in, Groups: groups} }

// In is the input shape.
func (l *GroupNorm) In() Shape { return l.in }

// Out is the input shape.
func (l *GroupNorm) Out() Shape { return l.in }

// NumParams is the scales and shifts: 2 In.C.
func (l *GroupNorm) NumParams() int { return 2 * l.in.C }

// Init sets the scales to 1 and the shifts to 0 (the layer starts as a
// plain standardisation).
func (l *GroupNorm) Init(p []float64, _ *rand.Rand) {
	for i := range l.in.C {
		p[i] = 1
	}
	clear(p[l.in.C:l.NumParams()])
}

// group returns the values of group g in x (consecutive channels are
// consecutive in memory) and the channel it starts at.
func (l *GroupNorm) group(x []float64, g int) ([]float64, int) {
	per, hw := l.in.C/l.Groups, l.in.H*l.in.W
	return x[g*per*hw : (g+1)*per*hw], g * per
}

// moments returns the mean of v and 1 / sqrt(variance + eps), the
// variance the mean square deviation from the mean (two passes, in
// order).
func moments(v []float64) (mean, inv float64) {
	s := 0.0
	for _, x := range v {
		s += x
	}
	mean = s / float64(len(v))
	q := 0.0
	for _, x := range v {
		d := x - mean
		q += d * d
	}
	return mean, 1 / math.Sqrt(q/float64(len(v))+groupNormEps)
}

// Forward normalises each group, then scales and shifts each channel.
func (l *GroupNorm) Forward(p, in, out []float64) {
	C, hw := l.in.C, l.in.H*l.in.W
	scale, shift := p[:C], p[C:2*C]
	for g := range l.Groups {
		x, c0 := l.group(in, g)
		y, _ := l.group(out, g)
		mean, inv := moments(x)
		for j := 0; j < len(x); j += hw {
			a, b := scale[c0+j/hw], shift[c0+j/hw]
			yc := y[j : j+hw]
			for i, v := range x[j : j+hw] {
				yc[i] = a*((v-mean)*inv) + b
			}
		}
	}
}

// Backward adds the scale and shift gradients to g and writes the input
// gradient: with d = dout scale[c] the gradient of x̂, a group of n
// values has din = inv (d - mean(d) - x̂ mean(d x̂)), the means over the
// group (the mean and the variance depend on every value of the group).
func (l *GroupNorm) Backward(p, in, _, dout, din, g []float64) {
	C, hw := l.in.C, l.in.H*l.in.W
	scale := p[:C]
	gScale, gShift := g[:C], g[C:2*C]
	for gr := range l.Groups {
		x, c0 := l.group(in, gr)
		dy, _ := l.group(dout, gr)
		mean, inv := moments(x)
		sd, sdx := 0.0, 0.0 // sums of d and d x̂
		for c := c0; c < c0+len(x)/hw; c++ {
			s, sx := 0.0, 0.0
			for i := (c - c0) * hw; i < (c-c0+1)*hw; i++ {
				xh := (x[i] - mean) * inv
				s += dy[i]
				sx += dy[i] * xh
			}
			gShift[c] += s
			gScale[c] += sx
			sd += s * scale[c]
			sdx += sx * scale[c]
		}
		if din == nil {
			continue
		}
		dx, _ := l.group(din, gr)
		n := float64(len(x))
		md, mdx := sd/n, sdx/n
		for j := 0; j < len(x); j += hw {
			a := scale[c0+j/hw]
			for i := j; i < j+hw; i++ {
				xh := (x[i] - mean) * inv
				dx[i] = inv * (dy[i]*a - md - xh*mdx)
			}
		}
	}
}

// checkGroupNorm checks a.GroupNorm: 0 (none), or 1 to MaxGroupNorm
// groups dividing every block's filters.
func (a Arch) checkGroupNorm() error {
	switch {
	case a.GroupNorm == 0:
		return nil
	case a.GroupNorm < 0 || a.GroupNorm > MaxGroupNorm:
		return archErr("group normalisation of %d groups (0 to %d)", a.GroupNorm, MaxGroupNorm)
	case len(a.Filters) == 0:
		return archErr("group normalisation without convolution blocks")
	}
	for i, f := range a.Filters {
		if f%a.GroupNorm != 0 {
			return archErr("block %d: %d filters in %d groups (the groups must divide the filters)", i+1, f, a.GroupNorm)
		}
	}
	return nil
}

// blockValues is the number of values a block computes per filter and
// output position before its pooling: the convolution's and the ReLU's,
// and the normalisation's with GroupNorm.
func (a Arch) blockValues() int {
	if a.GroupNorm > 0 {
		return 3
	}
	return 2
}
