package tune

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// synthLoss is a known objective over testSpace: its minimum 0 is at
// learning-rate 0.003, subsample 0.7, rounds 300 and class-weight none.
func synthLoss(s Space, pt Point) float64 {
	sq := func(x float64) float64 { return x * x }
	l := sq(math.Log10(pt[1])-math.Log10(0.003)) + 10*sq(pt[2]-0.7) + sq(math.Log10(pt[0])-math.Log10(300))
	if s[3].Values[int(pt[3])] != "none" {
		l += 0.5
	}
	return l
}

func testSpace(t testing.TB) Space {
	return mustSpace(t, "rounds=1:5000:log", "learning-rate=0.0001:1:log", "subsample=0.01:1", "class-weight=balanced|none")
}

// mustSpace returns the space of --param arguments args.
func mustSpace(t testing.TB, args ...string) Space {
	t.Helper()
	var params []Param
	for _, a := range args {
		p, err := ParseParam(a)
		if err != nil {
			t.Fatal(err)
		}
		params = append(params, p)
	}
	s, err := NewSpace(params)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bestCurve runs n trials of strategy on synthLoss, each seeing every
// trial before it, and returns the best loss after each trial.
func bestCurve(t testing.TB, strategy string, s Space, n int, seed uint64) []float64 {
	prop, err := newProposer(strategy, s, seed, 3)
	if err != nil {
		t.Fatal(err)
	}
	var obs []Observation
	var curve []float64
	best := math.Inf(1)
	for i := 0; i < n; i++ {
		pt := prop.propose(i, obs, trialRand(seed, i))
		l := synthLoss(s, pt)
		obs = append(obs, Observation{Point: pt, Loss: l})
		best = math.Min(best, l)
		curve = append(curve, best)
	}
	return curve
}

// TestTPEBeatsRandom: over 7 seeds of 40 trials, the Bayesian search's
// median best loss is well below random search's, and it reaches random
// search's best of 40 trials within 20 trials for most seeds.
func TestTPEBeatsRandom(t *testing.T) {
	s := testSpace(t)
	const n = 40
	var tpeBest, randBest []float64
	within := 0
	for seed := uint64(1); seed <= 7; seed++ {
		tc, rc := bestCurve(t, StrategyBayesian, s, n, seed), bestCurve(t, StrategyRandom, s, n, seed)
		tpeBest, randBest = append(tpeBest, tc[n-1]), append(randBest, rc[n-1])
		if tc[n/2-1] <= rc[n-1] {
			within++
		}
	}
	slices.Sort(tpeBest)
	slices.Sort(randBest)
	t.Logf("best loss after %d trials: bayesian %.3g, random %.3g (medians); bayesian reached random's best within %d trials for %d of 7 seeds", n, tpeBest[3], randBest[3], n/2, within)
	if !(tpeBest[3] < 0.5*randBest[3]) {
		t.Errorf("bayesian median best %.3g is not below half of random's %.3g", tpeBest[3], randBest[3])
	}
	if within < 4 {
		t.Errorf("bayesian reached random's best of %d trials within %d trials for %d of 7 seeds, want 4", n, n/2, within)
	}
}

func TestStrategiesDeterministic(t *testing.T) {
	s := testSpace(t)
	for _, st := range []string{StrategyBayesian, StrategyRandom, StrategyGrid} {
		a, b := bestCurve(t, st, s, 15, 3), bestCurve(t, st, s, 15, 3)
		if !slices.Equal(a, b) {
			t.Errorf("%s: two runs with one seed differ", st)
		}
	}
	if _, err := newProposer("annealing", s, 1, 3); err == nil {
		t.Error("an unknown strategy is accepted")
	}
}

func TestGrid(t *testing.T) {
	s := testSpace(t)
	// 3 values of each numeric parameter, 2 categories.
	if n := GridSize(s, 3); n != 3*3*3*2 {
		t.Fatalf("grid size %d, want 54", n)
	}
	g := newGrid(s, 3, 1)
	seen := map[string]bool{}
	for i := range g.points {
		seen[strings.Join(s.Format(g.propose(i, nil, nil)), "/")] = true
	}
	if len(seen) != 54 {
		t.Errorf("grid has %d distinct points, want 54", len(seen))
	}
	p, _ := ParseParam("max-depth=3:4")
	if n := GridSize(Space{p}, 5); n != 2 {
		t.Errorf("a grid of 5 points over the integers 3..4 has %d points, want 2", n)
	}
}

func TestRandomInRange(t *testing.T) {
	s := testSpace(t)
	for i := 0; i < 500; i++ {
		pt := randomSearch{s}.propose(i, nil, trialRand(9, i))
		for j, p := range s {
			v := pt[j]
			if p.Kind == Categorical {
				if v < 0 || int(v) >= len(p.Values) {
					t.Fatalf("%s index %v", p.Name, v)
				}
			} else if v < p.Min || v > p.Max {
				t.Fatalf("%s = %v outside %v..%v", p.Name, v, p.Min, p.Max)
			}
		}
	}
}
