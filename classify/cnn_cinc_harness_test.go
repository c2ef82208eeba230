//go:build harness

// The CinC short-window harness: TestCNNHarness's cross-validation (the
// folds of ecg train --folds 5 --seed 1 --learner cnn) on archives whose
// spectrograms keep the beats, with two settings the command has no flag
// for. Run with
//
//	CNN_DIR=cinc-short CNN_ROWS=16 CNN_COLS=256 CNN_EPOCHS=12 CNN_PATIENCE=4 \
//	  CNN_SCORE_LABELS=N,AF,Other nice -n 10 go test -tags harness -run TestCNNCinCHarness -v -timeout 3h ./classify
//
// Besides TestCNNHarness's settings: CNN_ROW_NORM=1 standardises each
// frequency row of each image by its own mean and deviation over time
// (before the network's standardisation by the training pixels), and
// CNN_ONE_FOLD=F trains and scores fold F only (0-based; to estimate the
// cost of a full run from a short one).
package classify

import (
	"context"
	"math"
	"os"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
)

func TestCNNCinCHarness(t *testing.T) {
	dir := os.Getenv("CNN_DIR")
	if dir == "" {
		t.Skip("CNN_DIR not set")
	}
	ds, err := datasets.ReadLabelFolders(dir)
	if err != nil {
		t.Fatal(err)
	}
	opt, spec := harnessCNNOptions(t, ds)
	one := envInt("CNN_ONE_FOLD", -1)
	var prep func([][]float64)
	if os.Getenv("CNN_ROW_NORM") == "1" {
		prep = func(X [][]float64) { standardizeRows(X, spec.Image.Rows, spec.Image.Cols) }
	}
	start := time.Now()
	if one < 0 {
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
		return
	}
	rep, score, err := oneFoldCV(context.Background(), ds, opt, prep, one)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fold %d only: settings %+v, image %dx%d, row norm %v, wall %v: challenge F1 %.4f",
		one, opt.CNN, spec.Image.Rows, spec.Image.Cols, prep != nil, time.Since(start), score)
	if err := rep.WriteText(os.Stdout); err != nil {
		t.Fatal(err)
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

// oneFoldCV trains on every fold but fold f of the cross-validation of
// opt, scores fold f and returns its report and challenge score.
func oneFoldCV(ctx context.Context, ds *datasets.LabelFolders, opt CVOptions, prep func([][]float64), f int) (*Report, float64, error) {
	spec, err := datasetSpec(ds, opt.Spec, opt.Learner)
	if err != nil {
		return nil, 0, err
	}
	y, groups := ds.LabelIndex(), fileGroups(ds)
	plan, err := planCV(ds.Labels, y, groups, opt)
	if err != nil {
		return nil, 0, err
	}
	X, err := FeaturizeCached(ctx, spec, ds.Files, opt.Jobs, nil, opt.Cache)
	if err != nil {
		return nil, 0, err
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
		return nil, 0, err
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
		return nil, 0, err
	}
	return rep, meanF1(rep, plan.score), nil
}
