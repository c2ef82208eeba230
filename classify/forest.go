package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
)

// ForestOptions are the settings of the random forest learner. The zero
// value of each field selects the documented default.
type ForestOptions struct {
	// Trees is the number of trees (default 100).
	Trees int
	// MaxDepth bounds the depth of every tree (default 32, at most 64).
	MaxDepth int
	// MinLeaf is the least number of distinct training samples in a leaf
	// (default 1).
	MinLeaf int
	// MaxFeatures is the number of features tried at each split (default
	// the square root of the number of features, rounded up).
	MaxFeatures int
	// Bins is the number of quantile bins each feature is cut into before
	// training (default 64, 2 to 256). Split thresholds are bin edges.
	Bins int
	// ClassWeight is "balanced" (default: each class weighs
	// n/(k*n_class), so that rare labels count as much as common ones) or
	// "none".
	ClassWeight string
	// Seed makes training reproducible: tree t draws its bootstrap sample
	// and feature choices from a PCG source seeded with (Seed, t), so the
	// same seed and data give the same forest whatever Jobs is.
	Seed uint64
	// Jobs is the number of trees grown at once (default runtime.NumCPU()).
	Jobs int
	// Progress, when set, is called once after each tree is grown, from
	// one goroutine at a time.
	Progress func(done, total int)
}

func (o ForestOptions) withDefaults(nFeatures int) ForestOptions {
	if o.Trees <= 0 {
		o.Trees = 100
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = 32
	}
	if o.MaxDepth > maxTreeDepth {
		o.MaxDepth = maxTreeDepth
	}
	if o.MinLeaf <= 0 {
		o.MinLeaf = 1
	}
	if o.MaxFeatures <= 0 {
		o.MaxFeatures = int(math.Ceil(math.Sqrt(float64(nFeatures))))
	}
	if o.MaxFeatures > nFeatures {
		o.MaxFeatures = nFeatures
	}
	if o.Bins <= 0 {
		o.Bins = 64
	}
	if o.Bins < 2 {
		o.Bins = 2
	}
	if o.Bins > 256 {
		o.Bins = 256
	}
	if o.ClassWeight == "" {
		o.ClassWeight = "balanced"
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	return o
}

const maxTreeDepth = 64

// OptionError reports a learner setting out of its range; Option names it
// as a command-line flag does ("trees", "max-depth").
type OptionError struct {
	Option string
	Value  any
	Want   string
}

func (e *OptionError) Error() string { return fmt.Sprintf("%s %v: want %s", e.Option, e.Value, e.Want) }

// Validate checks settings given explicitly, as a command takes them (0 is
// not "the default" here): at least one tree, depth 1 to 64, a minimum
// leaf of at least 1, MaxFeatures 0 (the square root) or more, and a known
// ClassWeight. It returns an *OptionError.
func (o ForestOptions) Validate() error {
	for _, c := range []struct {
		name string
		v    int
	}{{"trees", o.Trees}, {"max-depth", o.MaxDepth}, {"min-leaf", o.MinLeaf}} {
		if c.v < 1 {
			return &OptionError{c.name, c.v, "at least 1"}
		}
	}
	switch {
	case o.MaxDepth > maxTreeDepth:
		return &OptionError{"max-depth", o.MaxDepth, "at most 64"}
	case o.MaxFeatures < 0:
		return &OptionError{"max-features", o.MaxFeatures, "0 (square root of the feature count) or more"}
	}
	return checkClassWeight(o.ClassWeight)
}

// Forest is a trained random forest: an average of the class
// distributions in the leaves the input reaches in each tree.
type Forest struct {
	NumClasses  int
	NumFeatures int
	Trees       []Tree
}

// Tree is one decision tree stored as flat arrays. Node i is a leaf when
// Feature[i] < 0; its class distribution is Leaf[Left[i]*k : Left[i]*k+k].
// Otherwise input x goes to Left[i] when x[Feature[i]] <= Threshold[i]
// (NaN goes right), else to Right[i].
type Tree struct {
	Feature   []int32
	Threshold []float64
	Left      []int32
	Right     []int32
	Leaf      []float32
}

// leafProbs returns the class distribution of the leaf x reaches.
func (t *Tree) leafProbs(x []float64, k int) []float32 {
	i := int32(0)
	for t.Feature[i] >= 0 {
		if x[t.Feature[i]] <= t.Threshold[i] {
			i = t.Left[i]
		} else {
			i = t.Right[i]
		}
	}
	l := int(t.Left[i]) * k
	return t.Leaf[l : l+k]
}

// PredictProba writes the class probabilities of x into dst (length
// NumClasses) and returns it; dst is allocated when nil.
func (f *Forest) PredictProba(dst []float64, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, f.NumClasses)
	}
	clear(dst)
	for ti := range f.Trees {
		for c, p := range f.Trees[ti].leafProbs(x, f.NumClasses) {
			dst[c] += float64(p)
		}
	}
	if n := len(f.Trees); n > 0 {
		for c := range dst {
			dst[c] /= float64(n)
		}
	}
	return dst
}

// predictRows writes the class probabilities of every row of X into dst
// (row i at dst[i*NumClasses:]), the same values as PredictProba row by
// row (each row adds the trees in the same order), and returns it; dst
// is reused when long enough. The trees are the outer loop, so that a
// tree stays in cache for all the rows.
func (f *Forest) predictRows(dst []float64, X [][]float64) []float64 {
	k := f.NumClasses
	dst = slices.Grow(dst[:0], len(X)*k)[:len(X)*k]
	clear(dst)
	for ti := range f.Trees {
		t := &f.Trees[ti]
		for i, x := range X {
			d := dst[i*k : i*k+k]
			for c, p := range t.leafProbs(x, k) {
				d[c] += float64(p)
			}
		}
	}
	if n := len(f.Trees); n > 0 {
		for i := range dst {
			dst[i] /= float64(n)
		}
	}
	return dst
}

// binned is the training matrix cut into quantile bins, column-major.
type binned struct {
	n, nf int
	col   [][]uint8   // col[f][i]: bin of sample i in feature f
	edges [][]float64 // edges[f][b]: samples in bins <= b have x <= edges[f][b]
}

// binFeatures cuts every feature into at most bins quantile bins.
func binFeatures(X [][]float64, nf, bins int) *binned {
	n := len(X)
	b := &binned{n: n, nf: nf, col: make([][]uint8, nf), edges: make([][]float64, nf)}
	vals := make([]float64, n)
	for f := 0; f < nf; f++ {
		for i := range X {
			vals[i] = X[i][f]
		}
		sorted := slices.Clone(vals)
		sort.Float64s(sorted) // NaN first
		// distinct non-NaN values
		uniq := sorted[:0:0]
		for _, v := range sorted {
			if math.IsNaN(v) {
				continue
			}
			if len(uniq) == 0 || v != uniq[len(uniq)-1] {
				uniq = append(uniq, v)
			}
		}
		var edges []float64
		if len(uniq) <= bins {
			for j := 0; j+1 < len(uniq); j++ {
				edges = append(edges, midpoint(uniq[j], uniq[j+1]))
			}
		} else {
			// Quantile cut points over the non-NaN values, as midpoints
			// between neighbouring distinct values so that they fall
			// between samples.
			nn := 0
			for _, v := range sorted {
				if !math.IsNaN(v) {
					nn++
				}
			}
			nonNaN := sorted[len(sorted)-nn:]
			for q := 1; q < bins; q++ {
				pos := q * nn / bins
				if pos <= 0 || pos >= nn {
					continue
				}
				lo, hi := nonNaN[pos-1], nonNaN[pos]
				if lo == hi {
					// move up to the next distinct value
					j := sort.SearchFloat64s(uniq, lo)
					if j+1 >= len(uniq) {
						continue
					}
					hi = uniq[j+1]
				}
				e := midpoint(lo, hi)
				if len(edges) == 0 || e > edges[len(edges)-1] {
					edges = append(edges, e)
				}
			}
		}
		b.edges[f] = edges
		c := make([]uint8, n)
		for i, v := range vals {
			if math.IsNaN(v) {
				c[i] = uint8(len(edges)) // NaN goes right of every edge
				continue
			}
			c[i] = uint8(sort.SearchFloat64s(edges, v)) // first edge >= v
		}
		b.col[f] = c
	}
	return b
}

// midpoint returns a value between a < b that is > a and <= b.
func midpoint(a, b float64) float64 {
	m := a + (b-a)/2
	if m <= a || math.IsInf(m, 0) {
		return b
	}
	return m
}

// TrainForest grows a random forest on rows X (all of length nFeatures)
// with class indices y in [0, numClasses). It also returns the out-of-bag
// class probabilities of every training row (NaN rows where a sample was
// in every bootstrap).
func TrainForest(X [][]float64, y []int, numClasses int, opt ForestOptions) (*Forest, [][]float64, error) {
	return TrainForestGrouped(X, y, nil, numClasses, opt)
}

// trainForest is TrainForestGrouped once the groups are checked (bags nil:
// every row its own group).
func trainForest(X [][]float64, y []int, bags *bootstrapGroups, numClasses int, opt ForestOptions) (*Forest, [][]float64, error) {
	nf, err := checkTrainingRows(X, y, numClasses)
	if err != nil {
		return nil, nil, err
	}
	opt = opt.withDefaults(nf)
	if opt.ClassWeight != "balanced" && opt.ClassWeight != "none" {
		return nil, nil, fmt.Errorf("classify: class weight %q (want balanced or none)", opt.ClassWeight)
	}
	_, cw := classWeights(y, numClasses, opt.ClassWeight)
	bx := binFeatures(X, nf, opt.Bins)

	f := &Forest{NumClasses: numClasses, NumFeatures: nf, Trees: make([]Tree, opt.Trees)}
	inBag := make([][]bool, opt.Trees)
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for w := 0; w < opt.Jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := newGrower(bx, y, numClasses, cw, opt)
			g.bags = bags
			for t := range next {
				f.Trees[t], inBag[t] = g.grow(t)
				if opt.Progress != nil {
					mu.Lock()
					done++
					opt.Progress(done, opt.Trees)
					mu.Unlock()
				}
			}
		}()
	}
	for t := 0; t < opt.Trees; t++ {
		next <- t
	}
	close(next)
	wg.Wait()

	// Out-of-bag probabilities, summed in tree order.
	oob := make([][]float64, len(X))
	for i := range X {
		p := make([]float64, numClasses)
		m := 0
		for t := range f.Trees {
			if inBag[t][i] {
				continue
			}
			m++
			for c, v := range f.Trees[t].leafProbs(X[i], numClasses) {
				p[c] += float64(v)
			}
		}
		for c := range p {
			if m == 0 {
				p[c] = math.NaN()
			} else {
				p[c] /= float64(m)
			}
		}
		oob[i] = p
	}
	return f, oob, nil
}

// classWeights counts the samples of each of k classes in y and returns
// the counts and the sample weight of each class: 1, or with "balanced"
// n/(present*n_class), present being the number of classes in y.
func classWeights(y []int, k int, mode string) (counts []int, cw []float64) {
	counts = make([]int, k)
	for _, c := range y {
		counts[c]++
	}
	present := 0
	for _, n := range counts {
		if n > 0 {
			present++
		}
	}
	cw = make([]float64, k)
	for c := range cw {
		cw[c] = 1
		if mode == "balanced" && counts[c] > 0 {
			cw[c] = float64(len(y)) / (float64(present) * float64(counts[c]))
		}
	}
	return counts, cw
}

// grower holds the scratch space of one goroutine growing trees.
type grower struct {
	bx     *binned
	y      []int
	k      int
	cw     []float64
	opt    ForestOptions
	w      []float64 // per-sample weight in the current tree
	hist   []float64 // bins*k
	cnt    []int     // samples per bin
	feats  []int
	tree   Tree
	leafWs []float64
	leftW  []float64
	// bags are the groups the bootstrap draws (nil: the rows).
	bags *bootstrapGroups
}

func newGrower(bx *binned, y []int, k int, cw []float64, opt ForestOptions) *grower {
	feats := make([]int, bx.nf)
	for i := range feats {
		feats[i] = i
	}
	return &grower{bx: bx, y: y, k: k, cw: cw, opt: opt,
		w: make([]float64, bx.n), hist: make([]float64, 256*k), cnt: make([]int, 256), feats: feats, leafWs: make([]float64, k), leftW: make([]float64, k)}
}

// grow builds tree number t and returns it with its in-bag mask.
func (g *grower) grow(t int) (Tree, []bool) {
	rng := rand.New(rand.NewPCG(g.opt.Seed, uint64(t)))
	n := g.bx.n
	clear(g.w)
	inBag := g.bags.draw(rng, n, g.w)
	idx := make([]int32, 0, n)
	for i := 0; i < n; i++ {
		if inBag[i] {
			g.w[i] *= g.cw[g.y[i]]
			idx = append(idx, int32(i))
		}
	}
	for i := range g.feats {
		g.feats[i] = i
	}
	g.tree = Tree{}
	g.node(idx, 0, rng)
	return g.tree, inBag
}

func (g *grower) addNode() int32 {
	g.tree.Feature = append(g.tree.Feature, -1)
	g.tree.Threshold = append(g.tree.Threshold, 0)
	g.tree.Left = append(g.tree.Left, 0)
	g.tree.Right = append(g.tree.Right, 0)
	return int32(len(g.tree.Feature) - 1)
}

// node grows the subtree over samples idx and returns its index.
func (g *grower) node(idx []int32, depth int, rng *rand.Rand) int32 {
	id := g.addNode()
	tot := g.leafWs
	clear(tot)
	for _, i := range idx {
		tot[g.y[i]] += g.w[i]
	}
	var wsum float64
	pure := 0
	for _, v := range tot {
		wsum += v
		if v > 0 {
			pure++
		}
	}
	if pure <= 1 || depth >= g.opt.MaxDepth || len(idx) < 2*g.opt.MinLeaf {
		g.makeLeaf(id, tot, wsum)
		return id
	}
	parentGini := gini(tot, wsum)
	best := split{f: -1, gain: 1e-12}
	// Partial Fisher-Yates shuffle picks MaxFeatures features.
	nf := len(g.feats)
	for j := 0; j < g.opt.MaxFeatures && j < nf; j++ {
		r := j + rng.IntN(nf-j)
		g.feats[j], g.feats[r] = g.feats[r], g.feats[j]
		g.scanFeature(g.feats[j], idx, tot, wsum, parentGini, &best)
	}
	if best.f < 0 {
		g.makeLeaf(id, tot, wsum)
		return id
	}
	bestF, bestB, bestLeftN := best.f, best.b, best.leftN
	// Partition idx in place: bins <= bestB to the left, stable.
	col := g.bx.col[bestF]
	left := make([]int32, 0, bestLeftN)
	right := make([]int32, 0, len(idx)-bestLeftN)
	for _, i := range idx {
		if int(col[i]) <= bestB {
			left = append(left, i)
		} else {
			right = append(right, i)
		}
	}
	copy(idx, left)
	copy(idx[len(left):], right)
	g.tree.Feature[id] = int32(bestF)
	g.tree.Threshold[id] = g.bx.edges[bestF][bestB]
	l := g.node(idx[:len(left)], depth+1, rng)
	r := g.node(idx[len(left):], depth+1, rng)
	g.tree.Left[id] = l
	g.tree.Right[id] = r
	return id
}

// split is a candidate split: samples whose bin of feature f is <= b go
// left (leftN of them), with an impurity decrease of gain.
type split struct {
	f, b  int
	gain  float64
	leftN int
}

// scanFeature tries every bin edge of feature f as a split of samples
// idx (class weights tot, total wsum, Gini impurity parentGini) and
// replaces best with the first split that decreases the impurity more.
func (g *grower) scanFeature(f int, idx []int32, tot []float64, wsum, parentGini float64, best *split) {
	k := g.k
	col := g.bx.col[f]
	nb := len(g.bx.edges[f]) + 1
	if nb < 2 {
		return
	}
	h := g.hist[:nb*k]
	clear(h)
	cnt := g.cnt[:nb]
	clear(cnt)
	for _, i := range idx {
		b := int(col[i])
		h[b*k+g.y[i]] += g.w[i]
		cnt[b]++
	}
	leftW := g.leftW
	clear(leftW)
	var lw float64
	ln := 0
	for b := 0; b < nb-1; b++ {
		for c := 0; c < k; c++ {
			leftW[c] += h[b*k+c]
			lw += h[b*k+c]
		}
		ln += cnt[b]
		if cnt[b] == 0 {
			continue
		}
		if ln < g.opt.MinLeaf || len(idx)-ln < g.opt.MinLeaf {
			continue
		}
		rw := wsum - lw
		if lw <= 0 || rw <= 0 {
			continue
		}
		var gl, gr float64
		for c := 0; c < k; c++ {
			pl := leftW[c] / lw
			pr := (tot[c] - leftW[c]) / rw
			gl += pl * pl
			gr += pr * pr
		}
		// impurity decrease: parent - weighted children gini
		gain := parentGini - (lw*(1-gl)+rw*(1-gr))/wsum
		if gain > best.gain {
			*best = split{f: f, b: b, gain: gain, leftN: ln}
		}
	}
}

func (g *grower) makeLeaf(id int32, tot []float64, wsum float64) {
	g.tree.Feature[id] = -1
	g.tree.Left[id] = int32(len(g.tree.Leaf) / g.k)
	for _, v := range tot {
		g.tree.Leaf = append(g.tree.Leaf, float32(v/wsum))
	}
}

func gini(tot []float64, wsum float64) float64 {
	s := 0.0
	for _, v := range tot {
		p := v / wsum
		s += p * p
	}
	return 1 - s
}
