package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
)

// declareMains adds --mains-notch (records, forest and gbdt).
func (l *LearnerFlags) declareMains(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&l.MainsNotch, "mains-notch", true, "records, forest and gbdt: notch out a mains line at 50 or 60 Hz (or a harmonic) that stands out of its neighbours before computing the features; a record without one is read as it is (docs/rhythm.md)")
}

// checkMains refuses --mains-notch given with a learner that does not
// take it (cnn, gbdt+signet).
func (l *LearnerFlags) checkMains(cmd *cobra.Command) error {
	if cmd.Flags().Changed("mains-notch") && !l.treesOnRecords() {
		return Usagef("--mains-notch goes with the forest or gbdt on records, not --learner %s", l.Name)
	}
	return nil
}

// treesOnRecords reports whether --learner may train the forest or gbdt
// on records (auto, forest or gbdt), the learners that take crop views
// and mains removal.
func (l *LearnerFlags) treesOnRecords() bool {
	return l.Name == "auto" || l.Name == "gbdt" || l.Name == "forest"
}

// withMains returns sig with mains removal as --mains-notch says when
// learner (as Resolve returned it) takes it (the forest and gbdt; the
// fusion's files have no room for it).
func (l *LearnerFlags) withMains(sig classify.SignalFeatures, learner string) classify.SignalFeatures {
	sig.MainsNotch = l.MainsNotch && (learner == classify.LearnerGBDT || learner == classify.LearnerForest)
	return sig
}
