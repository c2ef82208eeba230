package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// normGolden trains the small temporal network with group normalisation
// of testdata/small-cnn-norm.model (ensemble networks: 2 for an
// ensemble; recurrent: hidden units of a recurrent layer).
func normGolden(t *testing.T, ensemble, recurrent int) (*Model, [][]float64) {
	t.Helper()
	X, y, groups := cnnRows(16, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Arch: CNNArchTemporal, Epochs: 1, Batch: 8, Filters: []int{4}, Hidden: 2, Seed: 1, Norm: CNNNormGroup,
			Ensemble: ensemble, Recurrent: recurrent}})
	if err != nil {
		t.Fatal(err)
	}
	return m, X
}

// A small temporal network with group normalisation, as written
// (testdata/small-cnn-norm.model, also the seed "norm" of FuzzLoadModel
// in testdata/fuzz): file version 13, which loads, scores and saves as
// trained.
func TestSmallCNNNormGolden(t *testing.T) {
	m, X := normGolden(t, 1, 0)
	b := saved(t, m)
	if v := binary.LittleEndian.Uint32(b[len(modelMagic):]); v != modelVersionNorm {
		t.Fatalf("version %d, want %d", v, modelVersionNorm)
	}
	if !strings.Contains(string(b), `"group_norm":4`) {
		t.Error("the header does not record the group normalisation")
	}
	checkGoldenSeed(t, "small-cnn-norm.model", "norm", b)
	checkLoaded(t, b, m, X[:4])
}

// An ensemble, and a network with a recurrent layer as well, are version
// 13 too and load as trained.
func TestNormEnsembleRecurrent(t *testing.T) {
	for _, c := range []struct{ ensemble, recurrent int }{{2, 0}, {1, 3}, {2, 3}} {
		m, X := normGolden(t, c.ensemble, c.recurrent)
		b := saved(t, m)
		if v := binary.LittleEndian.Uint32(b[len(modelMagic):]); v != modelVersionNorm || len(m.CNN().Members) != c.ensemble-1 {
			t.Fatalf("%+v: version %d, %d members", c, v, len(m.CNN().Members))
		}
		checkLoaded(t, b, m, X[:4])
	}
}

// The group normalisation in another version, and version 13 without it,
// are refused naming both (as an ecg that reads up to version 12 refuses
// version 13 by its number).
func TestNormVersion(t *testing.T) {
	m, _ := normGolden(t, 1, 0)
	norm := saved(t, m)
	r, _ := normGolden(t, 2, 3)
	normRec := saved(t, r)
	plain, err := os.ReadFile(filepath.Join("testdata", "small-cnn-temporal.model"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := os.ReadFile(filepath.Join("testdata", "small-cnn-recurrent.model"))
	if err != nil {
		t.Fatal(err)
	}
	set := withVersion
	checkRefused(t, []refusedFile{
		{"norm as version 3", "a group normalisation of 4 groups in version 3", set(norm, modelVersionCNN)},
		{"norm as version 9", "a group normalisation of 4 groups in version 9", set(norm, modelVersionEnsemble)},
		{"recurrent norm ensemble as version 11", "a group normalisation of 4 groups in version 11", set(normRec, modelVersionRecurrent)},
		{"norm as version 12", "learner \"cnn\" in version 12", set(norm, modelVersionMains)},
		{"plain network as version 13", "a group normalisation of 0 groups in version 13", set(plain, modelVersionNorm)},
		{"recurrent network as version 13", "a group normalisation of 0 groups in version 13", set(rec, modelVersionNorm)},
		{"version 14", "version 14 (this program reads versions 1 to 13)", set(norm, 14)},
	})
}

// Both architectures learn the stripes with either normalisation, the
// same whatever the jobs; a network started from one keeps its
// normalisation (and its scales) whatever the options say.
func TestNormLearnsAndWarmStarts(t *testing.T) {
	X, y, groups := cnnRows(120, 1)
	Xt, yt, _ := cnnRows(60, 2)
	var m *Model
	for _, c := range []struct{ arch, norm string }{{CNNArchTemporal, CNNNormGroup}, {CNNArch2D, CNNNormGroup}, {CNNArchTemporal, CNNNormLayer}} {
		var files [][]byte
		for _, jobs := range []int{1, 3} {
			var err error
			m, err = Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
				CNN: CNNOptions{Arch: c.arch, Epochs: 12, Batch: 8, LR: 0.01, Filters: []int{4, 8}, Kernel: 3, Hidden: 8, Seed: 3, Jobs: jobs, Norm: c.norm}})
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, saved(t, m))
		}
		if !bytes.Equal(files[0], files[1]) {
			t.Errorf("%+v: models trained with 1 and 3 jobs differ", c)
		}
		if acc := accuracyOn(t, m, Xt, yt); acc < 0.9 {
			t.Errorf("%+v: held-out accuracy %.2f", c, acc)
		}
	}
	w, err := Train([]string{"beats", "band"}, cnnTestSpec, X[:24], y[:24], TrainOptions{Learner: LearnerCNN, Groups: groups[:24],
		CNN: CNNOptions{Epochs: 1, Batch: 8, LR: 1e-12, Seed: 1, From: m, FromName: "test", Norm: CNNNormNone}})
	if err != nil {
		t.Fatal(err)
	}
	a := m.CNN().Net.Arch
	if wa := w.CNN().Net.Arch; a.GroupNorm != 1 || wa.GroupNorm != a.GroupNorm {
		t.Fatalf("warm-started arch %+v, from %+v", wa, a)
	}
	n := trunkParams(a)
	if p, q := w.CNN().Net.Params[n-1], m.CNN().Net.Params[n-1]; p-q > 1e-6 || q-p > 1e-6 {
		t.Errorf("the last block's last shift %v, from %v: not kept", p, q)
	}
}

// Norm is none, group or layer; the groups of group normalisation divide
// every block's filters.
func TestNormOptions(t *testing.T) {
	o := CNNOptions{Epochs: 1, Batch: 1, LR: 0.01, Norm: "batch"}
	var oe *OptionError
	if err := o.Validate(); !errors.As(err, &oe) || oe.Option != "cnn-norm" {
		t.Errorf("norm %q: %v", o.Norm, err)
	}
	for _, c := range []struct {
		arch, norm string
		filters    []int
		want       int
	}{
		{CNNArchTemporal, CNNNormGroup, temporalFilters, 8},
		{CNNArch2D, CNNNormGroup, []int{8, 16, 32}, 4},
		{CNNArchTemporal, CNNNormGroup, []int{6, 12}, 6},
		{CNNArchTemporal, CNNNormGroup, []int{12, 8}, 4},
		{CNNArchTemporal, CNNNormGroup, []int{5, 7}, 1},
		{CNNArchTemporal, CNNNormLayer, temporalFilters, 1},
		{CNNArchTemporal, "", temporalFilters, 0},
		{CNNArch2D, CNNNormNone, temporalFilters, 0},
	} {
		if g := normGroups(CNNOptions{Arch: c.arch, Norm: c.norm, Filters: c.filters}); g != c.want {
			t.Errorf("%+v: %d groups", c, g)
		}
	}
}

// checkGoldenSeed is checkGolden of testdata/golden that, with -update,
// also writes b as the seed of FuzzLoadModel named seed.
func checkGoldenSeed(t *testing.T, golden, seed string, b []byte) {
	t.Helper()
	checkGolden(t, golden, b)
	if *update {
		s := "go test fuzz v1\n[]byte(" + strconv.Quote(string(b)) + ")\n"
		if err := os.WriteFile(filepath.Join("testdata", "fuzz", "FuzzLoadModel", seed), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
