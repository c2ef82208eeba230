package cmdutil

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/classify"
)

// TestLoadScorerImageModel: ecg stream and ecg serve score windows with
// an image model through classify.ImageScorer, and a signal model as it
// is.
func TestLoadScorerImageModel(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		spec classify.FeatureSpec
	}{
		{"image", classify.ImageSpec(classify.DefaultImageFeatures(), nil)},
		{"signal", classify.SignalSpec(classify.DefaultSignalFeatures())},
	} {
		n := len(c.spec.Names())
		X := [][]float64{make([]float64, n), make([]float64, n)}
		X[1][0] = 1
		m, err := classify.Train([]string{"AF", "N"}, c.spec, X, []int{0, 1}, classify.TrainOptions{Forest: classify.ForestOptions{Trees: 2, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, c.name+".ecgm")
		saveModelFile(t, m, path)
		sc, err := LoadScorer(path, "stream")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		_, isImage := sc.(*classify.ImageScorer)
		if isImage != (c.name == "image") {
			t.Errorf("%s model: scorer %T", c.name, sc)
		}
	}
}

// saveModelFile writes m to path.
func saveModelFile(t *testing.T, m *classify.Model, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := m.Save(f); err != nil {
		t.Fatal(err)
	}
}
