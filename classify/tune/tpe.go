package tune

import (
	"math"
	"math/rand/v2"
	"slices"
)

// tpeStartup is the number of trials a Bayesian search sees drawn at
// random before it models them.
const tpeStartup = 5

// tpe is Bayesian optimisation with a tree-structured Parzen estimator
// (Bergstra, Bardenet, Bengio and Kégl, "Algorithms for hyper-parameter
// optimization", NIPS 2011), written here: the observations seen are split
// at the quantile gamma of their losses into good and bad ones; a Parzen
// density per parameter is fitted to each group (l for the good, g for
// the bad: a truncated Gaussian per observation in the sampling range, the
// logarithm for log ranges, plus a wide prior component; smoothed counts
// for categoricals); candidates drawn from l are ranked by l(x)/g(x),
// which orders them by expected improvement, and the best is proposed.
// It takes integer, log and categorical parameters as they come, costs
// O(observations × candidates) per proposal and needs no kernel
// hyperparameters, which is why it was chosen over a Gaussian process
// for searches of tens of trials.
type tpe struct {
	space      Space
	startup    int
	gamma      float64
	candidates int
}

func (t *tpe) propose(i int, seen []Observation, rng *rand.Rand) Point {
	if len(seen) < t.startup {
		return randomSearch{t.space}.propose(i, seen, rng)
	}
	sorted := slices.Clone(seen)
	slices.SortStableFunc(sorted, func(a, b Observation) int {
		switch {
		case a.Loss < b.Loss:
			return -1
		case a.Loss > b.Loss:
			return 1
		}
		return 0
	})
	nGood := min(max(int(math.Ceil(t.gamma*float64(len(sorted)))), 1), 25)
	good, bad := sorted[:nGood], sorted[nGood:]
	ls := make([]density, len(t.space))
	gs := make([]density, len(t.space))
	for j, p := range t.space {
		ls[j], gs[j] = newDensity(p, column(good, j)), newDensity(p, column(bad, j))
	}
	var best Point
	bestScore := math.Inf(-1)
	for c := 0; c < t.candidates; c++ {
		pt := make(Point, len(t.space))
		score := 0.0
		for j, p := range t.space {
			v := ls[j].sample(rng)
			pt[j] = p.snap(v)
			score += ls[j].logPDF(v) - gs[j].logPDF(v)
		}
		if score > bestScore {
			best, bestScore = pt, score
		}
	}
	return best
}

// column returns the values of parameter j of obs.
func column(obs []Observation, j int) []float64 {
	v := make([]float64, len(obs))
	for i, o := range obs {
		v[i] = o.Point[j]
	}
	return v
}

// density is a Parzen estimate over one parameter: for a categorical the
// smoothed shares of its values (probs), else a mixture of equally
// weighted Gaussians truncated to [lo, hi] in the sampling space.
type density struct {
	p          Param
	probs      []float64
	mu, sigma  []float64
	lo, hi     float64
	logWeights float64
}

// newDensity fits a density of parameter p to values.
func newDensity(p Param, values []float64) density {
	d := density{p: p}
	if p.Kind == Categorical {
		d.probs = make([]float64, len(p.Values))
		for i := range d.probs {
			d.probs[i] = 1 // the prior: one pseudo-observation per value
		}
		for _, v := range values {
			d.probs[int(v)]++
		}
		total := float64(len(p.Values) + len(values))
		for i := range d.probs {
			d.probs[i] /= total
		}
		return d
	}
	d.lo, d.hi = p.bounds()
	width := d.hi - d.lo
	d.mu = []float64{(d.lo + d.hi) / 2} // the prior component
	for _, v := range values {
		d.mu = append(d.mu, math.Max(d.lo, math.Min(d.hi, p.toUnit(v))))
	}
	order := make([]int, len(d.mu))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(d.mu[a], d.mu[b]) })
	d.sigma = make([]float64, len(d.mu))
	minSigma := width / math.Min(100, float64(len(d.mu)+1))
	for k, i := range order {
		left, right := d.mu[i]-d.lo, d.hi-d.mu[i]
		if k > 0 {
			left = d.mu[i] - d.mu[order[k-1]]
		}
		if k < len(order)-1 {
			right = d.mu[order[k+1]] - d.mu[i]
		}
		d.sigma[i] = math.Max(minSigma, math.Min(width, math.Max(left, right)))
	}
	d.sigma[0] = width
	d.logWeights = -math.Log(float64(len(d.mu)))
	return d
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// sample draws a value: a categorical index, or a value of the parameter
// (not yet snapped) from a component truncated to the range.
func (d density) sample(rng *rand.Rand) float64 {
	if d.probs != nil {
		u, acc := rng.Float64(), 0.0
		for i, p := range d.probs {
			acc += p
			if u < acc {
				return float64(i)
			}
		}
		return float64(len(d.probs) - 1)
	}
	k := rng.IntN(len(d.mu))
	u := d.mu[k]
	for try := 0; try < 100; try++ {
		u = d.mu[k] + d.sigma[k]*rng.NormFloat64()
		if u >= d.lo && u <= d.hi {
			break
		}
	}
	return d.p.fromUnit(math.Max(d.lo, math.Min(d.hi, u)))
}

// logPDF is the log density at v (a value of the parameter, or a
// categorical index).
func (d density) logPDF(v float64) float64 {
	if d.probs != nil {
		return math.Log(d.probs[int(v)])
	}
	u := d.p.toUnit(v)
	var sum float64
	for k, mu := range d.mu {
		s := d.sigma[k]
		mass := normCDF((d.hi-mu)/s) - normCDF((d.lo-mu)/s)
		z := (u - mu) / s
		sum += math.Exp(-z*z/2) / (s * math.Sqrt(2*math.Pi) * math.Max(mass, 1e-12))
	}
	return math.Log(math.Max(sum, 1e-300)) + d.logWeights
}

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }
