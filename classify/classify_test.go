package classify

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// blobs returns n rows of nf features in k Gaussian clusters.
func blobs(n, nf, k int, seed uint64, spread float64) ([][]float64, []int) {
	rng := rand.New(rand.NewPCG(seed, 7))
	X := make([][]float64, n)
	y := make([]int, n)
	for i := range X {
		c := i % k
		y[i] = c
		X[i] = make([]float64, nf)
		for f := range X[i] {
			center := 0.0
			if f%k == c {
				center = 3
			}
			X[i][f] = center + spread*rng.NormFloat64()
		}
	}
	return X, y
}

func TestForestLearnsAndGeneralises(t *testing.T) {
	X, y := blobs(600, 12, 3, 1, 1)
	f, oob, err := TrainForest(X, y, 3, ForestOptions{Trees: 30, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	Xt, yt := blobs(300, 12, 3, 2, 1)
	correct := 0
	for i, x := range Xt {
		if argmax(f.PredictProba(nil, x)) == yt[i] {
			correct++
		}
	}
	acc := float64(correct) / float64(len(Xt))
	if acc < 0.97 {
		t.Errorf("test accuracy %.3f, want >= 0.97 on well separated blobs", acc)
	}
	oc, on := 0, 0
	for i, p := range oob {
		if math.IsNaN(p[0]) {
			continue
		}
		on++
		if argmax(p) == y[i] {
			oc++
		}
	}
	if on < 550 || float64(oc)/float64(on) < 0.95 {
		t.Errorf("OOB: %d of %d rows correct", oc, on)
	}
	// Chance level on random labels: the forest must not "learn" noise.
	rng := rand.New(rand.NewPCG(9, 9))
	yr := make([]int, len(y))
	for i := range yr {
		yr[i] = rng.IntN(3)
	}
	_, oobR, err := TrainForest(X, yr, 3, ForestOptions{Trees: 30, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	oc = 0
	for i, p := range oobR {
		if !math.IsNaN(p[0]) && argmax(p) == yr[i] {
			oc++
		}
	}
	if a := float64(oc) / float64(len(yr)); a > 0.45 {
		t.Errorf("OOB accuracy %.3f on random labels, want near 1/3", a)
	}
}

func TestClassWeightsHelpRareClass(t *testing.T) {
	// 95 % class 0, 5 % class 1 with overlapping features: balanced
	// weights must recall the rare class better than no weights.
	rng := rand.New(rand.NewPCG(4, 4))
	var X [][]float64
	var y []int
	for i := 0; i < 2000; i++ {
		c := 0
		if i%20 == 0 {
			c = 1
		}
		X = append(X, []float64{float64(c)*1.5 + rng.NormFloat64(), rng.NormFloat64()})
		y = append(y, c)
	}
	recall := func(cw string) float64 {
		f, _, err := TrainForest(X, y, 2, ForestOptions{Trees: 40, Seed: 1, ClassWeight: cw, MinLeaf: 20})
		if err != nil {
			t.Fatal(err)
		}
		tp, pos := 0, 0
		r2 := rand.New(rand.NewPCG(5, 5))
		for i := 0; i < 4000; i++ {
			x := []float64{1.5 + r2.NormFloat64(), r2.NormFloat64()}
			pos++
			if argmax(f.PredictProba(nil, x)) == 1 {
				tp++
			}
		}
		return float64(tp) / float64(pos)
	}
	rb, rn := recall("balanced"), recall("none")
	if rb < rn+0.2 {
		t.Errorf("rare-class recall balanced %.3f, none %.3f: weights should help", rb, rn)
	}
}

func testImage(kind int, seed uint64) image.Image {
	rng := rand.New(rand.NewPCG(seed, uint64(kind)))
	w, h := 90+int(seed%40), 50+int(seed%17)
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := 0.2 + 0.1*rng.Float64()
			switch kind {
			case 1: // bright low band (bottom rows)
				if y > h*3/4 {
					v += 0.5
				}
			case 2: // periodic vertical stripes
				if (x/6)%2 == 0 {
					v += 0.4
				}
			}
			img.SetGray(x, y, color.Gray{uint8(255 * math.Min(v, 1))})
		}
	}
	return img
}

func trainImageModel(t testing.TB, seed uint64) *Model {
	t.Helper()
	spec := ImageSpec(DefaultImageFeatures(), []string{"prev_rr", "avg_rr"})
	var X [][]float64
	var y []int
	for i := 0; i < 60; i++ {
		x, err := spec.ImageVector(testImage(i%3, uint64(i)), map[string]float64{"prev_rr": 0.8, "avg_rr": 0.8})
		if err != nil {
			t.Fatal(err)
		}
		X = append(X, x)
		y = append(y, i%3)
	}
	m, err := Train([]string{"flat", "lowband", "stripes"}, spec, X, y, TrainOptions{Forest: ForestOptions{Trees: 10, Seed: seed}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestModelRoundTripAndDeterminism(t *testing.T) {
	m := trainImageModel(t, 1)
	var a, b bytes.Buffer
	if err := m.Save(&a); err != nil {
		t.Fatal(err)
	}
	if err := trainImageModel(t, 1).Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same seed and data gave different model files")
	}
	var c bytes.Buffer
	if err := trainImageModel(t, 2).Save(&c); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("different seeds gave the same model file")
	}
	m2, err := LoadModel(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var d bytes.Buffer
	if err := m2.Save(&d); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), d.Bytes()) {
		t.Error("load and save changed the bytes")
	}
	for kind := 0; kind < 3; kind++ {
		p, err := m2.PredictImage(testImage(kind, 1000+uint64(kind)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if p.Label != m2.Info.Labels[kind] {
			t.Errorf("kind %d predicted %s (%.2f)", kind, p.Label, p.Confidence)
		}
		sum := 0.0
		for _, s := range p.Scores {
			sum += s.Score
		}
		if math.Abs(sum-1) > 1e-6 {
			t.Errorf("scores sum to %v", sum)
		}
	}
	if _, err := m2.PredictSignal(make([]float64, 3600), 360); err == nil {
		t.Error("an image model accepted a signal")
	}
}

func TestLoadModelRejectsDamage(t *testing.T) {
	var buf bytes.Buffer
	if err := trainImageModel(t, 1).Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for _, n := range []int{0, 5, 8, 20, len(good) / 2, len(good) - 1} {
		if _, err := LoadModel(bytes.NewReader(good[:n])); !errors.Is(err, ErrModelFormat) {
			t.Errorf("truncated to %d bytes: error %v, want ErrModelFormat", n, err)
		}
	}
	bad := bytes.Clone(good)
	bad[len(bad)/2] ^= 0x40
	if _, err := LoadModel(bytes.NewReader(bad)); !errors.Is(err, ErrModelFormat) {
		t.Errorf("flipped bit: %v", err)
	}
}
