package classify

import (
	"context"
	"fmt"

	"github.com/ecgkit/ecg/datasets"
)

// stackFolds is the number of record-grouped folds whose out-of-fold
// probabilities a stacked gbdt+signet model's Stacker is fitted on.
const stackFolds = 5

// stackRuns is the number of trainings of each member a stacked
// gbdt+signet model takes: one per fold, then one on every row.
const stackRuns = stackFolds + 1

// fitFusionStacker fits the Stacker of a stacked gbdt+signet model of
// members plan on the out-of-fold probabilities stackOOF returns.
func fitFusionStacker(ctx context.Context, X [][]float64, y []int, k int, opt TrainOptions, fo FusionOptions, plan stackPlan) (*Stacker, error) {
	P, err := stackOOF(ctx, X, y, k, opt, fo, plan)
	if err != nil {
		return nil, err
	}
	return FitStacker(P, y, k, DefaultStackLambda)
}

// stackOOF returns the out-of-fold probabilities P[m][i] of member m of
// plan for row i: the rows X (network inputs opt.Signals, record groups
// opt.Groups, classes y of k) are cut into stackFolds record-grouped
// folds (seeded by the network's seed), and every member is trained on
// every fold's complement and scores the fold.
func stackOOF(ctx context.Context, X [][]float64, y []int, k int, opt TrainOptions, fo FusionOptions, plan stackPlan) ([][][]float64, error) {
	groups := rowGroups(opt.Groups, len(X))
	folds := min(stackFolds, countDistinct(groups))
	if folds < 2 {
		return nil, fmt.Errorf("classify: stacking the %s learner needs records of 2 groups or more", LearnerGBDTSignet)
	}
	fold, err := datasets.GroupKFold(y, groups, k, folds, fo.Signet.Seed)
	if err != nil {
		return nil, err
	}
	P := make([][][]float64, plan.members())
	for m := range P {
		P[m] = make([][]float64, len(X))
	}
	for f := range folds {
		tr, te := splitFold(fold, f)
		if err := stackFold(ctx, X, y, k, opt, fo, plan, groups, tr, te, P); err != nil {
			return nil, err
		}
	}
	return P, nil
}

// splitFold returns the rows whose fold is not f and those whose fold is
// f.
func splitFold(fold []int, f int) (tr, te []int) {
	for i, g := range fold {
		if g == f {
			te = append(te, i)
		} else {
			tr = append(tr, i)
		}
	}
	return tr, te
}

// stackFold trains the members plan of a gbdt+signet model on rows tr and
// writes their probabilities of rows te into P (P[m][i]: member m's of
// row i).
func stackFold(ctx context.Context, X [][]float64, y []int, k int, opt TrainOptions, fo FusionOptions, plan stackPlan, groups []string, tr, te []int, P [][][]float64) error {
	Xt, yt, st, gt := make([][]float64, len(tr)), make([]int, len(tr)), make([][]float64, len(tr)), make([]string, len(tr))
	for j, i := range tr {
		Xt[j], yt[j], st[j], gt[j] = X[i], y[i], opt.Signals[i], groups[i]
	}
	ms, err := trainStackMembers(ctx, Xt, yt, st, gt, k, opt.GBDT.withDefaults(), fo, plan, 0)
	if err != nil {
		return err
	}
	probs, err := mapRows(ctx, len(te), fo.Signet.Jobs, func(j int) ([]float64, error) {
		i := te[j]
		return ms.netProbs(opt.Signals[i]), nil
	})
	if err != nil {
		return err
	}
	for j, i := range te {
		for m, p := range ms.probs(X[i], probs[j]) {
			P[m][i] = p
		}
	}
	return nil
}
