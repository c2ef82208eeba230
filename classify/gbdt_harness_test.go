//go:build harness

// The learner harness: the CinC 2017 feature matrix is computed once and
// cached in /tmp, then many learner settings run on the same record-grouped
// folds as ecg train --folds 5 --seed 1. Run with
//
//	GB_SETTINGS='rounds=300,lr=0.1,depth=6;forest' go test -tags harness -run TestGBDTHarness -v -timeout 2h ./classify
package classify

import (
	"context"
	"encoding/gob"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
)

type harnessData struct {
	Labels []string
	X      [][]float64
	Y      []int
	Groups []string
}

func harnessLoad(t *testing.T) *harnessData {
	cache := "/tmp/gb-feat.gob"
	ds, spec := harnessCinC(t)
	if f, err := os.Open(cache); err == nil {
		defer f.Close()
		var d harnessData
		// A cache of another feature set (an older default) is recomputed.
		if err := gob.NewDecoder(f).Decode(&d); err == nil && len(d.X) == len(ds.Files) && len(d.X[0]) == len(spec.Names()) {
			return &d
		}
	}
	X, err := Featurize(context.Background(), spec, ds.Files, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := &harnessData{Labels: ds.Labels, X: X, Y: ds.LabelIndex(), Groups: fileGroups(ds)}
	f, err := os.Create(cache)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := gob.NewEncoder(f).Encode(d); err != nil {
		t.Fatal(err)
	}
	return d
}

func parseHarnessSetting(s string) (GBDTOptions, []int) {
	o := GBDTOptions{Seed: 1}
	ints := map[string]*int{"rounds": &o.Rounds, "depth": &o.MaxDepth, "bins": &o.Bins}
	floats := map[string]*float64{"lr": &o.LearningRate, "minh": &o.MinHessian, "lambda": &o.Lambda, "sub": &o.Subsample, "col": &o.ColSample}
	var checks []int
	for _, kv := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(kv, "=")
		f, _ := strconv.ParseFloat(v, 64)
		switch {
		case ints[k] != nil:
			*ints[k] = int(f)
		case floats[k] != nil:
			*floats[k] = f
		case k == "cw":
			o.ClassWeight = v
		case k == "seed":
			o.Seed = uint64(f)
		case k == "check":
			checks = append(checks, int(f))
		}
	}
	return o, checks
}

func TestGBDTHarness(t *testing.T) {
	d := harnessLoad(t)
	fold, err := datasets.GroupKFold(d.Y, d.Groups, len(d.Labels), 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	score, _ := labelIndexes(d.Labels, []string{"N", "AF", "Other"})
	t.Logf("%d rows, %d features, labels %v", len(d.X), len(d.X[0]), d.Labels)
	for _, s := range strings.Split(os.Getenv("GB_SETTINGS"), ";") {
		start := time.Now()
		if s == "forest" {
			sc := make([][]float64, len(d.X))
			for f := 0; f < 5; f++ {
				trX, trY, _ := foldRows(d, fold, f)
				fr, _, err := TrainForest(trX, trY, len(d.Labels), ForestOptions{Seed: 1})
				if err != nil {
					t.Fatal(err)
				}
				for i := range d.X {
					if fold[i] == f {
						sc[i] = fr.PredictProba(nil, d.X[i])
					}
				}
			}
			harnessReport(t, s, d, fold, score, sc, time.Since(start))
			continue
		}
		if rest, ok := strings.CutPrefix(s, "early:"); ok {
			o, _ := parseHarnessSetting(rest)
			harnessEarly(t, d, fold, score, o.withDefaults())
			continue
		}
		if rest, ok := strings.CutPrefix(s, "weights:"); ok {
			o, _ := parseHarnessSetting(rest)
			harnessWeights(t, d, fold, score, o.withDefaults())
			continue
		}
		o, checks := parseHarnessSetting(s)
		o = o.withDefaults()
		checks = append(checks, o.Rounds)
		scores := make([][][]float64, len(checks))
		for j := range checks {
			scores[j] = make([][]float64, len(d.X))
		}
		for f := 0; f < 5; f++ {
			trX, trY, _ := foldRows(d, fold, f)
			g, _, err := TrainGBDT(trX, trY, len(d.Labels), o)
			if err != nil {
				t.Fatal(err)
			}
			for i := range d.X {
				if fold[i] == f {
					for j, r := range checks {
						p := g.RawScores(make([]float64, g.NumClasses), d.X[i], min(r, g.Rounds()))
						softmax(p)
						scores[j][i] = p
					}
				}
			}
		}
		el := time.Since(start)
		for j, r := range checks {
			harnessReport(t, fmt.Sprintf("%s @%d", s, r), d, fold, score, scores[j], el)
		}
	}
}

func harnessReport(t *testing.T, name string, d *harnessData, fold, score []int, sc [][]float64, el time.Duration) {
	rep, err := Evaluate(d.Labels, d.Y, sc, 0)
	if err != nil {
		t.Fatal(err)
	}
	var fs []float64
	for f := 0; f < 5; f++ {
		var fy []int
		var fsc [][]float64
		for i := range d.Y {
			if fold[i] == f {
				fy, fsc = append(fy, d.Y[i]), append(fsc, sc[i])
			}
		}
		r, _ := Evaluate(d.Labels, fy, fsc, 0)
		fs = append(fs, meanF1(r, score))
	}
	ms := meanSD(fs)
	var per []string
	for _, l := range rep.PerLabel {
		per = append(per, fmt.Sprintf("%s %.3f", l.Label, l.F1))
	}
	t.Logf("RESULT %-50s pooled %.4f folds %.4f ± %.4f | %s | %.1fs", name, meanF1(rep, score), ms.Mean, ms.SD, strings.Join(per, ", "), el.Seconds())
}

// harnessWeights measures per-class weights on the predicted
// probabilities (argmax of w[c]*p[c]) chosen, for every outer fold, on
// out-of-fold probabilities of an inner 4-fold grouped CV of its training
// folds only.
func harnessWeights(t *testing.T, d *harnessData, fold, score []int, o GBDTOptions) {
	start := time.Now()
	plain := make([][]float64, len(d.X))
	weighted := make([][]float64, len(d.X))
	for f := 0; f < 5; f++ {
		trX, trY, trG := foldRows(d, fold, f)
		inner, err := datasets.GroupKFold(trY, trG, len(d.Labels), 4, 2)
		if err != nil {
			t.Fatal(err)
		}
		oof := make([][]float64, len(trX))
		for k := 0; k < 4; k++ {
			var iX [][]float64
			var iY []int
			for j := range trX {
				if inner[j] != k {
					iX, iY = append(iX, trX[j]), append(iY, trY[j])
				}
			}
			g, _, err := TrainGBDT(iX, iY, len(d.Labels), o)
			if err != nil {
				t.Fatal(err)
			}
			for j := range trX {
				if inner[j] == k {
					oof[j] = g.PredictProba(nil, trX[j])
				}
			}
		}
		w := chooseWeights(d.Labels, trY, oof, score)
		t.Logf("fold %d weights %v", f+1, w)
		g, _, err := TrainGBDT(trX, trY, len(d.Labels), o)
		if err != nil {
			t.Fatal(err)
		}
		for i := range d.X {
			if fold[i] == f {
				p := g.PredictProba(nil, d.X[i])
				plain[i] = p
				q := make([]float64, len(p))
				for c := range p {
					q[c] = w[c] * p[c]
				}
				weighted[i] = q
			}
		}
	}
	el := time.Since(start)
	harnessReport(t, "plain", d, fold, score, plain, el)
	harnessReport(t, "inner-CV class weights", d, fold, score, weighted, el)
}

// chooseWeights finds per-class weights on probabilities that maximise
// the mean F1 of the score labels, by coordinate ascent over a grid.
func chooseWeights(labels []string, y []int, p [][]float64, score []int) []float64 {
	w := make([]float64, len(labels))
	for c := range w {
		w[c] = 1
	}
	eval := func() float64 {
		q := make([][]float64, len(p))
		for i := range p {
			q[i] = make([]float64, len(w))
			for c := range w {
				q[i][c] = w[c] * p[i][c]
			}
		}
		r, _ := Evaluate(labels, y, q, 0)
		return meanF1(r, score)
	}
	best := eval()
	grid := []float64{0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5}
	for pass := 0; pass < 2; pass++ {
		for c := 1; c < len(w); c++ { // class 0 stays 1: only ratios matter
			keep := w[c]
			for _, v := range grid {
				w[c] = v
				if s := eval(); s > best+1e-9 {
					best, keep = s, v
				}
			}
			w[c] = keep
		}
	}
	return w
}

// harnessEarly measures early stopping: each outer fold's training part
// is split by record group 80/20; o.Rounds rounds are boosted on the 80 %
// and the round with the lowest log-loss on the 20 % is kept, either as
// the truncated 80 % model ("early, 80 %") or as the round count of a
// model refitted on the whole training part ("early, refit").
func harnessEarly(t *testing.T, d *harnessData, fold, score []int, o GBDTOptions) {
	start := time.Now()
	trunc := make([][]float64, len(d.X))
	refit := make([][]float64, len(d.X))
	for f := 0; f < 5; f++ {
		trX, trY, trG := foldRows(d, fold, f)
		a, b, err := datasets.SplitByGroup(trY, trG, len(d.Labels), 0.8, 3)
		if err != nil {
			t.Fatal(err)
		}
		var aX [][]float64
		var aY []int
		for _, i := range a {
			aX, aY = append(aX, trX[i]), append(aY, trY[i])
		}
		g, _, err := TrainGBDT(aX, aY, len(d.Labels), o)
		if err != nil {
			t.Fatal(err)
		}
		// Validation log-loss after every round, accumulated tree by tree.
		k := g.NumClasses
		raw := make([][]float64, len(b))
		for j := range b {
			raw[j] = append([]float64(nil), g.Base...)
		}
		best, bestLoss := 0, math.Inf(1)
		p := make([]float64, k)
		for r := 0; r < g.Rounds(); r++ {
			var loss float64
			for j, i := range b {
				for c := 0; c < k; c++ {
					raw[j][c] += float64(g.Trees[r*k+c].leafProbs(trX[i], 1)[0])
				}
				copy(p, raw[j])
				softmax(p)
				loss -= math.Log(max(p[trY[i]], 1e-15))
			}
			if loss < bestLoss {
				best, bestLoss = r+1, loss
			}
		}
		o2 := o
		o2.Rounds = best
		full, _, err := TrainGBDT(trX, trY, len(d.Labels), o2)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("fold %d: best round %d", f+1, best)
		for i := range d.X {
			if fold[i] == f {
				q := g.RawScores(make([]float64, k), d.X[i], best)
				softmax(q)
				trunc[i] = q
				refit[i] = full.PredictProba(nil, d.X[i])
			}
		}
	}
	el := time.Since(start)
	harnessReport(t, "early, 80 %", d, fold, score, trunc, el)
	harnessReport(t, "early, refit", d, fold, score, refit, el)
}

// foldRows returns the rows, labels and groups whose fold is not f (the
// training part of fold f).
func foldRows(d *harnessData, fold []int, f int) ([][]float64, []int, []string) {
	var X [][]float64
	var y []int
	var g []string
	for i := range d.X {
		if fold[i] != f {
			X, y, g = append(X, d.X[i]), append(y, d.Y[i]), append(g, d.Groups[i])
		}
	}
	return X, y, g
}
