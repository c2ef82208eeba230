package classify

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets"
)

// set6Spec returns the default signal features with feature set 6.
func set6Spec() FeatureSpec {
	sig := DefaultSignalFeatures()
	sig.FeatureSet = 6
	return SignalSpec(sig)
}

// A gbdt+signet model stacked over trees on feature sets 5 and 6 and two
// networks trains, is written as version 8 (the same bytes again), loads,
// and scores through a signal and a dataset exactly as a hand
// computation of its Stacker over its members says: the set-5 trees on
// the first features of the set-6 vector, the networks' log-probabilities
// averaged (or, apart, each a member).
func TestFusionStackMembersRoundTrip(t *testing.T) {
	ds := fusionData(t, 10)
	for _, apart := range []bool{false, true} {
		o := fusionOptions()
		spec := set6Spec()
		o.Spec = &spec
		o.Fusion.Stack, o.Fusion.StackSets, o.Fusion.Networks, o.Fusion.NetworksApart = true, []int{5, 6}, 2, apart
		res, err := TrainDataset(context.Background(), ds, o)
		if err != nil {
			t.Fatal(err)
		}
		m := res.Model
		st, ms := m.Info.Learner.Stack, m.members
		wantMembers := 3
		if apart {
			wantMembers = 4
		}
		if st == nil || st.Members != wantMembers || ms == nil || len(ms.trees) != 2 || len(ms.nets) != 2 {
			t.Fatalf("apart %v: stacker %+v, members %+v", apart, st, ms)
		}
		if got := m.FitSummary(); !strings.Contains(got, " trees and 2 networks, the first ") {
			t.Errorf("apart %v: summary %q, want it to name 2 networks", apart, got)
		}
		n5 := len(SignalSpec(DefaultSignalFeatures()).Names())
		if ms.trees[0].NumFeatures != n5 || ms.trees[1].NumFeatures != len(spec.Names()) || n5 >= len(spec.Names()) {
			t.Fatalf("tree members read %d and %d features (set 5 has %d)", ms.trees[0].NumFeatures, ms.trees[1].NumFeatures, n5)
		}
		checkMemberScores(t, retrainReload(t, m, ds, o, modelVersionMembers), ds, apart)
	}
}

// checkMemberScores checks that the stacked model m (two tree models on
// sets 5 and 6, two networks) scores every file of ds as its Stacker
// over its members computed by hand, through PredictSignal and
// EvaluateDataset.
func checkMemberScores(t *testing.T, m *Model, ds *datasets.LabelFolders, apart bool) {
	t.Helper()
	ev, err := EvaluateDataset(context.Background(), m, ds, EvalOptions{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	st, ms := m.Info.Learner.Stack, m.members
	for i, f := range ds.Files {
		x, fs, err := ReadSignal(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		v, err := m.Info.Features.SignalVector(x, fs)
		if err != nil {
			t.Fatal(err)
		}
		g5 := ms.trees[0].PredictProba(nil, v[:ms.trees[0].NumFeatures])
		g6 := ms.trees[1].PredictProba(nil, v)
		n1, err := ms.nets[0].PredictSignal(x, fs)
		if err != nil {
			t.Fatal(err)
		}
		n2, err := ms.nets[1].PredictSignal(x, fs)
		if err != nil {
			t.Fatal(err)
		}
		var want []float64
		if apart {
			want = st.Probs(nil, g5, g6, n1, n2)
		} else {
			mean := make([]float64, len(n1))
			for c := range mean {
				mean[c] = math.Sqrt(math.Max(n1[c], StackFloor) * math.Max(n2[c], StackFloor))
			}
			want = st.Probs(nil, g5, g6, mean)
		}
		p, err := m.PredictSignal(x, fs)
		if err != nil {
			t.Fatal(err)
		}
		for c, s := range p.Scores {
			if math.Abs(s.Score-want[c]) > 1e-12 || ev.Scores[i][c] != s.Score {
				t.Fatalf("%s %s: score %v (eval %v), by hand %v", f.Rel, s.Label, s.Score, ev.Scores[i][c], want[c])
			}
		}
	}
}

// fusionMembersToyModel returns a small stacked gbdt+signet model over
// trees on feature sets 5 and 6 and two networks (mean), to write.
func fusionMembersToyModel(t testing.TB, apart bool) *Model {
	m := fusionToyModel(t)
	spec := set6Spec()
	names := spec.Names()
	m.Info.Features, m.Info.FeatureNames = spec, names
	g6 := *m.gbdt
	g6.NumFeatures = len(names)
	g6.Trees = []Tree{
		{Feature: []int32{int32(len(names) - 1), -1, -1}, Threshold: []float64{0, 0, 0}, Left: []int32{1, 0, 1}, Right: []int32{2, 0, 0}, Leaf: []float32{0.25, -0.25}},
		m.gbdt.Trees[1],
	}
	net2, err := nn.New(m.Info.Learner.Signet.Arch, 2)
	if err != nil {
		t.Fatal(err)
	}
	s2 := &Signet{Net: net2, Rate: m.signet.Rate}
	l := &m.Info.Learner
	l.StackSets, l.Networks, l.NetworksApart = []int{5, 6}, 2, apart
	members := 3
	if apart {
		members = 4
	}
	st := &Stacker{Members: members, Classes: 2, B: []float64{0.5, 0}}
	for c := range 2 {
		st.W = append(st.W, make([]float64, 2*members))
		for j := c; j < 2*members; j += 2 {
			st.W[c][j] = float64(1 + j)
		}
	}
	l.Stack = st
	plan, err := m.Info.stackPlan()
	if err != nil {
		t.Fatal(err)
	}
	m.members = &stackMembers{plan: plan, trees: []*GBDT{m.gbdt, &g6}, nets: []*Signet{m.signet, s2}}
	return m
}

// A version-8 file loads and scores as its members computed by hand; one
// whose stacker's member count, version, feature sets or network count
// disagree with its members, or that is cut short, is refused.
func TestLoadFusionMembersErrors(t *testing.T) {
	ds := fusionData(t, 2)
	for _, apart := range []bool{false, true} {
		toy := fusionMembersToyModel(t, apart)
		toy.Info.Labels = ds.Labels
		good := saveModel(t, toy)
		if good[len(modelMagic)] != modelVersionMembers {
			t.Fatalf("version %d", good[len(modelMagic)])
		}
		m, err := LoadModel(bytes.NewReader(good))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(saveModel(t, m), good) {
			t.Error("a loaded version-8 model saves other bytes")
		}
		checkMemberScores(t, m, ds, apart)
	}
	v6 := saveModel(t, fusionMembersToyModel(t, false))
	v6[len(modelMagic)] = modelVersionStack
	good := saveModel(t, fusionMembersToyModel(t, false))
	refused := map[string][]byte{"version 6": withCRC(v6), "truncated": withCRC(good[:len(good)-1000]), "long": withCRC(append(bytes.Clone(good), 0, 0, 0, 0))}
	for name, edit := range map[string]func(m *Model){
		"members 2":    func(m *Model) { m.Info.Learner.Stack.Members = 2 },
		"one set":      func(m *Model) { m.Info.Learner.StackSets = []int{6} },
		"set 3":        func(m *Model) { m.Info.Learner.StackSets = []int{3, 6} },
		"set 7":        func(m *Model) { m.Info.Learner.StackSets = []int{5, 7} },
		"set twice":    func(m *Model) { m.Info.Learner.StackSets = []int{6, 6} },
		"one network":  func(m *Model) { m.Info.Learner.Networks = 1 },
		"9 networks":   func(m *Model) { m.Info.Learner.Networks = 9 },
		"3 networks":   func(m *Model) { m.Info.Learner.Networks = 3 },
		"-2 networks":  func(m *Model) { m.Info.Learner.Networks = -2 },
		"apart, one":   func(m *Model) { m.Info.Learner.Networks, m.Info.Learner.NetworksApart = 0, true },
		"sets swapped": func(m *Model) { m.Info.Learner.StackSets = []int{6, 5} },
		"no stacker":   func(m *Model) { m.Info.Learner.Stack = nil },
		"feature set 5": func(m *Model) {
			m.Info.Features = SignalSpec(DefaultSignalFeatures())
			m.Info.FeatureNames = m.Info.Features.Names()
		},
		"second net NaN":  func(m *Model) { m.members.nets[1].Net.Params[0] = math.NaN() },
		"second tree bad": func(m *Model) { m.members.trees[1].Trees[0].Feature[0] = 1 << 20 },
	} {
		m := fusionMembersToyModel(t, false)
		edit(m)
		var b bytes.Buffer
		if err := m.Save(&b); err != nil {
			continue // not even written
		}
		refused[name] = withCRC(b.Bytes())
	}
	for name, b := range refused {
		_, err := LoadModel(bytes.NewReader(b))
		if err == nil || !errors.Is(err, ErrModelFormat) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// More members need a stack, and at most 8 in all.
func TestStackPlanRefuses(t *testing.T) {
	spec := set6Spec()
	for name, fo := range map[string]FusionOptions{
		"sets, no stack":     {StackSets: []int{5, 6}},
		"networks, no stack": {Networks: 2},
		"one other set":      {Stack: true, StackSets: []int{5}},
		"9 members":          {Stack: true, StackSets: []int{4, 5, 6}, Networks: 6, NetworksApart: true},
		"9 networks":         {Stack: true, Networks: 9},
	} {
		if _, err := newStackPlan(spec, fo); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	p, err := newStackPlan(spec, FusionOptions{Stack: true, StackSets: []int{6, 4}, Networks: 3})
	if err != nil || p.members() != 3 || !p.more() || p.cols[0] != len(spec.Names()) || p.cols[1] >= p.cols[0] {
		t.Errorf("plan %+v, %v", p, err)
	}
}

// retrainReload checks that m, trained on ds with o, is written as file
// version and that o trains the same bytes again, and returns m loaded
// from its bytes.
func retrainReload(t *testing.T, m *Model, ds *datasets.LabelFolders, o DatasetOptions, version byte) *Model {
	t.Helper()
	b := saveModel(t, m)
	if v := b[len(modelMagic)]; v != version {
		t.Errorf("file version %d, want %d", v, version)
	}
	again, err := TrainDataset(context.Background(), ds, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(saveModel(t, again.Model), b) {
		t.Error("the same data and seed gave another model file")
	}
	m2, err := LoadModel(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return m2
}
