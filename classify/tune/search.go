package tune

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// Options are the settings of Run.
type Options struct {
	// Dir is the search's folder: search.json, trials.jsonl, trials.csv,
	// best.model, best.txt and plots/ go there. A folder that holds the
	// same search is resumed.
	Dir string
	// Space is what is searched; Base holds the settings of everything
	// else (ecg train's flags).
	Space Space
	Base  Settings
	// Strategy is StrategyBayesian (also when empty), StrategyRandom or
	// StrategyGrid; GridPoints is the number of values per numeric
	// parameter of a grid (default 3).
	Strategy   string
	GridPoints int
	// Trials is the number of trials (default 20; a grid stops at its
	// size).
	Trials int
	// Objective is measured on every fold; ScoreLabels are the labels of
	// challenge-f1.
	Objective   Objective
	ScoreLabels []string
	// Folds is the number of folds, grouped by record (default 5); Seed
	// seeds the folds, the strategy and the learners.
	Folds int
	Seed  uint64
	// Jobs is the number of trials run at once and of files featurised
	// at once (at least 1). A new search proposes trial i from the
	// trials up to i-Jobs, so that Jobs trials run at once; the stored
	// lag is kept when the search is resumed.
	Jobs int
	// EarlyStop stops a trial after a fold (not the last) when the mean
	// of its folds so far is worse than the median of the same folds'
	// means of the finished trials it can see (at least 4): the median
	// stopping rule.
	EarlyStop bool
	// Shard and Shards: this run does the trials i with i % Shards ==
	// Shard, proposed from its own trials only (Merge combines shards).
	Shard, Shards int
	// Cache, when not nil, keeps feature vectors between runs; Spec is
	// the default feature spec (nil: classify.SpecFor).
	Cache *classify.FeatureCache
	Spec  *classify.FeatureSpec
	// Final trains Dir/best.model on every file with the best trial's
	// settings (and writes its cross-validation to best.txt).
	Final bool
	// Progress, when set, is told of featurising (classify.StageFeatures)
	// and of trials finished ("trials").
	Progress classify.Progress
}

// StageTrials is the stage of a Progress that counts finished trials.
const StageTrials = "trials"

// Result is a search's outcome.
type Result struct {
	Config *Config
	Space  Space
	// Trials are every trial of this run's share, finished now or before
	// (Resumed of them), by ID.
	Trials  []Trial
	Resumed int
	// Best is the best finished trial (nil when none finished) and
	// BestSettings its settings.
	Best         *Trial
	BestSettings Settings
	// CV is the cross-validation of the best settings and Model the model
	// trained on every file with them (Options.Final).
	CV    *classify.CVResult
	Model *classify.Model
}

// Run runs (or resumes) a search on ds. When ctx is cancelled it stops
// after the folds being fitted, keeps the trials finished, and returns
// the context's error; a rerun with the same options resumes.
func Run(ctx context.Context, ds *datasets.LabelFolders, opt Options) (*Result, error) {
	opt.defaults()
	if err := opt.Space.CheckLearner(opt.Base.Learner); err != nil {
		return nil, err
	}
	if err := opt.Objective.Bind(ds.Labels, opt.ScoreLabels); err != nil {
		return nil, err
	}
	prop, err := newProposer(opt.Strategy, opt.Space, opt.Seed, opt.GridPoints)
	if err != nil {
		return nil, err
	}
	if g, ok := prop.(*grid); ok {
		opt.Trials = min(opt.Trials, len(g.points))
	}
	d, err := newData(ds, opt.Spec, &opt)
	if err != nil {
		return nil, err
	}
	cfg := opt.config(ds)
	done, err := openDir(opt.Dir, cfg)
	if err != nil {
		return nil, err
	}
	s := &search{opt: opt, cfg: cfg, d: d, prop: prop, results: make([]*Trial, opt.Trials)}
	for i := range done {
		if t := &done[i]; t.ID < opt.Trials && t.ID%opt.Shards == opt.Shard {
			s.results[t.ID] = t
		}
	}
	d.tick = classify.ProgressTick(opt.Progress, classify.StageFeatures, len(ds.Files))
	if _, _, err := d.features(ctx, 0); err != nil {
		return nil, err
	}
	if err := s.run(ctx); err != nil {
		return nil, err
	}
	return s.finish(ctx)
}

// defaults fills in the options left zero.
func (o *Options) defaults() {
	if o.Trials <= 0 {
		o.Trials = 20
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.GridPoints == 0 {
		o.GridPoints = 3
	}
	if o.Shards <= 0 {
		o.Shard, o.Shards = 0, 1
	}
	if o.Strategy == "" {
		o.Strategy = StrategyBayesian
	}
	o.Jobs = max(o.Jobs, 1)
	if p := o.Progress; p != nil {
		var mu sync.Mutex // features and trials may report at once
		o.Progress = func(stage string, done, total int) {
			mu.Lock()
			defer mu.Unlock()
			p(stage, done, total)
		}
	}
}

// config is the search's Config.
func (o *Options) config(ds *datasets.LabelFolders) *Config {
	c := &Config{Data: filepath.Base(filepath.Clean(ds.Dir)), Files: len(ds.Files), Labels: ds.Labels,
		Strategy: o.Strategy, Objective: o.Objective.Name, Minimize: o.Objective.Minimize, ScoreLabels: o.ScoreLabels,
		Folds: o.Folds, Seed: o.Seed, Lag: o.Jobs, EarlyStop: o.EarlyStop, Shard: o.Shard, Shards: o.Shards, Base: o.Base.String()}
	if o.Strategy == StrategyGrid {
		c.GridPoints = o.GridPoints
	}
	if sp := o.Spec; sp != nil && sp.Signal != nil {
		if sp.Signal.Crops > 0 {
			c.Crops = fmt.Sprintf("%dx%g", sp.Signal.Crops, sp.Signal.CropShare)
		}
		c.MainsNotch = sp.Signal.MainsNotch
		if sp.Signal.FeatureSet != classify.DefaultSignalFeatureSet {
			c.SignalSet = sp.Signal.FeatureSet
		}
	}
	for _, p := range o.Space {
		c.Space = append(c.Space, p.String())
	}
	return c
}

// openDir makes dir, or checks that it holds the search of cfg (then
// cfg takes its lag) and returns its finished trials.
func openDir(dir string, cfg *Config) ([]Trial, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	old, err := readConfig(dir)
	if err != nil {
		return nil, err
	}
	if old != nil {
		cfg.Lag = old.Lag // a rerun with other --jobs is the same search
		if d := old.diff(cfg); d != "" {
			return nil, fmt.Errorf("%s holds another search (%s): choose a new folder", filepath.Join(dir, ConfigFile), d)
		}
		return readTrialsFile(dir)
	}
	return nil, writeConfig(dir, cfg)
}

// search is a running search.
type search struct {
	opt  Options
	cfg  *Config
	d    *data
	prop proposer

	mu      sync.Mutex
	results []*Trial // by ID; nil until finished
	resumed int
	err     error // the first error writing the trial files
}

// owned reports whether trial i is this shard's.
func (s *search) owned(i int) bool { return i%s.opt.Shards == s.opt.Shard }

// run runs the trials not yet finished, Jobs at once, each proposed from
// the trials up to Lag before it once they have finished.
func (s *search) run(ctx context.Context) error {
	n := len(s.results)
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
		if s.results[i] != nil {
			s.resumed++
			close(done[i])
		}
	}
	var tick func()
	if s.opt.Progress != nil {
		tick = classify.ProgressTick(s.opt.Progress, StageTrials, s.ownedCount())
		for i := 0; i < s.resumed; i++ {
			tick()
		}
	}
	sem := make(chan struct{}, s.opt.Jobs)
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := 0; i < n; i++ {
		if !s.owned(i) || s.results[i] != nil {
			continue
		}
		seen, err := s.wait(ctx, i, done)
		if err != nil {
			return err
		}
		pt := s.prop.propose(i, s.observations(seen), trialRand(s.opt.Seed, i))
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t := s.trial(ctx, i, pt, seen)
			if t == nil {
				return // interrupted: the rerun does it again
			}
			s.record(t)
			close(done[i])
			if tick != nil {
				tick()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.err
}

// ownedCount is the number of this shard's trials.
func (s *search) ownedCount() int {
	c := 0
	for i := range s.results {
		if s.owned(i) {
			c++
		}
	}
	return c
}

// wait waits for this shard's trials up to i-Lag to finish and returns
// them.
func (s *search) wait(ctx context.Context, i int, done []chan struct{}) ([]*Trial, error) {
	var seen []*Trial
	for j := 0; j <= i-s.cfg.Lag; j++ {
		if !s.owned(j) {
			continue
		}
		select {
		case <-done[j]:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		s.mu.Lock()
		seen = append(seen, s.results[j])
		s.mu.Unlock()
	}
	return seen, nil
}

// observations turns trials that did not fail into what a strategy sees.
func (s *search) observations(trials []*Trial) []Observation {
	var obs []Observation
	for _, t := range trials {
		if t.Status == StatusFailed {
			continue
		}
		pt, err := t.Point(s.opt.Space)
		if err != nil {
			continue
		}
		obs = append(obs, Observation{Point: pt, Loss: s.opt.Objective.loss(t.Objective)})
	}
	return obs
}

// record stores a finished trial and writes the trial files.
func (s *search) record(t *Trial) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results[t.ID] = t
	err := appendTrial(s.opt.Dir, *t)
	if err == nil {
		err = writeTrialsCSV(s.opt.Dir, s.opt.Space, s.opt.Folds, s.finished())
	}
	if err != nil && s.err == nil {
		s.err = err
	}
}

// finished returns the finished trials by ID (s.mu held).
func (s *search) finished() []Trial {
	var out []Trial
	for _, t := range s.results {
		if t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// trial runs trial i at pt; nil when ctx was cancelled before it
// finished. seen are the trials its early stop compares with.
func (s *search) trial(ctx context.Context, i int, pt Point, seen []*Trial) *Trial {
	start := time.Now()
	t := &Trial{ID: i, Status: StatusOK, Params: map[string]string{}}
	for j, p := range s.opt.Space {
		t.Params[p.Name] = p.Format(pt[j])
	}
	err := s.folds(ctx, t, pt, seen)
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		t.Status, t.Error, t.Folds = StatusFailed, err.Error(), nil
	}
	m := meanSD(t.Folds)
	t.Objective, t.SD = m[0], m[1]
	t.Seconds = math.Round(time.Since(start).Seconds()*100) / 100
	return t
}

// folds measures the objective of t's settings fold by fold into t.Folds,
// stopping early when it falls behind.
func (s *search) folds(ctx context.Context, t *Trial, pt Point, seen []*Trial) error {
	st, err := s.opt.Space.Apply(s.opt.Base, pt)
	if err != nil {
		return err
	}
	jobs := max(1, s.opt.Jobs/min(s.opt.Jobs, s.cfg.Lag))
	st.Forest.Jobs, st.GBDT.Jobs = jobs, jobs
	st.Forest.Seed, st.GBDT.Seed = s.opt.Seed, s.opt.Seed
	spec, X, err := s.d.features(ctx, st.FeatureSet)
	if err != nil {
		return err
	}
	to := classify.TrainOptions{Learner: st.Learner, Forest: st.Forest, GBDT: st.GBDT}
	for f := 0; f < s.opt.Folds; f++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		truth, scores, err := s.d.fit(spec, X, f, to)
		if err != nil {
			return err
		}
		v, err := s.opt.Objective.Measure(s.d.ds.Labels, truth, scores)
		if err != nil {
			return err
		}
		t.Folds = append(t.Folds, v)
		if s.opt.EarlyStop && f < s.opt.Folds-1 && s.behind(t.Folds, seen) {
			t.Status = StatusStopped
			return nil
		}
	}
	return nil
}

// behind reports whether the mean of folds is worse than the median of
// the means over the same folds of the finished trials of seen (at least
// minStopTrials of them).
func (s *search) behind(folds []float64, seen []*Trial) bool {
	var means []float64
	for _, t := range seen {
		if t.Status == StatusOK && len(t.Folds) >= len(folds) {
			means = append(means, meanSD(t.Folds[:len(folds)])[0])
		}
	}
	if len(means) < minStopTrials {
		return false
	}
	slices.Sort(means)
	med := means[len(means)/2]
	if len(means)%2 == 0 {
		med = (means[len(means)/2-1] + med) / 2
	}
	return s.opt.Objective.better(med, meanSD(folds)[0])
}

// minStopTrials is the least number of finished trials the median
// stopping rule compares with.
const minStopTrials = 4

// meanSD returns the mean and sample standard deviation of x.
func meanSD(x []float64) [2]float64 {
	var m, ss float64
	for _, v := range x {
		m += v
	}
	if len(x) == 0 {
		return [2]float64{}
	}
	m /= float64(len(x))
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	if len(x) < 2 {
		return [2]float64{m, 0}
	}
	return [2]float64{m, math.Sqrt(ss / float64(len(x)-1))}
}

// errNoTrial is returned when no trial finished.
var errNoTrial = errors.New("no trial finished")
