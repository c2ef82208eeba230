package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
)

// cropFlags are the names of the flags of crop views.
var cropFlags = []string{"crops", "crop-share"}

// declareCrops adds --crops and --crop-share (records, gbdt by default,
// the forest when given).
func (l *LearnerFlags) declareCrops(cmd *cobra.Command) {
	f := cmd.Flags()
	f.IntVar(&l.Crops, "crops", classify.DefaultCrops, fmt.Sprintf("records, gbdt and forest: also learn from and score this many windows of each record, 0 to %d (0: the whole record only; the forest takes none unless --crops or --crop-share is given; docs/rhythm.md)", classify.MaxCrops))
	f.Float64Var(&l.CropShare, "crop-share", classify.DefaultCropShare, fmt.Sprintf("records: the --crops windows' share of the record's length, %g to %g", classify.MinCropShare, classify.MaxCropShare))
}

// checkCrops checks --crops and --crop-share: in range, and not given
// with a learner that does not take them (cnn, gbdt+signet).
func (l *LearnerFlags) checkCrops(cmd *cobra.Command) error {
	given := changed(cmd, cropFlags)
	switch {
	case l.Crops < 0 || l.Crops > classify.MaxCrops:
		return Usagef("--crops %d: want 0 to %d", l.Crops, classify.MaxCrops)
	case !(l.CropShare >= classify.MinCropShare && l.CropShare <= classify.MaxCropShare):
		return Usagef("--crop-share %v: want %g to %g", l.CropShare, classify.MinCropShare, classify.MaxCropShare)
	case given != "" && !l.treesOnRecords():
		return Usagef("--%s goes with gbdt or the forest on records, not --learner %s", given, l.Name)
	}
	l.cropsGiven = given
	return nil
}

// withCrops returns sig with the crops of the flags when learner (as
// Resolve returned it) takes them: gbdt by default, the forest when
// --crops or --crop-share is given (its default stays the whole record,
// which make model's forest was measured and is rebuilt with).
func (l *LearnerFlags) withCrops(sig classify.SignalFeatures, learner string) classify.SignalFeatures {
	forest := learner == classify.LearnerForest && l.cropsGiven != ""
	if l.Crops > 0 && (learner == classify.LearnerGBDT || forest) {
		sig.Crops, sig.CropShare = l.Crops, l.CropShare
	}
	return sig
}
