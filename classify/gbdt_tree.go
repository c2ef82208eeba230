package classify

import (
	"math/rand/v2"
	"slices"
)

// gbGrower grows the regression trees of a booster: one goroutine's
// scratch space. Histograms hold a (gradient, hessian) pair per bin of
// every feature; buffer d+1 holds the smaller child's histogram of a node
// whose histogram is in buffer d, and the larger child's is buffer d
// minus it (the subtraction trick), so a tree needs MaxDepth+1 buffers.
type gbGrower struct {
	bx    *binned
	opt   GBDTOptions
	off   []int       // off[f]: first bin of feature f in a histogram
	bufs  [][]float64 // histograms, 2 values per bin
	feats []int       // the features this tree may split on, ascending
	all   []int
	idx   []int32
	tmp   []int32
	g, h  []float64
	tree  Tree
	bins  []uint8 // split bin of each node
}

func newGBGrower(bx *binned, opt GBDTOptions) *gbGrower {
	gr := &gbGrower{bx: bx, opt: opt, off: make([]int, bx.nf+1), all: make([]int, bx.nf)}
	for f := range bx.nf {
		gr.off[f+1] = gr.off[f] + len(bx.edges[f]) + 1
		gr.all[f] = f
	}
	gr.bufs = make([][]float64, opt.MaxDepth+1)
	for d := range gr.bufs {
		gr.bufs[d] = make([]float64, 2*gr.off[bx.nf])
	}
	return gr
}

// grow fits one tree to gradients g and hessians h over rows, then adds
// its leaf values to column c of raw for every row of the training set.
// stream seeds the choice of features.
func (gr *gbGrower) grow(rows []int32, g, h []float64, raw [][]float64, c int, stream uint64) Tree {
	gr.g, gr.h = g, h
	gr.chooseFeatures(stream)
	gr.idx = append(gr.idx[:0], rows...)
	gr.tmp = slices.Grow(gr.tmp[:0], len(rows))[:len(rows)]
	gr.tree, gr.bins = Tree{}, gr.bins[:0]
	gr.histogram(gr.bufs[0], gr.idx)
	var G, H float64
	for _, i := range gr.idx {
		G += g[i]
		H += h[i]
	}
	gr.node(gr.idx, 0, G, H)
	for i := range raw {
		raw[i][c] += float64(gr.leafOf(i))
	}
	return gr.tree
}

// chooseFeatures draws the features of a tree (ColSample of them).
func (gr *gbGrower) chooseFeatures(stream uint64) {
	nf := gr.bx.nf
	m := max(1, int(gr.opt.ColSample*float64(nf)+0.5))
	if m >= nf {
		gr.feats = append(gr.feats[:0], gr.all...)
		return
	}
	rng := rand.New(rand.NewPCG(gr.opt.Seed, stream))
	perm := append([]int(nil), gr.all...)
	for j := 0; j < m; j++ {
		r := j + rng.IntN(nf-j)
		perm[j], perm[r] = perm[r], perm[j]
	}
	gr.feats = append(gr.feats[:0], perm[:m]...)
	slices.Sort(gr.feats)
}

// histogram sums the gradients and hessians of rows idx into hist, per
// bin of each chosen feature.
func (gr *gbGrower) histogram(hist []float64, idx []int32) {
	for _, f := range gr.feats {
		hf := hist[2*gr.off[f] : 2*gr.off[f+1]]
		clear(hf)
		col := gr.bx.col[f]
		for _, i := range idx {
			b := 2 * int(col[i])
			hf[b] += gr.g[i]
			hf[b+1] += gr.h[i]
		}
	}
}

// gbSplit is a candidate split: rows whose bin of feature f is <= b go
// left, with gradient and hessian sums gl and hl.
type gbSplit struct {
	f, b   int
	gain   float64
	gl, hl float64
}

// bestSplit finds the split of the node with histogram hist and sums G, H
// that gains the most (the first in feature and bin order on ties); f is
// -1 when none gains.
func (gr *gbGrower) bestSplit(hist []float64, G, H float64) gbSplit {
	lambda, minH := gr.opt.Lambda, gr.opt.MinHessian
	parent := G * G / (H + lambda)
	best := gbSplit{f: -1, gain: 1e-12}
	for _, f := range gr.feats {
		hf := hist[2*gr.off[f] : 2*gr.off[f+1]]
		var gl, hl float64
		for b := 0; b+1 < len(hf)/2; b++ {
			gl += hf[2*b]
			hl += hf[2*b+1]
			hr := H - hl
			if hl < minH || hr < minH || hf[2*b+1] == 0 {
				continue
			}
			gR := G - gl
			gain := gl*gl/(hl+lambda) + gR*gR/(hr+lambda) - parent
			if gain > best.gain {
				best = gbSplit{f: f, b: b, gain: gain, gl: gl, hl: hl}
			}
		}
	}
	return best
}

// node grows the subtree over rows idx at depth d, whose histogram is in
// bufs[d] and whose sums are G and H, and returns its index.
func (gr *gbGrower) node(idx []int32, d int, G, H float64) int32 {
	id := int32(len(gr.tree.Feature))
	gr.tree.Feature = append(gr.tree.Feature, -1)
	gr.tree.Threshold = append(gr.tree.Threshold, 0)
	gr.tree.Left = append(gr.tree.Left, 0)
	gr.tree.Right = append(gr.tree.Right, 0)
	gr.bins = append(gr.bins, 0)
	var s gbSplit
	if d < gr.opt.MaxDepth && H >= 2*gr.opt.MinHessian {
		s = gr.bestSplit(gr.bufs[d], G, H)
	}
	if d >= gr.opt.MaxDepth || s.f < 0 {
		gr.tree.Left[id] = int32(len(gr.tree.Leaf))
		gr.tree.Leaf = append(gr.tree.Leaf, float32(-G/(H+gr.opt.Lambda)*gr.opt.LearningRate))
		return id
	}
	// Partition idx, stable: bins <= s.b to the left.
	col := gr.bx.col[s.f]
	nl := 0
	tmp := gr.tmp[:0]
	for _, i := range idx {
		if int(col[i]) <= s.b {
			idx[nl] = i
			nl++
		} else {
			tmp = append(tmp, i)
		}
	}
	copy(idx[nl:], tmp)
	left, right := idx[:nl], idx[nl:]
	gr.tree.Feature[id] = int32(s.f)
	gr.tree.Threshold[id] = gr.bx.edges[s.f][s.b]
	gr.bins[id] = uint8(s.b)
	// The smaller child's histogram is built into bufs[d+1]; bufs[d]
	// minus it is the larger child's, moved to bufs[d+1] after the
	// smaller child's subtree is grown.
	small, smallLeft := left, true
	if len(right) < len(left) {
		small, smallLeft = right, false
	}
	if d+1 < gr.opt.MaxDepth {
		gr.histogram(gr.bufs[d+1], small)
		for _, f := range gr.feats {
			p, q := gr.bufs[d][2*gr.off[f]:2*gr.off[f+1]], gr.bufs[d+1][2*gr.off[f]:2*gr.off[f+1]]
			for j := range p {
				p[j] -= q[j]
			}
		}
	}
	gl, hl := s.gl, s.hl
	gr2, hr := G-gl, H-hl
	var l, r int32
	if smallLeft {
		l = gr.node(left, d+1, gl, hl)
		gr.swapDown(d)
		r = gr.node(right, d+1, gr2, hr)
	} else {
		r = gr.node(right, d+1, gr2, hr)
		gr.swapDown(d)
		l = gr.node(left, d+1, gl, hl)
	}
	gr.tree.Left[id], gr.tree.Right[id] = l, r
	return id
}

// swapDown makes the larger child's histogram, in bufs[d], that of depth
// d+1 (bufs[d] is not needed again by its node).
func (gr *gbGrower) swapDown(d int) {
	if d+1 < len(gr.bufs) {
		gr.bufs[d], gr.bufs[d+1] = gr.bufs[d+1], gr.bufs[d]
	}
}

// leafOf returns the leaf value training row i reaches in the tree being
// grown, following the split bins.
func (gr *gbGrower) leafOf(i int) float32 {
	t := &gr.tree
	j := int32(0)
	for t.Feature[j] >= 0 {
		if gr.bx.col[t.Feature[j]][i] <= gr.bins[j] {
			j = t.Left[j]
		} else {
			j = t.Right[j]
		}
	}
	return t.Leaf[t.Left[j]]
}
