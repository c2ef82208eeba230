package nn

import (
	"math"
	"testing"
)

// Group normalisation's gradients against central differences: one
// group (layer normalisation), groups of several channels, one channel a
// group, and a 2-D shape.
func TestGroupNormGradients(t *testing.T) {
	for _, c := range []struct {
		name   string
		in     Shape
		groups int
	}{
		{"layer", Shape{4, 1, 9}, 1},
		{"2 groups", Shape{4, 1, 9}, 2},
		{"instance", Shape{3, 1, 5}, 3},
		{"2-D", Shape{6, 3, 4}, 3},
		{"one value a group", Shape{2, 1, 1}, 1},
	} {
		checkLayer(t, "groupnorm "+c.name, NewGroupNorm(c.in, c.groups), 31)
	}
}

// A group normalisation whose backward pass leaves out the variance's
// term (or the mean's) must fail the check.
func TestGroupNormGradientCheckCatchesErrors(t *testing.T) {
	for _, drop := range []string{"variance", "mean"} {
		ft := &testing.T{}
		checkLayer(ft, "broken groupnorm", brokenGroupNorm{NewGroupNorm(Shape{4, 1, 6}, 2), drop}, 1)
		if !ft.Failed() {
			t.Errorf("the gradient check accepted a group normalisation without the %s's term", drop)
		}
	}
}

// brokenGroupNorm is GroupNorm whose input gradient leaves out the term
// of the mean or of the variance.
type brokenGroupNorm struct {
	*GroupNorm
	drop string
}

func (b brokenGroupNorm) Backward(p, in, out, dout, din, g []float64) {
	b.GroupNorm.Backward(p, in, out, dout, din, g)
	if din == nil {
		return
	}
	C, hw := b.in.C, b.in.H*b.in.W
	for gr := range b.Groups {
		x, c0 := b.group(in, gr)
		dy, _ := b.group(dout, gr)
		dx, _ := b.group(din, gr)
		mean, inv := moments(x)
		n := float64(len(x))
		sd, sdx := 0.0, 0.0
		for i, v := range x {
			d := dy[i] * p[:C][c0+i/hw]
			sd += d
			sdx += d * (v - mean) * inv
		}
		for i, v := range x {
			if b.drop == "mean" {
				dx[i] += inv * sd / n
			} else {
				dx[i] += inv * (v - mean) * inv * sdx / n
			}
		}
	}
}

// Values by hand: two channels of two values in one group, scale and
// shift per channel.
func TestGroupNormValues(t *testing.T) {
	l := NewGroupNorm(Shape{2, 1, 2}, 1)
	p := []float64{2, -1, 0.5, 3} // scales 2, -1; shifts 0.5, 3
	in := []float64{1, 3, 5, 7}   // mean 4, variance (9+1+1+9)/4 = 5
	out := make([]float64, 4)
	l.Forward(p, in, out)
	inv := 1 / math.Sqrt(5+1e-5)
	want := []float64{2*-3*inv + 0.5, 2*-1*inv + 0.5, -1*1*inv + 3, -1*3*inv + 3}
	for i := range want {
		if math.Abs(out[i]-want[i]) > 1e-12 {
			t.Errorf("out[%d] = %.12g, want %.12g", i, out[i], want[i])
		}
	}
	// Two groups: each channel by its own moments.
	l = NewGroupNorm(Shape{2, 1, 2}, 2)
	l.Forward([]float64{1, 1, 0, 0}, in, out)
	inv = 1 / math.Sqrt(1+1e-5)
	for i, w := range []float64{-inv, inv, -inv, inv} {
		if math.Abs(out[i]-w) > 1e-12 {
			t.Errorf("two groups: out[%d] = %.12g, want %.12g", i, out[i], w)
		}
	}
}

// A constant group (variance 0) gives the shifts and finite gradients,
// thanks to the epsilon.
func TestGroupNormConstant(t *testing.T) {
	l := NewGroupNorm(Shape{2, 1, 3}, 1)
	p := []float64{1.5, 2, 0.25, -0.5}
	in := []float64{4, 4, 4, 4, 4, 4}
	out := make([]float64, 6)
	l.Forward(p, in, out)
	for i, v := range out {
		if want := p[2+i/3]; v != want {
			t.Errorf("out[%d] = %v, want the shift %v", i, v, want)
		}
	}
	g, din := make([]float64, 4), make([]float64, 6)
	l.Backward(p, in, out, []float64{1, -2, 3, 0.5, 1, -1}, din, g)
	for i, v := range append(g, din...) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("gradient %d is %v", i, v)
		}
	}
	if g[2] != 2 || g[3] != 0.5 {
		t.Errorf("shift gradients %v, want 2 and 0.5 (the sums of dout)", g[2:])
	}
}

// Whole networks with group normalisation against finite differences:
// 2-D and 1-D, layer and group normalisation, with a recurrent layer.
func TestNetGradientGroupNorm(t *testing.T) {
	checkNetGradient(t, Arch{In: Shape{1, 8, 12}, Filters: []int{4, 4}, Kernel: 3, Pool: 2, Extra: 2, Hidden: 5, Classes: 3, GroupNorm: 2}, 3, 2, 1.7)
	checkNetGradient(t, Arch{In: Shape{3, 1, 32}, OneD: true, Filters: []int{4, 6}, Kernel: 5, Pool: 2, Classes: 3, GroupNorm: 1}, 4, 1, 1)
	checkNetGradient(t, Arch{In: Shape{2, 1, 24}, OneD: true, Filters: []int{4, 8}, Kernel: 3, Pool: 2, Classes: 2,
		GroupNorm: 2, Recurrent: 3, RecurrentAvg: true}, 5, 0, 1.2)
}
