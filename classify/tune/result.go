package tune

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/internal/atomicfile"
)

// String describes the settings (every option a trial may change).
func (st Settings) String() string {
	f, g := st.Forest, st.GBDT
	return fmt.Sprintf("learner=%s feature-set=%d forest(trees=%d max-depth=%d min-leaf=%d max-features=%d bins=%d class-weight=%s) "+
		"gbdt(rounds=%d learning-rate=%g max-depth=%d subsample=%g colsample=%g lambda=%g min-hessian=%g bins=%d class-weight=%s)",
		st.Learner, st.FeatureSet, f.Trees, f.MaxDepth, f.MinLeaf, f.MaxFeatures, f.Bins, f.ClassWeight,
		g.Rounds, g.LearningRate, g.MaxDepth, g.Subsample, g.ColSample, g.Lambda, g.MinHessian, g.Bins, g.ClassWeight)
}

// Best returns the best trial of trials that measured every fold (the
// lowest ID among equals); nil when there is none.
func Best(trials []Trial, o *Objective) *Trial {
	var best *Trial
	for i := range trials {
		t := &trials[i]
		if t.Status == StatusOK && (best == nil || o.better(t.Objective, best.Objective)) {
			best = t
		}
	}
	return best
}

// finish writes the plots, finds the best trial and, with Final, trains
// and writes the best model and its cross-validation.
func (s *search) finish(ctx context.Context) (*Result, error) {
	res := &Result{Config: s.cfg, Space: s.opt.Space, Trials: s.finished(), Resumed: s.resumed}
	if err := WritePlots(filepath.Join(s.opt.Dir, PlotsDir), s.opt.Space, &s.opt.Objective, res.Trials); err != nil {
		return nil, err
	}
	res.Best = Best(res.Trials, &s.opt.Objective)
	if res.Best == nil {
		return res, fmt.Errorf("%s: %w", s.opt.Dir, errNoTrial)
	}
	pt, err := res.Best.Point(s.opt.Space)
	if err != nil {
		return nil, err
	}
	if res.BestSettings, err = s.opt.Space.Apply(s.opt.Base, pt); err != nil {
		return nil, err
	}
	if !s.opt.Final {
		return res, nil
	}
	st := res.BestSettings
	st.Forest.Seed, st.GBDT.Seed = s.opt.Seed, s.opt.Seed
	st.Forest.Jobs, st.GBDT.Jobs = s.opt.Jobs, s.opt.Jobs
	spec, X, err := s.d.features(ctx, st.FeatureSet)
	if err != nil {
		return nil, err
	}
	cv, err := classify.CrossValidateVectors(ctx, s.d.ds.Labels, spec, X, s.d.y, s.d.groups, classify.CVOptions{
		Folds: s.opt.Folds, Seed: s.opt.Seed, Learner: st.Learner, Forest: st.Forest, GBDT: st.GBDT,
		ScoreLabels: s.opt.ScoreLabels, Final: true})
	if err != nil {
		return nil, err
	}
	cv.Source = s.cfg.Data
	cv.Model.Info.Training.Source = cv.Source
	res.CV, res.Model = cv, cv.Model
	if err := atomicfile.WriteFile(filepath.Join(s.opt.Dir, ModelFile), cv.Model.Save); err != nil {
		return nil, err
	}
	err = atomicfile.WriteFile(filepath.Join(s.opt.Dir, ReportFile), func(w io.Writer) error { return cv.WriteReport(w, "text") })
	return res, err
}
