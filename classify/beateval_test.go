package classify

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
)

// TestEvaluateBeats checks EvaluateBeats on the embedded excerpts (5
// minutes each, so scored from 0 s): at the reference beats its report is
// the held-out report of TrainBeats on the same record; at the detected
// beats its QRS counts are beats.AnalyzeRecord's comparison's.
func TestEvaluateBeats(t *testing.T) {
	_, paths := demoBeats(t, "")
	ctx := context.Background()
	var sets [2]*BeatDataset // training: 100, 201, 221; test: 232
	for i, p := range [][]string{paths[:3], paths[3:]} {
		ds, err := ReadBeats(ctx, p, BeatOptions{Jobs: 2})
		if err != nil {
			t.Fatal(err)
		}
		sets[i] = ds
	}
	test := sets[1]
	res, err := TrainBeats(ctx, sets[0], BeatTrainOptions{Test: test, Forest: ForestOptions{Trees: 10, MinLeaf: BeatMinLeaf, Seed: 2}})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	match := beats.MatchOptions{Window: 0.15}
	e, err := EvaluateBeats(ctx, m, paths[3:], BeatEvalOptions{At: BeatsAtReference, Match: match})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(e.Report.Confusion, m.Info.Heldout.Confusion, slices.Equal) || e.Report.Samples != len(test.Y) {
		t.Errorf("at the reference beats: confusion %v (%d beats), held-out %v (%d)", e.Report.Confusion, e.Report.Samples, m.Info.Heldout.Confusion, len(test.Y))
	}
	if q := e.EC57.QRS(); q.TP != len(test.Y) || q.FN != 0 || q.FP != 0 {
		t.Errorf("at the reference beats: QRS %+v", q)
	}

	e, err = EvaluateBeats(ctx, m, paths, BeatEvalOptions{Match: match, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	var want beats.MatchResult
	for _, p := range paths {
		a, err := beats.AnalyzeRecord(p, beats.Options{Compare: "atr", Match: match})
		if err != nil {
			t.Fatal(err)
		}
		want.Add(*a.Match)
	}
	if q := e.EC57.QRS(); q.TP != want.TP || q.FN != want.FN || q.FP != want.FP || e.Report.Samples != want.TP {
		t.Errorf("at the detected beats: QRS %+v (report %d beats), ecg beats --compare %+v", q, e.Report.Samples, want)
	}
	if len(e.Records) != len(paths) || e.At != BeatsAtDetected || e.Annotator != "atr" {
		t.Errorf("records %d, at %q, annotator %q", len(e.Records), e.At, e.Annotator)
	}
	var buf bytes.Buffer
	if err := e.WriteText(&buf); err != nil || !strings.Contains(buf.String(), "VEB sensitivity") {
		t.Errorf("WriteText: %v\n%s", err, buf.String())
	}
	buf.Reset()
	if err := e.WriteJSON(&buf); err != nil || !strings.Contains(buf.String(), `"veb":{"tp":`) {
		t.Errorf("WriteJSON: %v\n%s", err, buf.String())
	}
	if _, err := EvaluateBeats(ctx, m, paths, BeatEvalOptions{At: "nowhere"}); err == nil {
		t.Error("at nowhere: no error")
	}
}

// TestReportFromConfusion checks that a report made from Evaluate's
// confusion matrix has Evaluate's figures.
func TestReportFromConfusion(t *testing.T) {
	labels := []string{"a", "b", "c"}
	truth := []int{0, 0, 1, 1, 2, 2, 2, 0}
	scores := [][]float64{{.9, .1, 0}, {.2, .7, .1}, {.1, .8, .1}, {.5, .4, .1}, {0, .1, .9}, {.3, .3, .4}, {.4, .45, .15}, {.35, .33, .32}}
	want, err := Evaluate(labels, truth, scores, 0.4)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReportFromConfusion(labels, want.Confusion)
	if err != nil {
		t.Fatal(err)
	}
	if got.Samples != want.Samples || got.Unassigned != want.Unassigned || got.Accuracy != want.Accuracy ||
		!slices.Equal(got.PerLabel, want.PerLabel) || got.Macro != want.Macro || got.Weighted != want.Weighted {
		t.Errorf("from the confusion matrix %+v\nEvaluate %+v", got, want)
	}
	if _, err := ReportFromConfusion(labels, want.Confusion[:2]); err == nil {
		t.Error("2 rows for 3 labels: no error")
	}
}
