package classify

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
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
