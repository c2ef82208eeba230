package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"
)

func TestGBDTLearnsAndGeneralises(t *testing.T) {
	X, y := blobs(600, 12, 3, 1, 1)
	// Features with missing values must not stop it.
	for i := range X {
		if i%7 == 0 {
			X[i][i%12] = math.NaN()
		}
	}
	g, raw, err := TrainGBDT(X, y, 3, GBDTOptions{Rounds: 40, Seed: 3, Subsample: 0.8, ColSample: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Trees) != 40*3 || g.Rounds() != 40 {
		t.Fatalf("%d trees, %d rounds; want 120 and 40", len(g.Trees), g.Rounds())
	}
	// The training scores are what the model itself gives.
	for i := 0; i < len(X); i += 37 {
		want := g.RawScores(make([]float64, 3), X[i], g.Rounds())
		for c := range want {
			if raw[i][c] != want[c] {
				t.Fatalf("row %d class %d: training raw score %v, model %v", i, c, raw[i][c], want[c])
			}
		}
	}
	Xt, yt := blobs(300, 12, 3, 2, 1)
	correct := 0
	for i, x := range Xt {
		p := g.PredictProba(nil, x)
		var s float64
		for _, v := range p {
			s += v
		}
		if math.Abs(s-1) > 1e-9 {
			t.Fatalf("probabilities sum to %v", s)
		}
		if argmax(p) == yt[i] {
			correct++
		}
	}
	if acc := float64(correct) / float64(len(Xt)); acc < 0.95 {
		t.Errorf("held-out accuracy %.3f, want >= 0.95", acc)
	}
}

// A single rule (x0 > 0.5) that a depth-1 stump can express exactly.
func TestGBDTStump(t *testing.T) {
	var X [][]float64
	var y []int
	for i := 0; i < 200; i++ {
		v := float64(i) / 200
		X, y = append(X, []float64{v, float64(i % 3)}), append(y, 0)
		if v > 0.5 {
			y[i] = 1
		}
	}
	g, _, err := TrainGBDT(X, y, 2, GBDTOptions{Rounds: 20, MaxDepth: 1, LearningRate: 0.5, Bins: 256, Subsample: 1, ColSample: 1, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range g.Trees[:2] { // round 0: the rule itself
		if tr.Feature[0] != 0 || tr.Threshold[0] <= 0.5 || tr.Threshold[0] >= 0.505 {
			t.Fatalf("split on feature %d at %v, want feature 0 at 0.5", tr.Feature[0], tr.Threshold[0])
		}
	}
	if p := g.PredictProba(nil, []float64{0.9, 0}); p[1] < 0.95 {
		t.Errorf("P(1 | x=0.9) = %.3f, want > 0.95", p[1])
	}
}

func gbdtTestModel(t testing.TB, seed uint64, jobs int) *Model {
	spec := ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil)
	X, y := blobs(300, 6, 3, 1, 1.5)
	m, err := Train([]string{"a", "b", "c"}, spec, padTo(X, len(spec.Names())), y, TrainOptions{Learner: LearnerGBDT,
		GBDT: GBDTOptions{Rounds: 15, MaxDepth: 3, Subsample: 0.7, ColSample: 0.6, Seed: seed, Jobs: jobs}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func saved(t testing.TB, m *Model) []byte {
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGBDTDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := saved(t, gbdtTestModel(t, 5, 1))
	runtime.GOMAXPROCS(2)
	two := saved(t, gbdtTestModel(t, 5, 2))
	if !bytes.Equal(one, two) {
		t.Error("the same seed gave different model bytes at GOMAXPROCS 1 (1 job) and 2 (2 jobs)")
	}
	if other := saved(t, gbdtTestModel(t, 6, 2)); bytes.Equal(one, other) {
		t.Error("seeds 5 and 6 gave the same model although rows and features are subsampled")
	}
}

func TestGBDTSaveLoad(t *testing.T) {
	m := gbdtTestModel(t, 1, 2)
	b := saved(t, m)
	if v := binary.LittleEndian.Uint32(b[8:]); v != modelVersionKinds {
		t.Errorf("version %d, want %d", v, modelVersionKinds)
	}
	m2, err := LoadModel(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if m2.GBDT() == nil || m2.Forest() != nil || m2.Info.Learner.Kind != LearnerGBDT || m2.NumTrees() != 45 {
		t.Fatalf("loaded learner %q with %d trees", m2.Info.Learner.Kind, m2.NumTrees())
	}
	if !bytes.Equal(saved(t, m2), b) {
		t.Error("saving the loaded model gave other bytes")
	}
	X, _ := blobs(50, len(m.Info.FeatureNames), 3, 9, 2)
	X[3][0] = math.NaN()
	for i, x := range X {
		p1, err1 := m.Predict(x)
		p2, err2 := m2.Predict(x)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		for c := range p1.Scores {
			if p1.Scores[c] != p2.Scores[c] {
				t.Fatalf("row %d: score %v before saving, %v after", i, p1.Scores[c], p2.Scores[c])
			}
		}
	}
}

func TestGBDTLoadRefusesDamage(t *testing.T) {
	b := saved(t, gbdtTestModel(t, 1, 1))
	for _, n := range []int{len(b) - 1, len(b) - 4, len(b) / 2, 40} {
		_, err := LoadModel(bytes.NewReader(b[:n]))
		if !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "truncated") {
			t.Errorf("cut to %d of %d bytes: %v, want a truncation error", n, len(b), err)
		}
	}
	flip := bytes.Clone(b)
	flip[len(flip)-10] ^= 0x40
	if _, err := LoadModel(bytes.NewReader(flip)); err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("a flipped bit: %v, want a checksum error", err)
	}
	// The last leaf value NaN, with a valid checksum.
	nan := bytes.Clone(b[:len(b)-4])
	binary.LittleEndian.PutUint32(nan[len(nan)-4:], math.Float32bits(float32(math.NaN())))
	if _, err := LoadModel(bytes.NewReader(withCRC(append(nan, 0, 0, 0, 0)))); err == nil || !strings.Contains(err.Error(), "leaf raw score") {
		t.Errorf("a NaN leaf: %v, want a leaf raw score error", err)
	}
	// A gbdt body under version 1 is refused.
	v1 := bytes.Clone(b)
	binary.LittleEndian.PutUint32(v1[8:], modelVersion)
	if _, err := LoadModel(bytes.NewReader(withCRC(v1))); err == nil || !strings.Contains(err.Error(), `learner "gbdt" (version 1 knows`) {
		t.Errorf("gbdt as version 1: %v", err)
	}
}

// The gbdt seed of FuzzLoadModel.
func TestSmallGBDTModelGolden(t *testing.T) {
	checkGolden(t, "small-gbdt.model", saved(t, gbdtTestModel(t, 1, 2)))
}

func TestTrainGBDTRefusesBadOptions(t *testing.T) {
	X, y := blobs(30, 2, 2, 1, 1)
	for _, o := range []GBDTOptions{{Subsample: 1.5}, {ColSample: math.NaN()}, {LearningRate: 2}, {ClassWeight: "x"}} {
		if _, _, err := TrainGBDT(X, y, 2, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if _, err := Train([]string{"a", "b"}, ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil), nil, nil, TrainOptions{Learner: "svm"}); !errors.Is(err, ErrUnknownLearner) {
		t.Errorf("learner svm: %v", err)
	}
}

func TestGBDTOptionsValidate(t *testing.T) {
	ok := GBDTOptions{Rounds: 1, LearningRate: 0.1, MaxDepth: 6, Subsample: 1, ColSample: 1, ClassWeight: "none"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		change func(*GBDTOptions)
		want   string
	}{
		{func(o *GBDTOptions) { o.Rounds = 0 }, "rounds 0: want at least 1"},
		{func(o *GBDTOptions) { o.LearningRate = 1.5 }, "learning-rate 1.5: want in (0, 1]"},
		{func(o *GBDTOptions) { o.MaxDepth = 65 }, "max-depth 65: want 1 to 64"},
		{func(o *GBDTOptions) { o.Subsample = 0 }, "subsample 0: want in (0, 1]"},
		{func(o *GBDTOptions) { o.ColSample = math.NaN() }, "colsample NaN: want in (0, 1]"},
		{func(o *GBDTOptions) { o.ClassWeight = "x" }, `class-weight "x": want balanced or none`},
	} {
		o := ok
		c.change(&o)
		if err := o.Validate(); err == nil || err.Error() != c.want {
			t.Errorf("%v, want %s", err, c.want)
		}
	}
}

// BenchmarkTrainGBDT boosts 100 rounds of depth-6 trees on 5,000 rows of
// 40 features and 4 classes (about the CinC 2017 training fold).
func BenchmarkTrainGBDT(b *testing.B) {
	X, y := blobs(5000, 40, 4, 1, 2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := TrainGBDT(X, y, 4, GBDTOptions{Rounds: 100, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredictGBDT scores one 40-feature vector with 150 rounds (the
// default) of 4 depth-6 trees.
func BenchmarkPredictGBDT(b *testing.B) {
	X, y := blobs(5000, 40, 4, 1, 2)
	g, _, err := TrainGBDT(X, y, 4, GBDTOptions{Rounds: 150, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	dst := make([]float64, 4)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g.PredictProba(dst, X[i%len(X)])
	}
}

// A gbdt model without held-out data reports no out-of-bag accuracy (it
// has no out-of-bag rows; the forest's report keeps its own).
func TestTrainingReportWithoutHeldout(t *testing.T) {
	var b bytes.Buffer
	if err := gbdtTestModel(t, 1, 1).WriteTrainingReport(&b, "text"); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != "no held-out data (a single record group)\n" {
		t.Errorf("gbdt report %q", got)
	}
}
