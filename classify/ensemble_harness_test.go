//go:build harness

// The blend harness: out-of-fold probabilities of the forest and of gbdt
// on the CinC 2017 shared set (the folds of ecg train --folds 5 --seed 1,
// feature set of SpecFor), averaged with weights, scored by the Challenge
// F1. Run with
//
//	go test -tags harness -run TestBlendHarness -v -timeout 1h ./classify
package classify

import (
	"context"
	"fmt"
	"testing"

	"github.com/ecgkit/ecg/datasets"
)

func TestBlendHarness(t *testing.T) {
	ds, spec := harnessCinC(t)
	cache, err := NewFeatureCache("/tmp/fc-harness")
	if err != nil {
		t.Fatal(err)
	}
	X, err := FeaturizeCached(context.Background(), spec, ds.Files, 2, nil, cache)
	if err != nil {
		t.Fatal(err)
	}
	y, groups := ds.LabelIndex(), fileGroups(ds)
	fold, err := datasets.GroupKFold(y, groups, len(ds.Labels), 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	score, _ := labelIndexes(ds.Labels, []string{"N", "AF", "Other"})
	oof := func(opt TrainOptions) [][]float64 {
		s, err := CrossValidate(ds.Labels, spec, X, y, fold, 5, opt)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	g := oof(TrainOptions{Learner: LearnerGBDT, GBDT: GBDTOptions{Seed: 1, MaxDepth: 6, ClassWeight: "none", MinHessian: 1, Lambda: 1}})
	for _, fo := range []ForestOptions{{Seed: 1, ClassWeight: "balanced"}, {Seed: 1, ClassWeight: "none", Trees: 300}} {
		f := oof(TrainOptions{Forest: fo})
		for _, w := range []float64{0, 0.25, 0.5, 0.75, 1} {
			r, err := Evaluate(ds.Labels, y, fuse(g, f, w), 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("forest %s %d trees, gbdt weight %.2f: Challenge F1 %.4f, per label %v", fo.ClassWeight, fo.Trees, w, meanF1(r, score), f1s(r))
		}
	}
}

func f1s(r *Report) []string {
	var s []string
	for _, l := range r.PerLabel {
		s = append(s, fmt.Sprintf("%s %.3f", l.Label, l.F1))
	}
	return s
}

// harnessCinC reads the CinC 2017 shared set labelled as ecg train
// --label-map 'A=AF,~=Noisy,O=Other' does, with its default feature spec;
// it skips t when the data is absent.
func harnessCinC(t *testing.T) (*datasets.LabelFolders, FeatureSpec) {
	dir := "/work/shared/data/cinc2017-train"
	m, _ := datasets.ParseLabelMap("A=AF,~=Noisy,O=Other")
	ds, err := datasets.ReadLabeled(dir+"/records", datasets.LabelSource{CSV: dir + "/REFERENCE.csv", Map: m})
	if err != nil {
		t.Skip(err)
	}
	spec, err := SpecFor(ds)
	if err != nil {
		t.Fatal(err)
	}
	return ds, spec
}
