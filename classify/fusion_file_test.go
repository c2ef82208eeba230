package classify

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets/synth"
)

// fusionToyModel is a gbdt+signet model of two labels made by hand: one
// round of single-leaf trees and an untrained network of 8 s at 50 Hz.
func fusionToyModel(t testing.TB) *Model {
	spec := SignalSpec(DefaultSignalFeatures())
	names := spec.Names()
	arch := signetToy.withDefaults().arch(2)
	net, err := nn.New(arch, 1)
	if err != nil {
		t.Fatal(err)
	}
	leaf := func(v float32) Tree {
		return Tree{Feature: []int32{-1}, Threshold: []float64{0}, Left: []int32{0}, Right: []int32{0}, Leaf: []float32{v}}
	}
	m := &Model{gbdt: &GBDT{NumClasses: 2, NumFeatures: len(names), Base: []float64{0, 0}, Trees: []Tree{leaf(0.5), leaf(-0.5)}},
		signet: &Signet{Net: net, Rate: 50}}
	m.Info = ModelInfo{Labels: []string{"AF", "N"}, Thresholds: []float64{0.5, 0.5}, Features: spec, FeatureNames: names,
		Learner: LearnerInfo{Kind: LearnerGBDTSignet, Rounds: 1, Trees: 2, Signet: &SignetInfo{Arch: arch, Rate: 50}, FusionWeight: 0.25}}
	return m
}

// Damaged gbdt+signet files are refused with ErrModelFormat; the version
// and learner must agree.
func TestLoadFusionModelErrors(t *testing.T) {
	good := saveModel(t, fusionToyModel(t))
	if _, err := LoadModel(bytes.NewReader(good)); err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(m *Model){
		"weight 0":        func(m *Model) { m.Info.Learner.FusionWeight = 0 },
		"weight 1.5":      func(m *Model) { m.Info.Learner.FusionWeight = 1.5 },
		"no network info": func(m *Model) { m.Info.Learner.Signet = nil },
		"rate":            func(m *Model) { m.Info.Learner.Signet.Rate = 5000 },
		"classes":         func(m *Model) { m.Info.Learner.Signet.Arch.Classes = 3 },
		"2-D":             func(m *Model) { m.Info.Learner.Signet.Arch.OneD = false },
		"crop 1 s":        func(m *Model) { m.Info.Learner.Signet.Arch.In.W = 50 },
		"weight NaN":      func(m *Model) { m.signet.Net.Params[3] = math.NaN() },
	} {
		m := fusionToyModel(t)
		edit(m)
		var b bytes.Buffer
		if err := m.Save(&b); err != nil {
			continue // not even written
		}
		if _, err := LoadModel(bytes.NewReader(withCRC(b.Bytes()))); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
	v2 := bytes.Clone(good)
	v2[len(modelMagic)] = modelVersionKinds
	for name, b := range map[string][]byte{"version 2": withCRC(v2), "truncated": good[:len(good)-9], "long": append(bytes.Clone(good), 0)} {
		if _, err := LoadModel(bytes.NewReader(b)); err == nil || !errors.Is(err, ErrModelFormat) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzLoadFusionModel: LoadModel never panics on a damaged gbdt+signet
// file, and what it loads saves and reloads to the same bytes and
// predicts a signal.
func FuzzLoadFusionModel(f *testing.F) {
	good := saveModel(f, fusionToyModel(f))
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:len(good)-300])
	stacked := fusionToyModel(f)
	stacked.Info.Learner.Stack = &Stacker{Members: 2, Classes: 2, W: [][]float64{{1, 0, 1, 0}, {0, 1, 0, 1}}, B: []float64{0.5, 0}}
	f.Add(saveModel(f, stacked))
	for _, apart := range []bool{false, true} {
		members := saveModel(f, fusionMembersToyModel(f, apart))
		f.Add(members)
		f.Add(members[:len(members)-500])
	}
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 100, Duration: 10, Seed: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range [][]byte{data, withCRC(data)} {
			m, err := LoadModel(bytes.NewReader(d))
			if err != nil {
				continue
			}
			b := saveModel(t, m)
			m2, err := LoadModel(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("re-load of a saved model: %v", err)
			}
			if !bytes.Equal(saveModel(t, m2), b) {
				t.Fatal("a re-loaded model saves other bytes")
			}
			if m2.Signet() != nil {
				if _, err := m2.PredictSignal(rec.MV, 100); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}
