package tune

import (
	"context"
	"fmt"
	"sync"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// data is a dataset as every trial shares it: labels, label indexes,
// record groups and folds, and the feature vectors of each feature set a
// trial asks for, computed once (through the feature cache when there is
// one).
type data struct {
	ds     *datasets.LabelFolders
	spec   classify.FeatureSpec
	y      []int
	groups []string
	fold   []int
	k      int
	jobs   int
	cache  *classify.FeatureCache
	tick   func()

	mu   sync.Mutex
	sets map[int]*featureSet
}

// featureSet is the feature vectors of one feature set, made once.
type featureSet struct {
	once sync.Once
	spec classify.FeatureSpec
	X    [][]float64
	err  error
}

// newData settles the folds of ds (record-grouped, seeded) and the spec of
// its default features.
func newData(ds *datasets.LabelFolders, spec *classify.FeatureSpec, opt *Options) (*data, error) {
	if len(ds.Labels) < 2 {
		return nil, fmt.Errorf("%s: need at least 2 labels (found %d: %v)", ds.Dir, len(ds.Labels), ds.Labels)
	}
	d := &data{ds: ds, y: ds.LabelIndex(), k: opt.Folds, jobs: max(opt.Jobs, 1), cache: opt.Cache, sets: map[int]*featureSet{}}
	if spec != nil {
		d.spec = *spec
	} else {
		var err error
		if d.spec, err = classify.SpecFor(ds); err != nil {
			return nil, err
		}
	}
	d.groups = make([]string, len(ds.Files))
	for i, f := range ds.Files {
		d.groups[i] = f.Group
	}
	var err error
	if d.fold, err = datasets.GroupKFold(d.y, d.groups, len(ds.Labels), opt.Folds, opt.Seed); err != nil {
		return nil, fmt.Errorf("%s: %w", ds.Dir, err)
	}
	return d, nil
}

// specOf returns the feature spec of feature set n (0: the default).
func (d *data) specOf(n int) (classify.FeatureSpec, error) {
	if n == 0 {
		return d.spec, nil
	}
	if d.spec.Input != classify.InputSignal || d.spec.Signal == nil {
		return classify.FeatureSpec{}, fmt.Errorf("feature-set: only records (signal features) have feature sets, not %s input", d.spec.Input)
	}
	sig := *d.spec.Signal
	sig.FeatureSet = n
	return classify.SignalSpec(sig), nil
}

// features returns the spec and feature vectors of feature set n,
// featurising the files the first time a trial asks for them.
func (d *data) features(ctx context.Context, n int) (classify.FeatureSpec, [][]float64, error) {
	d.mu.Lock()
	fs := d.sets[n]
	if fs == nil {
		fs = &featureSet{}
		d.sets[n] = fs
	}
	d.mu.Unlock()
	fs.once.Do(func() {
		if fs.spec, fs.err = d.specOf(n); fs.err != nil {
			return
		}
		fs.X, fs.err = classify.FeaturizeCached(ctx, fs.spec, d.ds.Files, d.jobs, d.tick, d.cache)
	})
	if fs.err != nil && ctx.Err() != nil {
		// Cancelled: forget it, so that a later call (a resumed search
		// in the same process, in tests) featurises again.
		d.mu.Lock()
		delete(d.sets, n)
		d.mu.Unlock()
	}
	return fs.spec, fs.X, fs.err
}

// fit trains a model on every fold but f of X and returns its scores of
// fold f's rows with their true labels.
func (d *data) fit(spec classify.FeatureSpec, X [][]float64, f int, to classify.TrainOptions) (truth []int, scores [][]float64, err error) {
	var trX, teX [][]float64
	var trY []int
	for i := range X {
		if d.fold[i] == f {
			teX, truth = append(teX, X[i]), append(truth, d.y[i])
		} else {
			trX, trY = append(trX, X[i]), append(trY, d.y[i])
		}
	}
	m, err := classify.Train(d.ds.Labels, spec, trX, trY, to)
	if err != nil {
		return nil, nil, err
	}
	return truth, m.ScoreRows(teX), nil
}
