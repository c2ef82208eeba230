//go:build harness

// The cnn harness: ecg train DIR --folds 5 --seed 1 --learner cnn with
// settings the command does not expose. Run with
//
//	CNN_DIR=/tmp/cnn/mitdb-png CNN_PER_IMAGE=1 go test -tags harness -run TestCNNHarness -v -timeout 2h ./classify
//
// Other settings: CNN_EPOCHS, CNN_ROWS, CNN_COLS, CNN_FILTERS (e.g.
// 16,32,64), CNN_HIDDEN, CNN_LR, CNN_BATCH, CNN_PATIENCE,
// CNN_SCORE_LABELS (N,AF,Other), CNN_CLASS_WEIGHT, CNN_NO_AUGMENT=1,
// CNN_FROM (a model to start from), CNN_OOF=FILE, which writes the
// pooled out-of-fold probabilities as CSV (file, label, one column per
// label) for late fusion (TestFusionHarness), and CNN_ROW_NORM and
// CNN_ONE_FOLD (cnn_cinc_harness_test.go; with CNN_OOF, the fold's rows
// only), CNN_ARCH (2d or temporal),
// CNN_ANNEAL (epochs of a second stage at a tenth of the learning rate,
// CNNOptions.Anneal), CNN_RECURRENT (hidden units of the recurrent layer, ecg train
// --cnn-recurrent), CNN_KERNEL and CNN_ENSEMBLE (networks of a seed ensemble, ecg train
// --cnn-ensemble), CNN_NORM (none, group or layer, ecg train --cnn-norm).
package classify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
)

func envInt(name string, d int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return d
}

func envFloat(name string, d float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return d
}

func TestCNNHarness(t *testing.T) {
	dir := os.Getenv("CNN_DIR")
	if dir == "" {
		t.Skip("CNN_DIR not set")
	}
	ds, err := datasets.ReadLabelFolders(dir)
	if err != nil {
		t.Fatal(err)
	}
	opt, spec := harnessCNNOptions(t, ds)
	var prep func([][]float64)
	if os.Getenv("CNN_ROW_NORM") == "1" {
		prep = func(X [][]float64) { standardizeRows(X, spec.Image.Rows, spec.Image.Cols) }
	}
	var epochs atomic.Int64 // epochs run by all the networks
	opt.CNN.Progress = func(int, int) { epochs.Add(1) }
	defer func() { t.Logf("%d epochs run in all", epochs.Load()) }()
	start := time.Now()
	if one := envInt("CNN_ONE_FOLD", -1); one >= 0 {
		oneFoldHarness(t, ds, opt, prep, one)
		return
	}
	res, scores, err := crossValidateScoresPrep(context.Background(), ds, opt, prep)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("settings %+v, image %dx%d, row norm %v, wall %v", opt.CNN, spec.Image.Rows, spec.Image.Cols, prep != nil, time.Since(start))
	if err := res.WriteReport(os.Stdout, "text"); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("CNN_OOF"); p != "" {
		writeOOF(t, p, ds, scores)
	}
}

// harnessCNNOptions returns the cross-validation of the cnn harnesses
// (5 folds, seed 1) with the settings of the CNN_* variables, and its
// feature spec (also in the options).
func harnessCNNOptions(t *testing.T, ds *datasets.LabelFolders) (CVOptions, *FeatureSpec) {
	o := CNNOptions{Epochs: envInt("CNN_EPOCHS", 20), Batch: envInt("CNN_BATCH", 16), Seed: uint64(envInt("CNN_SEED", 1)), Jobs: 2,
		PerImage: os.Getenv("CNN_PER_IMAGE") == "1", NoAugment: os.Getenv("CNN_NO_AUGMENT") == "1",
		Hidden: envInt("CNN_HIDDEN", 0), LR: envFloat("CNN_LR", 0), Patience: envInt("CNN_PATIENCE", 0),
		ClassWeight: os.Getenv("CNN_CLASS_WEIGHT"), Arch: os.Getenv("CNN_ARCH"), Kernel: envInt("CNN_KERNEL", 0),
		Ensemble: envInt("CNN_ENSEMBLE", 0), Recurrent: envInt("CNN_RECURRENT", 0), Anneal: envInt("CNN_ANNEAL", 0),
		Norm: os.Getenv("CNN_NORM")}
	if f := os.Getenv("CNN_FILTERS"); f != "" {
		for _, s := range strings.Split(f, ",") {
			n, _ := strconv.Atoi(s)
			o.Filters = append(o.Filters, n)
		}
	}
	if p := os.Getenv("CNN_FROM"); p != "" {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		o.From, o.FromName = nil, p
		if o.From, err = LoadModel(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	spec, err := CNNSpecFor(ds)
	if err != nil {
		t.Fatal(err)
	}
	spec.Image.Rows, spec.Image.Cols = envInt("CNN_ROWS", spec.Image.Rows), envInt("CNN_COLS", spec.Image.Cols)
	var score []string
	if s := os.Getenv("CNN_SCORE_LABELS"); s != "" {
		score = strings.Split(s, ",")
	}
	return CVOptions{Folds: 5, Seed: 1, Learner: LearnerCNN, CNN: o, Jobs: 2, Spec: &spec, ScoreLabels: score}, &spec
}

// crossValidateScores is CrossValidateDataset that also returns the
// pooled out-of-fold scores.
func crossValidateScores(ctx context.Context, ds *datasets.LabelFolders, opt CVOptions) (*CVResult, [][]float64, error) {
	return crossValidateScoresPrep(ctx, ds, opt, nil)
}

// crossValidateScoresPrep is crossValidateScores with prep (when not nil)
// applied to the feature rows before the folds are trained.
func crossValidateScoresPrep(ctx context.Context, ds *datasets.LabelFolders, opt CVOptions, prep func([][]float64)) (*CVResult, [][]float64, error) {
	spec, err := datasetSpec(ds, opt.Spec, opt.Learner)
	if err != nil {
		return nil, nil, err
	}
	y, groups := ds.LabelIndex(), fileGroups(ds)
	plan, err := planCV(ds.Labels, y, groups, opt)
	if err != nil {
		return nil, nil, err
	}
	X, err := FeaturizeCached(ctx, spec, ds.Files, opt.Jobs, nil, opt.Cache)
	if err != nil {
		return nil, nil, err
	}
	if prep != nil {
		prep(X)
	}
	to := learnerOptions(opt.Learner, opt.Forest, opt.GBDT, nil, len(spec.Names()), len(ds.Labels), opt.Folds)
	to.CNN, to.Groups = cnnRunOptions(ctx, opt.CNN, opt.Learner, nil, opt.Folds), groups
	scores, err := crossValidate(ctx, ds.Labels, spec, X, y, plan.fold, opt.Folds, to)
	if err != nil {
		return nil, nil, err
	}
	res := &CVResult{Folds: opt.Folds, Seed: opt.Seed, Files: len(X), Records: countDistinct(groups), ScoreLabels: opt.ScoreLabels}
	return res, scores, res.evaluate(ds.Labels, y, groups, plan.fold, scores, plan.score)
}

// writeOOF writes out-of-fold scores as CSV: record group, label, then
// one probability per label; rows without scores (not in a fold scored)
// are left out.
func writeOOF(t *testing.T, path string, ds *datasets.LabelFolders, scores [][]float64) {
	var b strings.Builder
	b.WriteString("group,label," + strings.Join(ds.Labels, ",") + "\n")
	for i, f := range ds.Files {
		if scores[i] == nil {
			continue
		}
		fmt.Fprintf(&b, "%s,%s", f.Group, f.Label)
		for _, v := range scores[i] {
			fmt.Fprintf(&b, ",%.6g", v)
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile(filepath.Clean(path), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFusionHarness fuses the network's out-of-fold probabilities
// (FUSE_OOF, written by TestCNNHarness with CNN_OOF) with those of the
// signal gbdt of ecg train on the records (FUSE_RECORDS, FUSE_LABELS, the
// CinC label map; 5 folds, seed 1, gbdt defaults): p = w p_cnn + (1-w)
// p_signal, w chosen for each fold on the other folds (0 to 1 by 0.05) by
// the Challenge F1 (N, AF, Other), then evaluated pooled.
//
//	FUSE_OOF=/tmp/oof.csv FUSE_RECORDS=.../records FUSE_LABELS=.../REFERENCE.csv go test -tags harness -run TestFusionHarness -v ./classify
func TestFusionHarness(t *testing.T) {
	oofPath, recs := os.Getenv("FUSE_OOF"), os.Getenv("FUSE_RECORDS")
	if oofPath == "" || recs == "" {
		t.Skip("FUSE_OOF and FUSE_RECORDS not set")
	}
	lm, err := datasets.ParseLabelMap("A=AF,~=Noisy,O=Other")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := datasets.ReadLabeled(recs, datasets.LabelSource{CSV: os.Getenv("FUSE_LABELS"), Map: lm})
	if err != nil {
		t.Fatal(err)
	}
	cache, _ := NewFeatureCache(os.Getenv("ECG_FEATURE_CACHE"))
	score := []string{"N", "AF", "Other"}
	opt := CVOptions{Folds: 5, Seed: 1, Learner: LearnerGBDT, Jobs: 2, ScoreLabels: score, Cache: cache,
		GBDT: GBDTOptions{Seed: 1, Jobs: 2, MaxDepth: 6, ClassWeight: "none", MinHessian: 1, Lambda: 1}}
	res, sig, err := crossValidateScores(context.Background(), ds, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("signal gbdt: pooled challenge F1 %.4f", res.PooledScore)
	b, err := os.ReadFile(oofPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if strings.Join(strings.Split(lines[0], ",")[2:], ",") != strings.Join(ds.Labels, ",") {
		t.Fatalf("labels %s, records %v", lines[0], ds.Labels)
	}
	img := map[string][]float64{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		var p []float64
		for _, v := range f[2:] {
			x, _ := strconv.ParseFloat(v, 64)
			p = append(p, x)
		}
		img[f[0]] = p
	}
	y, groups := ds.LabelIndex(), fileGroups(ds)
	plan, err := planCV(ds.Labels, y, groups, opt)
	if err != nil {
		t.Fatal(err)
	}
	net := make([][]float64, len(y))
	for i := range y {
		if net[i] = img[groups[i]]; net[i] == nil {
			t.Fatalf("record %s: no network probabilities", groups[i])
		}
	}
	lateFusion(t, ds.Labels, y, plan.fold, plan.score, net, sig, func(name string, out [][]float64) {
		fres := &CVResult{Folds: opt.Folds, Seed: opt.Seed, Files: len(y), Records: countDistinct(groups), ScoreLabels: score}
		if err := fres.evaluate(ds.Labels, y, groups, plan.fold, out, plan.score); err != nil {
			t.Fatal(err)
		}
		fmt.Println(name)
		if err := fres.WriteReport(os.Stdout, "text"); err != nil {
			t.Fatal(err)
		}
	})
}
