package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// LearnerFlags are the flags of the learner ecg train fits: --learner and
// the settings of the random forest, of gradient-boosted trees and of the
// convolutional network (cnn, images only).
// --learner auto (the default) takes gbdt for WFDB records and the network
// for images but archives of beat windows (the measured best of each; see
// docs/classify.md), unless a flag only one learner has is given, which
// picks that learner; with --max-depth or --bins images go to the forest.
type LearnerFlags struct {
	// Name is the --learner value: auto, forest, gbdt, cnn or
	// gbdt+signet.
	Name   string
	Forest classify.ForestOptions
	GBDT   classify.GBDTOptions
	CNN    classify.CNNOptions
	// Fusion holds --fusion-weight and the network's settings of
	// gbdt+signet (its trees' are GBDT).
	Fusion classify.FusionOptions
	// Bins is --bins, the quantile bins of either tree learner (0: the
	// learners' default).
	Bins int
	// FeatureSet is --feature-set: the signal feature set of records (0:
	// classify.DefaultSignalFeatureSet).
	FeatureSet int
	// Crops and CropShare are --crops and --crop-share: the crop views of
	// records (classify.SignalFeatures.Crops) for the forest and gbdt.
	Crops     int
	CropShare float64
	// cropsGiven is the first of them given on the command line.
	cropsGiven string
	// MainsNotch is --mains-notch: records' features remove mains lines
	// first (classify.SignalFeatures.MainsNotch; forest and gbdt).
	MainsNotch bool
	// From is --from: the network a cnn starts from ("default": the
	// image network embedded in ecg; empty: fresh weights).
	From string
	// ImageSize is --image-size ROWSxCOLS (DeclareImageSize; empty: the
	// learner's default).
	ImageSize string
	// signetMean is --signet-mean: the networks of --signet-seeds one
	// member of the stack (learner_stack.go).
	signetMean bool
	// archGiven: --cnn-arch was given (CNN.Arch is otherwise the --from
	// network's).
	archGiven bool
	// TreesOnly makes --learner auto take the forest for images (ecg
	// tune, which searches the settings of trees).
	TreesOnly bool
	// treeGiven is --max-depth or --bins when given: with auto, images
	// then go to the forest.
	treeGiven string
}

// Flags only one learner has.
var (
	forestOnly = []string{"trees", "min-leaf", "max-features"}
	gbdtOnly   = []string{"rounds", "learning-rate", "subsample", "colsample", "lambda", "min-hessian"}
	cnnOnly    = []string{"epochs", "batch", "lr", "from", "cnn-arch", "cnn-ensemble", "cnn-recurrent", "cnn-anneal", "cnn-norm", "from-head"}
)

// Declare adds the flags to cmd; jobsOf and seedOf are read when the
// learner is resolved. The flags are checked before the command runs: an
// unknown learner, flags of both learners, or a flag of the learner not
// chosen is a usage error.
func (l *LearnerFlags) Declare(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&l.Name, "learner", "auto", "auto (gbdt for records, cnn for images, forest for beat-window archives), forest (random forest), gbdt (gradient-boosted trees), cnn (convolutional network, images only) or gbdt+signet (gbdt fused with a 1-D network on the signal, records only)")
	CompleteValues(cmd, "learner", "auto", "forest", "gbdt", "cnn", classify.LearnerGBDTSignet)
	f.IntVar(&l.Forest.Trees, "trees", 100, "forest: number of trees")
	f.IntVar(&l.Forest.MaxDepth, "max-depth", 32, "maximum tree depth (gbdt default: 6)")
	f.IntVar(&l.Forest.MinLeaf, "min-leaf", 1, "forest: minimum samples per leaf")
	f.IntVar(&l.Forest.MaxFeatures, "max-features", 0, "forest: features tried per split (0: square root of the feature count)")
	f.StringVar(&l.Forest.ClassWeight, "class-weight", "balanced", "balanced (weights inverse to label frequency) or none (gbdt default: none)")
	CompleteValues(cmd, "class-weight", "balanced", "none")
	f.IntVar(&l.GBDT.Rounds, "rounds", 150, "gbdt: boosting rounds (a tree per label each)")
	f.Float64Var(&l.GBDT.LearningRate, "learning-rate", 0.05, "gbdt: shrinkage of every tree")
	f.Float64Var(&l.GBDT.Subsample, "subsample", 0.8, "gbdt: share of the rows each round draws")
	f.Float64Var(&l.GBDT.ColSample, "colsample", 0.5, "gbdt: share of the features each tree may split on")
	f.Float64Var(&l.GBDT.Lambda, "lambda", 1, "gbdt: L2 penalty on leaf values")
	f.Float64Var(&l.GBDT.MinHessian, "min-hessian", 1, "gbdt: least hessian sum in a leaf")
	f.IntVar(&l.Bins, "bins", 0, "forest and gbdt: quantile bins each feature is cut into, 2 to 256 (0: 64)")
	f.IntVar(&l.FeatureSet, "feature-set", 0, fmt.Sprintf("records: signal feature set, 1 to %d (default %d for gbdt, %d for the forest and gbdt+signet; docs/rhythm.md)", classify.LatestSignalFeatureSet, classify.TrainSignalFeatureSet, classify.DefaultSignalFeatureSet))
	f.IntVar(&l.CNN.Epochs, "epochs", 20, "cnn, gbdt+signet: most passes of the network over the training images or records (stops early on a record-grouped validation split)")
	f.Float64Var(&l.Fusion.Weight, "fusion-weight", classify.DefaultFusionWeight, "gbdt+signet: the network's share of the fused probabilities, more than 0 and at most 1 (0.4: chosen by nested CV on CinC 2017)")
	f.BoolVar(&l.Fusion.Stack, "stack", false, "gbdt+signet: fuse the trees and the network by a logistic regression on their log-probabilities, fitted on 5-fold record-grouped out-of-fold probabilities of the training records (each trained 6 times), instead of --fusion-weight")
	l.declareStack(cmd)
	f.IntVar(&l.CNN.Batch, "batch", 16, "cnn: images per training step")
	f.Float64Var(&l.CNN.LR, "lr", 0.003, "cnn: learning rate (Adam)")
	f.StringVar(&l.CNN.Arch, "cnn-arch", classify.CNNArch2D, "cnn: 2d (3x3 convolutions over frequency and time) or temporal (the image rows as channels, 1-D convolutions over time; for spectrograms that resolve each beat, docs/rhythm.md)")
	CompleteValues(cmd, "cnn-arch", classify.CNNArch2D, classify.CNNArchTemporal)
	f.IntVar(&l.CNN.Ensemble, "cnn-ensemble", 1, fmt.Sprintf("cnn: train N networks, 1 to %d, seeded --seed to --seed+N-1 (each with its own validation split), and predict the mean of their probabilities (a seed ensemble; docs/rhythm.md)", classify.MaxCNNEnsemble))
	l.declareRecurrent(cmd)
	f.IntVar(&l.CNN.Anneal, "cnn-anneal", 0, "cnn: after early stopping, up to N more epochs at a tenth of --lr from the best weights, kept only when their validation loss is lower (0: none; docs/rhythm.md)")
	l.declareNorm(cmd)
	f.StringVar(&l.From, "from", "", "cnn: start from this network's convolution blocks (a cnn model file, or default: the image network embedded in ecg), fine-tuning it on DIR")
	l.declareFromHead(cmd)
	l.declareCrops(cmd)
	l.declareMains(cmd)
	AddCheck(cmd, func() error { return l.check(cmd) })
}

// Given returns the learner flags given on cmd's command line (--learner
// aside) as --NAME=VALUE arguments, in a fixed order.
func (l *LearnerFlags) Given(cmd *cobra.Command) []string {
	var out []string
	names := append(append(append(append([]string{"max-depth", "class-weight", "bins", "feature-set"}, forestOnly...), gbdtOnly...), cnnOnly...), append(cropFlags, "mains-notch")...)
	for _, n := range names {
		if f := cmd.Flags().Lookup(n); f != nil && f.Changed {
			out = append(out, "--"+n+"="+f.Value.String())
		}
	}
	return out
}

// changed returns the first of names given on the command line.
func changed(cmd *cobra.Command, names []string) string {
	for _, n := range names {
		if cmd.Flags().Changed(n) {
			return n
		}
	}
	return ""
}

// check checks the learner flags, then the crops once the learner is
// settled.
func (l *LearnerFlags) check(cmd *cobra.Command) error {
	if err := l.checkLearner(cmd); err != nil {
		return err
	}
	if err := l.checkMains(cmd); err != nil {
		return err
	}
	return l.checkCrops(cmd)
}

func (l *LearnerFlags) checkLearner(cmd *cobra.Command) error {
	fo, gb, cn := changed(cmd, forestOnly), changed(cmd, gbdtOnly), changed(cmd, cnnOnly)
	l.treeGiven = changed(cmd, []string{"max-depth", "bins"})
	if err := l.checkFusion(cmd); err != nil {
		return err
	}
	if l.Name == classify.LearnerGBDTSignet {
		cn = "" // --epochs, the only network flag it takes (checkFusion)
	}
	if err := l.checkCNN(cmd, fo, gb, cn); err != nil || l.Name == "cnn" {
		return err
	}
	switch {
	case l.Name != "auto" && l.Name != "forest" && l.Name != "gbdt" && l.Name != classify.LearnerGBDTSignet:
		return Usagef("--learner %q: want auto, forest, gbdt, cnn or %s", l.Name, classify.LearnerGBDTSignet)
	case fo != "" && gb != "":
		return Usagef("--%s (forest) and --%s (gbdt) do not go together", fo, gb)
	case l.Name == "forest" && gb != "":
		return Usagef("--%s does not go with --learner forest", gb)
	case (l.Name == "gbdt" || l.Name == classify.LearnerGBDTSignet) && fo != "":
		return Usagef("--%s does not go with --learner %s", fo, l.Name)
	case l.Name == "auto" && fo != "":
		l.Name = "forest"
	case l.Name == "auto" && gb != "":
		l.Name = "gbdt"
	}
	if cmd.Flags().Changed("max-depth") {
		l.GBDT.MaxDepth = l.Forest.MaxDepth
	} else {
		l.GBDT.MaxDepth = 6
	}
	if cmd.Flags().Changed("class-weight") {
		l.GBDT.ClassWeight = l.Forest.ClassWeight
	} else {
		l.GBDT.ClassWeight = "none"
	}
	if err := l.checkTrees(); err != nil {
		return err
	}
	if l.Name == "auto" { // either may be taken
		if err := l.validate("forest"); err != nil {
			return err
		}
		return l.validate("gbdt")
	}
	return l.validate(l.Name)
}

// checkTrees checks --bins and --feature-set and gives both tree
// learners the bins.
func (l *LearnerFlags) checkTrees() error {
	switch {
	case l.Bins != 0 && (l.Bins < 2 || l.Bins > 256):
		return Usagef("--bins %d: want 2 to 256 (or 0 for 64)", l.Bins)
	case l.FeatureSet < 0 || l.FeatureSet > classify.LatestSignalFeatureSet:
		return Usagef("--feature-set %d: want 1 to %d", l.FeatureSet, classify.LatestSignalFeatureSet)
	}
	l.Forest.Bins, l.GBDT.Bins = l.Bins, l.Bins
	return nil
}

// Spec returns the feature spec that --feature-set, --crops or
// --image-size asks for on ds with learner (as Resolve returned it; nil,
// the dataset's default, when none applies); a feature set or crops for
// images, or an image size for records, is a usage error.
func (l *LearnerFlags) Spec(ds *datasets.LabelFolders, learner string) (*classify.FeatureSpec, error) {
	records := ""
	if l.FeatureSet != 0 {
		records = "feature-set"
	} else if l.cropsGiven != "" {
		records = l.cropsGiven
	}
	l.fromImageSize(records)
	if l.ImageSize != "" {
		if records != "" {
			return nil, Usagef("--%s (records) and --image-size (images) do not go together", records)
		}
		return l.imageSpec(ds)
	}
	spec, err := classify.SpecFor(ds)
	if err != nil {
		return nil, err
	}
	if spec.Input != classify.InputSignal || spec.Signal == nil {
		if records != "" {
			return nil, Usagef("--%s is for records (signal features); %s holds %s files", records, ds.Dir, spec.Input)
		}
		return nil, nil
	}
	sig := *spec.Signal
	if l.FeatureSet != 0 {
		sig.FeatureSet = l.FeatureSet
	} else if learner == classify.LearnerGBDT {
		sig.FeatureSet = classify.TrainSignalFeatureSet
	}
	sig = l.withMains(l.withCrops(sig, learner), learner)
	if sig.FeatureSet == spec.Signal.FeatureSet && sig.Crops == 0 && !sig.MainsNotch {
		return nil, nil
	}
	spec = classify.SignalSpec(sig)
	return &spec, nil
}

// validate checks the options of the learner name (forest, gbdt or cnn).
func (l *LearnerFlags) validate(name string) error {
	var err error
	switch name {
	case "gbdt":
		err = l.GBDT.Validate()
	case classify.LearnerGBDTSignet:
		if err = l.GBDT.Validate(); err == nil {
			err = l.Fusion.Validate()
		}
	case "cnn":
		err = l.CNN.Validate()
	default:
		err = l.Forest.Validate()
	}
	if err != nil {
		return Usagef("--%v", err)
	}
	return nil
}

// autoNetwork reports whether --learner auto takes the network for ds:
// images (its first file), not an archive of beat windows (where the
// forest keeps its accuracy and ecg train names --beats), no tree flag
// given (--max-depth, --bins) and TreesOnly unset.
func (l *LearnerFlags) autoNetwork(ds *datasets.LabelFolders) bool {
	return len(ds.Files) > 0 && ds.Files[0].Kind == datasets.KindImage && !l.TreesOnly && l.treeGiven == "" &&
		!datasets.IsBeatWindowArchive(ds.Dir)
}

// Resolve returns the learner (classify.LearnerForest, LearnerGBDT,
// LearnerCNN or LearnerGBDTSignet) for the dataset ds (auto: gbdt when its
// first file is a record, the network for images as autoNetwork says, else
// the forest), with seed and jobs set in every learner's options; options
// the chosen learner refuses, and cnn for records, are a usage error.
func (l *LearnerFlags) Resolve(ds *datasets.LabelFolders, seed uint64, jobs int) (string, error) {
	l.Forest.Seed, l.Forest.Jobs = seed, jobs
	l.GBDT.Seed, l.GBDT.Jobs = seed, jobs
	l.CNN.Seed, l.CNN.Jobs = seed, jobs
	if l.Name == "auto" && l.autoNetwork(ds) {
		l.Name, l.CNN.ClassWeight = "cnn", l.Forest.ClassWeight
	}
	if l.Name == "cnn" {
		if len(ds.Files) > 0 && ds.Files[0].Kind != datasets.KindImage {
			return "", Usagef("--learner cnn reads images; %s holds records", ds.Dir)
		}
		if err := l.loadFrom(); err != nil {
			return "", err
		}
		if err := l.checkHead(ds); err != nil {
			return "", err
		}
		return classify.LearnerCNN, l.validate("cnn")
	}
	if l.Name == classify.LearnerGBDTSignet {
		return l.resolveFusion(ds, seed, jobs)
	}
	name := l.Name
	if name == "auto" {
		name = "forest"
		if len(ds.Files) > 0 && ds.Files[0].Kind == datasets.KindRecord {
			name = "gbdt"
		}
	}
	if err := l.validate(name); err != nil {
		return "", err
	}
	if name == "gbdt" {
		return classify.LearnerGBDT, nil
	}
	return classify.LearnerForest, nil
}
