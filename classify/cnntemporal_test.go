package classify

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify/nn"
)

func temporalTestModel(t *testing.T, jobs int) *Model {
	t.Helper()
	X, y, groups := cnnRows(120, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Arch: CNNArchTemporal, Epochs: 12, Batch: 8, LR: 0.01, Filters: []int{4, 8}, Kernel: 3, Hidden: 8, Seed: 3, Jobs: jobs}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTemporalCNN: the temporal network reads the 8 rows of the stripe
// images as channels of 16 columns, learns them, and a saved model (file
// version 3, as the 2-D network's) loads and scores exactly as trained,
// whatever the jobs.
func TestTemporalCNN(t *testing.T) {
	m := temporalTestModel(t, 2)
	a := m.CNN().Net.Arch
	if !a.OneD || a.In != (nn.Shape{C: 8, H: 1, W: 16}) || a.Kernel != 3 || m.CNN().Arch() != CNNArchTemporal {
		t.Fatalf("arch %+v", a)
	}
	if r, c := m.CNN().ImageSize(); r != 8 || c != 16 {
		t.Errorf("image size %dx%d", r, c)
	}
	X, y, _ := cnnRows(60, 2)
	if acc := accuracyOn(t, m, X, y); acc < 0.9 {
		t.Errorf("held-out accuracy %.2f (info %+v)", acc, m.Info.Learner.CNN)
	}
	b := saved(t, m)
	if !bytes.Equal(b, saved(t, temporalTestModel(t, 1))) {
		t.Error("models trained with 2 and 1 jobs differ")
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != modelVersionCNN {
		t.Errorf("file version %d, want %d", v, modelVersionCNN)
	}
	checkLoaded(t, b, m, X[:10])
}

// A temporal network's header must match its image: as many channels as
// rows (a 1-D network over the wrong layout, or a 2-D network over the
// temporal layout, is refused).
func TestLoadModelRefusesBadTemporalCNN(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "small-cnn-temporal.model"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadModel(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, old, new, want string }{
		{"2-D over the temporal layout", `"one_d":true`, `"one_d":false`, "pooled away"},
		{"channels of another image", `"in":{"c":8,"h":1,"w":16}`, `"in":{"c":4,"h":1,"w":32}`, "network of input"},
	} {
		d := []byte(strings.Replace(string(b), c.old, c.new, 1))
		if bytes.Equal(d, b) {
			t.Fatalf("%s: %q not in the header", c.name, c.old)
		}
		d = withCRC(fixInfoLen(d, len(c.new)-len(c.old)))
		if _, err := LoadModel(bytes.NewReader(d)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// fixInfoLen adds delta to the header length of model file d.
func fixInfoLen(d []byte, delta int) []byte {
	n := int(binary.LittleEndian.Uint32(d[12:]))
	binary.LittleEndian.PutUint32(d[12:], uint32(n+delta))
	return d
}

// The architecture option: only 2d and temporal; a temporal network takes
// images of few rows (they are channels) but at most nn.MaxChannel, and
// needs its columns to survive the pooling.
func TestCNNArchOptions(t *testing.T) {
	if err := (CNNOptions{Epochs: 1, Batch: 1, LR: 0.1, Arch: "3d"}).Validate(); err == nil || !strings.Contains(err.Error(), "cnn-arch 3d: want 2d or temporal") {
		t.Errorf("arch 3d: %v", err)
	}
	for _, a := range []string{"", CNNArch2D, CNNArchTemporal} {
		if err := (CNNOptions{Epochs: 1, Batch: 1, LR: 0.1, Arch: a, ClassWeight: "none"}).Validate(); err != nil {
			t.Errorf("arch %q: %v", a, err)
		}
	}
	if o := (CNNOptions{Arch: CNNArchTemporal}).withDefaults(); !slices.Equal(o.Filters, []int{32, 32, 64, 64}) || o.Kernel != 7 {
		t.Errorf("temporal defaults %v, kernel %d", o.Filters, o.Kernel)
	}
	if o := (CNNOptions{}).withDefaults(); !slices.Equal(o.Filters, []int{8, 16, 32}) || o.Kernel != 3 {
		t.Errorf("2d defaults %v, kernel %d", o.Filters, o.Kernel)
	}
	spec := ImageSpec(CNNImageFeatures(), nil)
	temporal := CNNOptions{Arch: CNNArchTemporal}
	for _, c := range []struct {
		rows, cols int
		o          CNNOptions
		want       string
	}{
		{4, 256, temporal, ""},
		{4, 256, CNNOptions{}, "need images of at least 8 x 8"},
		{nn.MaxChannel + 1, 256, temporal, "at most 64 rows"},
		{nn.MaxChannel + 1, 256, CNNOptions{}, ""},
		{16, 8, temporal, "at least 16 columns"},
	} {
		_, err := spec.WithNetworkImageSize(c.rows, c.cols, c.o)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%dx%d %q: %v, want %q", c.rows, c.cols, c.o.Arch, err, c.want)
		}
	}
}

// A network started from a temporal one is temporal, with its blocks.
func TestTemporalWarmStart(t *testing.T) {
	from := temporalTestModel(t, 2)
	X, y, groups := cnnRows(24, 5)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Epochs: 1, Batch: 8, LR: 1e-12, Seed: 1, From: from, FromName: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	a, fa := m.CNN().Net.Arch, from.CNN().Net.Arch
	if !a.OneD || a.In != fa.In || !slices.Equal(a.Filters, fa.Filters) || a.Kernel != fa.Kernel {
		t.Fatalf("arch %+v, from %+v", a, fa)
	}
	if p, fp := m.CNN().Net.Params[0], from.CNN().Net.Params[0]; p-fp > 1e-6 || fp-p > 1e-6 {
		t.Errorf("first weight %g, started from %g", p, fp)
	}
}

// accuracyOn returns the share of the rows X whose label m predicts as
// y says.
func accuracyOn(t *testing.T, m *Model, X [][]float64, y []int) float64 {
	t.Helper()
	ok := 0
	for i, x := range X {
		if p, err := m.Predict(x); err != nil {
			t.Fatal(err)
		} else if p.Label == m.Info.Labels[y[i]] {
			ok++
		}
	}
	return float64(ok) / float64(len(X))
}

// withTemporalArch sets the strides and global pooling of the temporal
// networks Train makes, for the rest of the test.
func withTemporalArch(t *testing.T, strides []int, pool string) {
	t.Helper()
	old, oldPool := temporalStrides, temporalGlobalPool
	temporalStrides, temporalGlobalPool = strides, pool
	t.Cleanup(func() { temporalStrides, temporalGlobalPool = old, oldPool })
}

// A temporal network with a strided first block and the channels'
// averages and maxima joined learns the stripes, loads and scores exactly
// as trained, and a network started from it keeps both settings whatever
// the defaults.
func TestTemporalStridedAvgMax(t *testing.T) {
	withTemporalArch(t, []int{2}, nn.GlobalAvgMax)
	m := temporalTestModel(t, 2)
	a := m.CNN().Net.Arch
	if !slices.Equal(a.Strides, []int{2}) || a.GlobalPool != nn.GlobalAvgMax {
		t.Fatalf("arch %+v", a)
	}
	X, y, groups := cnnRows(60, 2)
	if acc := accuracyOn(t, m, X, y); acc < 0.9 {
		t.Errorf("held-out accuracy %.2f", acc)
	}
	b := saved(t, m)
	if !strings.Contains(string(b), `"strides":[2],"global_pool":"avgmax"`) {
		t.Error("the header does not record the strides and global pooling")
	}
	checkLoaded(t, b, m, X[:10])
	withTemporalArch(t, nil, nn.GlobalAvg)
	w, err := Train([]string{"beats", "band"}, cnnTestSpec, X[:24], y[:24], TrainOptions{Learner: LearnerCNN, Groups: groups[:24],
		CNN: CNNOptions{Epochs: 1, Batch: 8, LR: 1e-12, Seed: 1, From: m, FromName: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	if wa := w.CNN().Net.Arch; !slices.Equal(wa.Strides, a.Strides) || wa.GlobalPool != a.GlobalPool {
		t.Errorf("warm-started arch %+v, from %+v", wa, a)
	}
}

// A temporal model file of session 22 (no strides, global average
// pooling; the golden small-cnn-temporal.model of then) loads with that
// network, saves the same bytes and scores what session 22's code scored
// (the values below, printed by the code at 7dfdbd0).
func TestTemporalSession22File(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "small-cnn-temporal-s22.model"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if a := m.CNN().Net.Arch; a.Strides != nil || a.GlobalPool != nn.GlobalAvg || !a.OneD {
		t.Fatalf("arch %+v", a)
	}
	if !bytes.Equal(saved(t, m), b) {
		t.Error("the session 22 file saves other bytes")
	}
	want := [][]float64{{0.5013794940945071, 0.4986205059054929}, {0.474692375743816, 0.5253076242561839},
		{0.5013794940945071, 0.4986205059054929}}
	X, _, _ := cnnRows(3, 9)
	for i, x := range X {
		if got := m.Scores(nil, x); !slices.Equal(got, want[i]) {
			t.Errorf("image %d: scores %v, session 22 %v", i, got, want[i])
		}
	}
}

// The columns a new temporal network needs count its strides.
func TestTemporalImageStrides(t *testing.T) {
	withTemporalArch(t, []int{2}, nn.GlobalAvg)
	if err := checkTemporalImage(16, 31, 4); err == nil || !strings.Contains(err.Error(), "at least 32 columns") {
		t.Errorf("31 columns: %v", err)
	}
	if err := checkTemporalImage(16, 32, 4); err != nil {
		t.Errorf("32 columns: %v", err)
	}
}

// A small temporal network with a strided first block and joined average
// and max pooling, as written (testdata/small-cnn-temporal-avgmax.model,
// also a seed of FuzzLoadModel in testdata/fuzz).
func TestSmallTemporalAvgMaxGolden(t *testing.T) {
	withTemporalArch(t, []int{2}, nn.GlobalAvgMax)
	X, y, groups := cnnRows(16, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Arch: CNNArchTemporal, Epochs: 1, Batch: 8, Filters: []int{2}, Hidden: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	b := saved(t, m)
	checkGolden(t, "small-cnn-temporal-avgmax.model", b)
	checkLoaded(t, b, m, X[:4])
}
