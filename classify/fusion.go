package classify

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/pool"
)

// LearnerGBDTSignet names the late fusion of gradient-boosted trees on the
// signal features with the 1-D network on the signal itself (signet),
// both trained on the same records: a record's class probabilities are
// FusionWeight times the network's plus 1-FusionWeight times the trees'
// (docs/rhythm.md, "The fused learner").
const LearnerGBDTSignet = "gbdt+signet"

// DefaultFusionWeight is the network's share of the fused probabilities:
// the weight record-grouped nested 5-fold CV chose on CinC 2017 (0.40 in
// every fold with the default network; docs/rhythm.md).
const DefaultFusionWeight = 0.4

// FusionOptions are the settings of LearnerGBDTSignet beyond those of its
// gradient-boosted trees (TrainOptions.GBDT).
type FusionOptions struct {
	// Weight is the network's share of the fused probabilities, in
	// (0, 1] (0 selects DefaultFusionWeight).
	Weight float64
	// Signet holds the settings of the network.
	Signet SignetOptions
	// Stack fuses the two by a Stacker instead of Weight: a logistic
	// regression on their log-probabilities fitted on record-grouped
	// out-of-fold probabilities of the training rows (fusion_stack.go),
	// which trains each of the two stackRuns times.
	Stack bool
	// StackSets, with Stack, are the signal feature sets of the stack's
	// gradient-boosted trees, one model per set, the first the model's
	// gbdt (nil: one on the model's features). Each set is 4 or more and
	// at most the model's feature set, whose vector starts with its
	// values bit for bit, so the features are computed once.
	StackSets []int
	// Networks, with Stack, is the number of networks (0 or 1: one), of
	// seeds Signet.Seed, Signet.Seed+1, ...; their mean log-probabilities
	// are one member of the stack, or each its own with NetworksApart.
	Networks      int
	NetworksApart bool
	// Context, when set, stops the network's training between steps.
	Context context.Context
}

func (o FusionOptions) withDefaults() FusionOptions {
	if o.Weight == 0 {
		o.Weight = DefaultFusionWeight
	}
	o.Signet = o.Signet.withDefaults()
	return o
}

// Validate checks settings given explicitly: a weight in [0, 1] (0 is the
// default) and the network's settings. It returns an *OptionError.
func (o FusionOptions) Validate() error {
	if !(o.Weight >= 0 && o.Weight <= 1) {
		return &OptionError{"fusion-weight", o.Weight, "0 to 1"}
	}
	if o.Networks < 0 || o.Networks > maxStackNetworks {
		return &OptionError{"networks", o.Networks, fmt.Sprintf("1 to %d", maxStackNetworks)}
	}
	return o.Signet.withDefaults().Validate()
}

// errFusionNeedsSignal is the error of scoring a gbdt+signet model on
// features alone: its network reads the signal.
var errFusionNeedsSignal = errors.New("classify: a gbdt+signet model scores signals (its network reads the samples), not feature vectors alone")

// trainFusionModel trains the gbdt of a gbdt+signet model on X and its
// network on opt.Signals (one per row); it also returns the fused
// probabilities of the training rows (in-sample, as gbdt's), which set
// the thresholds.
func trainFusionModel(spec FeatureSpec, X [][]float64, y []int, k int, opt TrainOptions) (*Model, [][]float64, error) {
	switch {
	case spec.Input != InputSignal:
		return nil, nil, fmt.Errorf("classify: the %s learner reads records (signal features), not %s input", LearnerGBDTSignet, spec.Input)
	case len(opt.Signals) != len(X):
		return nil, nil, fmt.Errorf("classify: %s: %d network inputs for %d rows", LearnerGBDTSignet, len(opt.Signals), len(X))
	case opt.Groups != nil && len(opt.Groups) != len(X):
		return nil, nil, fmt.Errorf("classify: %d record groups for %d rows", len(opt.Groups), len(X))
	}
	fo := opt.Fusion.withDefaults()
	if err := fo.Validate(); err != nil {
		return nil, nil, err
	}
	ctx := fo.Context
	if ctx == nil {
		ctx = context.Background()
	}
	plan, err := newStackPlan(spec, fo)
	if err != nil {
		return nil, nil, fmt.Errorf("classify: %s: %w", LearnerGBDTSignet, err)
	}
	m, gb, err := trainGBDTModel(plan.treeRows(X, 0), y, k, opt.GBDT.withDefaults())
	if err != nil {
		return nil, nil, err
	}
	s, info, err := trainSignetMember(ctx, opt.Signals, y, opt.Groups, k, fo.Signet)
	if err != nil {
		return nil, nil, err
	}
	m.signet = s
	l := &m.Info.Learner
	l.Kind, l.Signet, l.FusionWeight = LearnerGBDTSignet, info, fo.Weight
	if err := m.trainStack(ctx, X, y, k, opt, fo, plan); err != nil {
		return nil, nil, err
	}
	net, err := mapRows(ctx, len(X), fo.Signet.Jobs, func(i int) ([]float64, error) {
		if m.members != nil {
			return m.members.netProbs(opt.Signals[i]), nil
		}
		return s.Probs(nil, opt.Signals[i]), nil
	})
	if err != nil {
		return nil, nil, err
	}
	for i := range gb {
		if m.members != nil {
			gb[i] = l.Stack.Probs(gb[i], m.members.probs(X[i], net[i])...)
			continue
		}
		m.fuse(gb[i], net[i])
	}
	return m, gb, nil
}

// trainStack fits the Stacker of a gbdt+signet model m (with its gbdt
// and network) when fo.Stack, after training the further members of plan
// on every row, and records them in m's header.
func (m *Model) trainStack(ctx context.Context, X [][]float64, y []int, k int, opt TrainOptions, fo FusionOptions, plan stackPlan) error {
	if !fo.Stack {
		return nil
	}
	l := &m.Info.Learner
	if plan.more() {
		ms, err := trainStackMembers(ctx, X, y, opt.Signals, opt.Groups, k, opt.GBDT.withDefaults(), fo, plan, 1)
		if err != nil {
			return err
		}
		ms.trees = append([]*GBDT{m.gbdt}, ms.trees...)
		ms.nets = append([]*Signet{m.signet}, ms.nets...)
		m.members = ms
		l.StackSets, l.NetworksApart = plan.sets, plan.apart
		if plan.nets > 1 {
			l.Networks = plan.nets
		}
	}
	var err error
	l.Stack, err = fitFusionStacker(ctx, X, y, k, opt, fo, plan)
	return err
}

// fuseProbs writes w times net plus 1-w times gb into dst (which may be
// gb) and returns it.
func fuseProbs(dst, net, gb []float64, w float64) []float64 {
	for c := range dst {
		dst[c] = w*net[c] + (1-w)*gb[c]
	}
	return dst
}

// Signet returns the network of a gbdt+signet model (nil for another
// learner).
func (m *Model) Signet() *Signet { return m.signet }

// fusedScores returns the fused probabilities of a gbdt+signet model for
// a record's feature vector x and network input in.
func (m *Model) fusedScores(x, in []float64) []float64 {
	if ms := m.members; ms != nil {
		return m.Info.Learner.Stack.Probs(nil, ms.probs(x, ms.netProbs(in))...)
	}
	return m.fuse(m.gbdt.PredictProba(nil, x), m.signet.Probs(nil, in))
}

// fuse writes the fused probabilities of a gbdt+signet model whose trees
// give gb and network net into gb and returns it: by its Stacker when it
// has one, else weighted by FusionWeight.
func (m *Model) fuse(gb, net []float64) []float64 {
	if st := m.Info.Learner.Stack; st != nil {
		return st.Probs(gb, gb, net)
	}
	return fuseProbs(gb, net, gb, m.Info.Learner.FusionWeight)
}

// predictFusedSignal is PredictSignal for a gbdt+signet model.
func (m *Model) predictFusedSignal(x []float64, fs float64) (Prediction, error) {
	v, err := m.Info.Features.SignalVector(x, fs)
	if err != nil {
		return Prediction{}, err
	}
	if n := len(m.Info.FeatureNames); len(v) != n {
		return Prediction{}, fmt.Errorf("classify: %d features, the model needs %d", len(v), n)
	}
	in, err := SignetInput(x, fs, m.signet.Rate)
	if err != nil {
		return Prediction{}, err
	}
	return m.prediction(m.fusedScores(v, in)), nil
}

// predictFusedFile is PredictFile for a gbdt+signet model: the record at
// path, read once for the features and the network.
func (m *Model) predictFusedFile(path string) (Prediction, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return Prediction{}, m.Info.Features.folderError(path)
	}
	f := InputFile(path, nil)
	if f.Kind != datasets.KindRecord {
		return Prediction{}, m.Info.Features.mismatch(f.Path, kindNames[f.Kind].one)
	}
	x, fs, err := ReadSignal(f.Path)
	if err != nil {
		return Prediction{}, err
	}
	p, err := m.predictFusedSignal(x, fs)
	if err != nil {
		return Prediction{}, fmt.Errorf("%s: %w", f.Path, err)
	}
	return p, nil
}

// scoreFiles returns the per-label scores of the rows X of files: for a
// gbdt+signet model fused with its network's on the files' signals (read
// with jobs goroutines), else ScoreRows(X).
func (m *Model) scoreFiles(ctx context.Context, X [][]float64, files []datasets.LabeledFile, jobs int) ([][]float64, error) {
	if m.signet == nil {
		return m.ScoreRows(X), nil
	}
	return mapRows(ctx, len(files), jobs, func(i int) ([]float64, error) {
		in, err := fileSignetInput(files[i], m.signet.Rate)
		if err != nil {
			return nil, err
		}
		return m.fusedScores(X[i], in), nil
	})
}

// scoreRow returns the scores of row x whose network input is in (used
// by a gbdt+signet model only; nil for the others).
func (m *Model) scoreRow(x, in []float64) []float64 {
	if m.signet != nil {
		return m.fusedScores(x, in)
	}
	return m.Scores(nil, x)
}

// fileSignetInput reads the signal of record file f and returns its
// network input at rate Hz.
func fileSignetInput(f datasets.LabeledFile, rate float64) ([]float64, error) {
	if f.Kind != datasets.KindRecord {
		return nil, fmt.Errorf("%s: the %s learner reads WFDB records, not %s", f.Path, LearnerGBDTSignet, kindNames[f.Kind].many)
	}
	x, fs, err := ReadSignal(f.Path)
	if err != nil {
		return nil, err
	}
	in, err := SignetInput(x, fs, rate)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return in, nil
}

// fusionInputs returns the network inputs of files (read with jobs
// goroutines) when learner is LearnerGBDTSignet, nil for another learner.
func fusionInputs(ctx context.Context, learner string, o FusionOptions, files []datasets.LabeledFile, jobs int) ([][]float64, error) {
	if learner != LearnerGBDTSignet {
		return nil, nil
	}
	rate := o.Signet.withDefaults().Rate
	return mapRows(ctx, len(files), jobs, func(i int) ([]float64, error) { return fileSignetInput(files[i], rate) })
}

// mapRows returns fn(i) for every i in [0, n), in order, computed by
// jobs goroutines (pool.Map), or the first error in that order.
func mapRows(ctx context.Context, n, jobs int, fn func(i int) ([]float64, error)) ([][]float64, error) {
	type row struct {
		v   []float64
		err error
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	res, err := pool.Map(ctx, idx, jobs, func(i int) row {
		v, err := fn(i)
		return row{v, err}
	}, nil)
	if err != nil {
		return nil, err
	}
	out := make([][]float64, n)
	for i, r := range res {
		if r.err != nil {
			return nil, r.err
		}
		out[i] = r.v
	}
	return out, nil
}

// fusionRunOptions returns o for runs trainings of learner with ctx, and
// with p, StageEpochs started over every epoch of them (a network that
// stops early counts its remaining epochs when it stops).
func fusionRunOptions(ctx context.Context, o FusionOptions, learner string, p Progress, runs int) FusionOptions {
	o.Context = ctx
	if p == nil || learner != LearnerGBDTSignet {
		return o
	}
	if o.Stack {
		runs *= stackRuns * max(o.Networks, 1)
	}
	total, done := o.Signet.withDefaults().Epochs*runs, 0
	p(StageEpochs, 0, total)
	o.Signet.Progress = func(nn.EpochResult) { done++; p(StageEpochs, done, total) }
	return o
}

// rowOf returns rows[i], nil when rows is nil.
func rowOf(rows [][]float64, i int) []float64 {
	if rows == nil {
		return nil
	}
	return rows[i]
}
