package classify

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify/nn"
)

// recurrentGolden trains the small recurrent temporal network of
// testdata/small-cnn-recurrent.model (ensemble networks: 2 for an
// ensemble).
func recurrentGolden(t *testing.T, ensemble int) (*Model, [][]float64) {
	t.Helper()
	X, y, groups := cnnRows(16, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Arch: CNNArchTemporal, Epochs: 1, Batch: 8, Filters: []int{2}, Hidden: 2, Seed: 1, Recurrent: 3, Ensemble: ensemble}})
	if err != nil {
		t.Fatal(err)
	}
	return m, X
}

// A small recurrent temporal network, as written
// (testdata/small-cnn-recurrent.model, also the seed "recurrent" of
// FuzzLoadModel in testdata/fuzz): file version 11, which loads, scores
// and saves as trained.
func TestSmallCNNRecurrentGolden(t *testing.T) {
	m, X := recurrentGolden(t, 1)
	b := saved(t, m)
	if b[len(modelMagic)] != modelVersionRecurrent {
		t.Fatalf("version %d, want %d", b[len(modelMagic)], modelVersionRecurrent)
	}
	if !strings.Contains(string(b), `"recurrent":3,"recurrent_avg":true`) {
		t.Error("the header does not record the recurrent layer")
	}
	checkGoldenSeed(t, "small-cnn-recurrent.model", "recurrent", b)
	checkLoaded(t, b, m, X[:4])
}

// A recurrent ensemble is version 11 too and loads with its members.
func TestRecurrentEnsemble(t *testing.T) {
	m, X := recurrentGolden(t, 2)
	b := saved(t, m)
	if b[len(modelMagic)] != modelVersionRecurrent || len(m.CNN().Members) != 1 {
		t.Fatalf("version %d, %d members", b[len(modelMagic)], len(m.CNN().Members))
	}
	checkLoaded(t, b, m, X[:4])
}

// The recurrent layer in another version, and version 11 without it, are
// refused naming both; a version beyond this program's is refused by its
// number (as an ecg that reads up to version 10 refuses version 11).
func TestRecurrentVersion(t *testing.T) {
	m, _ := recurrentGolden(t, 1)
	rec := saved(t, m)
	ens, _ := recurrentGolden(t, 2)
	recEns := saved(t, ens)
	plain, err := os.ReadFile(filepath.Join("testdata", "small-cnn-temporal.model"))
	if err != nil {
		t.Fatal(err)
	}
	set := withVersion
	checkRefused(t, []refusedFile{
		{"recurrent as version 3", "a recurrent layer of 3 units in version 3", set(rec, modelVersionCNN)},
		{"recurrent as version 7", "in version 7", set(rec, modelVersionPool)},
		{"recurrent ensemble as version 9", "a recurrent layer of 3 units in version 9", set(recEns, modelVersionEnsemble)},
		{"plain network as version 11", "a recurrent layer of 0 units in version 11", set(plain, modelVersionRecurrent)},
		{"version 99", "version 99 (this program reads versions 1 to", set(rec, 99)},
	})
}

// withVersion returns model file b with its version set to v (and its
// checksum recomputed).
func withVersion(b []byte, v uint32) []byte {
	d := bytes.Clone(b)
	binary.LittleEndian.PutUint32(d[len(modelMagic):], v)
	return withCRC(d)
}

// refusedFile is a model file LoadModel must refuse with an error
// containing want.
type refusedFile struct {
	name, want string
	b          []byte
}

// checkRefused checks that LoadModel refuses every file of files with
// ErrModelFormat and its message.
func checkRefused(t *testing.T, files []refusedFile) {
	t.Helper()
	for _, c := range files {
		if _, err := LoadModel(bytes.NewReader(c.b)); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// The recurrent network learns the stripes; a network started from it
// keeps its recurrent layer (weights included) and the averages joined to
// it whatever the options and defaults say.
func TestRecurrentLearnsAndWarmStarts(t *testing.T) {
	X, y, groups := cnnRows(120, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Arch: CNNArchTemporal, Epochs: 12, Batch: 8, LR: 0.01, Filters: []int{4, 8}, Kernel: 3, Hidden: 8, Seed: 3, Jobs: 2, Recurrent: 4}})
	if err != nil {
		t.Fatal(err)
	}
	Xt, yt, _ := cnnRows(60, 2)
	if acc := accuracyOn(t, m, Xt, yt); acc < 0.9 {
		t.Errorf("held-out accuracy %.2f", acc)
	}
	old := temporalRecurrentAvg
	temporalRecurrentAvg = false
	t.Cleanup(func() { temporalRecurrentAvg = old })
	w, err := Train([]string{"beats", "band"}, cnnTestSpec, X[:24], y[:24], TrainOptions{Learner: LearnerCNN, Groups: groups[:24],
		CNN: CNNOptions{Epochs: 1, Batch: 8, LR: 1e-12, Seed: 1, From: m, FromName: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	a := m.CNN().Net.Arch
	if wa := w.CNN().Net.Arch; wa.Recurrent != a.Recurrent || !wa.RecurrentAvg || !a.RecurrentAvg {
		t.Fatalf("warm-started arch %+v, from %+v", wa, a)
	}
	n := trunkParams(a)
	if p, q := w.CNN().Net.Params[n-1], m.CNN().Net.Params[n-1]; p-q > 1e-6 || q-p > 1e-6 {
		t.Errorf("the recurrent layer's last weight %v, from %v: not kept", p, q)
	}
}

// Recurrent is for the temporal network only, 0 to nn.MaxRecurrent.
func TestRecurrentOptions(t *testing.T) {
	for _, o := range []CNNOptions{{Recurrent: 4}, {Arch: CNNArch2D, Recurrent: 4},
		{Arch: CNNArchTemporal, Recurrent: -1}, {Arch: CNNArchTemporal, Recurrent: nn.MaxRecurrent + 1}} {
		o.Epochs, o.Batch, o.LR = 1, 1, 0.01
		var oe *OptionError
		if err := o.Validate(); !errors.As(err, &oe) || oe.Option != "cnn-recurrent" {
			t.Errorf("%+v: %v", o, err)
		}
	}
	X, y, groups := cnnRows(8, 1)
	_, _, _, err := TrainCNN(context.Background(), X, y, groups, 2, ImageFeatures{Rows: 8, Cols: 16, Pixels: true},
		CNNOptions{Recurrent: 4})
	if err == nil {
		t.Error("a 2-D network with a recurrent layer trained")
	}
}
