package nn

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestLayer1DGradients(t *testing.T) {
	for _, c := range []struct {
		name string
		l    Layer
	}{
		{"conv1d k5", NewConv1D(Shape{2, 1, 11}, 3, 5, 1)},
		{"conv1d k3 stride 2", NewConv1D(Shape{2, 1, 11}, 2, 3, 2)},
		{"conv1d k7 stride 3", NewConv1D(Shape{1, 1, 10}, 2, 7, 3)},
		{"conv1d k1", NewConv1D(Shape{3, 1, 6}, 2, 1, 1)},
		{"conv1d kernel over the signal", NewConv1D(Shape{1, 1, 3}, 2, 9, 2)},
		{"maxpool1d 2", NewPool1D(Shape{2, 1, 9}, 2, true)},
		{"avgpool1d 3", NewPool1D(Shape{2, 1, 9}, 3, false)},
	} {
		checkLayer(t, c.name, c.l, 11)
	}
}

// A 1-D convolution equals the direct sum of its definition, with zero
// padding and stride.
func TestConv1DDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, c := range []struct{ inC, outC, w, k, s int }{{1, 2, 13, 5, 1}, {2, 3, 13, 7, 2}, {2, 1, 4, 9, 3}} {
		l := NewConv1D(Shape{c.inC, 1, c.w}, c.outC, c.k, c.s)
		p, x := randVec(rng, l.NumParams()), randVec(rng, l.In().Size())
		out := make([]float64, l.Out().Size())
		l.Forward(p, x, out)
		oW := l.Out().W
		if oW != (c.w+c.s-1)/c.s {
			t.Errorf("%+v: %d outputs", c, oW)
		}
		for o := 0; o < c.outC; o++ {
			for i := 0; i < oW; i++ {
				want := p[l.nW+o]
				for ch := 0; ch < c.inC; ch++ {
					for k := 0; k < c.k; k++ {
						if j := i*c.s + k - c.k/2; j >= 0 && j < c.w {
							want += p[(o*c.inC+ch)*c.k+k] * x[ch*c.w+j]
						}
					}
				}
				if got := out[o*oW+i]; math.Abs(got-want) > 1e-12 {
					t.Errorf("%+v: out[%d][%d] %v, want %v", c, o, i, got, want)
				}
			}
		}
	}
}

var arch1D = Arch{In: Shape{1, 1, 64}, Filters: []int{4, 6, 8}, Kernels: []int{7, 5, 3}, Strides: []int{2}, Pool: 2,
	Hidden: 5, Classes: 3, OneD: true}

// The whole 1-D network's gradient against finite differences.
func TestNet1DGradient(t *testing.T) {
	for _, avg := range []bool{false, true} {
		a := arch1D
		a.AvgPool, a.Extra = avg, 2
		checkNetGradient(t, a, 3, 1, 1.3)
	}
}

func TestArch1DCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Arch)
	}{
		{"two rows", func(a *Arch) { a.In.H = 2 }},
		{"too long", func(a *Arch) { a.In.W = MaxLength + 1 }},
		{"even kernel", func(a *Arch) { a.Kernels = []int{7, 4, 3} }},
		{"kernels short", func(a *Arch) { a.Kernels = []int{7} }},
		{"stride 0", func(a *Arch) { a.Strides = []int{0} }},
		{"stride too large", func(a *Arch) { a.Strides = []int{MaxStride + 1} }},
		{"too many strides", func(a *Arch) { a.Strides = []int{1, 1, 1, 1} }},
		{"pooled away", func(a *Arch) { a.In.W = 8 }},
		{"no filters", func(a *Arch) { a.Filters = []int{4, 0, 8}; a.Kernels = nil; a.Kernel = 3 }},
		{"2-D with strides", func(a *Arch) { a.OneD = false; a.In = Shape{1, 8, 8}; a.Kernels = nil; a.Kernel = 3 }},
	} {
		a := arch1D
		a.Filters, a.Kernels, a.Strides = slices.Clone(a.Filters), slices.Clone(a.Kernels), slices.Clone(a.Strides)
		c.edit(&a)
		if err := a.Check(); !errors.Is(err, ErrArch) {
			t.Errorf("%s: Check %v, want ErrArch", c.name, err)
		}
	}
	if err := arch1D.Check(); err != nil {
		t.Fatal(err)
	}
}

// pulses makes signals of 64 samples with regular (class 0) or irregular
// (class 1) pulses over noise.
func pulses(n int, seed uint64) []Sample {
	rng := rand.New(rand.NewPCG(seed, 4))
	var s []Sample
	for i := 0; i < n; i++ {
		x := make([]float64, 96)
		for j := range x {
			x[j] = 0.2 * rng.NormFloat64()
		}
		y := i % 2
		for at := rng.IntN(8); at < len(x); at += 8 {
			if y == 1 {
				at += rng.IntN(5) - 2
			}
			if at >= 0 && at < len(x) {
				x[at] += 2
			}
		}
		s = append(s, Sample{X: x, Label: y})
	}
	return s
}

// A 1-D network trained on random crops of longer signals (Augment with
// training inputs longer than the network's) learns regular from
// irregular pulses, and the same seed gives the same parameters with 1
// and 3 jobs.
func TestFit1DCrops(t *testing.T) {
	a := Arch{In: Shape{1, 1, 64}, Filters: []int{4, 8}, Kernels: []int{5, 5}, Strides: []int{1, 1}, Pool: 2, Hidden: 8, Classes: 2, OneD: true}
	crop := func(dst, x []float64, rng *rand.Rand) { copy(dst, x[rng.IntN(len(x)-len(dst)+1):]) }
	center := func(s []Sample) []Sample {
		out := slices.Clone(s)
		for i := range out {
			out[i].X = out[i].X[16:80]
		}
		return out
	}
	train, test := pulses(200, 1), center(pulses(100, 2))
	var params [][]float64
	for _, jobs := range []int{1, 3} {
		n, err := New(a, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Fit(context.Background(), train, test[:50], FitOptions{Epochs: 12, Batch: 16, LR: 0.01, Seed: 1, Jobs: jobs,
			Patience: 4, Augment: crop}); err != nil {
			t.Fatal(err)
		}
		if acc := accuracy(n, test[50:]); acc < 0.9 {
			t.Errorf("jobs %d: accuracy %.2f", jobs, acc)
		}
		params = append(params, n.Params)
	}
	if !slices.Equal(params[0], params[1]) {
		t.Error("1 and 3 jobs gave different parameters")
	}
	n, _ := New(a, 1)
	if _, err := n.Fit(context.Background(), train, nil, FitOptions{Epochs: 1}); err == nil {
		t.Error("inputs longer than the network's trained without an augmentation")
	}
}

func TestLogits(t *testing.T) {
	n, err := New(arch1D, 2)
	if err != nil {
		t.Fatal(err)
	}
	x := randVec(rand.New(rand.NewPCG(1, 1)), arch1D.In.Size())
	l := n.Logits(nil, x, nil)
	p, q := n.Probs(nil, x, nil), make([]float64, len(l))
	Softmax(q, l)
	for i := range p {
		if math.Abs(p[i]-q[i]) > 1e-15 {
			t.Errorf("softmax of logits %v, probs %v", q, p)
		}
	}
}
