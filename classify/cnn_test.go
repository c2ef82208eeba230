package classify

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets"
)

// stripeImage draws a rows x cols grey image: label 0 has bright
// vertical stripes at random times (beats), label 1 a bright horizontal
// band at a random frequency, over noise.
func stripeImage(rng *rand.Rand, label, rows, cols int) []float64 {
	px := make([]float64, rows*cols)
	for i := range px {
		px[i] = 0.3 + 0.1*rng.Float64()
	}
	if label == 0 {
		for k := 0; k < 3; k++ {
			c := rng.IntN(cols)
			for r := 0; r < rows; r++ {
				px[r*cols+c] += 0.5
			}
		}
	} else {
		r := rng.IntN(rows)
		for c := 0; c < cols; c++ {
			px[r*cols+c] += 0.5
		}
	}
	return px
}

// cnnRows returns n rows of stripe images of 8 x 16 with one extra value
// (rr.avg_rr), their labels and record groups of 4 rows each.
func cnnRows(n int, seed uint64) (X [][]float64, y []int, groups []string) {
	rng := rand.New(rand.NewPCG(seed, 3))
	for i := 0; i < n; i++ {
		l := i % 2
		X = append(X, append(stripeImage(rng, l, 8, 16), 0.6+0.4*rng.Float64()))
		y = append(y, l)
		groups = append(groups, fmt.Sprintf("r%d_%d", seed, i/4))
	}
	return X, y, groups
}

var cnnTestSpec = ImageSpec(ImageFeatures{Rows: 8, Cols: 16, Pixels: true}, []string{"avg_rr"})

func cnnTestModel(t *testing.T, jobs int) *Model {
	t.Helper()
	X, y, groups := cnnRows(120, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Epochs: 12, Batch: 8, LR: 0.01, Filters: []int{4, 8}, Hidden: 8, Seed: 3, Jobs: jobs}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCNNLearnsImages(t *testing.T) {
	m := cnnTestModel(t, 2)
	X, y, _ := cnnRows(60, 2)
	ok := 0
	for i, x := range X {
		p, err := m.Predict(x)
		if err != nil {
			t.Fatal(err)
		}
		if p.Label == m.Info.Labels[y[i]] {
			ok++
		}
	}
	if acc := float64(ok) / float64(len(X)); acc < 0.9 {
		t.Errorf("held-out accuracy %.2f (info %+v)", acc, m.Info.Learner.CNN)
	}
	ci := m.Info.Learner.CNN
	if ci == nil || ci.BestEpoch < 1 || ci.Ran < ci.BestEpoch || len(m.Info.Thresholds) != 2 {
		t.Errorf("learner info %+v, thresholds %v", ci, m.Info.Thresholds)
	}
}

// The same seed gives the same model file whatever the jobs; a saved
// model loads and scores exactly as the trained one.
func TestCNNSaveLoad(t *testing.T) {
	a, b := saved(t, cnnTestModel(t, 1)), saved(t, cnnTestModel(t, 3))
	if !bytes.Equal(a, b) {
		t.Fatal("models trained with 1 and 3 jobs differ")
	}
	if v := binary.LittleEndian.Uint32(a[8:]); v != modelVersionCNN {
		t.Errorf("file version %d, want %d", v, modelVersionCNN)
	}
	X, _, _ := cnnRows(10, 5)
	X[0][len(X[0])-1] = math.NaN() // a missing RR value
	checkLoaded(t, a, cnnTestModel(t, 1), X)
}

// checkLoaded checks that model file b loads, scores the rows X exactly
// as the trained model orig does, and saves as the same bytes.
func checkLoaded(t *testing.T, b []byte, orig *Model, X [][]float64) {
	t.Helper()
	m, err := LoadModel(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range X {
		if got, want := m.Scores(nil, x), orig.Scores(nil, x); !slices.Equal(got, want) {
			t.Fatalf("loaded model scores %v, trained model %v", got, want)
		}
	}
	if !bytes.Equal(saved(t, m), b) {
		t.Error("a loaded model saves different bytes")
	}
}

// The cnn seeds of FuzzLoadModel: a 2-D and a temporal network.
func TestSmallCNNModelGolden(t *testing.T) {
	X, y, groups := cnnRows(16, 1)
	for name, arch := range map[string]string{"small-cnn.model": "", "small-cnn-temporal.model": CNNArchTemporal} {
		m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
			CNN: CNNOptions{Arch: arch, Epochs: 1, Batch: 8, Filters: []int{2}, Hidden: 2, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		checkGolden(t, name, saved(t, m))
	}
}

// checkGolden compares b with testdata/name (rewritten with -update).
func checkGolden(t *testing.T, name string, b []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("model bytes differ from %s (run with -update if the format changed on purpose)", path)
	}
}

// Model files written before networks existed load and save byte for
// byte.
func TestOldModelFilesUnchanged(t *testing.T) {
	for _, name := range []string{"small.model", "small-gbdt.model"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		m, err := LoadModel(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(saved(t, m), b) {
			t.Errorf("%s: saved bytes differ", name)
		}
	}
}

func TestLoadModelRefusesBadCNN(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "small-cnn.model"))
	if err != nil {
		t.Fatal(err)
	}
	infoLen := int(binary.LittleEndian.Uint32(b[12:]))
	body := 16 + infoLen
	for _, c := range []struct {
		name, want string
		edit       func(d []byte) []byte
	}{
		{"parameter count", "network parameters", func(d []byte) []byte {
			binary.LittleEndian.PutUint32(d[body:], 7)
			return d
		}},
		{"zero sd", "standardisation", func(d []byte) []byte {
			binary.LittleEndian.PutUint64(d[body+12:], 0)
			return d
		}},
		{"NaN weight", "network weight", func(d []byte) []byte {
			binary.LittleEndian.PutUint64(d[len(d)-12:], math.Float64bits(math.NaN()))
			return d
		}},
		{"as version 2", `learner "cnn" in version 2`, func(d []byte) []byte {
			binary.LittleEndian.PutUint32(d[8:], modelVersionKinds)
			return d
		}},
		{"truncated", "truncated", func(d []byte) []byte { return append(d[:len(d)-40], 0, 0, 0, 0) }},
		{"arch of 3 classes", "classes", func(d []byte) []byte {
			return []byte(strings.Replace(string(d), `"classes":2`, `"classes":3`, 1))
		}},
	} {
		d := withCRC(c.edit(bytes.Clone(b)))
		if _, err := LoadModel(bytes.NewReader(d)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// The augmentation shifts every row by the same time offset and adds one
// brightness offset: row r of the output is row r of the input, never
// another frequency's.
func TestSpectrogramAugmentKeepsFrequencies(t *testing.T) {
	const rows, cols = 4, 8
	aug := spectrogramAugment(rows, cols, 0.1)
	x := make([]float64, rows*cols)
	for i := range x {
		x[i] = float64(i * i % 17)
	}
	dst := make([]float64, len(x))
	for s := uint64(0); s < 20; s++ {
		aug(dst, x, rand.New(rand.NewPCG(s, 1)))
		found, off := false, 0.0
		for shift := -cols / 4; shift <= cols/4 && !found; shift++ {
			off = dst[0] - x[((-shift)%cols+cols)%cols]
			ok := true
			for r := 0; r < rows; r++ {
				for c := 0; c < cols; c++ {
					if math.Abs(dst[r*cols+c]-x[r*cols+((c-shift)%cols+cols)%cols]-off) > 1e-12 {
						ok = false
					}
				}
			}
			found = ok
		}
		if !found || math.Abs(off) > 0.1 {
			t.Fatalf("seed %d: output is not a time shift plus an offset of at most 0.1 (offset %v)", s, off)
		}
	}
}

// writePNG writes px (rows x cols luminance) as a grey PNG.
func writePNG(t *testing.T, path string, px []float64, rows, cols int) {
	img := image.NewGray(image.Rect(0, 0, cols, rows))
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			img.SetGray(c, r, color.Gray{uint8(min(px[r*cols+c], 1) * 255)})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// ecg train --learner cnn on a folder of PNGs (32 x 128 after resizing,
// as the learner reads them): trained, measured on held-out records,
// saved and evaluated through the same calls as ecg eval.
func TestTrainDatasetCNN(t *testing.T) {
	ds := stripeFolders(t)
	var stages []string
	res, err := TrainDataset(context.Background(), ds, DatasetOptions{Seed: 1, Learner: LearnerCNN, Jobs: 2,
		CNN:      CNNOptions{Epochs: 6, Filters: []int{4, 8}, Hidden: 8, LR: 0.01, Seed: 1, Jobs: 2},
		Progress: func(s string, done, total int) { stages = append(stages, fmt.Sprintf("%s %d/%d", s, done, total)) }})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	if !m.Info.Features.Image.Pixels || m.Info.Learner.Kind != LearnerCNN {
		t.Fatalf("features %+v, learner %q", m.Info.Features.Image, m.Info.Learner.Kind)
	}
	if acc := m.Info.Heldout.Accuracy; acc < 0.9 {
		t.Errorf("held-out accuracy %.2f", acc)
	}
	if !slices.Contains(stages, "epochs 6/6") {
		t.Errorf("progress %v lacks the last epoch", stages)
	}
	ev, err := EvaluateDataset(context.Background(), loaded(t, m), ds, EvalOptions{Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	if ev.Report.Accuracy < 0.9 {
		t.Errorf("accuracy of the loaded model on its data %.2f", ev.Report.Accuracy)
	}
	// In chunks of 5 files (72 files: the last chunk short), the same
	// files, scores and progress as in one.
	defer func(n int) { evalChunk = n }(evalChunk)
	evalChunk = 5
	ticks := 0
	chunked, err := EvaluateDataset(context.Background(), loaded(t, m), ds, EvalOptions{Jobs: 2,
		Progress: func(s string, done, total int) { ticks++ }})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(chunked.Scores, ev.Scores) || !reflect.DeepEqual(chunked.Files, ev.Files) || chunked.Report.Accuracy != ev.Report.Accuracy {
		t.Errorf("in chunks of 5: accuracy %v, scores differ from one chunk's", chunked.Report.Accuracy)
	}
	if len(ds.Files)%evalChunk == 0 || ticks < len(ds.Files) {
		t.Errorf("%d files, %d progress calls", len(ds.Files), ticks)
	}
}

// stripeFolders writes 12 records of 6 stripe images of 32 x 128 into
// label folders beats and band, and reads them.
func stripeFolders(t *testing.T) *datasets.LabelFolders {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(4, 4))
	for rec := 0; rec < 12; rec++ {
		for i := 0; i < 6; i++ {
			l := (rec + i) % 2
			label := []string{"beats", "band"}[l]
			if err := os.MkdirAll(filepath.Join(dir, label), 0o755); err != nil {
				t.Fatal(err)
			}
			writePNG(t, filepath.Join(dir, label, fmt.Sprintf("%d_%02d.png", 100+rec, i)), stripeImage(rng, l, 32, 128), 32, 128)
		}
	}
	ds, err := datasets.ReadLabelFolders(dir)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// ecg train --folds 3 --learner cnn --out: every fold's network and the
// final one count their epochs in one stage; the final model's
// thresholds come from the out-of-fold scores. Images are read at 16 x 32
// here (a given spec) to keep the test quick.
func TestCrossValidateDatasetCNN(t *testing.T) {
	ds := stripeFolders(t)
	spec := ImageSpec(ImageFeatures{Rows: 16, Cols: 32, Pixels: true}, nil)
	var last string
	res, err := CrossValidateDataset(context.Background(), ds, CVOptions{Folds: 3, Seed: 1, Spec: &spec, Learner: LearnerCNN, Jobs: 2, Final: true,
		CNN:      CNNOptions{Epochs: 8, Filters: []int{4, 8}, Hidden: 8, LR: 0.01, Seed: 1, Jobs: 2},
		Progress: func(s string, done, total int) { last = fmt.Sprintf("%s %d/%d", s, done, total) }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Accuracy < 0.85 || res.Model == nil || res.Model.CNN() == nil {
		t.Errorf("out-of-fold accuracy %.2f, final model %v", res.Report.Accuracy, res.Model != nil)
	}
	if last != "epochs 32/32" {
		t.Errorf("last progress %q, want epochs 32/32", last)
	}
}

func loaded(t *testing.T, m *Model) *Model {
	m2, err := LoadModel(bytes.NewReader(saved(t, m)))
	if err != nil {
		t.Fatal(err)
	}
	return m2
}

// Balanced weights are capped at 10 times the most common label's; an
// absent label keeps weight 1 within the cap.
func TestCNNClassWeights(t *testing.T) {
	y := append(make([]int, 100), 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2)
	cw := cnnClassWeights(y, 4, "balanced")
	// balanced: 111/(3*100) = 0.37, 111/(3*10) = 3.7, 111/3 = 37 -> capped at 3.7
	want := []float64{0.37, 3.7, 3.7, 1}
	for c := range want {
		if math.Abs(cw[c]-want[c]) > 1e-9 {
			t.Errorf("weights %v, want %v", cw, want)
			break
		}
	}
	if cw := cnnClassWeights(y, 4, "none"); !slices.Equal(cw, []float64{1, 1, 1, 1}) {
		t.Errorf("none: %v", cw)
	}
}

// PerImage: a model standardises each image by itself (so a gain change,
// a brightness offset of the whole image, changes no score), and keeps
// doing so after a save and load.
func TestCNNPerImage(t *testing.T) {
	X, y, groups := cnnRows(40, 1)
	m, err := Train([]string{"beats", "band"}, cnnTestSpec, X, y, TrainOptions{Learner: LearnerCNN, Groups: groups,
		CNN: CNNOptions{Epochs: 2, Batch: 8, Filters: []int{2}, Hidden: 2, Seed: 1, PerImage: true}})
	if err != nil {
		t.Fatal(err)
	}
	m = loaded(t, m)
	x := slices.Clone(X[0])
	for i := 0; i < 8*16; i++ {
		x[i] += 0.1
	}
	a, b := m.Scores(nil, X[0]), m.Scores(nil, x)
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-9 {
			t.Fatalf("scores %v, %v after a brightness offset", a, b)
		}
	}
}
