//go:build harness

// Settings of TestCNNHarness for the CinC short-window archives
// (docs/rhythm.md, "Spectrograms that keep the beats"), whose images the
// command has no flag for. Run with
//
//	CNN_DIR=cinc-short CNN_ROWS=16 CNN_COLS=512 CNN_ARCH=temporal CNN_EPOCHS=20 CNN_PATIENCE=6 \
//	  CNN_CLASS_WEIGHT=none CNN_SCORE_LABELS=N,AF,Other nice -n 10 go test -tags harness \
//	  -run 'TestCNNHarness$' -v -timeout 6h ./classify
//
// (the temporal network's 0.757 of session 22; CNN_COLS=256 without
// CNN_ARCH is the 2-D network's 0.690).
//
// CNN_ROW_NORM=1 standardises each frequency row of each image by its own
// mean and deviation over time (before the network's standardisation by
// the training pixels), and CNN_ONE_FOLD=F trains and scores fold F only
// (0-based; to estimate the cost of a full run from a short one).
//
// CNN_STRIDES (e.g. 2: the first block's convolution steps 2 columns)
// and CNN_GLOBAL_POOL (max or avgmax) set the strides and global pooling
// of the temporal networks the harness makes (temporalStrides,
// temporalGlobalPool); CNN_RECURRENT_AVG (0 or 1) whether a recurrent
// layer (CNN_RECURRENT) joins the averages (temporalRecurrentAvg). CNN_SEED (default 1) seeds the networks (their
// initial weights, validation split, shuffles and augmentation) and not
// the folds, which stay those of --seed 1.
package classify

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets"
)

func init() {
	if v := os.Getenv("CNN_STRIDES"); v != "" {
		temporalStrides = nil
		for _, f := range strings.Split(v, ",") {
			n, _ := strconv.Atoi(f)
			temporalStrides = append(temporalStrides, n)
		}
	}
	if v, ok := os.LookupEnv("CNN_GLOBAL_POOL"); ok {
		temporalGlobalPool = v
	}
	if v, ok := os.LookupEnv("CNN_RECURRENT_AVG"); ok {
		temporalRecurrentAvg = v == "1"
	}
}

// standardizeRows standardises, in each row of X, each of the rows x
// cols image's rows by its own mean and deviation (a flat row becomes
// 0). The values after the pixels are left alone.
func standardizeRows(X [][]float64, rows, cols int) {
	for _, x := range X {
		for r := range rows {
			px := x[r*cols : (r+1)*cols]
			var s, ss float64
			for _, v := range px {
				s += v
				ss += v * v
			}
			m := s / float64(cols)
			sd := math.Sqrt(max(ss/float64(cols)-m*m, 0))
			for i, v := range px {
				if px[i] = 0; sd > 1e-9 {
					px[i] = (v - m) / sd
				}
			}
		}
	}
}

// oneFoldHarness trains on every fold but fold f of the cross-validation
// of opt, scores fold f and prints its report and challenge score.
func oneFoldHarness(t *testing.T, ds *datasets.LabelFolders, opt CVOptions, prep func([][]float64), f int) {
	ctx := context.Background()
	spec, err := datasetSpec(ds, opt.Spec, opt.Learner)
	if err != nil {
		t.Fatal(err)
	}
	y, groups := ds.LabelIndex(), fileGroups(ds)
	plan, err := planCV(ds.Labels, y, groups, opt)
	if err != nil {
		t.Fatal(err)
	}
	X, err := FeaturizeCached(ctx, spec, ds.Files, opt.Jobs, nil, opt.Cache)
	if err != nil {
		t.Fatal(err)
	}
	if prep != nil {
		prep(X)
	}
	// Fold f is fold 0 of a one-fold run; every other row (-1) trains.
	fold := make([]int, len(y))
	for i, v := range plan.fold {
		if fold[i] = -1; v == f {
			fold[i] = 0
		}
	}
	to := learnerOptions(opt.Learner, opt.Forest, opt.GBDT, nil, len(spec.Names()), len(ds.Labels), opt.Folds)
	to.CNN, to.Groups = cnnRunOptions(ctx, opt.CNN, opt.Learner, nil, 1), groups
	scores, err := crossValidate(ctx, ds.Labels, spec, X, y, fold, 1, to)
	if err != nil {
		t.Fatal(err)
	}
	var fy []int
	var fs [][]float64
	for i := range y {
		if fold[i] == 0 {
			fy, fs = append(fy, y[i]), append(fs, scores[i])
		}
	}
	rep, err := Evaluate(ds.Labels, fy, fs, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fold %d only: settings %+v, image %dx%d, row norm %v: challenge F1 %.4f",
		f, opt.CNN, spec.Image.Rows, spec.Image.Cols, prep != nil, meanF1(rep, plan.score))
	if err := rep.WriteText(os.Stdout); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("CNN_OOF"); p != "" {
		writeOOF(t, p, ds, scores)
	}
}
