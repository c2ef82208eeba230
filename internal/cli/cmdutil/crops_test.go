package cmdutil

import (
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// TestCropFlags: records trained by gbdt get the default crops (--crops
// 0: none, the default spec), the forest gets none unless asked for, a
// network or the fusion none (asking is a usage error), and bad values and
// crops for images are usage errors.
func TestCropFlags(t *testing.T) {
	records := &datasets.LabelFolders{Dir: "r", Files: []datasets.LabeledFile{{Kind: datasets.KindRecord}}}
	images := &datasets.LabelFolders{Dir: "i", Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	l, ok := parseLearner(t, nil, ExitOK)
	if !ok {
		return
	}
	spec, err := l.Spec(records, classify.LearnerGBDT)
	if err != nil || spec == nil || spec.Signal.Crops != classify.DefaultCrops || spec.Signal.CropShare != classify.DefaultCropShare ||
		spec.Signal.FeatureSet != classify.TrainSignalFeatureSet {
		t.Errorf("gbdt on records: %+v (%v), want the default crops", spec, err)
	}
	for _, learner := range []string{classify.LearnerGBDTSignet, classify.LearnerCNN, ""} {
		if spec, err := l.Spec(records, learner); spec != nil || err != nil {
			t.Errorf("%q on records: %+v (%v), want the default spec (nil)", learner, spec, err)
		}
	}
	if spec, err := l.Spec(images, classify.LearnerForest); spec != nil || err != nil {
		t.Errorf("images: %+v (%v), want the default spec (nil)", spec, err)
	}
	l, ok = parseLearner(t, []string{"--crops", "3", "--crop-share", "0.5", "--feature-set", "6"}, ExitOK)
	if !ok {
		return
	}
	spec, err = l.Spec(records, classify.LearnerGBDT)
	if err != nil || spec == nil || spec.Signal.Crops != 3 || spec.Signal.CropShare != 0.5 || spec.Signal.FeatureSet != 6 {
		t.Errorf("--crops 3 --crop-share 0.5 --feature-set 6: %+v (%v)", spec, err)
	}
	if l, ok := parseLearner(t, []string{"--crops", "0", "--mains-notch=false", "--feature-set", "5"}, ExitOK); ok {
		if spec, err := l.Spec(records, classify.LearnerGBDT); spec != nil || err != nil {
			t.Errorf("--crops 0 --feature-set 5 --mains-notch=false: %+v (%v), want the default spec (nil)", spec, err)
		}
	}
	if l, ok := parseLearner(t, []string{"--crops", "1"}, ExitOK); ok {
		if _, err := l.Spec(images, classify.LearnerGBDT); ExitCode(err) != ExitUsage {
			t.Errorf("--crops on images: %v, want a usage error", err)
		}
	}
	for _, tc := range []struct {
		args  []string
		crops int
		share float64
	}{
		{[]string{"--crops", "1", "--learner", "forest"}, 1, classify.DefaultCropShare},
		{[]string{"--crops", "3", "--crop-share", "0.5", "--trees", "10"}, 3, 0.5},
		{[]string{"--crop-share", "0.6", "--learner", "forest"}, classify.DefaultCrops, 0.6},
	} {
		l, ok := parseLearner(t, tc.args, ExitOK)
		if !ok {
			continue
		}
		spec, err := l.Spec(records, classify.LearnerForest)
		if err != nil || spec == nil || spec.Signal.Crops != tc.crops || spec.Signal.CropShare != tc.share {
			t.Errorf("%v: %+v (%v), want %d crops of %v", tc.args, spec, err, tc.crops, tc.share)
		}
	}
	if l, ok := parseLearner(t, []string{"--crops", "0", "--learner", "forest"}, ExitOK); ok {
		if spec, err := l.Spec(records, classify.LearnerForest); err != nil || spec.Signal.Crops != 0 {
			t.Errorf("forest, --crops 0: %+v (%v), want no crops", spec, err)
		}
	}
	for _, args := range [][]string{
		{"--crops", "-1"}, {"--crops", "9"}, {"--crop-share", "0.2"}, {"--crop-share", "1"},
		{"--crops", "2", "--learner", classify.LearnerGBDTSignet}, {"--crop-share", "0.5", "--learner", "cnn"},
		{"--crops", "9", "--learner", "forest"},
	} {
		parseLearner(t, args, ExitUsage)
	}
}
