package classify

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// stackToy returns n rows of 3 classes with two members: the first
// tells class 0 from the others (it calls 1 and 2 alike), the second
// tells class 2 from the others; neither alone finds all three.
func stackToy(n int, seed uint64) (P [][][]float64, y []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	P = [][][]float64{make([][]float64, n), make([][]float64, n)}
	y = make([]int, n)
	for i := range y {
		y[i] = rng.IntN(3)
		a := 0.15 + 0.1*rng.Float64() // the first member's P(class 0) when it is not 0
		if y[i] == 0 {
			a = 0.75 + 0.1*rng.Float64()
		}
		P[0][i] = []float64{a, (1 - a) / 2, (1 - a) / 2}
		b := 0.15 + 0.1*rng.Float64()
		if y[i] == 2 {
			b = 0.75 + 0.1*rng.Float64()
		}
		P[1][i] = []float64{(1 - b) / 2, (1 - b) / 2, b}
	}
	return P, y
}

// The stacker finds the three classes that each member tells only in
// part, on rows it did not see; its probabilities sum to 1; the same
// data gives the same weights, bit for bit.
func TestStackerCombinesMembers(t *testing.T) {
	P, y := stackToy(600, 1)
	s, err := FitStacker(P, y, 3, DefaultStackLambda)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Check(); err != nil {
		t.Fatal(err)
	}
	Q, yq := stackToy(300, 2)
	right, single := 0, [2]int{}
	for i := range yq {
		p := s.Probs(nil, Q[0][i], Q[1][i])
		sum := 0.0
		for _, v := range p {
			sum += v
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Fatalf("row %d: probabilities %v sum to %v", i, p, sum)
		}
		if argmax(p) == yq[i] {
			right++
		}
		for m := range single {
			if argmax(Q[m][i]) == yq[i] {
				single[m]++
			}
		}
	}
	if right < 290 || single[0] > 250 || single[1] > 250 {
		t.Errorf("stacked %d of 300 right, the members alone %d and %d", right, single[0], single[1])
	}
	s2, err := FitStacker(P, y, 3, DefaultStackLambda)
	if err != nil {
		t.Fatal(err)
	}
	for c := range s.W {
		if !slices.Equal(s.W[c], s2.W[c]) || s.B[c] != s2.B[c] {
			t.Fatalf("class %d: a second fit gave other weights", c)
		}
	}
}

// stackLoss's gradient matches central differences of the loss, and its
// Hessian central differences of the gradient.
func TestStackLossDerivatives(t *testing.T) {
	P, y := stackToy(40, 3)
	s := &Stacker{Members: 2, Classes: 3}
	X := make([][]float64, len(y))
	for i := range y {
		X[i] = s.inputs(nil, func(m int) []float64 { return P[m][i] })
	}
	d, k := 6, 3
	n := k * (d + 1)
	rng := rand.New(rand.NewPCG(4, 4))
	w := make([]float64, n)
	for i := range w {
		w[i] = rng.NormFloat64() * 0.3
	}
	g := make([]float64, n)
	hess := make([][]float64, n)
	for i := range hess {
		hess[i] = make([]float64, n)
	}
	stackLoss(g, hess, w, X, y, k, d, 0.05)
	gp, gm := make([]float64, n), make([]float64, n)
	for i := range w {
		const h = 1e-6
		wp, wm := slices.Clone(w), slices.Clone(w)
		wp[i] += h
		wm[i] -= h
		num := (stackLoss(gp, nil, wp, X, y, k, d, 0.05) - stackLoss(gm, nil, wm, X, y, k, d, 0.05)) / (2 * h)
		if math.Abs(num-g[i]) > 1e-6*math.Max(1, math.Abs(num)) {
			t.Errorf("weight %d: gradient %v, central difference %v", i, g[i], num)
		}
		for j := range w {
			if num := (gp[j] - gm[j]) / (2 * h); math.Abs(num-hess[i][j]) > 1e-5*math.Max(1, math.Abs(num)) {
				t.Errorf("Hessian (%d, %d): %v, central difference of the gradient %v", i, j, hess[i][j], num)
			}
		}
	}
}

// Bad shapes and values are refused, never fitted or used.
func TestStackerRefuses(t *testing.T) {
	P, y := stackToy(10, 5)
	if _, err := FitStacker(nil, y, 3, 0.01); err == nil {
		t.Error("no members: fitted")
	}
	if _, err := FitStacker(P, y[:5], 3, 0.01); err == nil {
		t.Error("5 classes for 10 rows: fitted")
	}
	bad := slices.Clone(y)
	bad[0] = 3
	if _, err := FitStacker(P, bad, 3, 0.01); err == nil {
		t.Error("class 3 of 3: fitted")
	}
	good, err := FitStacker(P, y, 3, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(s *Stacker){
		"no members":   func(s *Stacker) { s.Members = 0 },
		"9 members":    func(s *Stacker) { s.Members = 9 },
		"one class":    func(s *Stacker) { s.Classes = 1 },
		"short row":    func(s *Stacker) { s.W[1] = s.W[1][:5] },
		"NaN weight":   func(s *Stacker) { s.W[2][0] = math.NaN() },
		"huge bias":    func(s *Stacker) { s.B[0] = 1e9 },
		"no biases":    func(s *Stacker) { s.B = nil },
		"NaN lambda":   func(s *Stacker) { s.Lambda = math.NaN() },
		"missing rows": func(s *Stacker) { s.W = s.W[:2] },
	} {
		s := *good
		s.W = make([][]float64, len(good.W))
		for c := range good.W {
			s.W[c] = slices.Clone(good.W[c])
		}
		s.B = slices.Clone(good.B)
		mut(&s)
		if err := s.Check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// BenchmarkStackerProbs: what --stack adds to a gbdt+signet prediction
// (2 members of 4 classes).
func BenchmarkStackerProbs(b *testing.B) {
	P, y := stackToy(200, 6)
	s, err := FitStacker(P, y, 3, DefaultStackLambda)
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float64, 3)
	b.ReportAllocs()
	for b.Loop() {
		s.Probs(dst, P[0][0], P[1][0])
	}
}
