package classify

import (
	"math"
	"strings"
	"testing"
)

// TestCNNWarmStart: a network trained from another starts from its
// convolution blocks (with a learning rate too small to move them, they
// stay) and its pixel standardisation, with a new head for other labels
// and no extra values, and records where it started from.
func TestCNNWarmStart(t *testing.T) {
	from := cnnTestModel(t, 2)
	X, y, groups := cnnRows(40, 5)
	for i := range X {
		X[i] = X[i][:8*16] // no manifest column
		y[i] = i % 3
	}
	spec := ImageSpec(ImageFeatures{Rows: 8, Cols: 16, Pixels: true}, nil)
	m, err := Train([]string{"a", "b", "c"}, spec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Epochs: 1, Batch: 8, LR: 1e-12, Filters: []int{2}, Seed: 1, From: from, FromName: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	fc, c := from.CNN(), m.CNN()
	a := c.Net.Arch
	if len(a.Filters) != 2 || a.Filters[1] != 8 || a.Classes != 3 || a.Extra != 0 || c.Mean != fc.Mean || c.SD != fc.SD {
		t.Fatalf("arch %+v, standardisation %g %g (from %g %g)", a, c.Mean, c.SD, fc.Mean, fc.SD)
	}
	n := trunkParams(a)
	for i := 0; i < n; i++ {
		if math.Abs(c.Net.Params[i]-fc.Net.Params[i]) > 1e-6 {
			t.Fatalf("convolution parameter %d: %g, started from %g", i, c.Net.Params[i], fc.Net.Params[i])
		}
	}
	if ci := m.Info.Learner.CNN; ci.From != "test" {
		t.Errorf("from %q", ci.From)
	}
	// Without From the blocks are fresh.
	cold, err := Train([]string{"a", "b", "c"}, spec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Epochs: 1, Batch: 8, LR: 1e-12, Filters: []int{4, 8}, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if cold.CNN().Net.Params[0] == fc.Net.Params[0] || cold.Info.Learner.CNN.From != "" {
		t.Error("a cold start has the warm start's weights")
	}
}

// TestCNNWarmStartRefuses a forest and a network of another image size.
func TestCNNWarmStartRefuses(t *testing.T) {
	from := cnnTestModel(t, 2)
	X, y, _ := cnnRows(8, 5)
	forest, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Forest: ForestOptions{Trees: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	other := ImageSpec(ImageFeatures{Rows: 4, Cols: 32, Pixels: true}, []string{"avg_rr"})
	for _, c := range []struct {
		spec FeatureSpec
		from *Model
		want string
	}{
		{cnnTestSpec, forest, "not a network"},
		{other, from, "reads images of 1x8x16"},
	} {
		_, err := Train([]string{"beats", "band"}, c.spec, X, y, TrainOptions{Learner: LearnerCNN,
			CNN: CNNOptions{Epochs: 1, Seed: 1, From: c.from}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.want, err, c.want)
		}
	}
}
