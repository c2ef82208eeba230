package tune

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/classify"
)

// Objective is what a trial is measured by on each fold: one of
// "macro-f1", "accuracy", "challenge-f1" (the mean F1 of the score
// labels: N, AF and Other give the CinC 2017 Challenge F1), "f1:LABEL"
// or "recall:LABEL@P" (the best recall of LABEL against the rest at a
// precision of at least P over every score threshold). It is maximised
// unless Minimize.
type Objective struct {
	Name     string
	Minimize bool
	kind     string
	label    string
	floor    float64
	// bound by Bind
	labelIdx int
	score    []int
}

// ParseObjective parses an objective name (see Objective).
func ParseObjective(s string, minimize bool) (Objective, error) {
	o := Objective{Name: s, Minimize: minimize, kind: s}
	switch {
	case s == "macro-f1" || s == "accuracy" || s == "challenge-f1":
		return o, nil
	case strings.HasPrefix(s, "f1:") && len(s) > 3:
		o.kind, o.label = "f1", s[3:]
		return o, nil
	case strings.HasPrefix(s, "recall:"):
		label, p, ok := strings.Cut(s[len("recall:"):], "@")
		f, err := strconv.ParseFloat(p, 64)
		if ok && label != "" && err == nil && f > 0 && f <= 1 {
			o.kind, o.label, o.floor = "recall", label, f
			return o, nil
		}
	}
	return o, fmt.Errorf("objective %q: want macro-f1, accuracy, challenge-f1, f1:LABEL or recall:LABEL@PRECISION (PRECISION in (0, 1])", s)
}

// Bind resolves the objective's label (and, for challenge-f1, the score
// labels, which must be given) against the dataset's labels.
func (o *Objective) Bind(labels, scoreLabels []string) error {
	if o.kind == "challenge-f1" {
		if len(scoreLabels) == 0 {
			return fmt.Errorf("objective challenge-f1 needs score labels (e.g. N,AF,Other)")
		}
		for _, l := range scoreLabels {
			i := slices.Index(labels, l)
			if i < 0 {
				return fmt.Errorf("score label %q: %w (labels %v)", l, classify.ErrUnknownLabel, labels)
			}
			o.score = append(o.score, i)
		}
	}
	if o.label != "" {
		o.labelIdx = slices.Index(labels, o.label)
		if o.labelIdx < 0 {
			return fmt.Errorf("objective %s: %q: %w (labels %v)", o.Name, o.label, classify.ErrUnknownLabel, labels)
		}
	}
	return nil
}

// Measure returns the objective on rows of true labels truth with
// per-label scores.
func (o *Objective) Measure(labels []string, truth []int, scores [][]float64) (float64, error) {
	if o.kind == "recall" {
		return recallAtPrecision(o.labelIdx, truth, scores, o.floor), nil
	}
	rep, err := classify.Evaluate(labels, truth, scores, 0)
	if err != nil {
		return 0, err
	}
	switch o.kind {
	case "accuracy":
		return rep.Accuracy, nil
	case "challenge-f1":
		var s float64
		for _, i := range o.score {
			s += rep.PerLabel[i].F1
		}
		return s / float64(len(o.score)), nil
	case "f1":
		return rep.PerLabel[o.labelIdx].F1, nil
	}
	return rep.Macro.F1, nil
}

// loss turns an objective value into a loss (lower is better).
func (o *Objective) loss(v float64) float64 {
	if o.Minimize {
		return v
	}
	return -v
}

// better reports whether objective value a is better than b.
func (o *Objective) better(a, b float64) bool { return o.loss(a) < o.loss(b) }

// recallAtPrecision is the best recall of label c against the rest over
// every score threshold whose precision is at least floor (0 when none
// reaches it).
func recallAtPrecision(c int, truth []int, scores [][]float64, floor float64) float64 {
	idx := make([]int, len(truth))
	pos := 0
	for i := range idx {
		idx[i] = i
		if truth[i] == c {
			pos++
		}
	}
	if pos == 0 {
		return 0
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]][c] > scores[idx[b]][c] })
	best, tp := 0.0, 0
	for k, i := range idx {
		if truth[i] == c {
			tp++
		}
		// A threshold between distinct scores only.
		if k+1 < len(idx) && scores[idx[k+1]][c] == scores[i][c] {
			continue
		}
		if float64(tp)/float64(k+1) >= floor {
			best = max(best, float64(tp)/float64(pos))
		}
	}
	return best
}
