package classify

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ensembleOptions are the settings of the small ensembles of these tests
// (temporal networks over the 8x16 stripe images).
func ensembleOptions(n int, seed uint64) CNNOptions {
	return CNNOptions{Arch: CNNArchTemporal, Epochs: 3, Batch: 8, LR: 0.01, Filters: []int{4}, Kernel: 3, Hidden: 4,
		Seed: seed, Jobs: 2, Ensemble: n}
}

func trainEnsemble(t *testing.T, n int, seed uint64, X [][]float64, y []int, groups []string) *Model {
	t.Helper()
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: ensembleOptions(n, seed)})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// An ensemble of 3 networks is the 3 networks one trains alone with
// seeds s, s+1, s+2 (each its own validation split), and scores the mean
// of their probabilities; it is file version 9 and loads, scores and
// saves as trained.
func TestCNNEnsemble(t *testing.T) {
	X, y, groups := cnnRows(48, 1)
	m := trainEnsemble(t, 3, 5, X, y, groups)
	ci := m.Info.Learner.CNN
	if len(m.CNN().Members) != 2 || len(ci.Members) != 2 || ci.Members[0].Seed != 6 || ci.Members[1].Seed != 7 {
		t.Fatalf("members %d, info %+v", len(m.CNN().Members), ci.Members)
	}
	if s := m.FitSummary(); !strings.HasPrefix(s, "3 networks, ") || !strings.Contains(s, " of 3 epochs (kept ") {
		t.Errorf("summary %q", s)
	}
	var single []*Model
	for s := uint64(5); s < 8; s++ {
		single = append(single, trainEnsemble(t, 1, s, X, y, groups))
	}
	if ci.BestEpoch != single[0].Info.Learner.CNN.BestEpoch || ci.Members[1].Ran != single[2].Info.Learner.CNN.Ran {
		t.Errorf("info %+v, single networks %+v, %+v", ci, single[0].Info.Learner.CNN, single[2].Info.Learner.CNN)
	}
	test, _, _ := cnnRows(8, 2)
	for _, x := range test {
		want := make([]float64, 2)
		for _, s := range single {
			for c, p := range s.Scores(nil, x) {
				want[c] += p
			}
		}
		got := m.Scores(nil, x)
		for c := range want {
			if want[c] /= 3; math.Abs(got[c]-want[c]) > 1e-15 {
				t.Fatalf("ensemble scores %v, mean of the single networks %v", got, want)
			}
		}
	}
	b := saved(t, m)
	if v := binary.LittleEndian.Uint32(b[8:]); v != modelVersionEnsemble {
		t.Errorf("file version %d, want %d", v, modelVersionEnsemble)
	}
	checkLoaded(t, b, m, test)
}

// One network asked as an ensemble of 1 is the single network, byte for
// byte (the golden files of single networks do not move).
func TestCNNEnsembleOfOne(t *testing.T) {
	X, y, groups := cnnRows(24, 1)
	one, zero := saved(t, trainEnsemble(t, 1, 2, X, y, groups)), saved(t, trainEnsemble(t, 0, 2, X, y, groups))
	if !bytes.Equal(one, zero) || bytes.Contains(one, []byte(`"members"`)) {
		t.Error("an ensemble of one network is not the single network's file")
	}
	if err := ensembleOptions(MaxCNNEnsemble+1, 1).Validate(); err == nil || !strings.Contains(err.Error(), "cnn-ensemble 17: want 1 to 16") {
		t.Errorf("17 networks: %v", err)
	}
}

// The validation probabilities an ensemble returns (which set the
// thresholds) are, for each row, the mean over the networks that held
// the row out of their training, NaN where none did.
func TestCNNEnsembleValidationScores(t *testing.T) {
	X, y, groups := cnnRows(40, 3)
	img := *cnnTestSpec.Image
	o := ensembleOptions(2, 1)
	o.Validation = 0.5 // rows held out by both networks, and by one
	_, _, s1, err := TrainCNN(context.Background(), X, y, groups, 2, img, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Seed = 2
	_, _, s2, err := TrainCNN(context.Background(), X, y, groups, 2, img, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Seed = 1
	_, got, err := trainCNNModel(cnnTestSpec, X, y, []string{"a", "b"}, TrainOptions{Learner: LearnerCNN, Groups: groups, CNN: o})
	if err != nil {
		t.Fatal(err)
	}
	both := 0
	for i := range got {
		a, b := !math.IsNaN(s1[i][0]), !math.IsNaN(s2[i][0])
		var want []float64
		switch {
		case a && b:
			want, both = []float64{(s1[i][0] + s2[i][0]) / 2, (s1[i][1] + s2[i][1]) / 2}, both+1
		case a:
			want = s1[i]
		case b:
			want = s2[i]
		}
		if want == nil && !math.IsNaN(got[i][0]) || want != nil && !slices.Equal(got[i], want) {
			t.Errorf("row %d: %v, networks %v and %v", i, got[i], s1[i], s2[i])
		}
	}
	if both == 0 {
		t.Error("no row held out by both networks: the mean is not tested")
	}
}

// ensembleGolden trains the small ensemble of testdata/small-cnn-ensemble.model.
func ensembleGolden(t *testing.T) (*Model, [][]float64) {
	X, y, groups := cnnRows(16, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Arch: CNNArchTemporal, Epochs: 1, Batch: 8, Filters: []int{2}, Hidden: 2, Seed: 1, Ensemble: 2}})
	if err != nil {
		t.Fatal(err)
	}
	return m, X
}

// A small ensemble of 2 temporal networks, as written
// (testdata/small-cnn-ensemble.model, also the seed "ensemble" of
// FuzzLoadModel in testdata/fuzz).
func TestSmallCNNEnsembleGolden(t *testing.T) {
	m, X := ensembleGolden(t)
	b := saved(t, m)
	checkGoldenSeed(t, "small-cnn-ensemble.model", "ensemble", b)
	checkLoaded(t, b, m, X[:4])
}

// An ensemble in another version than 9, version 9 with one network, an
// ensemble over MaxCNNEnsemble, and a damaged or missing member are
// refused, each naming what is wrong.
func TestLoadModelRefusesBadEnsemble(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "small-cnn-ensemble.model"))
	if err != nil {
		t.Fatal(err)
	}
	single, err := os.ReadFile(filepath.Join("testdata", "small-cnn-temporal.model"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ensembleGolden(t)
	a := m.CNN().Net.Arch
	member := 4 + 16 + 16*a.Extra + 8*a.NumParams() // bytes of the second network
	setVersion := func(v uint32) func(d []byte) []byte {
		return func(d []byte) []byte { binary.LittleEndian.PutUint32(d[8:], v); return d }
	}
	manyMembers := func(d []byte) []byte {
		old := `"members":[`
		i := bytes.Index(d, []byte(old))
		add := strings.Repeat(`{"seed":9,"best_epoch":1,"ran":1},`, MaxCNNEnsemble-1)
		d = append(d[:i+len(old)], append([]byte(add), d[i+len(old):]...)...)
		return fixInfoLen(d, len(add))
	}
	for _, c := range []struct {
		name, want string
		edit       func(d []byte) []byte
	}{
		{"as version 7", "2 networks in version 7 (an ensemble comes in version 9, or 11 with a recurrent layer, or 13 with a group normalisation)", setVersion(modelVersionPool)},
		{"as version 5", "2 networks in version 5", setVersion(modelVersionSettings)},
		{"as version 3", "2 networks in version 3", setVersion(modelVersionCNN)},
		{"as version 11", "a recurrent layer of 0 units in version 11", setVersion(modelVersionRecurrent)},
		{"17 networks", "an ensemble of 17 networks (at most 16)", manyMembers},
		{"second network cut", "truncated", func(d []byte) []byte { return append(d[:len(d)-member/2], 0, 0, 0, 0) }},
		{"second network's count", "network 2 of 2: 7 network parameters", func(d []byte) []byte {
			binary.LittleEndian.PutUint32(d[len(d)-4-member:], 7)
			return d
		}},
		{"second network NaN weight", "network 2 of 2: network weight", func(d []byte) []byte {
			binary.LittleEndian.PutUint64(d[len(d)-12:], math.Float64bits(math.NaN()))
			return d
		}},
	} {
		d := withCRC(c.edit(bytes.Clone(b)))
		if _, err := LoadModel(bytes.NewReader(d)); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
	one := withCRC(setVersion(modelVersionEnsemble)(bytes.Clone(single)))
	if _, err := LoadModel(bytes.NewReader(one)); err == nil || !strings.Contains(err.Error(), "one network in version 9") {
		t.Errorf("one network in version 9: %v", err)
	}
}
