package classify

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify/nn"
)

// headRows are 40 rows of cnnRows (with their avg_rr column) labelled
// 0, 1, 2 in turn.
func headRows() ([][]float64, []int, []string) {
	X, y, groups := cnnRows(40, 5)
	for i := range y {
		y[i] = i % 3
	}
	return X, y, groups
}

// trainHead trains on headRows into labels from network from with head
// mode head, learning rate lr and seed 1.
func trainHead(t *testing.T, from *Model, labels []string, head string, lr float64) *Model {
	t.Helper()
	X, y, groups := headRows()
	m, err := Train(labels, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Epochs: 2, Batch: 8, LR: lr, Seed: 1, From: from, FromName: "test", FromHead: head}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCNNWarmStartKeepsHead: with FromHead keep the hidden layer is the
// network's, each known label's output row and bias move to the label's
// new place (labels permuted), an unknown label's row is the fresh one of
// a network of that seed, the extra values keep the network's
// standardisation, and the model records which rows were kept. A
// learning rate too small to move the weights shows where they started.
func TestCNNWarmStartKeepsHead(t *testing.T) {
	from := cnnTestModel(t, 2) // labels beats, band; hidden 8
	labels := []string{"x", "band", "beats"}
	m := trainHead(t, from, labels, CNNFromHeadKeep, 1e-12)
	fn, c := from.CNN().Net, m.CNN()
	a := c.Net.Arch
	if a.Hidden != fn.Arch.Hidden || a.Classes != 3 || a.Extra != fn.Arch.Extra {
		t.Fatalf("arch %+v, from %+v", a, fn.Arch)
	}
	near := func(what string, got, want []float64) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
		}
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-6 {
				t.Fatalf("%s %d: %g, want %g", what, i, got[i], want[i])
			}
		}
	}
	trunk := trunkParams(a)
	noOut := a
	noOut.Classes = 0
	out, h := noOut.NumParams(), a.Hidden
	near("hidden layer", c.Net.Params[trunk:out], fn.Params[trunk:out])
	row := func(p []float64, k, j int) []float64 {
		return append(slices.Clone(p[out+j*h:out+(j+1)*h]), p[out+k*h+j])
	}
	near("row of band", row(c.Net.Params, 3, 1), row(fn.Params, 2, 1))
	near("row of beats", row(c.Net.Params, 3, 2), row(fn.Params, 2, 0))
	fresh, err := nn.New(a, 1)
	if err != nil {
		t.Fatal(err)
	}
	near("row of x", row(c.Net.Params, 3, 0), row(fresh.Params, 3, 0))
	if fc := from.CNN(); !slices.Equal(c.ExtraMean, fc.ExtraMean) || !slices.Equal(c.ExtraSD, fc.ExtraSD) || c.Mean != fc.Mean {
		t.Errorf("standardisation %g %v %v, the network's %g %v %v", c.Mean, c.ExtraMean, c.ExtraSD, fc.Mean, fc.ExtraMean, fc.ExtraSD)
	}
	ci := m.Info.Learner.CNN
	if !slices.Equal(ci.FromHead, []string{"band", "beats"}) || !strings.Contains(m.FitSummary(), "network with the head of test (band, beats), 2 of 2 epochs") {
		t.Errorf("from head %v, summary %q", ci.FromHead, m.FitSummary())
	}
	// The model file keeps the record.
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Info.Learner.CNN.FromHead; !slices.Equal(got, ci.FromHead) {
		t.Errorf("loaded from head %v", got)
	}
}

// TestCNNWarmStartHeadSameBytes: a kept head trains to the same model
// bytes for the same seed; FromHead new and "" are today's warm start
// (the same bytes, a fresh head of the default width, nothing recorded).
func TestCNNWarmStartHeadSameBytes(t *testing.T) {
	from := cnnTestModel(t, 2)
	labels := []string{"band", "beats", "x"}
	save := func(m *Model) []byte {
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	k1, k2 := save(trainHead(t, from, labels, CNNFromHeadKeep, 0.01)), save(trainHead(t, from, labels, CNNFromHeadKeep, 0.01))
	if !bytes.Equal(k1, k2) {
		t.Error("a kept head: two trainings of one seed differ")
	}
	nm := trainHead(t, from, labels, CNNFromHeadNew, 0.01)
	n1, n2 := save(nm), save(trainHead(t, from, labels, "", 0.01))
	if !bytes.Equal(n1, n2) {
		t.Error("FromHead new and \"\" differ")
	}
	if bytes.Equal(n1, k1) {
		t.Error("a new head and a kept head train the same model")
	}
	if a := nm.CNN().Net.Arch; a.Hidden != 32 || len(nm.Info.Learner.CNN.FromHead) != 0 || strings.Contains(nm.FitSummary(), "head") {
		t.Errorf("new head: hidden %d, from head %v, summary %q", a.Hidden, nm.Info.Learner.CNN.FromHead, nm.FitSummary())
	}
}

// TestCNNWarmStartHeadRefused: a head is not kept, with an error that
// says why, for labels none of which the network knows, other extra
// values before the head, a model that is no network, or TrainCNN
// without label names.
func TestCNNWarmStartHeadRefused(t *testing.T) {
	from := cnnTestModel(t, 2)
	X, y, groups := headRows()
	noRR := ImageSpec(ImageFeatures{Rows: 8, Cols: 16, Pixels: true}, nil)
	bare := make([][]float64, len(X))
	for i := range X {
		bare[i] = X[i][:8*16]
	}
	o := CNNOptions{Epochs: 1, Batch: 8, Seed: 1, From: from, FromHead: CNNFromHeadKeep}
	for _, c := range []struct {
		labels []string
		spec   FeatureSpec
		X      [][]float64
		want   string
	}{
		{[]string{"x", "y", "z"}, cnnTestSpec, X, "none in common"},
		{[]string{"beats", "band", "x"}, noRR, bare, "extra values [avg_rr] before its head, these images []"},
	} {
		_, err := Train(c.labels, c.spec, c.X, y, TrainOptions{Learner: LearnerCNN, Groups: groups, CNN: o})
		if !errors.Is(err, ErrHeadNotKept) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v", c.labels, err)
		}
	}
	forest, err := Train([]string{"a", "b", "c"}, cnnTestSpec, X, y, TrainOptions{Forest: ForestOptions{Trees: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if err := HeadKeepable(forest, []string{"a"}, []string{"avg_rr"}); !errors.Is(err, ErrHeadNotKept) {
		t.Errorf("a forest: %v", err)
	}
	if _, _, _, err := TrainCNN(t.Context(), X, y, groups, 3, *cnnTestSpec.Image, o); err == nil || !strings.Contains(err.Error(), "label names") {
		t.Errorf("TrainCNN: %v", err)
	}
	o.FromHead = "old"
	if err := o.withDefaults().Validate(); err == nil || !strings.Contains(err.Error(), "keep or new") {
		t.Errorf("from-head old: %v", err)
	}
}
