package classify

import (
	"math"
	"strings"
	"testing"
)

func TestEvaluateByHand(t *testing.T) {
	labels := []string{"N", "AF", "V"}
	// truth, predicted (by one-hot-ish scores)
	truth := []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 2}
	pred := []int{0, 0, 0, 1, 1, 1, 0, 2, 2, 1}
	scores := make([][]float64, len(truth))
	for i, p := range pred {
		s := []float64{0.1, 0.1, 0.1}
		s[p] = 0.8
		scores[i] = s
	}
	r, err := Evaluate(labels, truth, scores, 0)
	if err != nil {
		t.Fatal(err)
	}
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s = %v, want %v", what, got, want)
		}
	}
	near("accuracy", r.Accuracy, 0.7)
	// N: tp 3, predicted 4 (3 + 1 from AF), support 4
	near("N precision", r.PerLabel[0].Precision, 0.75)
	near("N recall", r.PerLabel[0].Recall, 0.75)
	// AF: tp 2, predicted 4 (1 from N, 1 from V), support 3
	near("AF precision", r.PerLabel[1].Precision, 0.5)
	near("AF recall", r.PerLabel[1].Recall, 2.0/3)
	near("AF f1", r.PerLabel[1].F1, 2*0.5*(2.0/3)/(0.5+2.0/3))
	// V: tp 2, predicted 2, support 3
	near("V precision", r.PerLabel[2].Precision, 1)
	near("V recall", r.PerLabel[2].Recall, 2.0/3)
	f1 := []float64{0.75, 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0/3), 0.8}
	near("macro f1", r.Macro.F1, (f1[0]+f1[1]+f1[2])/3)
	near("weighted f1", r.Weighted.F1, (4*f1[0]+3*f1[1]+3*f1[2])/10)
	if r.Confusion[1][0] != 1 || r.Confusion[2][1] != 1 || r.Confusion[0][1] != 1 {
		t.Errorf("confusion %v", r.Confusion)
	}
	// At threshold 0.5 every one-hot score passes; at 0.9 none does.
	c := r.Curves[2]
	for i, th := range c.Thresholds {
		if th == 0.5 {
			near("V precision@0.5", c.Precision[i], 1)
			near("V recall@0.5", c.Recall[i], 2.0/3)
		}
		if th == 0.9 {
			near("V recall@0.9", c.Recall[i], 0)
		}
	}
	r9, _ := Evaluate(labels, truth, scores, 0.9)
	if r9.Unassigned != 10 || r9.Accuracy != 0 {
		t.Errorf("threshold 0.9: %d unassigned, accuracy %v", r9.Unassigned, r9.Accuracy)
	}
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "accuracy 0.7000 (10 samples)") {
		t.Errorf("text report:\n%s", b.String())
	}
}

func TestAveragePrecision(t *testing.T) {
	// scores for label 0: positives at ranks 1 and 3 -> AP = (1 + 2/3)/2
	truth := []int{0, 1, 0, 1}
	scores := [][]float64{{0.9, 0.1}, {0.8, 0.2}, {0.7, 0.3}, {0.1, 0.9}}
	if ap := averagePrecision(0, truth, scores, 2); math.Abs(ap-(1+2.0/3)/2) > 1e-12 {
		t.Errorf("AP %v", ap)
	}
}
