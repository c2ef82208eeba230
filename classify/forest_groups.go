package classify

import (
	"fmt"
	"math/rand/v2"
)

// A bootstrap by group: when several training rows come from one record
// (its crop views, SignalFeatures.Crops), drawing rows would put some
// views of a record in a tree's bag and others out of it, and the
// out-of-bag scores, which set the confidence thresholds and the OOB
// accuracy, would be scores of records the tree has partly seen. Drawing
// records instead, each with all its rows, keeps a row out of bag exactly
// when its record is.

// TrainForestGrouped is TrainForest with a bootstrap by group: groups[i]
// is the group of row i (any ints; nil: every row its own group), and each
// tree draws as many groups as there are, with replacement, taking every
// row of each group drawn, so that a row is out of bag exactly when its
// group is. Groups are numbered in the order of their first row; with
// every row its own group the forest is TrainForest's, tree for tree.
func TrainForestGrouped(X [][]float64, y []int, groups []int, numClasses int, opt ForestOptions) (*Forest, [][]float64, error) {
	if groups != nil && len(groups) != len(X) {
		return nil, nil, fmt.Errorf("classify: %d groups for %d rows", len(groups), len(X))
	}
	return trainForest(X, y, newBootstrapGroups(groups), numClasses, opt)
}

// bootstrapGroups are the rows of each group, groups in the order of
// their first row; nil stands for every row its own group.
type bootstrapGroups struct {
	start []int32 // group g's rows are rows[start[g]:start[g+1]]
	rows  []int32
}

// newBootstrapGroups returns the groups of rows labelled groups (nil for
// nil, or when every row is its own group: the row bootstrap).
func newBootstrapGroups(groups []int) *bootstrapGroups {
	index := map[int]int{}
	var count []int32
	of := make([]int, len(groups))
	for i, g := range groups {
		j, ok := index[g]
		if !ok {
			j = len(count)
			index[g] = j
			count = append(count, 0)
		}
		of[i] = j
		count[j]++
	}
	if len(count) == len(groups) {
		return nil
	}
	r := &bootstrapGroups{start: make([]int32, len(count)+1), rows: make([]int32, len(groups))}
	for j, c := range count {
		r.start[j+1] = r.start[j] + c
	}
	next := append([]int32(nil), r.start[:len(count)]...)
	for i, j := range of {
		r.rows[next[j]] = int32(i)
		next[j]++
	}
	return r
}

// draw draws the bootstrap of one tree over n rows from rng: as many
// groups as there are, with replacement; it adds 1 to w[i] for every
// draw of row i and returns which rows are in the bag.
func (r *bootstrapGroups) draw(rng *rand.Rand, n int, w []float64) []bool {
	inBag := make([]bool, n)
	if r == nil {
		for j := 0; j < n; j++ {
			i := rng.IntN(n)
			w[i]++
			inBag[i] = true
		}
		return inBag
	}
	ng := len(r.start) - 1
	for j := 0; j < ng; j++ {
		g := rng.IntN(ng)
		for _, i := range r.rows[r.start[g]:r.start[g+1]] {
			w[i]++
			inBag[i] = true
		}
	}
	return inBag
}
