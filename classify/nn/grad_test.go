package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randVec returns n values uniform in ±[0.1, 1] (away from 0, where ReLU
// has a kink).
func randVec(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 0.1 + 0.9*rng.Float64()
		if rng.IntN(2) == 0 {
			v[i] = -v[i]
		}
	}
	return v
}

// checkLayer compares the gradients of Backward with central differences
// of the loss sum(r * Forward(p, x)) with respect to every parameter and
// every input value.
func checkLayer(t *testing.T, name string, l Layer, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	p := randVec(rng, l.NumParams())
	x := randVec(rng, l.In().Size())
	r := randVec(rng, l.Out().Size())
	out := make([]float64, l.Out().Size())
	loss := func() float64 {
		l.Forward(p, x, out)
		s := 0.0
		for i, v := range out {
			s += r[i] * v
		}
		return s
	}
	loss()
	g := make([]float64, len(p))
	din := make([]float64, len(x))
	l.Backward(p, x, out, r, din, g)
	const h = 1e-6
	numeric := func(v []float64, i int) float64 {
		old := v[i]
		v[i] = old + h
		up := loss()
		v[i] = old - h
		down := loss()
		v[i] = old
		return (up - down) / (2 * h)
	}
	near := func(what string, i int, got, want float64) {
		if math.Abs(got-want) > 1e-6*max(1, math.Abs(want)) {
			t.Errorf("%s: %s %d: backward %.9g, finite difference %.9g", name, what, i, got, want)
		}
	}
	for i := range p {
		near("parameter", i, g[i], numeric(p, i))
	}
	for i := range x {
		near("input", i, din[i], numeric(x, i))
	}
}

func TestLayerGradients(t *testing.T) {
	in := Shape{2, 5, 7}
	for _, c := range []struct {
		name string
		l    Layer
	}{
		{"conv3", NewConv2D(in, 3, 3)},
		{"conv5", NewConv2D(in, 2, 5)},
		{"conv1", NewConv2D(in, 2, 1)},
		{"maxpool2", NewPool(in, 2, true)},
		{"avgpool2", NewPool(in, 2, false)},
		{"maxpool3", NewPool(in, 3, true)},
		{"relu", NewReLU(in)},
		{"gap", NewGlobalAvgPool(in)},
		{"dense", NewDense(in, 4)},
	} {
		checkLayer(t, c.name, c.l, 7)
	}
}

// A deliberately wrong backward pass must fail the check.
func TestGradientCheckCatchesErrors(t *testing.T) {
	ft := &testing.T{}
	checkLayer(ft, "broken", brokenReLU{NewReLU(Shape{1, 2, 2})}, 1)
	if !ft.Failed() {
		t.Fatal("the gradient check accepted a wrong backward pass")
	}
}

type brokenReLU struct{ *ReLU }

func (b brokenReLU) Backward(p, in, out, dout, din, g []float64) {
	b.ReLU.Backward(p, in, out, dout, din, g)
	if din != nil {
		din[0] *= 2
	}
}

func TestCrossEntropyGradient(t *testing.T) {
	logits := []float64{0.3, -1.2, 2.0, 0.1}
	probs := make([]float64, 4)
	d := make([]float64, 4)
	CrossEntropy(logits, 1, 2.5, probs, d)
	for i := range logits {
		old := logits[i]
		logits[i] = old + 1e-6
		up := CrossEntropy(logits, 1, 2.5, probs, nil)
		logits[i] = old - 1e-6
		down := CrossEntropy(logits, 1, 2.5, probs, nil)
		logits[i] = old
		if num := (up - down) / 2e-6; math.Abs(num-d[i]) > 1e-6 {
			t.Errorf("logit %d: gradient %v, finite difference %v", i, d[i], num)
		}
	}
}

// The whole network's gradient (convolutions, pooling, join of extra
// values, hidden layer, weighted cross-entropy) against finite
// differences of its loss.
func TestNetGradient(t *testing.T) {
	for _, avg := range []bool{false, true} {
		a := Arch{In: Shape{1, 8, 12}, Filters: []int{3, 4}, Kernel: 3, Pool: 2, AvgPool: avg, Extra: 2, Hidden: 5, Classes: 3}
		checkNetGradient(t, a, 3, 2, 1.7)
	}
}

// checkNetGradient compares the parameter gradient of network a's
// cross-entropy (label y, weight w) on a random sample with central
// differences.
func checkNetGradient(t *testing.T, a Arch, seed uint64, y int, w float64) {
	t.Helper()
	n, err := New(a, seed)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, seed+2))
	x, extra := randVec(rng, a.In.Size()), randVec(rng, a.Extra)
	ws := n.newWorkspace()
	loss := func() float64 {
		return CrossEntropy(n.forward(ws, x, extra), y, w, ws.probs, nil)
	}
	last := len(ws.grad) - 1
	CrossEntropy(n.forward(ws, x, extra), y, w, ws.probs, ws.grad[last])
	g := make([]float64, len(n.Params))
	n.backward(ws, x, g)
	for i := range n.Params {
		old := n.Params[i]
		n.Params[i] = old + 1e-6
		up := loss()
		n.Params[i] = old - 1e-6
		down := loss()
		n.Params[i] = old
		if num := (up - down) / 2e-6; math.Abs(num-g[i]) > 1e-5*max(1, math.Abs(num)) {
			t.Errorf("%+v: parameter %d: gradient %.9g, finite difference %.9g", a, i, g[i], num)
		}
	}
	if a.NumParams() != len(n.Params) {
		t.Errorf("NumParams %d, network has %d", a.NumParams(), len(n.Params))
	}
}
