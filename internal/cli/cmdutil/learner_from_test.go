package cmdutil

import (
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// TestLearnerFlagsFrom: --from default loads the embedded image network
// (and turns auto into cnn); a forest model or a missing file is refused;
// --from goes with the cnn learner only.
func TestLearnerFlagsFrom(t *testing.T) {
	images := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	l, ok := parseLearner(t, []string{"--from", "default"}, ExitOK)
	if !ok {
		return
	}
	if got, err := l.Resolve(images, 1, 1); err != nil || got != classify.LearnerCNN || l.CNN.From == nil || l.CNN.From.CNN() == nil {
		t.Fatalf("--from default: %s, %v", got, err)
	}
	parseLearner(t, []string{"--learner", "forest", "--from", "default"}, ExitUsage)

	spec := classify.ImageSpec(classify.DefaultImageFeatures(), nil)
	X := [][]float64{make([]float64, len(spec.Names())), make([]float64, len(spec.Names()))}
	X[1][0] = 1
	m, err := classify.Train([]string{"a", "b"}, spec, X, []int{0, 1}, classify.TrainOptions{Forest: classify.ForestOptions{Trees: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	forest := filepath.Join(t.TempDir(), "forest.ecgm")
	saveModelFile(t, m, forest)
	for _, from := range []string{forest, filepath.Join(t.TempDir(), "missing.ecgm")} {
		l, ok := parseLearner(t, []string{"--from", from}, ExitOK)
		if !ok {
			continue
		}
		if _, err := l.Resolve(images, 1, 1); err == nil {
			t.Errorf("--from %s: no error", from)
		}
	}
}
