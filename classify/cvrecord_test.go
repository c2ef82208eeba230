package classify

import (
	"bytes"
	"math"
	"reflect"
	"strings"
	"testing"
)

// handRecords are out-of-fold scores of 7 files of 3 records, their files
// interleaved: r1 (label a, fold 0, 2 files) means 0.45/0.55 and is called
// b; r2 (b, fold 1, 3 files) means 0.45/0.55, b; r3 (a, fold 0, 2 files)
// means 0.5/0.5, a tie that goes to the first label, a.
func handRecords() (labels []string, y []int, groups []string, fold []int, scores [][]float64) {
	labels = []string{"a", "b"}
	groups = []string{"r1", "r2", "r1", "r2", "r3", "r2", "r3"}
	y = []int{0, 1, 0, 1, 0, 1, 0}
	fold = []int{0, 1, 0, 1, 0, 1, 0}
	scores = [][]float64{{0.7, 0.3}, {0.6, 0.4}, {0.2, 0.8}, {0.3, 0.7}, {0.8, 0.2}, {0.45, 0.55}, {0.2, 0.8}}
	return labels, y, groups, fold, scores
}

// TestRecordRowsOf: a record's scores are the mean of its files', in the
// order of the records' first files, with its label, fold and file count.
func TestRecordRowsOf(t *testing.T) {
	_, y, groups, fold, scores := handRecords()
	recs, ok := recordRowsOf(oofRows{y: y, groups: groups, fold: fold, scores: scores})
	if !ok {
		t.Fatal("no per-record rows for records of 2 and 3 files")
	}
	if want := []string{"r1", "r2", "r3"}; !reflect.DeepEqual(recs.groups, want) {
		t.Errorf("records %v, want %v", recs.groups, want)
	}
	if !reflect.DeepEqual(recs.y, []int{0, 1, 0}) || !reflect.DeepEqual(recs.fold, []int{0, 1, 0}) || !reflect.DeepEqual(recs.files, []int{2, 3, 2}) {
		t.Errorf("labels %v folds %v files %v, want [0 1 0] [0 1 0] [2 3 2]", recs.y, recs.fold, recs.files)
	}
	want := [][]float64{{0.45, 0.55}, {0.45, 0.55}, {0.5, 0.5}}
	for r, s := range recs.scores {
		for j, v := range s {
			if math.Abs(v-want[r][j]) > 1e-12 {
				t.Errorf("record %s score %d = %v, want %v", recs.groups[r], j, v, want[r][j])
			}
		}
	}
	if scores[0][0] != 0.7 {
		t.Errorf("the files' scores were changed: %v", scores[0])
	}
}

// TestCVPerRecordView: the per-record view of hand-made scores has the
// known confusion matrix, F1s, score and folds, and the report prints it
// after the per-file one; the JSON has it under "per_record".
func TestCVPerRecordView(t *testing.T) {
	labels, y, groups, fold, scores := handRecords()
	r := &CVResult{Folds: 2, Seed: 1, Files: len(y), Records: 3, ScoreLabels: []string{"a"}, images: true}
	if err := r.evaluate(labels, y, groups, fold, scores, []int{0}); err != nil {
		t.Fatal(err)
	}
	v := r.PerRecord
	if v == nil {
		t.Fatal("no per-record view")
	}
	// Per file: a is called a in 2 of 4 files, b is called b in 2 of 3:
	// the file confusion differs from the records'.
	if want := [][]int{{2, 2, 0}, {1, 2, 0}}; !reflect.DeepEqual(r.Report.Confusion, want) {
		t.Errorf("file confusion %v, want %v", r.Report.Confusion, want)
	}
	if want := [][]int{{1, 1, 0}, {0, 1, 0}}; !reflect.DeepEqual(v.Report.Confusion, want) {
		t.Errorf("record confusion %v, want %v", v.Report.Confusion, want)
	}
	const twoThirds = 2.0 / 3
	if v.Records != 3 || v.Report.Samples != 3 || math.Abs(v.Report.PerLabel[0].F1-twoThirds) > 1e-12 || math.Abs(v.Report.PerLabel[1].F1-twoThirds) > 1e-12 {
		t.Errorf("records %d samples %d F1s %+v, want 3, 3, 2/3 each", v.Records, v.Report.Samples, v.Report.PerLabel)
	}
	if math.Abs(v.PooledScore-twoThirds) > 1e-12 {
		t.Errorf("pooled score %v, want 2/3 (F1 of a)", v.PooledScore)
	}
	// Fold 1 holds r1 (a called b) and r3 (a called a): F1 of a 2/3, of b
	// 0 (called once, never right); fold 2 holds r2, b called b.
	wantFolds := []FoldResult{{Files: 4, Records: 2, MacroF1: twoThirds / 2, Score: twoThirds}, {Files: 3, Records: 1, MacroF1: 1, Score: 0}}
	if len(v.PerFold) != 2 {
		t.Fatalf("%d folds, want 2", len(v.PerFold))
	}
	for i, f := range v.PerFold {
		w := wantFolds[i]
		if f.Files != w.Files || f.Records != w.Records || math.Abs(f.MacroF1-w.MacroF1) > 1e-12 || math.Abs(f.Score-w.Score) > 1e-12 {
			t.Errorf("fold %d %+v, want %+v", i+1, f, w)
		}
	}
	if v.Score == nil || math.Abs(v.Score.Mean-twoThirds/2) > 1e-12 {
		t.Errorf("fold score %+v, want mean 1/3", v.Score)
	}

	var text, js bytes.Buffer
	if err := r.WriteReport(&text, "text"); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	head := "\nper record (mean of each record's images' probabilities, 3 records)\n"
	i := strings.Index(out, head)
	if i < 0 || i < strings.Index(out, "score (mean F1 of a): pooled 0.6000") {
		t.Fatalf("no per-record section after the per-file report:\n%s", out)
	}
	rest := out[i+len(head):]
	for _, want := range []string{"accuracy 0.6667 (3 samples)", "\n1             4        2     0.3333     0.6667\n",
		"\n2             3        1     1.0000     0.0000\n", "score (mean F1 of a): pooled 0.6667, folds 0.3333 ± 0.4714\n"} {
		if !strings.Contains(rest, want) {
			t.Errorf("per-record section lacks %q:\n%s", want, rest)
		}
	}
	if err := r.WriteReport(&js, "json"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(js.String(), `"per_record":{"records":3,"pooled":{"labels":["a","b"],"samples":3,`) || strings.Contains(js.String(), `"curves"`) {
		t.Errorf("JSON lacks the per-record view or has curves: %s", js.String())
	}
}

// TestCVPerRecordViewAbsent: records whose files have two labels (rhythm
// strides of one recording), and beats, give no per-record view, and the
// text says nothing of it.
func TestCVPerRecordViewAbsent(t *testing.T) {
	labels, y, groups, fold, scores := handRecords()
	mixed := append([]int(nil), y...)
	mixed[2] = 1 // r1's second file is b
	r := &CVResult{Folds: 2, Files: len(y), Records: 3}
	if err := r.evaluate(labels, mixed, groups, fold, scores, nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteReport(&buf, "text"); err != nil {
		t.Fatal(err)
	}
	if r.PerRecord != nil || strings.Contains(buf.String(), "per record") {
		t.Errorf("mixed labels in a record: per-record view %+v, text:\n%s", r.PerRecord, buf.String())
	}
	beats := &CVResult{Folds: 2, Files: len(y), Records: 3, beats: true}
	if err := beats.evaluate(labels, y, groups, fold, scores, nil); err != nil {
		t.Fatal(err)
	}
	if beats.PerRecord != nil {
		t.Errorf("beats: per-record view %+v, want none", beats.PerRecord)
	}
}

// TestCrossValidatePerRecord: a cross-validation of records of 4 files
// each reports per record too; the files of a record have the same
// features, so its mean is each file's scores and the record confusion
// matrix is the file one divided by 4.
func TestCrossValidatePerRecord(t *testing.T) {
	spec := ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil)
	X, y, records, _ := cvRows(spec, 20)
	res, err := runCVRows([]string{"a", "b"}, spec, X, y, records, CVOptions{Folds: 4, Seed: 2, Forest: ForestOptions{Trees: 10, Seed: 1, Jobs: 2}})
	if err != nil {
		t.Fatal(err)
	}
	v := res.PerRecord
	if v == nil || v.Records != 20 || v.Report.Samples != 20 {
		t.Fatalf("per-record view %+v, want 20 records", v)
	}
	for i, row := range res.Report.Confusion {
		for j, n := range row {
			if v.Report.Confusion[i][j]*4 != n {
				t.Errorf("confusion: files %v, records %v; want a quarter", res.Report.Confusion, v.Report.Confusion)
			}
		}
	}
	for i, f := range v.PerFold {
		if f != res.PerFold[i] {
			t.Errorf("fold %d: per record %+v, per file %+v; want the same figures", i+1, f, res.PerFold[i])
		}
	}
}
