package nn

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The GRU's gradients against central differences at several shapes:
// one step, one unit, more units than channels, an odd number of steps,
// and sizes past the dot kernels' 4 and 8 runs.
func TestGRUGradients(t *testing.T) {
	for _, c := range []struct {
		name    string
		c, w, h int
	}{
		{"1 step", 3, 1, 2},
		{"1 unit", 2, 5, 1},
		{"units > channels", 2, 4, 5},
		{"odd steps", 4, 7, 3},
		{"wide", 9, 6, 10},
	} {
		checkLayer(t, "gru "+c.name, NewGRU(Shape{c.c, 1, c.w}, c.h, false), 21)
		checkLayer(t, "gru with averages "+c.name, NewGRU(Shape{c.c, 1, c.w}, c.h, true), 22)
	}
}

// A GRU whose backward pass drops the reset gate's gradient must fail the
// check (the check can fail).
func TestGRUGradientCheckCatchesErrors(t *testing.T) {
	ft := &testing.T{}
	checkLayer(ft, "broken gru", brokenGRU{NewGRU(Shape{2, 1, 4}, 3, false)}, 1)
	if !ft.Failed() {
		t.Fatal("the gradient check accepted a GRU with a wrong backward pass")
	}
}

type brokenGRU struct{ *GRU }

func (b brokenGRU) Backward(p, in, out, dout, din, g []float64) {
	b.GRU.Backward(p, in, out, dout, din, g)
	_, _, gb := b.split(b.dir(g, 0))
	gb[b.H] = 0 // the forward pass's first reset-gate bias
}

// Whole recurrent networks against finite differences, with and without
// the extra values and the hidden layer.
func TestNetGradientRecurrent(t *testing.T) {
	a := Arch{In: Shape{3, 1, 32}, OneD: true, Filters: []int{4, 5}, Kernel: 5, Pool: 2,
		Extra: 2, Hidden: 5, Classes: 3, Recurrent: 3}
	checkNetGradient(t, a, 3, 1, 1.3)
	a = Arch{In: Shape{2, 1, 20}, OneD: true, Filters: []int{3}, Kernel: 3, Strides: []int{2}, Pool: 2, Classes: 2, Recurrent: 4}
	checkNetGradient(t, a, 4, 0, 0.7)
	b := a
	b.RecurrentAvg = true
	checkNetGradient(t, b, 5, 1, 1.1)
	if d := b.NumParams() - a.NumParams(); d != 3*2 {
		t.Errorf("the averages add %d parameters, want 6 (3 more inputs to 2 outputs)", d)
	}
	if d, want := a.NumParams(), (3*2*3+3)+2*3*4*(3+4+1)+2*(2*4)+2; d != want {
		t.Errorf("NumParams %d, want %d", d, want)
	}
}

// Known values: one unit over two steps of one channel, by hand.
func TestGRUValues(t *testing.T) {
	l := NewGRU(Shape{1, 1, 2}, 1, false)
	// Each direction: W (z, r, n), U (z, r, n), b (z, r, n).
	p := []float64{0.5, -0.5, 1, 0.2, 0.3, -0.4, 0, 0.1, 0.2 /* backward */, 1, 1, 1, 0, 0, 0, 0, 0, 0}
	x := []float64{1, -2}
	out := make([]float64, 2)
	l.Forward(p, x, out)
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	step := func(w, u, b []float64, x, h float64) float64 {
		z := sig(w[0]*x + u[0]*h + b[0])
		r := sig(w[1]*x + u[1]*h + b[1])
		n := math.Tanh(w[2]*x + u[2]*(r*h) + b[2])
		return (1-z)*n + z*h
	}
	fw, fu, fb := p[0:3], p[3:6], p[6:9]
	h1 := step(fw, fu, fb, 1, 0)
	h2 := step(fw, fu, fb, -2, h1)
	bw, bu, bb := p[9:12], p[12:15], p[15:18]
	g2 := step(bw, bu, bb, -2, 0)
	g1 := step(bw, bu, bb, 1, g2)
	want := []float64{(h1 + h2) / 2, (g1 + g2) / 2}
	for i := range want {
		if math.Abs(out[i]-want[i]) > 1e-12 {
			t.Errorf("output %d: %v, want %v", i, out[i], want[i])
		}
	}
}

// The recurrent layer is named in the JSON only when set (so earlier
// model files keep their bytes), and bounded.
func TestRecurrentJSONAndCheck(t *testing.T) {
	a := Arch{In: Shape{3, 1, 32}, OneD: true, Filters: []int{4}, Kernel: 5, Pool: 2, Classes: 2}
	if b, _ := json.Marshal(a); strings.Contains(string(b), "recurrent") {
		t.Errorf("no recurrent layer, yet written: %s", b)
	}
	a.Recurrent = 8
	if b, _ := json.Marshal(a); !strings.Contains(string(b), `"recurrent":8`) {
		t.Errorf("recurrent layer not written: %s", b)
	}
	if err := a.Check(); err != nil {
		t.Fatal(err)
	}
	two := Arch{In: Shape{1, 8, 8}, Filters: []int{2}, Kernel: 3, Pool: 2, Classes: 2, Recurrent: 4}
	pooled := a
	pooled.GlobalPool = GlobalMax
	long := Arch{In: Shape{64, 1, MaxLength}, OneD: true, Filters: []int{1}, Kernel: 3, Pool: 1, Classes: 2, Recurrent: MaxRecurrent}
	avgOnly := a
	avgOnly.Recurrent, avgOnly.RecurrentAvg = 0, true
	for _, bad := range []Arch{two, pooled, long, avgOnly, {In: a.In, OneD: true, Kernel: 3, Pool: 2, Classes: 2, Recurrent: -1},
		{In: a.In, OneD: true, Kernel: 3, Pool: 2, Classes: 2, Recurrent: MaxRecurrent + 1}} {
		if err := bad.Check(); !errors.Is(err, ErrArch) {
			t.Errorf("%+v: %v, want ErrArch", bad, err)
		}
	}
}

// The long network above is refused for its recurrent layer's values
// alone.
func TestRecurrentScratchBound(t *testing.T) {
	a := Arch{In: Shape{64, 1, MaxLength}, OneD: true, Filters: []int{1}, Kernel: 3, Pool: 1, Classes: 2}
	if err := a.Check(); err != nil {
		t.Fatalf("without the recurrent layer: %v", err)
	}
	a.Recurrent = MaxRecurrent
	if err := a.Check(); !errors.Is(err, ErrArch) {
		t.Fatalf("with it: %v, want ErrArch", err)
	}
}

// order makes 1-D signals of a positive and a negative pulse at least 6
// samples apart: class 0 when the positive comes first. Each class has one
// pulse of each sign, so a network that averages over time cannot tell
// them apart; one that reads the sequence in order can.
func order(n int, seed uint64) []Sample {
	rng := rand.New(rand.NewPCG(seed, 11))
	const W = 24
	var s []Sample
	for i := 0; i < n; i++ {
		x := make([]float64, W)
		for j := range x {
			x[j] = 0.2 * rng.NormFloat64()
		}
		a := rng.IntN(W - 6)
		b := a + 6 + rng.IntN(W-a-6)
		y := i % 2
		sign := 1.0 - 2*float64(y)
		x[a] += 1.5 * sign
		x[b] -= 1.5 * sign
		s = append(s, Sample{X: x, Label: y})
	}
	return s
}

func TestFitRecurrentLearnsOrder(t *testing.T) {
	fit := func(recurrent, jobs int) (*Net, float64) {
		a := Arch{In: Shape{1, 1, 24}, OneD: true, Filters: []int{4}, Kernel: 3, Pool: 2, Hidden: 8, Classes: 2, Recurrent: recurrent}
		n, err := New(a, 1)
		if err != nil {
			t.Fatal(err)
		}
		train, test := order(300, 1), order(200, 2)
		if _, err := n.Fit(context.Background(), train, nil, FitOptions{Epochs: 30, Batch: 16, LR: 0.01, Seed: 1, Jobs: jobs}); err != nil {
			t.Fatal(err)
		}
		return n, accuracy(n, test)
	}
	gru, accGRU := fit(6, 2)
	if accGRU < 0.9 {
		t.Errorf("recurrent network: accuracy %.2f, want at least 0.9", accGRU)
	}
	if _, accAvg := fit(0, 2); accAvg > 0.75 {
		t.Errorf("averaging network: accuracy %.2f; the task should need the order", accAvg)
	}
	if again, _ := fit(6, 1); !slices.Equal(gru.Params, again.Params) {
		t.Error("recurrent network: parameters differ between 1 and 2 jobs")
	}
}
