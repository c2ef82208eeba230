package nn

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// stripes makes images of a bright vertical (class 0) or horizontal
// (class 1) stripe at a random place, over noise.
func stripes(n int, seed uint64) []Sample {
	rng := rand.New(rand.NewPCG(seed, 9))
	const H, W = 8, 8
	var s []Sample
	for i := 0; i < n; i++ {
		x := make([]float64, H*W)
		for j := range x {
			x[j] = 0.3 * rng.NormFloat64()
		}
		y, at := i%2, rng.IntN(H)
		for k := 0; k < H; k++ {
			if y == 0 {
				x[k*W+at] += 1.5
			} else {
				x[at*W+k] += 1.5
			}
		}
		s = append(s, Sample{X: x, Extra: []float64{rng.NormFloat64()}, Label: y})
	}
	return s
}

var toyArch = Arch{In: Shape{1, 8, 8}, Filters: []int{4, 8}, Kernel: 3, Pool: 2, Extra: 1, Hidden: 8, Classes: 2}

func accuracy(n *Net, s []Sample) float64 {
	ok := 0
	for _, x := range s {
		p := n.Probs(nil, x.X, x.Extra)
		if (p[1] > p[0]) == (x.Label == 1) {
			ok++
		}
	}
	return float64(ok) / float64(len(s))
}

func TestFitLearnsStripes(t *testing.T) {
	n, err := New(toyArch, 1)
	if err != nil {
		t.Fatal(err)
	}
	train, test := stripes(200, 1), stripes(100, 2)
	before := accuracy(n, test)
	res, err := n.Fit(context.Background(), train, test[:50], FitOptions{Epochs: 15, Batch: 16, LR: 0.01, Seed: 1, Jobs: 2, Patience: 5})
	if err != nil {
		t.Fatal(err)
	}
	if acc := accuracy(n, test[50:]); acc < 0.9 {
		t.Errorf("accuracy %.2f after training (%.2f before; epochs %+v)", acc, before, res.Epochs)
	}
}

// The same seed gives the same parameters whatever the number of jobs,
// with augmentation and class weights, with group normalisation too.
func TestFitDeterministic(t *testing.T) {
	norm := toyArch
	norm.GroupNorm = 2
	for _, a := range []Arch{toyArch, norm} {
		checkFitDeterministic(t, a)
	}
}

// checkFitDeterministic fits networks of arch with 1, 3 and 1 jobs and
// checks that their parameters are the same.
func checkFitDeterministic(t *testing.T, arch Arch) {
	t.Helper()
	fit := func(jobs int) []float64 {
		n, err := New(arch, 4)
		if err != nil {
			t.Fatal(err)
		}
		opt := FitOptions{Epochs: 3, Batch: 7, LR: 0.01, Seed: 2, Jobs: jobs, ClassWeights: []float64{1, 2},
			Augment: func(dst, x []float64, rng *rand.Rand) {
				g := 1 + 0.1*rng.NormFloat64()
				for i, v := range x {
					dst[i] = g * v
				}
			}}
		if _, err := n.Fit(context.Background(), stripes(50, 3), stripes(10, 4), opt); err != nil {
			t.Fatal(err)
		}
		return n.Params
	}
	a, b, c := fit(1), fit(3), fit(1)
	if !slices.Equal(a, b) || !slices.Equal(a, c) {
		t.Errorf("%+v: parameters differ between runs with 1 and 3 jobs", arch)
	}
}

// Early stopping keeps the epoch of lowest validation loss.
func TestFitKeepsBestEpoch(t *testing.T) {
	n, _ := New(toyArch, 1)
	var losses []float64
	var kept []float64
	opt := FitOptions{Epochs: 8, Batch: 8, LR: 0.2, Optimizer: "sgd", Seed: 1, Jobs: 1, Patience: 2,
		Epoch: func(e EpochResult) { losses = append(losses, e.ValLoss) }}
	val := stripes(20, 5)
	res, err := n.Fit(context.Background(), stripes(40, 6), val, opt)
	if err != nil {
		t.Fatal(err)
	}
	kept = append(kept, n.Loss(val, nil, 1))
	if min := slices.Min(losses); kept[0] != min || losses[res.Best-1] != min {
		t.Errorf("kept validation loss %v, best epoch %d, losses %v", kept[0], res.Best, losses)
	}
}

func TestArchCheck(t *testing.T) {
	for _, a := range []Arch{
		{In: Shape{1, 4, 4}, Filters: []int{2, 2, 2}, Kernel: 3, Pool: 2, Classes: 2}, // pooled away
		{In: Shape{1, 8, 8}, Filters: []int{2}, Kernel: 2, Pool: 2, Classes: 2},       // even kernel
		{In: Shape{0, 8, 8}, Filters: []int{2}, Kernel: 3, Pool: 2, Classes: 2},
		{In: Shape{1, 8, 8}, Filters: []int{2}, Kernel: 3, Pool: 2, Classes: 0},
		{In: Shape{1, 8, 8}, Filters: []int{MaxFilters + 1}, Kernel: 3, Pool: 2, Classes: 2},
	} {
		if _, err := New(a, 1); err == nil {
			t.Errorf("%+v accepted", a)
		}
	}
	if _, err := FromParams(toyArch, make([]float64, 3)); err == nil {
		t.Error("FromParams accepted 3 parameters")
	}
}
