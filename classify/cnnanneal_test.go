package classify

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTrainCNNAnneal: a second stage (CNNOptions.Anneal) continues from
// the first stage's weights at a tenth of the learning rate and keeps its
// own best weights only when their validation loss is lower. On stripe
// images it improves the validation loss; on labels at random the first
// stage's weights are kept, exactly. Both stages' epochs are counted, and
// a negative stage is refused.
func TestTrainCNNAnneal(t *testing.T) {
	X, y, groups := cnnRows(48, 1)
	random := slices.Clone(y)
	rand.New(rand.NewPCG(1, 5)).Shuffle(len(random), func(i, j int) { random[i], random[j] = random[j], random[i] })
	img := *cnnTestSpec.Image
	for _, c := range []struct {
		name      string
		y         []int
		keepFirst bool
	}{{"labels", y, false}, {"labels at random", random, true}} {
		o := ensembleOptions(1, 1)
		o.Validation, o.Epochs = 0.3, 4
		first, fi, _, err := TrainCNN(context.Background(), X, c.y, groups, 2, img, o)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Anneal != 0 {
			t.Errorf("%s: no second stage asked, info %+v", c.name, fi)
		}
		o.Anneal = 3
		ticks := 0
		o.Progress = func(epoch, epochs int) {
			if ticks++; epoch != ticks || epochs != 7 {
				t.Errorf("%s: progress %d of %d at tick %d, want %d of 7", c.name, epoch, epochs, ticks, ticks)
			}
		}
		both, info, _, err := TrainCNN(context.Background(), X, c.y, groups, 2, img, o)
		if err != nil {
			t.Fatal(err)
		}
		if ticks != 7 {
			t.Errorf("%s: %d progress ticks, want 4 + 3 (the epochs not run too)", c.name, ticks)
		}
		if info.Anneal != 3 || info.Ran <= fi.Ran || info.Ran > fi.Ran+3 {
			t.Fatalf("%s: first stage %+v, both %+v", c.name, fi, info)
		}
		checkAnnealed(t, c.name, stageResult{fi.Ran, fi.BestEpoch, fi.ValLoss}, stageResult{info.Ran, info.BestEpoch, info.ValLoss},
			c.keepFirst, slices.Equal(both.Net.Params, first.Net.Params))
	}
	o := ensembleOptions(1, 1)
	o.Anneal = -1
	if err := o.Validate(); err == nil {
		t.Error("a second stage of -1 epochs was accepted")
	}
}

// checkAnnealed checks what a second stage of training left (both)
// against the first stage: the first stage's best epoch kept exactly when
// keepFirst, its weights (sameWeights) and validation loss then, a lower
// validation loss otherwise.
func checkAnnealed(t *testing.T, name string, first, both stageResult, keepFirst, sameWeights bool) {
	t.Helper()
	kept := both.best <= first.ran
	if kept != keepFirst {
		t.Errorf("%s: best epoch %d of %d (first stage %d, validation loss %v, both %v): want the first stage's kept %v",
			name, both.best, both.ran, first.ran, first.valLoss, both.valLoss, keepFirst)
	}
	if kept != sameWeights {
		t.Errorf("%s: the first stage's best epoch kept %v, its weights %v", name, kept, sameWeights)
	}
	if kept && both.valLoss != first.valLoss || !kept && !(both.valLoss < first.valLoss) {
		t.Errorf("%s: validation loss %v after the second stage, %v before", name, both.valLoss, first.valLoss)
	}
}
