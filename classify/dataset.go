package classify

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"github.com/ecgkit/ecg/datasets"
)

// Progress is told how far a long call has got: stage names the step
// ("features": files featurised; "trees": trees grown) and done counts
// the units finished out of total. It is called with done 0 when a stage
// starts, then once per unit, from one goroutine at a time.
type Progress func(stage string, done, total int)

// Stages reported to a Progress.
const (
	StageFeatures = "features"
	StageTrees    = "trees"
)

// LabelCount is a number of files of one label.
type LabelCount struct {
	Label string
	Files int
}

// KnownLabels returns the files of ds whose label is one of labels, with
// their indexes into labels. A file of another label cannot be predicted:
// it is left out and counted in skipped (in the order of ds.Labels).
func KnownLabels(ds *datasets.LabelFolders, labels []string) (files []datasets.LabeledFile, truth []int, skipped []LabelCount) {
	pos := map[string]int{}
	for i, l := range labels {
		pos[l] = i
	}
	left := map[string]int{}
	for _, f := range ds.Files {
		l, ok := pos[f.Label]
		if !ok {
			left[f.Label]++
			continue
		}
		files = append(files, f)
		truth = append(truth, l)
	}
	for _, l := range ds.Labels {
		if n := left[l]; n > 0 {
			skipped = append(skipped, LabelCount{Label: l, Files: n})
		}
	}
	return files, truth, skipped
}

// DatasetOptions are the settings of TrainDataset.
type DatasetOptions struct {
	// Cache, when not nil, keeps feature vectors between runs.
	Cache *FeatureCache
	// Spec says how files become feature vectors; nil selects
	// SpecFor(ds).
	Spec *FeatureSpec
	// Test is a dataset to measure the model on instead of a held-out
	// split. Its files of labels the training set lacks are left out and
	// counted in TrainResult.Skipped.
	Test *datasets.LabelFolders
	// Split is the share of the record groups that goes to training when
	// Test is nil, in (0, 1); 0 selects 0.8.
	Split float64
	// Seed seeds the split; the learner has its own, Forest.Seed or
	// GBDT.Seed.
	Seed uint64
	// Learner is LearnerForest (also when empty), LearnerGBDT or
	// LearnerCNN; Forest, GBDT and CNN hold their settings.
	Learner string
	Forest  ForestOptions
	GBDT    GBDTOptions
	CNN     CNNOptions
	// Fusion holds the settings of LearnerGBDTSignet beyond GBDT's.
	Fusion FusionOptions
	// Jobs is the number of files featurised at once (at least 1). The
	// learner grows Forest.Jobs (GBDT.Jobs) trees at once.
	Jobs int
	// Progress, when set, is told of featurising and of growing trees.
	Progress Progress
}

// TrainResult is what TrainDataset made and how long it took.
type TrainResult struct {
	// Model is the trained model. Its Info.Training says what it was
	// trained on and how the held-out data was chosen; Info.Heldout is the
	// evaluation on that data, when there was any.
	Model *Model
	// Heldout is the number of files the model was measured on.
	Heldout int
	// Skipped counts the files of Test left out, per label.
	Skipped []LabelCount
	// FeatureTime is the time spent featurising, TrainTime the time
	// spent growing the forest.
	FeatureTime, TrainTime time.Duration
}

// TrainDataset trains a model on a labelled dataset, the way ecg train
// does: the files are featurised (opt.Spec, else SpecFor(ds)), split by
// record group into training and held-out data (datasets.SplitByGroup,
// opt.Split, opt.Seed) unless opt.Test is given, a forest is grown on the
// training files, and the held-out files are scored into
// Model.Info.Heldout. No record is in both training and held-out data.
// The same dataset and options give a byte-identical model.
//
// When it fails after choosing the held-out data, it still returns a
// result, whose Skipped says which test files were left out.
func TrainDataset(ctx context.Context, ds *datasets.LabelFolders, opt DatasetOptions) (*TrainResult, error) {
	spec, err := datasetSpec(ds, opt.Spec, opt.Learner)
	if err != nil {
		return nil, err
	}
	y, groups := ds.LabelIndex(), fileGroups(ds)
	h, err := holdOut(ds, y, groups, opt)
	res := &TrainResult{Skipped: h.skipped}
	if err != nil {
		return res, err
	}
	start := time.Now()
	X, testX, err := featurizeSplit(ctx, spec, ds.Files, h, opt)
	if err != nil {
		return res, err
	}

	trX := make([][]float64, len(h.train))
	trY := make([]int, len(h.train))
	trG := make([]string, len(h.train))
	trF := make([]datasets.LabeledFile, len(h.train))
	trGroups := map[string]bool{}
	for j, i := range h.train {
		trX[j], trY[j], trG[j], trF[j] = X[i], y[i], groups[i], ds.Files[i]
		trGroups[groups[i]] = true
	}
	signals, err := fusionInputs(ctx, opt.Learner, opt.Fusion, trF, opt.Jobs)
	if err != nil {
		return res, err
	}
	res.FeatureTime = time.Since(start)
	start = time.Now()
	to := learnerOptions(opt.Learner, opt.Forest, opt.GBDT, opt.Progress, len(spec.Names()), len(ds.Labels), 1)
	to.CNN, to.Groups = cnnRunOptions(ctx, opt.CNN, opt.Learner, opt.Progress, 1), trG
	to.Fusion, to.Signals = fusionRunOptions(ctx, opt.Fusion, opt.Learner, opt.Progress, 1), signals
	m, err := Train(ds.Labels, spec, trX, trY, to)
	if err != nil {
		return res, err
	}
	res.TrainTime = time.Since(start)
	res.Model = m
	m.Info.Training.Source = filepath.Base(filepath.Clean(ds.Dir))
	m.Info.Training.Split = h.desc
	m.Info.Training.Groups = len(trGroups)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	res.Heldout = len(testX)
	if len(testX) > 0 {
		scores, err := m.scoreFiles(ctx, testX, h.testFiles, opt.Jobs)
		if err != nil {
			return res, err
		}
		rep, err := Evaluate(m.Info.Labels, h.testY, scores, 0)
		if err != nil {
			return res, err
		}
		m.Info.Heldout = rep
	}
	return res, nil
}

// datasetSpec checks that ds has labels to learn (at least 2) and returns
// *spec, or when spec is nil SpecFor(ds) (for LearnerCNN, CNNSpecFor(ds)),
// with the rendering settings of the archive when it reads images
// (withArchiveSpectrogram).
func datasetSpec(ds *datasets.LabelFolders, spec *FeatureSpec, learner string) (FeatureSpec, error) {
	if len(ds.Labels) < 2 {
		return FeatureSpec{}, fmt.Errorf("%s: need at least 2 labels (found %d: %v)", ds.Dir, len(ds.Labels), ds.Labels)
	}
	var s FeatureSpec
	var err error
	switch {
	case spec != nil:
		s = *spec
	case learner == LearnerCNN:
		s, err = CNNSpecFor(ds)
	default:
		s, err = SpecFor(ds)
	}
	if err != nil {
		return s, err
	}
	return withArchiveSpectrogram(ds, s)
}

// fileGroups returns the record group of every file of ds.
func fileGroups(ds *datasets.LabelFolders) []string {
	groups := make([]string, len(ds.Files))
	for i, f := range ds.Files {
		groups[i] = f.Group
	}
	return groups
}

// featureTick starts p's StageFeatures over total files (ProgressTick).
func featureTick(p Progress, total int) func() { return ProgressTick(p, StageFeatures, total) }

// ProgressTick starts stage of p over total units and returns the tick to
// call after each, from any goroutine (p is called from one at a time);
// nil when p is nil.
func ProgressTick(p Progress, stage string, total int) func() {
	if p == nil {
		return nil
	}
	var mu sync.Mutex
	done := 0
	p(stage, 0, total)
	return func() {
		mu.Lock()
		defer mu.Unlock()
		done++
		p(stage, done, total)
	}
}

// learnerOptions returns the TrainOptions of a learner and its settings
// for k labels and nFeatures features. With p, it starts p's StageTrees
// over runs trainings and sets the learner's Progress to count every tree
// grown by them, in one count.
func learnerOptions(learner string, fo ForestOptions, gbo GBDTOptions, p Progress, nFeatures, k, runs int) TrainOptions {
	to := TrainOptions{Learner: learner, Forest: fo, GBDT: gbo}
	if p == nil || learner == LearnerCNN { // a network counts epochs (cnnRunOptions)
		return to
	}
	perRun := fo.withDefaults(nFeatures).Trees
	if learner == LearnerGBDT || learner == LearnerGBDTSignet {
		perRun = gbo.withDefaults().Rounds * k
	}
	total, grown := perRun*runs, 0
	p(StageTrees, 0, total)
	tick := func(int, int) { grown++; p(StageTrees, grown, total) }
	to.Forest.Progress, to.GBDT.Progress = tick, tick
	return to
}

// heldout says which files of a dataset train a model and which measure
// it.
type heldout struct {
	train []int // indexes of the training files in the dataset
	test  []int // indexes of the held-out files, for a split
	// testFiles and testY are the held-out files and their labels: the
	// test set's files, or those of the dataset at test.
	testFiles []datasets.LabeledFile
	testY     []int
	skipped   []LabelCount
	desc      string // as TrainingSummary.Split
}

// holdOut chooses the held-out data: opt.Test's files of known labels, or
// a split of ds by record group.
func holdOut(ds *datasets.LabelFolders, y []int, groups []string, opt DatasetOptions) (*heldout, error) {
	h := &heldout{}
	if opt.Test != nil {
		h.testFiles, h.testY, h.skipped = KnownLabels(opt.Test, ds.Labels)
		if len(h.testFiles) == 0 {
			return h, fmt.Errorf("%s: no test files with the training labels %v", opt.Test.Dir, ds.Labels)
		}
		for i := range ds.Files {
			h.train = append(h.train, i)
		}
		h.desc = "test dir " + filepath.Base(opt.Test.Dir)
		return h, nil
	}
	split := opt.Split
	if split == 0 {
		split = 0.8
	}
	if !(split > 0 && split < 1) {
		return h, fmt.Errorf("classify: split %v: want a fraction between 0 and 1", split)
	}
	var err error
	h.train, h.test, err = datasets.SplitByGroup(y, groups, len(ds.Labels), split, opt.Seed)
	if err != nil {
		return h, err
	}
	for _, i := range h.test {
		h.testFiles = append(h.testFiles, ds.Files[i])
		h.testY = append(h.testY, y[i])
	}
	// The seed as ecg train's --seed (a signed integer) spells it.
	h.desc = fmt.Sprintf("grouped by record, %.2f training, seed %d", split, int64(opt.Seed))
	if len(h.test) == 0 {
		h.desc = "none (a single record group)"
	}
	return h, nil
}

// featurizeSplit returns the feature vectors of every file of the dataset
// and those of the held-out files (computed for a test set, taken from the
// dataset's for a split).
func featurizeSplit(ctx context.Context, spec FeatureSpec, files []datasets.LabeledFile, h *heldout, opt DatasetOptions) (X, testX [][]float64, err error) {
	tick := featureTick(opt.Progress, len(files)+len(h.testFiles))
	X, err = FeaturizeCached(ctx, spec, files, opt.Jobs, tick, opt.Cache)
	if err != nil {
		return nil, nil, err
	}
	if opt.Test != nil {
		testX, err = FeaturizeCached(ctx, spec, h.testFiles, opt.Jobs, tick, opt.Cache)
		if err != nil {
			return nil, nil, err
		}
		return X, testX, nil
	}
	for _, i := range h.test {
		testX = append(testX, X[i])
	}
	return X, testX, nil
}

// ScoreRows returns the per-label scores of every feature vector of X.
func (m *Model) ScoreRows(X [][]float64) [][]float64 {
	scores := make([][]float64, len(X))
	for i, x := range X {
		scores[i] = m.Scores(nil, x)
	}
	return scores
}

// EvalOptions are the settings of EvaluateDataset.
type EvalOptions struct {
	// Cache, when not nil, keeps feature vectors between runs.
	Cache *FeatureCache
	// Threshold leaves a file unassigned when its best score is below it
	// (0: every file gets a label); see Report.
	Threshold float64
	// Jobs is the number of files featurised at once (at least 1).
	Jobs int
	// Progress, when set, is told of featurising.
	Progress Progress
}

// Evaluation is a model's evaluation on a labelled dataset.
type Evaluation struct {
	// Report holds the metrics.
	Report *Report
	// Files are the files scored, Truth their label indexes into the
	// model's labels and Scores their per-label scores.
	Files  []datasets.LabeledFile
	Truth  []int
	Scores [][]float64
	// Skipped counts the files left out because the model does not know
	// their label, per label.
	Skipped []LabelCount
}

// ErrNoKnownLabels is wrapped by EvaluateDataset's error when no file of
// the dataset has a label of the model.
var ErrNoKnownLabels = errors.New("no files with the model's labels")

// evalChunk is the number of files EvaluateDataset featurises and scores
// at a time: their feature vectors are dropped once scored, so that its
// memory does not grow with the dataset (an image network's pixels are
// 16 KB an image at its default size, 800 MB for 50,000 beat images).
var evalChunk = 1024

// EvaluateDataset featurises the files of ds whose labels the model knows
// and measures the model on them (Evaluate). When it fails, the
// evaluation it returns still says which files were Skipped.
func EvaluateDataset(ctx context.Context, m *Model, ds *datasets.LabelFolders, opt EvalOptions) (*Evaluation, error) {
	e := &Evaluation{}
	e.Files, e.Truth, e.Skipped = KnownLabels(ds, m.Info.Labels)
	if len(e.Files) == 0 {
		return e, fmt.Errorf("%s: %w %v", ds.Dir, ErrNoKnownLabels, m.Info.Labels)
	}
	tick := featureTick(opt.Progress, len(e.Files))
	e.Scores = make([][]float64, 0, len(e.Files))
	for lo := 0; lo < len(e.Files); lo += evalChunk {
		files := e.Files[lo:min(lo+evalChunk, len(e.Files))]
		X, err := FeaturizeCached(ctx, m.Info.Features, files, opt.Jobs, tick, opt.Cache)
		if err != nil {
			return e, err
		}
		scores, err := m.scoreFiles(ctx, X, files, opt.Jobs)
		if err != nil {
			return e, err
		}
		e.Scores = append(e.Scores, scores...)
	}
	var err error
	e.Report, err = Evaluate(m.Info.Labels, e.Truth, e.Scores, opt.Threshold)
	if err != nil {
		return e, err
	}
	return e, nil
}

// CrossValidate returns out-of-fold scores: for each fold k in [0, k), a
// model trained on the rows of X and y whose fold is not k scores the rows
// whose fold is k. Group the folds by record (datasets.GroupKFold) so that
// no record is on both sides.
func CrossValidate(labels []string, spec FeatureSpec, X [][]float64, y []int, fold []int, k int, opt TrainOptions) ([][]float64, error) {
	return crossValidate(context.Background(), labels, spec, X, y, fold, k, opt)
}

// crossValidate is CrossValidate, stopping between folds when ctx is done.
func crossValidate(ctx context.Context, labels []string, spec FeatureSpec, X [][]float64, y []int, fold []int, k int, opt TrainOptions) ([][]float64, error) {
	scores := make([][]float64, len(X))
	for f := 0; f < k; f++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var trX [][]float64
		var trY []int
		fo := opt
		fo.Groups, fo.Signals = nil, nil
		for i := range X {
			if fold[i] != f {
				trX, trY = append(trX, X[i]), append(trY, y[i])
				if opt.Groups != nil {
					fo.Groups = append(fo.Groups, opt.Groups[i])
				}
				if opt.Signals != nil {
					fo.Signals = append(fo.Signals, opt.Signals[i])
				}
			}
		}
		m, err := Train(labels, spec, trX, trY, fo)
		if err != nil {
			return nil, err
		}
		for i := range X {
			if fold[i] == f {
				scores[i] = m.scoreRow(X[i], rowOf(opt.Signals, i))
			}
		}
	}
	return scores, nil
}

// WriteThresholdText prints, per label, precision and recall (one label
// against the rest) at the model's threshold (model, per label), at 0.3,
// 0.5, 0.7 and 0.9, and at extra when it is more than 0, with the average
// precision.
func (e *Evaluation) WriteThresholdText(w io.Writer, model []float64, extra float64) error {
	show := []float64{0.3, 0.5, 0.7, 0.9}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "\nprecision/recall by score threshold (one label against the rest)\n%-10s  %-18s", "label", "model threshold")
	for _, t := range show {
		fmt.Fprintf(bw, "  %-13s", fmt.Sprintf("at %.2f", t))
	}
	if extra > 0 {
		fmt.Fprintf(bw, "  %-13s", fmt.Sprintf("at %.2f", extra))
	}
	fmt.Fprintln(bw)
	for c, curve := range e.Report.Curves {
		pr := func(th float64) string {
			p, r := PrecisionRecallAt(c, e.Truth, e.Scores, th)
			return fmt.Sprintf("%.3f/%.3f", p, r)
		}
		fmt.Fprintf(bw, "%-10s  %-18s", curve.Label, fmt.Sprintf("%.2f: %s", model[c], pr(model[c])))
		for _, t := range show {
			fmt.Fprintf(bw, "  %-13s", pr(t))
		}
		if extra > 0 {
			fmt.Fprintf(bw, "  %-13s", pr(extra))
		}
		fmt.Fprintf(bw, "  AP %.3f\n", curve.AP)
	}
	return bw.Flush()
}
