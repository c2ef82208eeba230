package classify

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Report holds the evaluation of a classifier on labelled samples.
// Predictions are the label with the highest score; when Threshold > 0,
// a sample whose highest score is below it is left unassigned (it counts
// against recall, not against precision).
type Report struct {
	Labels    []string `json:"labels"`
	Samples   int      `json:"samples"`
	Threshold float64  `json:"threshold"`
	// Unassigned counts samples below Threshold.
	Unassigned int     `json:"unassigned"`
	Accuracy   float64 `json:"accuracy"`
	// PerLabel lists precision, recall, F1 and support per label, in the
	// order of Labels.
	PerLabel []LabelMetrics `json:"per_label"`
	Macro    Averages       `json:"macro"`
	Weighted Averages       `json:"weighted"`
	// Confusion[i][j] counts samples of true label i predicted as label j;
	// column len(Labels) counts unassigned samples.
	Confusion [][]int `json:"confusion"`
	// Curves are the one-vs-rest precision-recall curves per label: a
	// sample is called label L when its score for L is >= the threshold.
	Curves []PRCurve `json:"curves,omitempty"`
}

// LabelMetrics are the figures of one label.
type LabelMetrics struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
	Predicted int     `json:"predicted"`
}

// Averages are macro (unweighted mean over labels with support or
// predictions) or support-weighted means.
type Averages struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// PRCurve is a one-vs-rest precision-recall curve of one label at a list
// of score thresholds.
type PRCurve struct {
	Label      string    `json:"label"`
	Thresholds []float64 `json:"thresholds"`
	Precision  []float64 `json:"precision"`
	Recall     []float64 `json:"recall"`
	// AP is the average precision (area under the step curve over every
	// distinct score).
	AP float64 `json:"ap"`
}

// CurveThresholds are the score thresholds at which Evaluate samples the
// precision-recall curves.
var CurveThresholds = []float64{0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1}

// Evaluate scores predictions: truth[i] is the label index of sample i and
// scores[i] its per-label scores (length len(labels)).
func Evaluate(labels []string, truth []int, scores [][]float64, threshold float64) (*Report, error) {
	k := len(labels)
	if len(truth) != len(scores) {
		return nil, fmt.Errorf("evaluate: %d labels but %d score rows", len(truth), len(scores))
	}
	r := &Report{Labels: labels, Samples: len(truth), Threshold: threshold}
	r.Confusion = make([][]int, k)
	for i := range r.Confusion {
		r.Confusion[i] = make([]int, k+1)
	}
	for i, t := range truth {
		if t < 0 || t >= k || len(scores[i]) != k {
			return nil, fmt.Errorf("evaluate: sample %d: label %d or %d scores out of range", i, t, len(scores[i]))
		}
		p := argmax(scores[i])
		if scores[i][p] < threshold {
			p = k
			r.Unassigned++
		}
		r.Confusion[t][p]++
	}
	r.summarize()
	for c := 0; c < k; c++ {
		r.Curves = append(r.Curves, prCurve(labels[c], c, truth, scores))
	}
	return r, nil
}

// ReportFromConfusion returns the report of a confusion matrix counted
// elsewhere: confusion[i][j] counts samples of label i predicted as label
// j (len(labels) rows of len(labels) columns, or one more for unassigned
// samples). The report has no precision-recall curves.
func ReportFromConfusion(labels []string, confusion [][]int) (*Report, error) {
	k := len(labels)
	r := &Report{Labels: labels, Confusion: make([][]int, k)}
	if len(confusion) != k {
		return nil, fmt.Errorf("evaluate: %d labels but %d confusion rows", k, len(confusion))
	}
	for i, row := range confusion {
		if len(row) != k && len(row) != k+1 {
			return nil, fmt.Errorf("evaluate: confusion row %d has %d columns for %d labels", i, len(row), k)
		}
		r.Confusion[i] = make([]int, k+1)
		copy(r.Confusion[i], row)
		for _, v := range r.Confusion[i] {
			r.Samples += v
		}
		r.Unassigned += r.Confusion[i][k]
	}
	r.summarize()
	return r, nil
}

// summarize fills r's accuracy, per-label figures and averages from
// r.Confusion and r.Samples.
func (r *Report) summarize() {
	k := len(r.Labels)
	correct := 0
	for c := 0; c < k; c++ {
		correct += r.Confusion[c][c]
	}
	if r.Samples > 0 {
		r.Accuracy = float64(correct) / float64(r.Samples)
	}
	var nLab int
	for c := 0; c < k; c++ {
		tp := r.Confusion[c][c]
		sup, pred := 0, 0
		for j := 0; j <= k; j++ {
			sup += r.Confusion[c][j]
		}
		for i := 0; i < k; i++ {
			pred += r.Confusion[i][c]
		}
		lm := LabelMetrics{Label: r.Labels[c], Support: sup, Predicted: pred}
		lm.Precision = ratio(tp, pred)
		lm.Recall = ratio(tp, sup)
		if lm.Precision+lm.Recall > 0 {
			lm.F1 = 2 * lm.Precision * lm.Recall / (lm.Precision + lm.Recall)
		}
		r.PerLabel = append(r.PerLabel, lm)
		if sup > 0 || pred > 0 {
			nLab++
			r.Macro.Precision += lm.Precision
			r.Macro.Recall += lm.Recall
			r.Macro.F1 += lm.F1
		}
		if r.Samples > 0 {
			w := float64(sup) / float64(r.Samples)
			r.Weighted.Precision += w * lm.Precision
			r.Weighted.Recall += w * lm.Recall
			r.Weighted.F1 += w * lm.F1
		}
	}
	if nLab > 0 {
		r.Macro.Precision /= float64(nLab)
		r.Macro.Recall /= float64(nLab)
		r.Macro.F1 /= float64(nLab)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func argmax(x []float64) int {
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}

// prCurve computes label c's one-vs-rest curve at CurveThresholds and its
// average precision.
func prCurve(label string, c int, truth []int, scores [][]float64) PRCurve {
	pc := PRCurve{Label: label, Thresholds: CurveThresholds}
	pos := 0
	for _, t := range truth {
		if t == c {
			pos++
		}
	}
	for _, th := range CurveThresholds {
		p, r := PrecisionRecallAt(c, truth, scores, th)
		pc.Precision = append(pc.Precision, p)
		pc.Recall = append(pc.Recall, r)
	}
	pc.AP = averagePrecision(c, truth, scores, pos)
	return pc
}

// averagePrecision is the sum over distinct score thresholds (high to low)
// of precision times the gain in recall.
func averagePrecision(c int, truth []int, scores [][]float64, pos int) float64 {
	if pos == 0 {
		return 0
	}
	idx := make([]int, len(truth))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]][c] > scores[idx[b]][c] })
	ap, tp, fp := 0.0, 0, 0
	prevRecall := 0.0
	for j := 0; j < len(idx); {
		s := scores[idx[j]][c]
		for ; j < len(idx) && scores[idx[j]][c] == s; j++ {
			if truth[idx[j]] == c {
				tp++
			} else {
				fp++
			}
		}
		rec := float64(tp) / float64(pos)
		ap += (rec - prevRecall) * float64(tp) / float64(tp+fp)
		prevRecall = rec
	}
	return ap
}

// PrecisionRecallAt returns label c's one-vs-rest precision and recall
// when a sample is called c if its score for c is >= th. Precision is 1
// when nothing is called c.
func PrecisionRecallAt(c int, truth []int, scores [][]float64, th float64) (precision, recall float64) {
	tp, fp, pos := 0, 0, 0
	for i, t := range truth {
		if t == c {
			pos++
		}
		if scores[i][c] >= th {
			if t == c {
				tp++
			} else {
				fp++
			}
		}
	}
	precision = 1
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	return precision, ratio(tp, pos)
}

// BestF1Threshold returns, for label c, the score threshold in
// CurveThresholds (above 0) at which one-vs-rest F1 is highest (the lowest
// such threshold on ties). Rows with NaN scores are skipped.
func BestF1Threshold(c int, truth []int, scores [][]float64) float64 {
	best, bestF1 := 0.5, -1.0
	for _, th := range CurveThresholds[1:] {
		tp, fp, fn := 0, 0, 0
		for i, t := range truth {
			s := scores[i][c]
			if math.IsNaN(s) {
				continue
			}
			switch {
			case s >= th && t == c:
				tp++
			case s >= th:
				fp++
			case t == c:
				fn++
			}
		}
		f1 := 0.0
		if tp > 0 {
			f1 = 2 * float64(tp) / float64(2*tp+fp+fn)
		}
		if f1 > bestF1 {
			best, bestF1 = th, f1
		}
	}
	return best
}

// WriteText writes the report as a human-readable table.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	width := 8
	for _, l := range r.Labels {
		width = max(width, len(l))
	}
	fmt.Fprintf(&b, "%-*s  %9s  %9s  %9s  %7s\n", width, "label", "precision", "recall", "f1", "support")
	for _, m := range r.PerLabel {
		fmt.Fprintf(&b, "%-*s  %9.4f  %9.4f  %9.4f  %7d\n", width, m.Label, m.Precision, m.Recall, m.F1, m.Support)
	}
	fmt.Fprintf(&b, "%-*s  %9.4f  %9.4f  %9.4f  %7d\n", width, "macro", r.Macro.Precision, r.Macro.Recall, r.Macro.F1, r.Samples)
	fmt.Fprintf(&b, "%-*s  %9.4f  %9.4f  %9.4f  %7d\n", width, "weighted", r.Weighted.Precision, r.Weighted.Recall, r.Weighted.F1, r.Samples)
	fmt.Fprintf(&b, "accuracy %.4f (%d samples", r.Accuracy, r.Samples)
	if r.Threshold > 0 {
		fmt.Fprintf(&b, ", threshold %.2f, %d unassigned", r.Threshold, r.Unassigned)
	}
	b.WriteString(")\n\nconfusion matrix (rows: true label, columns: predicted)\n")
	fmt.Fprintf(&b, "%-*s", width, "")
	for _, l := range r.Labels {
		fmt.Fprintf(&b, "  %7s", l)
	}
	if r.Threshold > 0 {
		fmt.Fprintf(&b, "  %7s", "(none)")
	}
	b.WriteByte('\n')
	for i, row := range r.Confusion {
		fmt.Fprintf(&b, "%-*s", width, r.Labels[i])
		for j, v := range row {
			if j == len(r.Labels) && r.Threshold <= 0 {
				continue
			}
			fmt.Fprintf(&b, "  %7d", v)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
