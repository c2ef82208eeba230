package classify

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/internal/refdata"
)

// TestPredictRows checks that the forest's tree-major scoring of many
// rows gives PredictProba's scores bit for bit, NaN features included,
// and that the model's flat scores do the same for gradient-boosted trees.
func TestPredictRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	X := make([][]float64, 300)
	y := make([]int, len(X))
	for i := range X {
		y[i] = rng.IntN(3)
		X[i] = make([]float64, 4)
		for j := range X[i] {
			X[i][j] = rng.NormFloat64() + float64(y[i]*j)/2
			if rng.IntN(20) == 0 {
				X[i][j] = math.NaN()
			}
		}
	}
	f, _, err := TrainForest(X, y, 3, ForestOptions{Trees: 15, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	g, _, err := TrainGBDT(X, y, 3, GBDTOptions{Rounds: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]*Model{"forest": {forest: f}, "gbdt": {gbdt: g}} {
		m.Info.Labels = []string{"a", "b", "c"}
		got := m.scoreRowsFlat(X)
		for i, x := range X {
			if j := sameBits(got[i*3:i*3+3], m.Scores(nil, x)); j >= 0 {
				t.Fatalf("%s: row %d class %d: %v, Scores gives %v", name, i, j, got[i*3:i*3+3], m.Scores(nil, x))
			}
		}
	}
}

// TestSortedMedian compares sortedMedian with quantileSorted of the sorted
// values, bit for bit, on values with ties, zeros of both signs,
// infinities and NaN, of every length up to 40.
func TestSortedMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pool := []float64{0, math.Copysign(0, -1), 1, -1, 2.5, math.Inf(1), math.Inf(-1), 1e-300}
	for trial := range 4000 {
		n := trial % 41
		s := make([]float64, n)
		for i := range s {
			switch {
			case trial%3 == 0:
				s[i] = pool[rng.IntN(len(pool))]
			case trial%97 == 1 && i == 0:
				s[i] = math.NaN()
			default:
				s[i] = float64(rng.IntN(7)) - 3 + rng.Float64()*float64(trial%2)
			}
		}
		sorted := append([]float64(nil), s...)
		slices.Sort(sorted)
		want := quantileSorted(sorted, 0.5)
		if got := sortedMedian(append([]float64(nil), s...)); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%v: sortedMedian %v, want %v", s, got, want)
		}
	}
}

// TestBeatFeaturesGolden pins the beat features bit for bit: a hash of
// every value (IEEE bits) of the model's vectors (beatVectors) and of all
// the features (BeatFeatures) at the detected beats of mitdb 100, 208 and
// 232, as computed before the features were made in one pass per record
// (session 20); a model file's predictions rest on them. It skips without
// the shared data.
func TestBeatFeaturesGolden(t *testing.T) {
	want := map[string][2]uint64{
		"100": {0x75825220fcbc464e, 0xacd4f601ea581288},
		"208": {0xf541ef60cac3de24, 0x904daf87ea92773c},
		"232": {0x39ddb841f83b6f0c, 0x55da2221fcc0c130},
	}
	dir := refdata.MITDB(t)
	for _, rec := range []string{"100", "208", "232"} {
		path := filepath.Join(dir, rec)
		x, fs, err := ReadBeatSignal(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		a, err := beats.AnalyzeRecord(path, beats.Options{})
		if err != nil {
			t.Fatal(err)
		}
		r := a.Samples()
		if got := [2]uint64{bitsHash(beatVectors(x, fs, r)), bitsHash(BeatFeatures(x, fs, r))}; got != want[rec] {
			t.Errorf("%s: feature hashes %#x, want %#x", rec, got, want[rec])
		}
	}
}

// bitsHash is the FNV-1a hash of the IEEE bits of every value of rows, in
// order.
func bitsHash(rows [][]float64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, row := range rows {
		for _, v := range row {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			h.Write(b[:])
		}
	}
	return h.Sum64()
}
