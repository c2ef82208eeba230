package classify

import (
	"bytes"
	"context"
	"errors"
	"math"
	"testing"
)

// A stacked gbdt+signet model trains (its Stacker fitted on out-of-fold
// probabilities), is written as version 6, loads and scores as its
// Stacker says through every path; the same seed gives the same bytes.
func TestFusionStackRoundTrip(t *testing.T) {
	ds := fusionData(t, 10)
	o := fusionOptions()
	o.Fusion.Stack = true
	res, err := TrainDataset(context.Background(), ds, o)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	st := m.Info.Learner.Stack
	if st == nil || st.Members != 2 || st.Classes != 2 {
		t.Fatalf("stacker %+v", st)
	}
	m2 := retrainReload(t, m, ds, o, modelVersionStack)
	ev, err := EvaluateDataset(context.Background(), m2, ds, EvalOptions{Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	weighted := 0.0
	for i, f := range ds.Files {
		x, fs, g, net := fusionMembers(t, m, f.Path)
		p, err := m2.PredictSignal(x, fs)
		if err != nil {
			t.Fatal(err)
		}
		want := st.Probs(nil, g, net)
		for c, s := range p.Scores {
			if math.Abs(s.Score-want[c]) > 1e-12 || ev.Scores[i][c] != s.Score {
				t.Fatalf("%s %s: score %v (eval %v), the stacker gives %v", f.Rel, s.Label, s.Score, ev.Scores[i][c], want[c])
			}
			weighted = max(weighted, math.Abs(s.Score-(0.4*net[c]+0.6*g[c])))
		}
	}
	if weighted < 1e-3 {
		t.Errorf("the stacked scores are within %v of the weighted fusion's", weighted)
	}
}

// A version-4 file with a stacker, or a version-6 one without, is
// refused, as is a stacker of the wrong shape.
func TestLoadFusionStackErrors(t *testing.T) {
	m := fusionToyModel(t)
	m.Info.Learner.Stack = &Stacker{Members: 2, Classes: 2, W: [][]float64{{1, 0, 1, 0}, {0, 1, 0, 1}}, B: []float64{0, 0}}
	good := saveModel(t, m)
	if good[len(modelMagic)] != modelVersionStack {
		t.Fatalf("version %d", good[len(modelMagic)])
	}
	if _, err := LoadModel(bytes.NewReader(good)); err != nil {
		t.Fatal(err)
	}
	v4 := bytes.Clone(good)
	v4[len(modelMagic)] = modelVersionFusion
	plain := saveModel(t, fusionToyModel(t))
	v6 := bytes.Clone(plain)
	v6[len(modelMagic)] = modelVersionStack
	for name, b := range map[string][]byte{"version 4 with a stacker": withCRC(v4), "version 6 without": withCRC(v6)} {
		if _, err := LoadModel(bytes.NewReader(b)); err == nil || !errors.Is(err, ErrModelFormat) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, st := range map[string]*Stacker{
		"3 members": {Members: 3, Classes: 2, W: [][]float64{make([]float64, 6), make([]float64, 6)}, B: []float64{0, 0}},
		"3 classes": {Members: 2, Classes: 3, W: [][]float64{make([]float64, 6), make([]float64, 6), make([]float64, 6)}, B: []float64{0, 0, 0}},
		"huge":      {Members: 2, Classes: 2, W: [][]float64{{1e9, 0, 0, 0}, make([]float64, 4)}, B: []float64{0, 0}},
	} {
		m := fusionToyModel(t)
		m.Info.Learner.Stack = st
		if _, err := LoadModel(bytes.NewReader(saveModel(t, m))); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

// fusionMembers reads the record at path and returns its signal and rate
// and the probabilities of the gbdt+signet model m's trees and network.
func fusionMembers(t *testing.T, m *Model, path string) (x []float64, fs float64, g, net []float64) {
	t.Helper()
	x, fs, err := ReadSignal(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := m.Info.Features.SignalVector(x, fs)
	if err != nil {
		t.Fatal(err)
	}
	g = m.GBDT().PredictProba(nil, v)
	if net, err = m.Signet().PredictSignal(x, fs); err != nil {
		t.Fatal(err)
	}
	return x, fs, g, net
}
