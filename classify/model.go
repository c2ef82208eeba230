package classify

import (
	"errors"
	"fmt"
	"image"
	"math"
	"sort"
)

// Learner names the learning algorithm of a model file.
const LearnerForest = "random-forest"

// Model is a trained classifier with everything needed to featurise new
// inputs the way its training data was featurised. Read one with
// LoadModel, write it with Save.
type Model struct {
	// Info is the self-description stored in the model file.
	Info   ModelInfo
	forest *Forest
	gbdt   *GBDT
	cnn    *CNN
	// signet is the network of a gbdt+signet model (with gbdt; fusion.go).
	signet *Signet
	// members are every member of a gbdt+signet model stacked over more
	// than one tree model or network (its gbdt and signet first;
	// fusion_members.go), nil for two members.
	members *stackMembers
}

// ModelInfo is the self-describing header of a model file (stored as
// JSON): labels, feature and spectrogram settings, learner settings, a
// summary of the training data and the metrics on held-out data.
type ModelInfo struct {
	// Labels are the class names, in score order.
	Labels []string `json:"labels"`
	// Thresholds are per-label confidence thresholds the model assumes: a
	// prediction of label L is Confident when its score is >= Thresholds[L]
	// (chosen on out-of-bag training scores as the threshold in
	// CurveThresholds that maximises one-vs-rest F1).
	// For gradient-boosted trees, which have no out-of-bag rows, they are
	// chosen on the training rows' scores.
	Thresholds []float64 `json:"thresholds"`
	// Features say how inputs become feature vectors.
	Features FeatureSpec `json:"features"`
	// FeatureNames name each feature, in vector order.
	FeatureNames []string `json:"feature_names"`
	// Learner holds the learner's settings.
	Learner LearnerInfo `json:"learner"`
	// Training summarises the training data.
	Training TrainingSummary `json:"training"`
	// Heldout is the evaluation on data held out from training (a grouped
	// split or --test), when there was any.
	Heldout *Report `json:"heldout,omitempty"`
}

// LearnerInfo records the learner and its settings.
type LearnerInfo struct {
	Kind        string `json:"kind"`
	Trees       int    `json:"trees"`
	MaxDepth    int    `json:"max_depth"`
	MinLeaf     int    `json:"min_leaf"`
	MaxFeatures int    `json:"max_features"`
	Bins        int    `json:"bins"`
	ClassWeight string `json:"class_weight"`
	Seed        uint64 `json:"seed"`
	// The settings of gradient-boosted trees (GBDTOptions); Trees counts
	// the trees of every round and class.
	Rounds       int     `json:"rounds,omitempty"`
	LearningRate float64 `json:"learning_rate,omitempty"`
	MinHessian   float64 `json:"min_hessian,omitempty"`
	Lambda       float64 `json:"lambda,omitempty"`
	Subsample    float64 `json:"subsample,omitempty"`
	ColSample    float64 `json:"colsample,omitempty"`
	// CNN describes the network of the cnn learner.
	CNN *CNNInfo `json:"cnn,omitempty"`
	// Signet describes the network of the gbdt+signet learner and
	// FusionWeight its share of the fused probabilities (fusion.go).
	Signet       *SignetInfo `json:"signet,omitempty"`
	FusionWeight float64     `json:"fusion_weight,omitempty"`
	// Stack, when set, fuses a gbdt+signet model's trees and network
	// instead of FusionWeight (FusionOptions.Stack; file version 6).
	Stack *Stacker `json:"stack,omitempty"`
	// StackSets, when set, are the signal feature sets of a stacked
	// gbdt+signet model's tree models, one each, the first its gbdt's
	// (FusionOptions.StackSets; file version 8).
	StackSets []int `json:"stack_feature_sets,omitempty"`
	// Networks, when more than one, is the number of a stacked model's
	// networks (seeds Seed to Seed+Networks-1; Signet describes the
	// first), and NetworksApart makes each its own member of the Stacker
	// instead of one member of their mean log-probabilities (file
	// version 8).
	Networks      int  `json:"networks,omitempty"`
	NetworksApart bool `json:"networks_apart,omitempty"`
}

// TrainingSummary describes the training data.
type TrainingSummary struct {
	// Source is where the data came from (a directory name), as the
	// caller set it.
	Source string `json:"source,omitempty"`
	// Split says how held-out data was chosen ("grouped 0.80 seed 1",
	// "test dir", "none").
	Split   string `json:"split,omitempty"`
	Samples int    `json:"samples"`
	// Groups is the number of distinct record groups in training.
	Groups int `json:"groups,omitempty"`
	// PerLabel counts training samples per label, in label order.
	PerLabel []int `json:"per_label"`
	// ClassWeights are the sample weights per label used in training.
	ClassWeights []float64 `json:"class_weights"`
	// OOBAccuracy is the out-of-bag accuracy on the training data (0 for
	// gradient-boosted trees, which have no out-of-bag rows).
	OOBAccuracy float64 `json:"oob_accuracy"`
}

// Prediction is a model's answer for one input.
type Prediction struct {
	// Label has the highest score; Confidence is that score (0-1).
	Label      string  `json:"label"`
	Confidence float64 `json:"confidence"`
	// Confident reports Confidence >= the model's threshold for Label.
	Confident bool `json:"confident"`
	// Scores has every label's score, in the model's label order.
	Scores []LabelScore `json:"scores"`
}

// LabelScore is the score of one label.
type LabelScore struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

// Top returns the k best labels, highest score first (label order on
// ties).
func (p Prediction) Top(k int) []LabelScore {
	s := append([]LabelScore(nil), p.Scores...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Score > s[j].Score })
	if k > 0 && k < len(s) {
		s = s[:k]
	}
	return s
}

// TrainOptions are the settings of Train.
type TrainOptions struct {
	// Learner is LearnerForest (also when empty), LearnerGBDT or
	// LearnerCNN.
	Learner string
	// Forest holds the settings of the forest, GBDT those of
	// gradient-boosted trees, CNN those of the network; the other
	// learners' are ignored.
	Forest ForestOptions
	GBDT   GBDTOptions
	CNN    CNNOptions
	// Groups are the record groups of the rows (nil: unknown), which the
	// cnn learner's validation split keeps apart.
	Groups []string
	// Fusion holds the settings of LearnerGBDTSignet beyond GBDT's, and
	// Signals the network input (SignetInput at Fusion.Signet's rate) of
	// every row, which that learner's network trains on.
	Fusion  FusionOptions
	Signals [][]float64
}

// ErrUnknownLearner is wrapped by Train's error for a learner it does not
// know.
var ErrUnknownLearner = errors.New("unknown learner (want random-forest, gbdt, cnn or gbdt+signet)")

// Train fits a model on feature vectors X (made with spec) and label
// indices y into labels.
func Train(labels []string, spec FeatureSpec, X [][]float64, y []int, opt TrainOptions) (*Model, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	names, n := spec.Names(), spec.VectorLen()
	for i, row := range X {
		if len(row) != n {
			return nil, fmt.Errorf("classify: row %d has %d features, the feature settings make %d", i, len(row), n)
		}
	}
	if err := checkLabels(labels); err != nil {
		return nil, err
	}
	var m *Model
	var oob [][]float64
	var err error
	views := spec.views()
	trees := opt.Learner == "" || opt.Learner == LearnerForest || opt.Learner == LearnerGBDT
	if views > 1 && !trees {
		return nil, fmt.Errorf("classify: crops of the signal go with gbdt or the forest, not %s", opt.Learner)
	}
	if spec.mainsNotch() && !trees {
		return nil, fmt.Errorf("classify: mains removal goes with the forest or gbdt, not %s", opt.Learner)
	}
	rows, ry := expandViews(X, y, len(names), views)
	switch opt.Learner {
	case "", LearnerForest:
		// A record's views are one group of the bootstrap, so that its
		// out-of-bag score (the views' geometric mean, below) is of trees
		// that saw none of them.
		m, oob, err = trainForestModel(rows, ry, viewGroups(len(X), views), len(labels), opt.Forest.withDefaults(len(names)))
	case LearnerGBDT:
		m, oob, err = trainGBDTModel(rows, ry, len(labels), opt.GBDT.withDefaults())
	case LearnerCNN:
		m, oob, err = trainCNNModel(spec, X, y, labels, opt)
	case LearnerGBDTSignet:
		m, oob, err = trainFusionModel(spec, X, y, len(labels), opt)
	default:
		err = fmt.Errorf("classify: learner %q: %w", opt.Learner, ErrUnknownLearner)
	}
	if err != nil {
		return nil, err
	}
	if views > 1 {
		oob = meanViews(oob, views)
	}
	m.Info.Labels, m.Info.Features, m.Info.FeatureNames = append([]string(nil), labels...), spec, names
	t := &m.Info.Training
	t.Samples = len(X)
	t.PerLabel, t.ClassWeights = classWeights(y, len(labels), m.Info.Learner.ClassWeight)
	if m.cnn != nil {
		t.ClassWeights = cnnClassWeights(y, len(labels), m.Info.Learner.ClassWeight)
	}
	// OOB accuracy and thresholds over rows that have OOB scores.
	var oy []int
	var os [][]float64
	for i, p := range oob {
		if !math.IsNaN(p[0]) {
			oy = append(oy, y[i])
			os = append(os, p)
		}
	}
	correct := 0
	for i, p := range os {
		if argmax(p) == oy[i] {
			correct++
		}
	}
	if len(os) > 0 && m.forest != nil {
		t.OOBAccuracy = float64(correct) / float64(len(os))
	}
	m.Info.Thresholds = thresholdsOf(len(labels), oy, os)
	return m, nil
}

// thresholdsOf returns the per-label confidence thresholds that maximise
// each label's one-vs-rest F1 over scores of rows with true labels y.
func thresholdsOf(k int, y []int, scores [][]float64) []float64 {
	th := make([]float64, k)
	for c := range th {
		th[c] = BestF1Threshold(c, y, scores)
	}
	return th
}

// trainForestModel grows the forest of a model, bootstrapping groups of
// rows (nil: rows); it also returns the out-of-bag scores.
func trainForestModel(X [][]float64, y, groups []int, k int, fo ForestOptions) (*Model, [][]float64, error) {
	f, oob, err := TrainForestGrouped(X, y, groups, k, fo)
	if err != nil {
		return nil, nil, err
	}
	m := &Model{forest: f}
	m.Info.Learner = LearnerInfo{Kind: LearnerForest, Trees: fo.Trees, MaxDepth: fo.MaxDepth, MinLeaf: fo.MinLeaf,
		MaxFeatures: fo.MaxFeatures, Bins: fo.Bins, ClassWeight: fo.ClassWeight, Seed: fo.Seed}
	return m, oob, nil
}

// trainGBDTModel boosts the trees of a model; it also returns the
// training rows' probabilities (in-sample: boosting has no out-of-bag
// rows).
func trainGBDTModel(X [][]float64, y []int, k int, o GBDTOptions) (*Model, [][]float64, error) {
	g, raw, err := TrainGBDT(X, y, k, o)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range raw {
		softmax(r)
	}
	m := &Model{gbdt: g}
	m.Info.Learner = LearnerInfo{Kind: LearnerGBDT, Trees: len(g.Trees), MaxDepth: o.MaxDepth, Bins: o.Bins,
		ClassWeight: o.ClassWeight, Seed: o.Seed, Rounds: o.Rounds, LearningRate: o.LearningRate,
		MinHessian: o.MinHessian, Lambda: o.Lambda, Subsample: o.Subsample, ColSample: o.ColSample}
	return m, raw, nil
}

func checkLabels(labels []string) error {
	if len(labels) < 1 || len(labels) > maxLabels {
		return fmt.Errorf("classify: %d labels (want 1 to %d)", len(labels), maxLabels)
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if l == "" || len(l) > maxLabelLen {
			return fmt.Errorf("classify: label %q: empty or longer than %d bytes", l, maxLabelLen)
		}
		if seen[l] {
			return fmt.Errorf("classify: label %q appears twice", l)
		}
		seen[l] = true
	}
	return nil
}

// Forest returns the model's trained forest (nil for another learner).
func (m *Model) Forest() *Forest { return m.forest }

// GBDT returns the model's gradient-boosted trees (nil for another
// learner).
func (m *Model) GBDT() *GBDT { return m.gbdt }

// CNN returns the model's network (nil for another learner).
func (m *Model) CNN() *CNN { return m.cnn }

// NumTrees is the number of trees of the model, whatever its learner (0
// for a network).
func (m *Model) NumTrees() int {
	if m.cnn != nil {
		return 0
	}
	if m.gbdt != nil {
		return len(m.gbdt.Trees)
	}
	return len(m.forest.Trees)
}

// Scores writes the per-label scores of feature vector x into dst
// (allocated when nil) and returns it.
func (m *Model) Scores(dst, x []float64) []float64 {
	if v := m.Info.Features.views(); v > 1 {
		return m.viewScores(dst, x, v)
	}
	return m.scores1(dst, x)
}

// scores1 is Scores of a vector of one view.
func (m *Model) scores1(dst, x []float64) []float64 {
	if m.cnn != nil {
		return m.cnn.PredictProba(dst, x)
	}
	if m.gbdt != nil {
		return m.gbdt.PredictProba(dst, x)
	}
	return m.forest.PredictProba(dst, x)
}

// Predict scores a feature vector made with the model's FeatureSpec. A
// gbdt+signet model also needs the signal (PredictSignal, PredictFile).
func (m *Model) Predict(x []float64) (Prediction, error) {
	if m.signet != nil {
		return Prediction{}, errFusionNeedsSignal
	}
	if n := len(m.Info.FeatureNames) * m.Info.Features.views(); len(x) != n {
		return Prediction{}, fmt.Errorf("classify: %d features, the model needs %d", len(x), n)
	}
	return m.prediction(m.Scores(nil, x)), nil
}

func (m *Model) prediction(p []float64) Prediction {
	best := argmax(p)
	pr := Prediction{Label: m.Info.Labels[best], Confidence: p[best], Scores: make([]LabelScore, len(p))}
	pr.Confident = p[best] >= m.Info.Thresholds[best]
	for i, v := range p {
		pr.Scores[i] = LabelScore{Label: m.Info.Labels[i], Score: v}
	}
	return pr
}

// PredictImage classifies an image; extra holds the values of the
// manifest columns the model uses (Info.Features.Extra), missing ones
// count as unknown. It fails when the model was trained on signals.
func (m *Model) PredictImage(img image.Image, extra map[string]float64) (Prediction, error) {
	x, err := m.Info.Features.ImageVector(img, extra)
	if err != nil {
		return Prediction{}, err
	}
	return m.Predict(x)
}

// PredictSignal classifies a single-lead signal segment x in mV sampled
// at fs Hz, of any length and rate. It fails when the model was trained on
// images.
func (m *Model) PredictSignal(x []float64, fs float64) (Prediction, error) {
	if m.signet != nil {
		return m.predictFusedSignal(x, fs)
	}
	v, err := m.Info.Features.SignalVector(x, fs)
	if err != nil {
		return Prediction{}, err
	}
	return m.Predict(v)
}

var errNoForest = errors.New("classify: model has no forest")
