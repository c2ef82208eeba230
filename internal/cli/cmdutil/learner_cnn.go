package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/defaultmodel"
)

// checkCNN checks the flags of --learner cnn (the first forest, gbdt and
// cnn flags given are fo, gb and cn): no flag of the trees, and cnn flags
// only with --learner cnn (or auto, which they turn into cnn).
func (l *LearnerFlags) checkCNN(cmd *cobra.Command, fo, gb, cn string) error {
	if l.Name == "auto" && cn != "" {
		l.Name = "cnn"
	}
	for _, tree := range []string{"max-depth", "bins", "feature-set"} {
		if cmd.Flags().Changed(tree) && l.Name == "cnn" {
			fo = tree
		}
	}
	switch {
	case l.Name == "cnn" && fo+gb != "":
		return Usagef("--%s does not go with --learner cnn", fo+gb)
	case l.Name != "cnn" && cn != "":
		return Usagef("--%s goes with --learner cnn only", cn)
	case l.Name != "cnn":
		return nil
	}
	if l.CNN.Ensemble < 1 {
		return Usagef("--cnn-ensemble %d: want 1 to %d networks", l.CNN.Ensemble, classify.MaxCNNEnsemble)
	}
	l.CNN.ClassWeight = l.Forest.ClassWeight
	l.archGiven = cmd.Flags().Changed("cnn-arch")
	if err := l.checkFromHead(cmd); err != nil {
		return err
	}
	for _, own := range []string{"cnn-recurrent", "cnn-norm"} {
		if cmd.Flags().Changed(own) && l.From != "" {
			return Usagef("--%s does not go with --from: the network started from keeps its own", own)
		}
	}
	return l.validate("cnn")
}

// declareRecurrent adds --cnn-recurrent to cmd.
func (l *LearnerFlags) declareRecurrent(cmd *cobra.Command) {
	cmd.Flags().IntVar(&l.CNN.Recurrent, "cnn-recurrent", 0, fmt.Sprintf("cnn with --cnn-arch temporal: join to the global average pooling a bidirectional GRU of N hidden units a direction, 1 to %d, over the last block's time steps, its states averaged (0: none; docs/classify.md)", nn.MaxRecurrent))
}

// declareNorm adds --cnn-norm to cmd.
func (l *LearnerFlags) declareNorm(cmd *cobra.Command) {
	cmd.Flags().StringVar(&l.CNN.Norm, "cnn-norm", classify.CNNNormNone, "cnn: normalise each block's convolution outputs per image before the ReLU: none, group (group normalisation over channels and time; 8 groups for temporal, 4 for 2d) or layer (one group). CinC 2017 temporal, 5-fold CV: 0.758/0.754/0.757 at network seeds 1-3 against 0.757/0.747/0.733 without, for about 1.7 times the training CPU (docs/classify.md)")
	CompleteValues(cmd, "cnn-norm", classify.CNNNormNone, classify.CNNNormGroup, classify.CNNNormLayer)
}

// loadFrom loads the network of --from into CNN.From.
func (l *LearnerFlags) loadFrom() error {
	if l.From == "" {
		return nil
	}
	m, err := defaultmodel.LoadImage(l.From)
	if err != nil {
		return err
	}
	if m.CNN() == nil {
		return Usagef("--from %s: a %s model, not a network (ecg train --learner cnn)", l.From, m.Info.Learner.Kind)
	}
	if a := m.CNN().Arch(); a != l.CNN.Arch && l.archGiven {
		return Usagef("--cnn-arch %s: the network of --from %s is %s", l.CNN.Arch, l.From, a)
	}
	l.CNN.Arch = m.CNN().Arch()
	l.CNN.From, l.CNN.FromName = m, l.From
	if l.From == defaultmodel.Name {
		l.CNN.FromName = "default (embedded image network)"
	}
	return nil
}

// FromRenderingWarning returns, after Resolve loaded the network of --from,
// a warning naming both renderings when ds's parameter file records other
// spectrogram settings or another stride than the network's archive
// (classify.CheckArchiveRendering), else "" (no --from, or nothing
// recorded to compare): the images are still resampled and trained on.
func (l *LearnerFlags) FromRenderingWarning(ds *datasets.LabelFolders) string {
	if l.CNN.From == nil {
		return ""
	}
	if err := classify.CheckArchiveRendering(l.CNN.From, ds); err != nil {
		return fmt.Sprintf("--from %s: %v", l.From, err)
	}
	return ""
}

// declareFromHead adds --from-head to cmd.
func (l *LearnerFlags) declareFromHead(cmd *cobra.Command) {
	cmd.Flags().StringVar(&l.CNN.FromHead, "from-head", classify.CNNFromHeadNew, "cnn with --from: new (train the dense head from fresh weights) or keep (the network's hidden layer and the output rows of the labels it knows, after --label-map; other labels start afresh; a usage error when no label is shared or the manifest columns differ). MIT-BIH 30 s strides from a CinC network, 5-fold CV at fold seed 1: AFIB F1 0.753 new, 0.667 keep, 0.768 keep with --lr 0.0003 (0.717 and 0.719 at fold seed 2; docs/classify.md)")
	CompleteValues(cmd, "from-head", classify.CNNFromHeadNew, classify.CNNFromHeadKeep)
}

// checkFromHead refuses --from-head without --from.
func (l *LearnerFlags) checkFromHead(cmd *cobra.Command) error {
	if cmd.Flags().Changed("from-head") && l.From == "" {
		return Usagef("--from-head goes with --from")
	}
	return nil
}

// checkHead checks, once --from is loaded, that --from-head keep can keep
// the head of its network for ds (classify.HeadKeepable): a shared label
// and the same manifest columns; otherwise a usage error.
func (l *LearnerFlags) checkHead(ds *datasets.LabelFolders) error {
	if l.CNN.From == nil || l.CNN.FromHead != classify.CNNFromHeadKeep {
		return nil
	}
	spec, err := classify.CNNSpecFor(ds)
	if err != nil {
		return err
	}
	if err := classify.HeadKeepable(l.CNN.From, ds.Labels, spec.Extra); err != nil {
		return Usagef("--from-head keep: --from %s: %v", l.From, err)
	}
	return nil
}
