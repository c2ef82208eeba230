package datasets

import (
	"fmt"
	"math/rand/v2"
	"sort"
)

// groupStat is one group's label counts.
type groupStat struct {
	name   string
	items  []int
	counts []int
}

func groupItems(labels []int, groups []string, nLabels int) []*groupStat {
	byName := map[string]*groupStat{}
	var out []*groupStat
	for i, g := range groups {
		s, ok := byName[g]
		if !ok {
			s = &groupStat{name: g, counts: make([]int, nLabels)}
			byName[g] = s
			out = append(out, s)
		}
		s.items = append(s.items, i)
		s.counts[labels[i]]++
	}
	// Sorted by name, then shuffled by the caller: the result does not
	// depend on the order of the input beyond the seed.
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// assignGroups places groups into len(target) bins whose shares of every
// label should approach target (fractions summing to 1). Groups are taken
// in an order shuffled by seed, largest first among those of the same
// size class, and each goes to the bin where the squared deviation of the
// per-label shares from the targets grows least.
func assignGroups(gs []*groupStat, nLabels int, target []float64, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	rng.Shuffle(len(gs), func(i, j int) { gs[i], gs[j] = gs[j], gs[i] })
	// Big groups first (they are the hard ones to place); the shuffle
	// orders groups of equal size.
	sort.SliceStable(gs, func(i, j int) bool { return len(gs[i].items) > len(gs[j].items) })
	total := make([]float64, nLabels)
	var all float64
	for _, g := range gs {
		for l, c := range g.counts {
			total[l] += float64(c)
			all += float64(c)
		}
	}
	nb := len(target)
	bin := make([][]float64, nb)
	size := make([]float64, nb)
	for b := range bin {
		bin[b] = make([]float64, nLabels)
	}
	cost := func(b int, g *groupStat) float64 {
		// deviation of this bin's label shares and size share from target
		// after adding g, minus before
		d := 0.0
		for l, c := range g.counts {
			if total[l] == 0 {
				continue
			}
			before := bin[b][l]/total[l] - target[b]
			after := (bin[b][l]+float64(c))/total[l] - target[b]
			d += after*after - before*before
		}
		before := size[b]/all - target[b]
		after := (size[b]+float64(len(g.items)))/all - target[b]
		return d + after*after - before*before
	}
	where := make([]int, len(gs))
	for gi, g := range gs {
		best, bestCost := 0, 0.0
		for b := 0; b < nb; b++ {
			c := cost(b, g)
			if b == 0 || c < bestCost {
				best, bestCost = b, c
			}
		}
		// An empty bin takes a group if it can, so that no bin ends empty
		// while there are groups to spare.
		for b := 0; b < nb; b++ {
			if size[b] == 0 && len(gs)-gi <= countEmpty(size) && target[b] > 0 {
				best = b
				break
			}
		}
		where[gi] = best
		size[best] += float64(len(g.items))
		for l, c := range g.counts {
			bin[best][l] += float64(c)
		}
	}
	return where
}

func countEmpty(size []float64) int {
	n := 0
	for _, s := range size {
		if s == 0 {
			n++
		}
	}
	return n
}

func checkSplitInput(labels []int, groups []string, nLabels int) error {
	if len(labels) != len(groups) {
		return fmt.Errorf("split: %d labels but %d groups", len(labels), len(groups))
	}
	for i, l := range labels {
		if l < 0 || l >= nLabels {
			return fmt.Errorf("split: item %d: label %d out of range", i, l)
		}
	}
	return nil
}

// SplitByGroup splits items into a training and a test set with no group
// in both: about trainFrac of the items (and of each label, as far as the
// groups allow) go to training. labels[i] in [0, nLabels) and groups[i]
// describe item i. The same inputs and seed give the same split. Indices
// are returned in increasing order. With a single group, everything is
// training.
func SplitByGroup(labels []int, groups []string, nLabels int, trainFrac float64, seed uint64) (train, test []int, err error) {
	if err := checkSplitInput(labels, groups, nLabels); err != nil {
		return nil, nil, err
	}
	if !(trainFrac > 0 && trainFrac < 1) {
		return nil, nil, fmt.Errorf("split: training fraction %v (want between 0 and 1)", trainFrac)
	}
	gs := groupItems(labels, groups, nLabels)
	if len(gs) < 2 {
		for i := range labels {
			train = append(train, i)
		}
		return train, nil, nil
	}
	where := assignGroups(gs, nLabels, []float64{trainFrac, 1 - trainFrac}, seed)
	for gi, g := range gs {
		if where[gi] == 0 {
			train = append(train, g.items...)
		} else {
			test = append(test, g.items...)
		}
	}
	sort.Ints(train)
	sort.Ints(test)
	return train, test, nil
}

// GroupKFold assigns every item a fold in [0, k) so that each group is in
// one fold and every fold holds about 1/k of each label, as far as the
// groups allow. It fails when there are fewer groups than folds.
func GroupKFold(labels []int, groups []string, nLabels, k int, seed uint64) ([]int, error) {
	if err := checkSplitInput(labels, groups, nLabels); err != nil {
		return nil, err
	}
	gs := groupItems(labels, groups, nLabels)
	if k < 2 || k > len(gs) {
		return nil, fmt.Errorf("split: %d folds need at least as many groups, have %d", k, len(gs))
	}
	target := make([]float64, k)
	for i := range target {
		target[i] = 1 / float64(k)
	}
	where := assignGroups(gs, nLabels, target, seed)
	fold := make([]int, len(labels))
	for gi, g := range gs {
		for _, i := range g.items {
			fold[i] = where[gi]
		}
	}
	return fold, nil
}
