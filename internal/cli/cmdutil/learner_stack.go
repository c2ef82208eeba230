package cmdutil

import (
	"slices"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
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
		if s < 4 || s > classify.LatestSignalFeatureSet {
			return Usagef("--stack-feature-sets: set %d: want 4 to %d (each extends the one before, so one computation serves all)", s, classify.LatestSignalFeatureSet)
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
