package cmdutil

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// stackMemberFlags are the flags that add members to --stack: more tree
// models (one per feature set) and more networks.
var stackMemberFlags = []string{"stack-feature-sets", "signet-seeds", "signet-mean"}

// maxStackSignets is the most networks --signet-seeds takes.
const maxStackSignets = 8

// declareStack adds the flags of the members of --stack to cmd.
func (l *LearnerFlags) declareStack(cmd *cobra.Command) {
	f := cmd.Flags()
	f.IntSliceVar(&l.Fusion.StackSets, "stack-feature-sets", nil, "gbdt+signet --stack: one gbdt per signal feature set in the stack, e.g. 5,6 (sets 4 to 6, the features computed once for the highest)")
	f.IntVar(&l.Fusion.Networks, "signet-seeds", 1, "gbdt+signet --stack: networks of seeds --seed to --seed+N-1 (1 to 8), each its own member of the stack")
	f.BoolVar(&l.signetMean, "signet-mean", false, "gbdt+signet --stack with --signet-seeds: the networks' mean log-probabilities one member of the stack instead of one member each")
}

// checkStack checks the member flags of --stack (learner is whether
// --learner is gbdt+signet): only with --learner gbdt+signet --stack,
// --stack-feature-sets of 2 or more distinct sets from 4 to the latest
// (not with --feature-set, which becomes the highest of them),
// --signet-seeds 1 to 8 (more than one: each network its own member
// unless --signet-mean), --signet-mean only with more than one, and at
// most 8 members in all.
func (l *LearnerFlags) checkStack(cmd *cobra.Command, learner bool) error {
	n := changed(cmd, stackMemberFlags)
	switch {
	case n == "":
		return nil
	case !learner:
		return Usagef("--%s goes with --learner %s only", n, classify.LearnerGBDTSignet)
	case !l.Fusion.Stack:
		return Usagef("--%s adds members to --stack; give --stack too", n)
	case l.Fusion.Networks < 1 || l.Fusion.Networks > maxStackSignets:
		return Usagef("--signet-seeds %d: want 1 to %d", l.Fusion.Networks, maxStackSignets)
	case l.signetMean && l.Fusion.Networks < 2:
		return Usagef("--signet-mean needs --signet-seeds 2 or more")
	}
	l.Fusion.NetworksApart = l.Fusion.Networks > 1 && !l.signetMean
	sets := l.Fusion.StackSets
	if !cmd.Flags().Changed("stack-feature-sets") {
		return l.checkStackSize(1)
	}
	switch {
	case cmd.Flags().Changed("feature-set"):
		return Usagef("--stack-feature-sets gives the feature sets; it does not go with --feature-set")
	case len(sets) < 2:
		return Usagef("--stack-feature-sets %v: want 2 sets or more (one set: --feature-set)", sets)
	}
	for i, s := range sets {
		if s < 4 || s > 6 {
			return Usagef("--stack-feature-sets: set %d: want 4 to 6 (each extends the one before, so one computation serves all)", s)
		}
		if slices.Index(sets, s) != i {
			return Usagef("--stack-feature-sets: set %d given twice", s)
		}
	}
	l.FeatureSet = slices.Max(sets)
	return l.checkStackSize(len(sets))
}

// checkStackSize refuses a stack of more than 8 members with trees tree
// models.
func (l *LearnerFlags) checkStackSize(trees int) error {
	nets := 1
	if l.Fusion.NetworksApart {
		nets = l.Fusion.Networks
	}
	if trees+nets > 8 {
		return Usagef("--stack-feature-sets and --signet-seeds make %d members of the stack (at most 8; --signet-mean makes the networks one)", trees+nets)
	}
	return nil
}

// checkFusion checks the flags of --learner gbdt+signet: of the network
// flags only --epochs (the network's), --fusion-weight more than 0 and
// at most 1 and not with --stack, and neither --fusion-weight nor
// --stack with another learner.
func (l *LearnerFlags) checkFusion(cmd *cobra.Command) error {
	if err := l.checkStack(cmd, l.Name == classify.LearnerGBDTSignet); err != nil {
		return err
	}
	if l.Name != classify.LearnerGBDTSignet {
		if n := changed(cmd, []string{"fusion-weight", "stack"}); n != "" {
			return Usagef("--%s goes with --learner %s only", n, classify.LearnerGBDTSignet)
		}
		return nil
	}
	if l.Fusion.Stack && cmd.Flags().Changed("fusion-weight") {
		return Usagef("--stack fits the fusion; it does not go with --fusion-weight")
	}
	for _, n := range cnnOnly {
		if n != "epochs" && cmd.Flags().Changed(n) {
			return Usagef("--%s does not go with --learner %s (of the network flags it takes --epochs)", n, classify.LearnerGBDTSignet)
		}
	}
	if !(l.Fusion.Weight > 0 && l.Fusion.Weight <= 1) {
		return Usagef("--fusion-weight %g: want more than 0 and at most 1 (1: the network alone)", l.Fusion.Weight)
	}
	l.Fusion.Signet.Epochs = l.CNN.Epochs
	return nil
}

// resolveFusion is Resolve for --learner gbdt+signet, which reads
// records only.
func (l *LearnerFlags) resolveFusion(ds *datasets.LabelFolders, seed uint64, jobs int) (string, error) {
	if len(ds.Files) > 0 && ds.Files[0].Kind != datasets.KindRecord {
		return "", Usagef("--learner %s reads WFDB records; %s holds other files", classify.LearnerGBDTSignet, ds.Dir)
	}
	l.Fusion.Signet.Seed, l.Fusion.Signet.Jobs = seed, jobs
	return classify.LearnerGBDTSignet, l.validate(classify.LearnerGBDTSignet)
}
