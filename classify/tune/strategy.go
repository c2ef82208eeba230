package tune

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Strategies of a search.
const (
	StrategyBayesian = "bayesian"
	StrategyRandom   = "random"
	StrategyGrid     = "grid"
)

// Observation is a finished trial as a strategy sees it: its point and
// its loss (the objective turned so that lower is better).
type Observation struct {
	Point Point
	Loss  float64
}

// proposer proposes the point of trial i from the observations the trial
// may see, drawing from rng (seeded by the search's seed and i).
type proposer interface {
	propose(i int, seen []Observation, rng *rand.Rand) Point
}

// newProposer returns the proposer of strategy over space s. A grid has
// gridPoints values per numeric parameter, in an order shuffled by seed.
func newProposer(strategy string, s Space, seed uint64, gridPoints int) (proposer, error) {
	switch strategy {
	case StrategyRandom:
		return randomSearch{s}, nil
	case StrategyBayesian, "":
		return &tpe{space: s, startup: tpeStartup, gamma: 0.25, candidates: 24}, nil
	case StrategyGrid:
		return newGrid(s, gridPoints, seed), nil
	}
	return nil, fmt.Errorf("strategy %q: want bayesian, random or grid", strategy)
}

// trialRand is the random source of trial i of a search seeded with seed.
func trialRand(seed uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x7475e0000000+uint64(i)))
}

// randomSearch draws every parameter independently: uniformly, or
// uniformly in the logarithm for a log range.
type randomSearch struct{ s Space }

func (r randomSearch) propose(_ int, _ []Observation, rng *rand.Rand) Point {
	pt := make(Point, len(r.s))
	for i, p := range r.s {
		if p.Kind == Categorical {
			pt[i] = float64(rng.IntN(len(p.Values)))
			continue
		}
		lo, hi := p.bounds()
		pt[i] = p.snap(p.fromUnit(lo + rng.Float64()*(hi-lo)))
	}
	return pt
}

// bounds returns the range of a numeric parameter where it is sampled:
// the logarithm for a log range, integers widened by half a step each
// side so that both ends are as likely as the values between.
func (p Param) bounds() (lo, hi float64) {
	lo, hi = p.Min, p.Max
	if p.Kind == Int {
		lo, hi = math.Max(lo-0.499, 1e-9), hi+0.499
	}
	if p.Log {
		return math.Log(lo), math.Log(hi)
	}
	return lo, hi
}

// toUnit maps a value of p into the sampling range of bounds; fromUnit
// maps back.
func (p Param) toUnit(v float64) float64 {
	if p.Log {
		return math.Log(v)
	}
	return v
}

func (p Param) fromUnit(u float64) float64 {
	if p.Log {
		return math.Exp(u)
	}
	return u
}

// grid is the grid search: every combination of gridPoints values per
// numeric parameter (fewer for a short integer range) and every value of
// the categoricals, shuffled by the seed so that a search of fewer trials
// than points still spreads over the space.
type grid struct{ points []Point }

func newGrid(s Space, n int, seed uint64) *grid {
	n = max(n, 2)
	axes := make([][]float64, len(s))
	for i, p := range s {
		if p.Kind == Categorical {
			for v := range p.Values {
				axes[i] = append(axes[i], float64(v))
			}
			continue
		}
		lo, hi := p.toUnit(p.Min), p.toUnit(p.Max)
		for k := 0; k < n; k++ {
			v := p.snap(p.fromUnit(lo + (hi-lo)*float64(k)/float64(n-1)))
			if len(axes[i]) == 0 || axes[i][len(axes[i])-1] != v {
				axes[i] = append(axes[i], v)
			}
		}
	}
	g := &grid{points: []Point{{}}}
	for _, axis := range axes {
		var next []Point
		for _, pt := range g.points {
			for _, v := range axis {
				next = append(next, append(append(Point(nil), pt...), v))
			}
		}
		g.points = next
	}
	rng := rand.New(rand.NewPCG(seed, 0x67726964))
	rng.Shuffle(len(g.points), func(i, j int) { g.points[i], g.points[j] = g.points[j], g.points[i] })
	return g
}

// propose returns point i of the grid (it is only asked for i < Size).
func (g *grid) propose(i int, _ []Observation, _ *rand.Rand) Point {
	return append(Point(nil), g.points[i%len(g.points)]...)
}

// GridSize returns the number of points of the grid over s with
// gridPoints values per numeric parameter.
func GridSize(s Space, gridPoints int) int { return len(newGrid(s, gridPoints, 0).points) }
