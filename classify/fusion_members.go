package classify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ecgkit/ecg/classify/nn"
)

// maxStackNetworks bounds the networks of a stacked gbdt+signet model
// (FusionOptions.Networks).
const maxStackNetworks = 8

// stackPlan says which members a gbdt+signet model fuses: one
// gradient-boosted trees model per signal feature set (each reading the
// first cols[t] values of the model's feature vector, which starts with
// that set's bit for bit), then nets networks, either each its own member
// of the Stacker (apart) or one member of their mean log-probabilities.
type stackPlan struct {
	sets  []int // the tree members' feature sets (nil: the model's)
	cols  []int // the features each tree member reads
	nets  int
	apart bool
}

// members returns the number of members the Stacker combines.
func (p stackPlan) members() int {
	if p.apart {
		return len(p.cols) + p.nets
	}
	return len(p.cols) + 1
}

// more reports whether the plan has more than one tree model or network
// (file version 8).
func (p stackPlan) more() bool { return len(p.cols) > 1 || p.nets > 1 }

// treeRows returns the rows of X as tree member t reads them: their first
// cols[t] values (X itself when that is every value).
func (p stackPlan) treeRows(X [][]float64, t int) [][]float64 {
	n := p.cols[t]
	if len(X) == 0 || len(X[0]) == n {
		return X
	}
	out := make([][]float64, len(X))
	for i, row := range X {
		out[i] = row[:n:n]
	}
	return out
}

// newStackPlan returns the members fo asks for of a gbdt+signet model
// whose features are spec's: fo.StackSets (each 4 to the model's set,
// each once) and fo.Networks, both only with fo.Stack.
func newStackPlan(spec FeatureSpec, fo FusionOptions) (stackPlan, error) {
	nf := len(spec.Names())
	p := stackPlan{cols: []int{nf}, nets: max(fo.Networks, 1), apart: fo.NetworksApart && fo.Networks > 1}
	if !fo.Stack && (len(fo.StackSets) > 0 || fo.Networks > 1) {
		return p, errors.New("more feature sets or networks need a stack (FusionOptions.Stack)")
	}
	switch {
	case len(fo.StackSets) == 1 && fo.StackSets[0] != spec.signalSet():
		return p, fmt.Errorf("one stacked feature set (%d) must be the model's (%d)", fo.StackSets[0], spec.signalSet())
	case len(fo.StackSets) <= 1:
		return p, p.checkMembers()
	}
	p.sets, p.cols = slices.Clone(fo.StackSets), make([]int, len(fo.StackSets))
	for t, s := range p.sets {
		n, err := spec.prefixFeatures(s)
		if err != nil {
			return p, err
		}
		if slices.Index(p.sets, s) != t {
			return p, fmt.Errorf("stacked feature set %d given twice", s)
		}
		p.cols[t] = n
	}
	return p, p.checkMembers()
}

// checkMembers checks the number of networks and members against their
// bounds.
func (p stackPlan) checkMembers() error {
	if p.nets > maxStackNetworks || p.members() > maxStackMembers {
		return fmt.Errorf("a stack of %d networks and %d members (at most %d and %d)", p.nets, p.members(), maxStackNetworks, maxStackMembers)
	}
	return nil
}

// signalSet returns the signal feature set of spec (0 for other input).
func (spec FeatureSpec) signalSet() int {
	if spec.Input != InputSignal || spec.Signal == nil {
		return 0
	}
	return spec.Signal.set()
}

// prefixFeatures returns the number of features of signal feature set s,
// whose values are the first of spec's vector bit for bit: s is 4 or
// more and at most spec's set (sets 4, 5 and 6 each extend the one
// before; TestWearableFeaturesExtendSet4, TestTemplateFeaturesExtendSet5);
// set 7, which leaves out two of set 5's, only as the model's own.
func (spec FeatureSpec) prefixFeatures(s int) (int, error) {
	top := spec.signalSet()
	if s < 4 || s > top || (top == pacingFreeSet) != (s == pacingFreeSet) {
		return 0, fmt.Errorf("stacked feature set %d: want 4 to %d (the model's feature set; each extends the one before; set %d extends none)", s, min(top, pacingFreeSet-1), pacingFreeSet)
	}
	sig := *spec.Signal
	sig.FeatureSet = s
	return len(sig.Names()), nil
}

// stackPlan returns the members of the gbdt+signet model described by
// in: its learner's stack_feature_sets, networks and networks_apart.
func (in *ModelInfo) stackPlan() (stackPlan, error) {
	l := in.Learner
	fo := FusionOptions{Stack: l.Stack != nil, StackSets: l.StackSets, Networks: l.Networks, NetworksApart: l.NetworksApart}
	switch {
	case len(l.StackSets) == 1, l.Networks == 1, l.NetworksApart && l.Networks < 2:
		return stackPlan{}, fmt.Errorf("stack of feature sets %v and %d networks (apart: %v)", l.StackSets, l.Networks, l.NetworksApart)
	case l.Networks < 0:
		return stackPlan{}, fmt.Errorf("%d networks", l.Networks)
	}
	return newStackPlan(in.Features, fo)
}

// stackMembers are the trained members of a gbdt+signet model: one tree
// model per feature set of its plan and its networks, in order.
type stackMembers struct {
	plan  stackPlan
	trees []*GBDT
	nets  []*Signet
}

// trainStackMembers trains the members of plan from tree model and
// network first on: the trees on X (their columns), classes y of k, the
// networks on inputs signals with record groups groups, network n with
// seed fo.Signet.Seed+n.
func trainStackMembers(ctx context.Context, X [][]float64, y []int, signals [][]float64, groups []string, k int, gopt GBDTOptions, fo FusionOptions, plan stackPlan, first int) (*stackMembers, error) {
	ms := &stackMembers{plan: plan}
	for t := first; t < len(plan.cols); t++ {
		g, _, err := TrainGBDT(plan.treeRows(X, t), y, k, gopt)
		if err != nil {
			return nil, err
		}
		ms.trees = append(ms.trees, g)
	}
	for n := first; n < plan.nets; n++ {
		so := fo.Signet
		so.Seed += uint64(n)
		s, _, err := trainSignetMember(ctx, signals, y, groups, k, so)
		if err != nil {
			return nil, err
		}
		ms.nets = append(ms.nets, s)
	}
	return ms, nil
}

// trainSignetMember is TrainSignet that reports to o.Progress the epochs
// a network stopped early did not run.
func trainSignetMember(ctx context.Context, inputs [][]float64, y []int, groups []string, k int, o SignetOptions) (*Signet, *SignetInfo, error) {
	s, info, err := TrainSignet(ctx, inputs, y, groups, k, o)
	if err != nil {
		return nil, nil, err
	}
	for e := info.Ran + 1; o.Progress != nil && e <= o.withDefaults().Epochs; e++ {
		o.Progress(nn.EpochResult{Epoch: e})
	}
	return s, info, nil
}

// netProbs returns the probabilities of every network of ms for input in,
// one network's after the other.
func (ms *stackMembers) netProbs(in []float64) []float64 {
	if len(ms.nets) == 1 {
		return ms.nets[0].Probs(nil, in)
	}
	var out []float64
	for _, s := range ms.nets {
		out = append(out, s.Probs(nil, in)...)
	}
	return out
}

// probs returns the probabilities of each member of the Stacker for
// feature vector x and the networks' probabilities net (netProbs): each
// tree model's, then each network's (apart) or, for several networks
// not apart, their geometric mean, whose logarithm is the mean of theirs
// (each probability floored at StackFloor first, as the Stacker does).
func (ms *stackMembers) probs(x, net []float64) [][]float64 {
	p := make([][]float64, 0, ms.plan.members())
	for _, g := range ms.trees {
		p = append(p, g.PredictProba(nil, x))
	}
	k := len(net) / len(ms.nets)
	if ms.plan.apart || len(ms.nets) == 1 {
		for n := range ms.nets {
			p = append(p, net[n*k:(n+1)*k:(n+1)*k])
		}
		return p
	}
	mean := make([]float64, k)
	for c := range mean {
		s := 0.0
		for n := range ms.nets {
			s += math.Log(math.Max(net[n*k+c], StackFloor))
		}
		mean[c] = math.Exp(s / float64(len(ms.nets)))
	}
	return append(p, mean)
}
