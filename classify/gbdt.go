package classify

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// LearnerGBDT names the gradient-boosted trees learner in a model file.
const LearnerGBDT = "gbdt"

// GBDTOptions are the settings of the gradient-boosted trees learner. The
// zero value of each field selects the documented default.
type GBDTOptions struct {
	// Rounds is the number of boosting rounds (default 150); each round
	// adds one tree per class.
	Rounds int
	// LearningRate shrinks every tree's leaf values (default 0.05).
	LearningRate float64
	// MaxDepth bounds the depth of every tree (default 6, at most 64).
	MaxDepth int
	// MinHessian is the least sum of (class-weighted) hessians in a leaf
	// (default 1; XGBoost's min_child_weight).
	MinHessian float64
	// Lambda is the L2 penalty on leaf values (default 1).
	Lambda float64
	// Subsample is the share of the rows each round draws, each row
	// independently (default 0.8; 1: every row).
	Subsample float64
	// ColSample is the share of the features each tree may split on
	// (default 0.5; 1: every feature).
	ColSample float64
	// Bins is the number of quantile bins each feature is cut into before
	// training (default 64, 2 to 256), as for the forest.
	Bins int
	// ClassWeight is "none" (default: every row weighs 1) or "balanced"
	// (as for the forest). Unlike the forest's, the default is none: it
	// scored higher in the CinC 2017 cross-validation (docs/classify.md).
	ClassWeight string
	// Seed makes training reproducible: round r draws its rows and the
	// tree of class c its features from PCG sources seeded with Seed and
	// (r, c), so the same seed and data give the same model whatever Jobs
	// is.
	Seed uint64
	// Jobs is the number of trees of one round grown at once (default
	// runtime.NumCPU()).
	Jobs int
	// Progress, when set, is called once after each tree is grown, from
	// one goroutine at a time.
	Progress func(done, total int)
}

func (o GBDTOptions) withDefaults() GBDTOptions {
	if o.Rounds <= 0 {
		o.Rounds = 150
	}
	if o.LearningRate <= 0 {
		o.LearningRate = 0.05
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 6
	}
	o.MaxDepth = min(o.MaxDepth, maxTreeDepth)
	if o.MinHessian <= 0 {
		o.MinHessian = 1
	}
	if o.Lambda <= 0 {
		o.Lambda = 1
	}
	if o.Subsample <= 0 {
		o.Subsample = 0.8
	}
	if o.ColSample <= 0 {
		o.ColSample = 0.5
	}
	if o.Bins <= 0 {
		o.Bins = 64
	}
	o.Bins = max(2, min(o.Bins, 256))
	if o.ClassWeight == "" {
		o.ClassWeight = "none"
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	return o
}

// Validate checks settings given explicitly, as a command takes them:
// at least one round, a learning rate in (0, 1], depth 1 to 64, shares in
// (0, 1], a non-negative MinHessian and Lambda, and a known ClassWeight.
// It returns an *OptionError.
func (o GBDTOptions) Validate() error {
	switch {
	case o.Rounds < 1:
		return &OptionError{"rounds", o.Rounds, "at least 1"}
	case !(o.LearningRate > 0 && o.LearningRate <= 1):
		return &OptionError{"learning-rate", o.LearningRate, "in (0, 1]"}
	case o.MaxDepth < 1 || o.MaxDepth > maxTreeDepth:
		return &OptionError{"max-depth", o.MaxDepth, "1 to 64"}
	case !(o.MinHessian >= 0):
		return &OptionError{"min-hessian", o.MinHessian, "0 or more"}
	case !(o.Lambda >= 0):
		return &OptionError{"lambda", o.Lambda, "0 or more"}
	case !(o.Subsample > 0 && o.Subsample <= 1):
		return &OptionError{"subsample", o.Subsample, "in (0, 1]"}
	case !(o.ColSample > 0 && o.ColSample <= 1):
		return &OptionError{"colsample", o.ColSample, "in (0, 1]"}
	}
	return checkClassWeight(o.ClassWeight)
}

// checkClassWeight checks a learner's ClassWeight setting.
func checkClassWeight(cw string) error {
	if cw != "balanced" && cw != "none" {
		return &OptionError{"class-weight", fmt.Sprintf("%q", cw), "balanced or none"}
	}
	return nil
}

// GBDT is a trained gradient-boosted trees classifier: class c's raw
// score is Base[c] plus the leaf values x reaches in trees c, K+c, 2K+c,
// ... (K = NumClasses, one tree per class per round), and the class
// probabilities are the softmax of the raw scores.
type GBDT struct {
	NumClasses  int
	NumFeatures int
	// Base holds the raw score every input starts from, per class.
	Base []float64
	// Trees are stored as the forest's, with one value per leaf (Leaf
	// has one element per leaf): tree r*K+c is class c's of round r.
	Trees []Tree
}

// Rounds is the number of boosting rounds.
func (g *GBDT) Rounds() int { return len(g.Trees) / g.NumClasses }

// RawScores writes the raw (pre-softmax) scores of x after the first
// rounds rounds (at most Rounds()) into dst (length NumClasses) and
// returns it.
func (g *GBDT) RawScores(dst, x []float64, rounds int) []float64 {
	k := g.NumClasses
	copy(dst, g.Base)
	for t := range g.Trees[:max(0, min(rounds, g.Rounds()))*k] {
		dst[t%k] += float64(g.Trees[t].leafProbs(x, 1)[0])
	}
	return dst
}

// PredictProba writes the class probabilities of x into dst (length
// NumClasses) and returns it; dst is allocated when nil.
func (g *GBDT) PredictProba(dst, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, g.NumClasses)
	}
	softmax(g.RawScores(dst, x, g.Rounds()))
	return dst
}

// softmax turns raw scores z into probabilities in place.
func softmax(z []float64) {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	var s float64
	for i, v := range z {
		z[i] = math.Exp(v - m)
		s += z[i]
	}
	for i := range z {
		z[i] /= s
	}
}

// checkTrainingRows checks the rows X and class indices y of a training
// set of numClasses classes and returns the number of features.
func checkTrainingRows(X [][]float64, y []int, numClasses int) (int, error) {
	if len(X) == 0 {
		return 0, errors.New("classify: no training samples")
	}
	if len(X) != len(y) {
		return 0, fmt.Errorf("classify: %d rows but %d labels", len(X), len(y))
	}
	if numClasses < 1 || numClasses > maxLabels {
		return 0, fmt.Errorf("classify: %d classes (want 1 to %d)", numClasses, maxLabels)
	}
	nf := len(X[0])
	if nf == 0 || nf > maxFeatures {
		return 0, fmt.Errorf("classify: %d features (want 1 to %d)", nf, maxFeatures)
	}
	for i, row := range X {
		if len(row) != nf {
			return 0, fmt.Errorf("classify: row %d has %d features, row 0 has %d", i, len(row), nf)
		}
		if y[i] < 0 || y[i] >= numClasses {
			return 0, fmt.Errorf("classify: row %d: class %d out of range", i, y[i])
		}
	}
	return nf, nil
}

// TrainGBDT boosts trees on rows X (all of length nFeatures) with class
// indices y in [0, numClasses), minimising the class-weighted softmax
// cross-entropy with second-order (Newton) steps: each round computes
// every row's gradient and hessian per class from the current scores and
// grows one tree per class on them, over the same quantile bins as the
// forest (NaN goes right, as in the forest). It also returns the raw
// training scores after the last round.
func TrainGBDT(X [][]float64, y []int, numClasses int, opt GBDTOptions) (*GBDT, [][]float64, error) {
	nf, err := checkTrainingRows(X, y, numClasses)
	if err != nil {
		return nil, nil, err
	}
	opt = opt.withDefaults()
	if err := opt.Validate(); err != nil {
		return nil, nil, fmt.Errorf("classify: %w", err)
	}
	_, cw := classWeights(y, numClasses, opt.ClassWeight)
	b := newBooster(binFeatures(X, nf, opt.Bins), y, numClasses, cw, opt)
	for r := 0; r < opt.Rounds; r++ {
		b.round(r)
	}
	return b.model, b.raw, nil
}

// booster holds the state of one boosting run.
type booster struct {
	bx      *binned
	y       []int
	k       int
	w       []float64 // class weight of each row
	opt     GBDTOptions
	model   *GBDT
	raw     [][]float64 // raw scores of every training row
	grad    [][]float64 // grad[c][i], hess[c][i]: of the current round
	hess    [][]float64
	rows    []int32 // rows drawn this round
	growers []*gbGrower
	done    int
}

func newBooster(bx *binned, y []int, k int, cw []float64, opt GBDTOptions) *booster {
	b := &booster{bx: bx, y: y, k: k, opt: opt, w: make([]float64, len(y)), raw: make([][]float64, len(y)),
		grad: make([][]float64, k), hess: make([][]float64, k)}
	// The base score is the log of each class's weighted share.
	share := make([]float64, k)
	for i, c := range y {
		b.w[i] = cw[c]
		share[c] += cw[c]
	}
	base := make([]float64, k)
	var tot float64
	for _, s := range share {
		tot += s
	}
	for c := range base {
		base[c] = math.Log(max(share[c]/tot, 1e-6))
	}
	for i := range b.raw {
		b.raw[i] = append([]float64(nil), base...)
	}
	for c := 0; c < k; c++ {
		b.grad[c], b.hess[c] = make([]float64, len(y)), make([]float64, len(y))
	}
	for j := 0; j < min(opt.Jobs, k); j++ {
		b.growers = append(b.growers, newGBGrower(bx, opt))
	}
	b.model = &GBDT{NumClasses: k, NumFeatures: bx.nf, Base: base, Trees: make([]Tree, 0, opt.Rounds*k)}
	return b
}

// round adds the K trees of round r.
func (b *booster) round(r int) {
	p := make([]float64, b.k)
	for i, z := range b.raw {
		copy(p, z)
		softmax(p)
		for c, pc := range p {
			g := pc
			if b.y[i] == c {
				g--
			}
			b.grad[c][i] = b.w[i] * g
			b.hess[c][i] = b.w[i] * max(pc*(1-pc), 1e-6)
		}
	}
	rng := rand.New(rand.NewPCG(b.opt.Seed, uint64(r)<<32))
	b.rows = b.rows[:0]
	for i := range b.y {
		if b.opt.Subsample >= 1 || rng.Float64() < b.opt.Subsample {
			b.rows = append(b.rows, int32(i))
		}
	}
	trees := make([]Tree, b.k)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next = make(chan int)
	)
	for _, g := range b.growers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				trees[c] = g.grow(b.rows, b.grad[c], b.hess[c], b.raw, c, uint64(r)<<32|uint64(c+1))
				if b.opt.Progress != nil {
					mu.Lock()
					b.done++
					b.opt.Progress(b.done, b.opt.Rounds*b.k)
					mu.Unlock()
				}
			}
		}()
	}
	for c := 0; c < b.k; c++ {
		next <- c
	}
	close(next)
	wg.Wait()
	b.model.Trees = append(b.model.Trees, trees...)
}
