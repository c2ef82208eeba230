//go:build harness

// The cnn harness: ecg train DIR --folds 5 --seed 1 --learner cnn with
// settings the command does not expose. Run with
//
//	CNN_DIR=/tmp/cnn/mitdb-png CNN_PER_IMAGE=1 go test -tags harness -run TestCNNHarness -v -timeout 2h ./classify
package classify

import (
	"context"
	"os"
	"testing"

	"github.com/ecgkit/ecg/datasets"
)

func TestCNNHarness(t *testing.T) {
	dir := os.Getenv("CNN_DIR")
	if dir == "" {
		t.Skip("CNN_DIR not set")
	}
	ds, err := datasets.ReadLabelFolders(dir)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := NewFeatureCache(os.Getenv("ECG_FEATURE_CACHE"))
	if err != nil {
		cache = nil
	}
	o := CNNOptions{Epochs: 20, Batch: 16, Seed: 1, Jobs: 2, PerImage: os.Getenv("CNN_PER_IMAGE") == "1"}
	if os.Getenv("CNN_CLASS_WEIGHT") != "" {
		o.ClassWeight = os.Getenv("CNN_CLASS_WEIGHT")
	}
	res, err := CrossValidateDataset(context.Background(), ds, CVOptions{Folds: 5, Seed: 1, Learner: LearnerCNN, CNN: o, Jobs: 2, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("settings %+v, train time %v", o, res.TrainTime)
	if err := res.WriteReport(os.Stdout, "text"); err != nil {
		t.Fatal(err)
	}
}
