package classify

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// MaxCNNEnsemble bounds the networks of a seed ensemble
// (CNNOptions.Ensemble), in training and in a model file.
const MaxCNNEnsemble = 16

// CNNMemberInfo records one further network of a seed ensemble
// (CNNInfo.Members): its seed and how its training ended, as CNNInfo
// records the first network's.
type CNNMemberInfo struct {
	Seed      uint64  `json:"seed"`
	BestEpoch int     `json:"best_epoch"`
	Ran       int     `json:"ran"`
	ValLoss   float64 `json:"val_loss,omitempty"`
}

// meanOfMembers returns dst, network c's probabilities for x, replaced by
// the mean of those and of each member's: the sum in member order, then
// divided by the number of networks.
func (c *CNN) meanOfMembers(dst, x []float64) []float64 {
	p := make([]float64, len(dst))
	for _, m := range c.Members {
		m.probs(p, x)
		for i, v := range p {
			dst[i] += v
		}
	}
	n := float64(1 + len(c.Members))
	for i := range dst {
		dst[i] /= n
	}
	return dst
}

// trainCNNMembers trains the networks after the first (c, described by
// info) of a seed ensemble of o.Ensemble networks, network i with seed
// o.Seed+i, into c.Members and info.Members. Each network holds its own
// validation split out of training; scores (the first network's
// validation probabilities, NaN rows for the rows it trained on) become
// for each row the mean of the networks that held that row out, still
// NaN for rows every network trained on.
func trainCNNMembers(ctx context.Context, c *CNN, info *CNNInfo, scores [][]float64, X [][]float64, y []int, groups []string, k int, img ImageFeatures, o CNNOptions) error {
	if o.Ensemble <= 1 {
		return nil
	}
	held := make([]int, len(scores)) // networks that held row i out
	for i, s := range scores {
		if !math.IsNaN(s[0]) {
			held[i] = 1
		}
	}
	for e := 1; e < o.Ensemble; e++ {
		mo := o
		mo.Seed = o.Seed + uint64(e)
		mc, mi, ms, err := TrainCNN(ctx, X, y, groups, k, img, mo)
		if err != nil {
			return fmt.Errorf("network %d of %d: %w", e+1, o.Ensemble, err)
		}
		c.Members = append(c.Members, mc)
		info.Members = append(info.Members, CNNMemberInfo{Seed: mo.Seed, BestEpoch: mi.BestEpoch, Ran: mi.Ran, ValLoss: mi.ValLoss})
		for i, s := range ms {
			switch {
			case math.IsNaN(s[0]):
			case held[i] == 0:
				scores[i], held[i] = s, 1
			default:
				for j, v := range s {
					scores[i][j] += v
				}
				held[i]++
			}
		}
	}
	for i, s := range scores {
		for j := range s {
			if held[i] > 1 {
				s[j] /= float64(held[i])
			}
		}
	}
	return nil
}

// ensembleSummary is Model.FitSummary for an ensemble: "3 networks,
// 12/9/14 of 20 epochs (kept 6/3/8)".
func (ci *CNNInfo) ensembleSummary() string {
	ran, kept := []string{fmt.Sprint(ci.Ran)}, []string{fmt.Sprint(ci.BestEpoch)}
	for _, m := range ci.Members {
		ran, kept = append(ran, fmt.Sprint(m.Ran)), append(kept, fmt.Sprint(m.BestEpoch))
	}
	return fmt.Sprintf("%d networks%s, %s of %d epochs (kept %s)", len(ran), ci.headSummary(), strings.Join(ran, "/"), ci.Epochs, strings.Join(kept, "/"))
}
