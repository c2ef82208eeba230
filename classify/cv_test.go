package classify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// cvRows makes records of 4 rows each whose features identify the record
// (every row of a record has the same random vector) and whose label is a
// coin toss per record: nothing in the features predicts the label of an
// unseen record, but a model that has seen a record's other rows knows it.
func cvRows(spec FeatureSpec, records int) (X [][]float64, y []int, recordOf, rowOf []string) {
	rng := rand.New(rand.NewPCG(3, 9))
	n := len(spec.Names())
	for r := 0; r < records; r++ {
		v := make([]float64, n)
		for j := range v {
			v[j] = rng.Float64()
		}
		label := rng.IntN(2)
		for k := 0; k < 4; k++ {
			X, y = append(X, v), append(y, label)
			recordOf = append(recordOf, fmt.Sprintf("r%d", r))
			rowOf = append(rowOf, fmt.Sprintf("r%d_%d", r, k))
		}
	}
	return X, y, recordOf, rowOf
}

// TestCrossValidateNoLeak checks that the folds keep records whole and
// that every file is scored by a model that never saw its record: grouped
// by record the accuracy is near chance, whereas folds that split records
// (each row its own group) leak the label and score near 1.
func TestCrossValidateNoLeak(t *testing.T) {
	spec := ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil)
	X, y, records, rows := cvRows(spec, 60)
	labels := []string{"a", "b"}
	opt := CVOptions{Folds: 5, Seed: 2, Forest: ForestOptions{Trees: 30, Bins: 256, Seed: 1, Jobs: 2}, ScoreLabels: []string{"b"}}
	res, err := runCVRows(labels, spec, X, y, records, opt)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, f := range res.PerFold {
		sum += f.Records
		if f.Files != 4*f.Records {
			t.Errorf("fold %+v: a record split across folds", f)
		}
	}
	if sum != 60 || res.Records != 60 || res.Report.Samples != len(X) {
		t.Errorf("records per fold sum to %d, result %d records %d samples; want 60, 60, %d", sum, res.Records, res.Report.Samples, len(X))
	}
	if acc := res.Report.Accuracy; acc > 0.75 {
		t.Errorf("grouped by record: accuracy %.3f, want near chance (out-of-fold scores only)", acc)
	}
	leak, err := runCVRows(labels, spec, X, y, rows, opt)
	if err != nil {
		t.Fatal(err)
	}
	if acc := leak.Report.Accuracy; acc < 0.9 {
		t.Errorf("rows as groups: accuracy %.3f, want near 1 (the test could not see a leak)", acc)
	}
	if got := res.PooledScore; got != res.Report.PerLabel[1].F1 || res.Score == nil {
		t.Errorf("pooled score %v, want F1 of b %v; fold score %v", got, res.Report.PerLabel[1].F1, res.Score)
	}

	// The same options give the same report, byte for byte.
	var a, b bytes.Buffer
	again, err := runCVRows(labels, spec, X, y, records, opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.WriteReport(&a, "text"); err != nil {
		t.Fatal(err)
	}
	if err := again.WriteReport(&b, "text"); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() || !strings.Contains(a.String(), "score (mean F1 of b): pooled") {
		t.Errorf("reports differ or lack the score:\n%s\n---\n%s", a.String(), b.String())
	}

	opt.ScoreLabels = []string{"a", "z"}
	if _, err := runCVRows(labels, spec, X, y, records, opt); !errors.Is(err, ErrUnknownLabel) {
		t.Errorf("score label z: %v, want ErrUnknownLabel", err)
	}
}

func TestMeanSD(t *testing.T) {
	m := meanSD([]float64{1, 2, 3, 4})
	if m.Mean != 2.5 || fmt.Sprintf("%.6f", m.SD) != "1.290994" {
		t.Errorf("meanSD = %+v, want 2.5 and 1.290994", m)
	}
	if m := meanSD([]float64{7}); m.Mean != 7 || m.SD != 0 {
		t.Errorf("one value: %+v", m)
	}
}

// runCVRows plans and runs a cross-validation of rows, as CrossValidateDataset
// does after featurising.
func runCVRows(labels []string, spec FeatureSpec, X [][]float64, y []int, groups []string, opt CVOptions) (*CVResult, error) {
	plan, err := planCV(labels, y, groups, opt)
	if err != nil {
		return nil, err
	}
	return crossValidateRows(context.Background(), labels, spec, X, y, groups, plan, opt)
}

// TestCrossValidateStopsBetweenFolds: a context cancelled while the first
// fold's trees grow stops the cross-validation before the next fold (an
// interrupted ecg train --folds does not grow every fold first).
func TestCrossValidateStopsBetweenFolds(t *testing.T) {
	spec := ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil)
	X, y, records, _ := cvRows(spec, 40)
	plan, err := planCV([]string{"a", "b"}, y, records, CVOptions{Folds: 5, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	trees := 0
	opt := CVOptions{Folds: 5, Seed: 2, Forest: ForestOptions{Trees: 10, Seed: 1, Jobs: 1},
		Progress: func(stage string, done, total int) {
			if stage == StageTrees {
				trees++
				cancel()
			}
		}}
	_, err = crossValidateRows(ctx, []string{"a", "b"}, spec, X, y, records, plan, opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if trees > 10 {
		t.Errorf("%d trees grown after the cancel in fold 1, want at most that fold's 10", trees)
	}
}

// featureTick is called from pool workers (ReadBeats): ticks from many
// goroutines count every file once and report in order.
func TestFeatureTickConcurrent(t *testing.T) {
	last, calls := -1, 0
	tick := featureTick(func(stage string, done, total int) {
		if done != last+1 || total != 800 {
			t.Errorf("progress %d of %d after %d", done, total, last)
		}
		last = done
		calls++
	}, 800)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				tick()
			}
		}()
	}
	wg.Wait()
	if last != 800 || calls != 801 {
		t.Errorf("last %d after %d calls, want 800 after 801", last, calls)
	}
}
