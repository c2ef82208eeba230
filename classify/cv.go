package classify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ecgkit/ecg/datasets"
)

// CVOptions are the settings of CrossValidateDataset.
type CVOptions struct {
	// Cache, when not nil, keeps feature vectors between runs.
	Cache *FeatureCache
	// Folds is the number of folds, at least 2 and at most the number of
	// record groups.
	Folds int
	// Seed seeds the assignment of record groups to folds; the learners
	// have their own, Forest.Seed or GBDT.Seed (every fold's uses it).
	Seed uint64
	// Spec says how files become feature vectors; nil selects
	// SpecFor(ds).
	Spec *FeatureSpec
	// Learner is LearnerForest (also when empty), LearnerGBDT or
	// LearnerCNN; Forest, GBDT and CNN hold their settings, the same for
	// every fold.
	Learner string
	Forest  ForestOptions
	GBDT    GBDTOptions
	CNN     CNNOptions
	// Fusion holds the settings of LearnerGBDTSignet beyond GBDT's.
	Fusion FusionOptions
	// Jobs is the number of files featurised at once (at least 1).
	Jobs int
	// ScoreLabels, when set, are the labels whose mean F1 is reported as
	// the score (N, AF and Other give the CinC 2017 Challenge F1). Each
	// must be a label of the dataset.
	ScoreLabels []string
	// Final also trains a model on every file (the model ecg train
	// writes); it is CVResult.Model.
	Final bool
	// Progress, when set, is told of featurising and of growing trees
	// (one StageTrees count over every fold and the final model).
	Progress Progress
	// signals are the network inputs of the rows (LearnerGBDTSignet).
	signals [][]float64
}

// ErrUnknownLabel is wrapped by CrossValidateDataset's error when a label
// of CVOptions.ScoreLabels is not a label of the dataset.
var ErrUnknownLabel = errors.New("not a label of the dataset")

// FoldResult is the evaluation of one fold's model on that fold's files.
type FoldResult struct {
	Files   int     `json:"files"`
	Records int     `json:"records"`
	MacroF1 float64 `json:"macro_f1"`
	// Score is the mean F1 of CVOptions.ScoreLabels on the fold (0
	// without score labels).
	Score float64 `json:"score,omitempty"`
}

// MeanSD is a mean and a sample standard deviation (n-1 in the
// denominator) over folds.
type MeanSD struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

// CVResult is a grouped K-fold cross-validation of a dataset.
type CVResult struct {
	// Source is the dataset's directory name; Folds and Seed as given.
	Source string `json:"source"`
	Folds  int    `json:"folds"`
	Seed   uint64 `json:"seed"`
	// Files and Records count the files and record groups.
	Files   int `json:"files"`
	Records int `json:"records"`
	// Report evaluates the pooled out-of-fold predictions: every file
	// scored by the model of the one fold that did not train on it.
	Report *Report `json:"pooled"`
	// PerFold evaluates each fold's model on its own fold; MacroF1 is
	// the mean and spread of their macro F1s.
	PerFold []FoldResult `json:"per_fold"`
	MacroF1 MeanSD       `json:"fold_macro_f1"`
	// ScoreLabels, PooledScore and Score: the mean F1 of the score labels
	// on the pooled predictions and over the folds.
	ScoreLabels []string `json:"score_labels,omitempty"`
	PooledScore float64  `json:"pooled_score,omitempty"`
	Score       *MeanSD  `json:"fold_score,omitempty"`
	// PerRecord evaluates the out-of-fold predictions per record (record
	// group) instead of per file: set when some record has several files
	// (the windows of one recording) and every record's files share one
	// label; nil otherwise and for beats. See RecordView.
	PerRecord *RecordView `json:"per_record,omitempty"`
	// Model is the model trained on every file, with CVOptions.Final.
	Model *Model `json:"-"`
	// FeatureTime is the time spent featurising, TrainTime the time
	// spent growing forests.
	FeatureTime time.Duration `json:"-"`
	TrainTime   time.Duration `json:"-"`
	// beats reports rows that are beats (a beat model's), not files: the
	// text says so (the JSON keeps the key "files").
	beats bool
	// images reports files that are images (the per-record text says so).
	images bool
	// oof holds the out-of-fold scores (WriteOutOfFold).
	oof outOfFold
}

// CrossValidateDataset measures the way TrainDataset trains on ds by
// K-fold cross-validation: the files are featurised once (opt.Spec, else
// SpecFor(ds)), put into opt.Folds folds by record group
// (datasets.GroupKFold: no record in two folds, labels stratified as the
// groups allow), and for each fold a forest grown on the other folds
// scores it (CrossValidate). The out-of-fold scores are evaluated pooled
// and per fold. The same dataset and options give the same result.
func CrossValidateDataset(ctx context.Context, ds *datasets.LabelFolders, opt CVOptions) (*CVResult, error) {
	spec, err := datasetSpec(ds, opt.Spec, opt.Learner)
	if err != nil {
		return nil, err
	}
	y, groups := ds.LabelIndex(), fileGroups(ds)
	// The folds and score labels are settled before the slow featurising.
	plan, err := planCV(ds.Labels, y, groups, opt)
	switch {
	case errors.Is(err, ErrUnknownLabel):
		return nil, err // names the flag's label, not the data
	case err != nil:
		return nil, fmt.Errorf("%s: %w", ds.Dir, err)
	}
	start := time.Now()
	X, err := FeaturizeCached(ctx, spec, ds.Files, opt.Jobs, featureTick(opt.Progress, len(ds.Files)), opt.Cache)
	if err != nil {
		return nil, err
	}
	if opt.signals, err = fusionInputs(ctx, opt.Learner, opt.Fusion, ds.Files, opt.Jobs); err != nil {
		return nil, err
	}
	featureTime := time.Since(start)
	res, err := crossValidateRows(ctx, ds.Labels, spec, X, y, groups, plan, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ds.Dir, err)
	}
	res.Source, res.FeatureTime = filepath.Base(filepath.Clean(ds.Dir)), featureTime
	for _, f := range ds.Files {
		res.oof.names = append(res.oof.names, f.Rel)
	}
	if res.Model != nil {
		res.Model.Info.Training.Source = res.Source
	}
	return res, nil
}

// cvPlan is what a cross-validation settles before it trains: each row's
// fold and the indexes of the score labels.
type cvPlan struct {
	fold  []int
	score []int
}

// planCV assigns the folds (datasets.GroupKFold: by record group) and finds
// the score labels (an unknown one wraps ErrUnknownLabel).
func planCV(labels []string, y []int, groups []string, opt CVOptions) (cvPlan, error) {
	score, err := labelIndexes(labels, opt.ScoreLabels)
	if err != nil {
		return cvPlan{}, err
	}
	fold, err := datasets.GroupKFold(y, groups, len(labels), opt.Folds, opt.Seed)
	return cvPlan{fold: fold, score: score}, err
}

// crossValidateRows is CrossValidateDataset on feature vectors X with
// label indexes y and record groups, folded as plan says.
func crossValidateRows(ctx context.Context, labels []string, spec FeatureSpec, X [][]float64, y []int, groups []string, plan cvPlan, opt CVOptions) (*CVResult, error) {
	fold, score := plan.fold, plan.score
	res := &CVResult{Folds: opt.Folds, Seed: opt.Seed, Files: len(X), Records: countDistinct(groups), ScoreLabels: opt.ScoreLabels}
	res.beats, res.images = spec.Input == InputBeats, spec.Input == InputImage
	start := time.Now()
	runs := opt.Folds
	if opt.Final {
		runs++
	}
	to := learnerOptions(opt.Learner, opt.Forest, opt.GBDT, opt.Progress, len(spec.Names()), len(labels), runs)
	to.CNN, to.Groups = cnnRunOptions(ctx, opt.CNN, opt.Learner, opt.Progress, runs), groups
	to.Fusion, to.Signals = fusionRunOptions(ctx, opt.Fusion, opt.Learner, opt.Progress, runs), opt.signals
	scores, err := crossValidate(ctx, labels, spec, X, y, fold, opt.Folds, to)
	if err != nil {
		return nil, err
	}
	if opt.Final {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if res.Model, err = Train(labels, spec, X, y, to); err != nil {
			return nil, err
		}
		// The out-of-fold scores set the confidence thresholds: scores of
		// rows the models did not see, for any learner (gbdt has no
		// out-of-bag rows to set them from).
		res.Model.Info.Thresholds = thresholdsOf(len(labels), y, scores)
		t := &res.Model.Info.Training
		t.Groups = res.Records
		t.Split = fmt.Sprintf("none (all data; measured by %d-fold CV grouped by record, seed %d; confidence thresholds from the out-of-fold scores)", opt.Folds, int64(opt.Seed))
	}
	res.TrainTime = time.Since(start)
	return res, res.evaluate(labels, y, groups, fold, scores, score)
}

// evaluate fills in the pooled and per-fold evaluations of out-of-fold
// scores, and PerRecord when recordRowsOf finds records of several files
// (not for beats); score are the indexes of the score labels.
func (r *CVResult) evaluate(labels []string, y []int, groups []string, fold []int, scores [][]float64, score []int) error {
	files := oofRows{y: y, groups: groups, fold: fold, scores: scores}
	e, err := evaluateFolds(labels, files, r.Folds, score)
	if err != nil {
		return err
	}
	r.oof = outOfFold{labels: labels, y: y, fold: fold, scores: scores}
	r.Report, r.PerFold, r.MacroF1, r.PooledScore, r.Score = e.report, e.perFold, e.macro, e.pooled, e.score
	if r.beats {
		return nil
	}
	recs, ok := recordRowsOf(files)
	if !ok {
		return nil
	}
	if e, err = evaluateFolds(labels, recs, r.Folds, score); err != nil {
		return err
	}
	r.PerRecord = &RecordView{Records: len(recs.y), Report: e.report, PerFold: e.perFold, MacroF1: e.macro, PooledScore: e.pooled, Score: e.score}
	return nil
}

// foldEval is the evaluation of out-of-fold rows: pooled, per fold, and
// the score labels' mean F1 both ways (score nil without score labels).
type foldEval struct {
	report  *Report
	perFold []FoldResult
	macro   MeanSD
	pooled  float64
	score   *MeanSD
}

// evaluateFolds evaluates rows pooled and in each of folds folds; score
// are the indexes of the score labels.
func evaluateFolds(labels []string, rows oofRows, folds int, score []int) (foldEval, error) {
	var e foldEval
	var err error
	if e.report, err = Evaluate(labels, rows.y, rows.scores, 0); err != nil {
		return e, err
	}
	e.pooled = meanF1(e.report, score)
	var macro, sc []float64
	for f := 0; f < folds; f++ {
		var fy []int
		var fs [][]float64
		var fg []string
		files := 0
		for i := range rows.y {
			if rows.fold[i] == f {
				fy, fs, fg = append(fy, rows.y[i]), append(fs, rows.scores[i]), append(fg, rows.groups[i])
				files += rows.filesOf(i)
			}
		}
		rep, err := Evaluate(labels, fy, fs, 0)
		if err != nil {
			return e, err
		}
		fr := FoldResult{Files: files, Records: countDistinct(fg), MacroF1: rep.Macro.F1, Score: meanF1(rep, score)}
		e.perFold = append(e.perFold, fr)
		macro, sc = append(macro, fr.MacroF1), append(sc, fr.Score)
	}
	e.macro = meanSD(macro)
	if len(score) > 0 {
		s := meanSD(sc)
		e.score = &s
	}
	return e, nil
}

// WriteReport writes the result: in "json" one object (the pooled reports
// without their curves); otherwise the pooled report as ecg eval prints it,
// then the folds, then the same per record when PerRecord is set.
func (r *CVResult) WriteReport(w io.Writer, format string) error {
	if format == "json" {
		c := *r
		c.Report = withoutCurves(r.Report)
		if r.PerRecord != nil {
			v := *r.PerRecord
			v.Report = withoutCurves(v.Report)
			c.PerRecord = &v
		}
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	unit := "files"
	if r.beats {
		unit = "beats"
	}
	fmt.Fprintf(w, "%d-fold cross-validation grouped by record (seed %d): %d %s in %d records, out-of-fold predictions pooled\n",
		r.Folds, int64(r.Seed), r.Files, unit, r.Records)
	if err := r.Report.WriteText(w); err != nil {
		return err
	}
	var b strings.Builder
	writeFoldTable(&b, unit, r.ScoreLabels, foldEval{perFold: r.PerFold, macro: r.MacroF1, pooled: r.PooledScore, score: r.Score})
	if v := r.PerRecord; v != nil {
		kind := "files"
		if r.images {
			kind = "images"
		}
		fmt.Fprintf(&b, "\nper record (mean of each record's %s' probabilities, %d records)\n", kind, v.Records)
		if err := v.Report.WriteText(&b); err != nil {
			return err
		}
		writeFoldTable(&b, unit, r.ScoreLabels, foldEval{perFold: v.PerFold, macro: v.MacroF1, pooled: v.PooledScore, score: v.Score})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// withoutCurves returns a copy of rep without its precision-recall curves.
func withoutCurves(rep *Report) *Report {
	c := *rep
	c.Curves = nil
	return &c
}

// writeFoldTable writes e's per-fold table (unit names its files column),
// the folds' macro F1 and, with score labels, the score pooled and over
// the folds.
func writeFoldTable(b *strings.Builder, unit string, scoreLabels []string, e foldEval) {
	scored := len(scoreLabels) > 0
	fmt.Fprintf(b, "\n%-6s  %7s  %7s  %9s", "fold", unit, "records", "macro f1")
	if scored {
		fmt.Fprintf(b, "  %9s", "score")
	}
	b.WriteByte('\n')
	for i, f := range e.perFold {
		fmt.Fprintf(b, "%-6d  %7d  %7d  %9.4f", i+1, f.Files, f.Records, f.MacroF1)
		if scored {
			fmt.Fprintf(b, "  %9.4f", f.Score)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(b, "fold macro F1 %.4f ± %.4f (mean ± sd over %d folds)\n", e.macro.Mean, e.macro.SD, len(e.perFold))
	if scored {
		fmt.Fprintf(b, "score (mean F1 of %s): pooled %.4f, folds %.4f ± %.4f\n",
			strings.Join(scoreLabels, ", "), e.pooled, e.score.Mean, e.score.SD)
	}
}

// labelIndexes returns the indexes of names in labels; a name that is not
// a label is an error wrapping ErrUnknownLabel.
func labelIndexes(labels, names []string) ([]int, error) {
	var idx []int
	for _, n := range names {
		i := slices.Index(labels, n)
		if i < 0 {
			return nil, fmt.Errorf("%q: %w (labels %v)", n, ErrUnknownLabel, labels)
		}
		idx = append(idx, i)
	}
	return idx, nil
}

// meanF1 is the mean F1 of the labels of r at idx (0 for none).
func meanF1(r *Report, idx []int) float64 {
	if len(idx) == 0 {
		return 0
	}
	var s float64
	for _, i := range idx {
		s += r.PerLabel[i].F1
	}
	return s / float64(len(idx))
}

// meanSD returns the mean and the sample standard deviation of x.
func meanSD(x []float64) MeanSD {
	var m MeanSD
	if len(x) == 0 {
		return m
	}
	for _, v := range x {
		m.Mean += v
	}
	m.Mean /= float64(len(x))
	if len(x) < 2 {
		return m
	}
	var ss float64
	for _, v := range x {
		ss += (v - m.Mean) * (v - m.Mean)
	}
	m.SD = math.Sqrt(ss / float64(len(x)-1))
	return m
}

// countDistinct is the number of distinct strings in s.
func countDistinct(s []string) int {
	seen := map[string]bool{}
	for _, v := range s {
		seen[v] = true
	}
	return len(seen)
}
