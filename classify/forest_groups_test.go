package classify

import (
	"bytes"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// randomRows returns n rows of nf uniform features with labels from k
// classes drawn independently of them (nothing to learn), each row copied
// copies times one after the other (copies rows of one record).
func randomRows(n, nf, k, copies int, seed uint64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	var X [][]float64
	var y []int
	for range n {
		x := make([]float64, nf)
		for j := range x {
			x[j] = rng.Float64()
		}
		c := rng.IntN(k)
		for range copies {
			X, y = append(X, x), append(y, c)
		}
	}
	return X, y
}

// With every row its own group (nil, or distinct groups of any values),
// the grouped bootstrap is TrainForest's: the same trees and out-of-bag
// scores (make model's forest stays byte for byte the same).
func TestForestGroupedSingletons(t *testing.T) {
	X, y := randomRows(60, 5, 3, 1, 1)
	opt := ForestOptions{Trees: 8, Seed: 4, Jobs: 2}
	want, wantOOB, err := TrainForest(X, y, 3, opt)
	if err != nil {
		t.Fatal(err)
	}
	distinct := make([]int, len(X))
	for i := range distinct {
		distinct[i] = 1000 - 3*i
	}
	for _, groups := range [][]int{nil, distinct} {
		got, oob, err := TrainForestGrouped(X, y, groups, 3, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || !slices.EqualFunc(oob, wantOOB, func(a, b []float64) bool { return slices.EqualFunc(a, b, sameFloat) }) {
			t.Errorf("groups %v: the forest or its out-of-bag scores differ from TrainForest's", groups != nil)
		}
	}
	if _, _, err := TrainForestGrouped(X, y, distinct[1:], 3, opt); err == nil {
		t.Error("fewer groups than rows accepted")
	}
}

// A tree's bag holds every row of a group or none, each as often as its
// group was drawn; groups need not be consecutive rows.
func TestBootstrapGroupsDraw(t *testing.T) {
	groups := []int{5, 9, 5, 2, 9, 5, 7}
	b := newBootstrapGroups(groups)
	if b == nil || len(b.start) != 5 {
		t.Fatalf("groups %+v, want 4", b)
	}
	sawOut := false
	for s := range uint64(20) {
		w := make([]float64, len(groups))
		in := b.draw(rand.New(rand.NewPCG(s, 0)), len(groups), w)
		total := 0.0
		for i := range groups {
			for j := range groups {
				if groups[i] == groups[j] && (in[i] != in[j] || w[i] != w[j]) {
					t.Fatalf("seed %d: rows %d and %d of group %d: in bag %v and %v, weights %v and %v", s, i, j, groups[i], in[i], in[j], w[i], w[j])
				}
			}
			if in[i] != (w[i] > 0) {
				t.Fatalf("seed %d: row %d in bag %v with weight %v", s, i, in[i], w[i])
			}
			sawOut = sawOut || !in[i]
			total += w[i]
		}
		if total != 0 && math.Mod(total, 1) != 0 {
			t.Fatalf("seed %d: weights %v", s, w)
		}
	}
	if !sawOut {
		t.Error("no group ever out of the bag")
	}
}

// Records of three identical rows and labels that have nothing to do with
// the features: bootstrapping rows, a row's copies are in the bag of most
// trees it is out of, and its out-of-bag score "knows" its label;
// bootstrapping records keeps the out-of-bag accuracy near chance. The
// same seed gives the same forest whatever Jobs.
func TestForestGroupedOOBHonest(t *testing.T) {
	const copies = 3
	X, y := randomRows(120, 6, 2, copies, 2)
	groups := viewGroups(len(X)/copies, copies)
	oobAcc := func(oob [][]float64) float64 {
		ok, n := 0, 0
		for i, p := range oob {
			if !math.IsNaN(p[0]) {
				n++
				if argmax(p) == y[i] {
					ok++
				}
			}
		}
		return float64(ok) / float64(n)
	}
	opt := ForestOptions{Trees: 30, Seed: 1, Jobs: 1}
	_, rowOOB, err := TrainForest(X, y, 2, opt)
	if err != nil {
		t.Fatal(err)
	}
	f1, grouped, err := TrainForestGrouped(X, y, groups, 2, opt)
	if err != nil {
		t.Fatal(err)
	}
	a, b := oobAcc(rowOOB), oobAcc(grouped)
	t.Logf("out-of-bag accuracy %.3f bootstrapping rows, %.3f records", a, b)
	if a < 0.85 || b > 0.65 {
		t.Errorf("out-of-bag accuracy %.3f bootstrapping rows (want >= 0.85), %.3f bootstrapping records (want near 0.5)", a, b)
	}
	opt.Jobs = 3
	f3, again, err := TrainForestGrouped(X, y, groups, 2, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(f1, f3) || !reflect.DeepEqual(grouped, again) {
		t.Error("Jobs 1 and 3 grew different forests")
	}
}

// The forest with crops: every view is a row, a record's views are one
// group of the bootstrap, the thresholds come from the records' out-of-bag
// scores (the geometric mean of their views'), scores are the views'
// geometric mean; saved as version 10, it loads and scores the same.
func TestForestCropModel(t *testing.T) {
	spec := cropSpec(1, 0.6)
	X, y := cropRows(t, spec)
	m, err := Train([]string{"N", "AF"}, spec, X, y, TrainOptions{Forest: ForestOptions{Trees: 12, Seed: 1, Jobs: 2}})
	if err != nil {
		t.Fatal(err)
	}
	d := len(spec.Names())
	if m.forest == nil || m.forest.NumFeatures != d || m.Info.Training.Samples != len(X) {
		t.Fatalf("forest %v, %d samples; want a forest of %d features, %d samples", m.forest, m.Info.Training.Samples, d, len(X))
	}
	if a := m.Info.Training.OOBAccuracy; !(a > 0.5 && a <= 1) {
		t.Errorf("out-of-bag accuracy %v", a)
	}
	x := X[4]
	want := geometricMean(nil, [][]float64{m.forest.PredictProba(nil, x[:d]), m.forest.PredictProba(nil, x[d:])})
	if got := m.Scores(nil, x); !slices.Equal(got, want) {
		t.Errorf("scores %v, want the views' geometric mean %v", got, want)
	}
	b, back := reloadCrops(t, m)
	if got := back.Scores(nil, x); !slices.Equal(got, want) || !bytes.Equal(saved(t, back), b) {
		t.Errorf("reloaded: scores %v, want %v, or saved differently", got, want)
	}
}

// reloadCrops saves m, a model with crops, checks that the file is of
// version 10, and loads it back.
func reloadCrops(t *testing.T, m *Model) ([]byte, *Model) {
	t.Helper()
	b := saved(t, m)
	if b[len(modelMagic)] != modelVersionCrops {
		t.Fatalf("version %d, want %d", b[len(modelMagic)], modelVersionCrops)
	}
	back, err := LoadModel(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return b, back
}
