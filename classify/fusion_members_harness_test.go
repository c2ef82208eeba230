//go:build harness

// The stack-members harness: record-grouped 5-fold CV (the folds of ecg
// train --folds 5 --seed S) on the CinC 2017 shared set of stacks over
// subsets of one set of trained members (gbdt on feature sets 5 and 6,
// -members-nets networks of seeds S, S+1, ...), each member trained once
// per inner and outer fold exactly as ecg train --learner gbdt+signet
// --stack trains it; every subset's Stacker is fitted on the same inner
// out-of-fold probabilities, so the mean and the apart form of the
// networks, and the feature sets, are compared on the same networks.
// Run with
//
//	nice -n 10 go test -tags harness -run TestStackMembersHarness -v -timeout 10h ./classify \
//	    -args -members-nets 3 -members-seed 1 -members-cache /tmp/fc
package classify

import (
	"context"
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
)

var (
	membersNets  = flag.Int("members-nets", 3, "networks")
	membersSeed  = flag.Uint64("members-seed", 1, "the folds' and the first network's seed (ecg train --seed)")
	membersCache = flag.String("members-cache", "/tmp/fc-members", "feature cache folder")
)

// memberConfig is a subset of the trained members: tree models (0: set
// 5, 1: set 6), the first nets networks, their mean or each apart.
type memberConfig struct {
	trees []int
	nets  int
	apart bool
}

func (c memberConfig) String() string {
	sets := []string{}
	for _, t := range c.trees {
		sets = append(sets, fmt.Sprint(5+t))
	}
	how := "mean"
	if c.apart {
		how = "apart"
	}
	return fmt.Sprintf("gbdt sets %s + %d networks (%s)", strings.Join(sets, ","), c.nets, how)
}

// pick returns the members of config c from all (trees 5, 6, then every
// network).
func (c memberConfig) pick(all [][]float64) [][]float64 {
	var p [][]float64
	for _, t := range c.trees {
		p = append(p, all[t])
	}
	nets := all[2 : 2+c.nets]
	if c.apart || c.nets == 1 {
		return append(p, nets...)
	}
	mean := make([]float64, len(nets[0]))
	for j := range mean {
		s := 0.0
		for _, n := range nets {
			s += math.Log(math.Max(n[j], StackFloor))
		}
		mean[j] = math.Exp(s / float64(len(nets)))
	}
	return append(p, mean)
}

func TestStackMembersHarness(t *testing.T) {
	ctx := context.Background()
	ds, _ := harnessCinC(t)
	spec := set6Spec()
	cache, err := NewFeatureCache(*membersCache)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	X, err := FeaturizeCached(ctx, spec, ds.Files, 2, nil, cache)
	if err != nil {
		t.Fatal(err)
	}
	fo := FusionOptions{Stack: true, StackSets: []int{5, 6}, Networks: *membersNets, NetworksApart: true,
		Signet: SignetOptions{Seed: *membersSeed, Jobs: 2, Epochs: 20}}.withDefaults()
	signals := signetInputs(t, ds, fo.Signet.Rate)
	t.Logf("features and inputs: %.0f s", time.Since(start).Seconds())
	plan, err := newStackPlan(spec, fo)
	if err != nil {
		t.Fatal(err)
	}
	y, groups, k := ds.LabelIndex(), fileGroups(ds), len(ds.Labels)
	fold, err := datasets.GroupKFold(y, groups, k, 5, *membersSeed)
	if err != nil {
		t.Fatal(err)
	}
	gopt := GBDTOptions{Seed: *membersSeed, Jobs: 2, MaxDepth: 6, ClassWeight: "none", MinHessian: 1, Lambda: 1, Rounds: 150, LearningRate: 0.05, Subsample: 0.8, ColSample: 0.5}.withDefaults()
	var configs []memberConfig
	for _, trees := range [][]int{{0}, {0, 1}} {
		for n := 1; n <= *membersNets; n++ {
			configs = append(configs, memberConfig{trees, n, false})
			if n > 1 {
				configs = append(configs, memberConfig{trees, n, true})
			}
		}
	}
	scores := make([][][]float64, len(configs))
	for c := range scores {
		scores[c] = make([][]float64, len(y))
	}
	for f := range 5 {
		membersOuterFold(t, ctx, X, y, groups, signals, fold, f, k, gopt, fo, plan, configs, scores)
		t.Logf("fold %d done at %.0f s", f, time.Since(start).Seconds())
	}
	score, _ := labelIndexes(ds.Labels, []string{"N", "AF", "Other"})
	for c, cfg := range configs {
		res := &CVResult{Folds: 5}
		if err := res.evaluate(ds.Labels, y, groups, fold, scores[c], score); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: Challenge F1 %.4f (folds %.4f ± %.4f), %v", cfg, res.PooledScore, res.Score.Mean, res.Score.SD, f1s(res.Report))
	}
}

// membersOuterFold trains every member on the rows outside outer fold f
// (inner out-of-fold probabilities, then on all of them), fits each
// config's Stacker and writes its scores of fold f's rows.
func membersOuterFold(t *testing.T, ctx context.Context, X [][]float64, y []int, groups []string, signals [][]float64, fold []int, f, k int,
	gopt GBDTOptions, fo FusionOptions, plan stackPlan, configs []memberConfig, scores [][][]float64) {
	tr, te := splitFold(fold, f)
	Xt, yt, st, gt := make([][]float64, len(tr)), make([]int, len(tr)), make([][]float64, len(tr)), make([]string, len(tr))
	for j, i := range tr {
		Xt[j], yt[j], st[j], gt[j] = X[i], y[i], signals[i], groups[i]
	}
	P, err := stackOOF(ctx, Xt, yt, k, TrainOptions{GBDT: gopt, Signals: st, Groups: gt}, fo, plan)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := trainStackMembers(ctx, Xt, yt, st, gt, k, gopt, fo, plan, 0)
	if err != nil {
		t.Fatal(err)
	}
	outer := make(map[int][][]float64, len(te))
	for _, i := range te {
		outer[i] = ms.probs(X[i], ms.netProbs(signals[i]))
	}
	for c, cfg := range configs {
		rows := make([][][]float64, len(tr))
		for j := range tr {
			all := make([][]float64, len(P))
			for m := range P {
				all[m] = P[m][j]
			}
			rows[j] = cfg.pick(all)
		}
		Pc := make([][][]float64, len(rows[0]))
		for m := range Pc {
			for j := range rows {
				Pc[m] = append(Pc[m], rows[j][m])
			}
		}
		stk, err := FitStacker(Pc, yt, k, DefaultStackLambda)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range te {
			scores[c][i] = stk.Probs(nil, cfg.pick(outer[i])...)
		}
	}
}
