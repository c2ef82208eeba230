package cmdutil

import (
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// TestMainsFlags: records trained by the forest or gbdt remove mains lines
// unless --mains-notch=false; the fusion and the network do not, and
// --mains-notch given with them is a usage error.
func TestMainsFlags(t *testing.T) {
	records := &datasets.LabelFolders{Dir: "r", Files: []datasets.LabeledFile{{Kind: datasets.KindRecord}}}
	for _, tc := range []struct {
		args    []string
		learner string
		mains   bool
		crops   int
	}{
		{nil, classify.LearnerGBDT, true, classify.DefaultCrops},
		{nil, classify.LearnerForest, true, 0},
		{[]string{"--crops", "0"}, classify.LearnerGBDT, true, 0},
		{[]string{"--mains-notch=false"}, classify.LearnerGBDT, false, classify.DefaultCrops},
	} {
		l, ok := parseLearner(t, tc.args, ExitOK)
		if !ok {
			continue
		}
		spec, err := l.Spec(records, tc.learner)
		if err != nil || spec == nil || spec.Signal.MainsNotch != tc.mains || spec.Signal.Crops != tc.crops {
			t.Errorf("%v, %s: %+v (%v), want mains removal %v and %d crops", tc.args, tc.learner, spec, err, tc.mains, tc.crops)
		}
	}
	if l, ok := parseLearner(t, []string{"--mains-notch=false", "--feature-set", "5"}, ExitOK); ok {
		if spec, err := l.Spec(records, classify.LearnerForest); spec != nil || err != nil {
			t.Errorf("forest, --mains-notch=false --feature-set 5: %+v (%v), want the default spec (nil)", spec, err)
		}
	}
	parseLearner(t, []string{"--mains-notch", "--learner", "cnn"}, ExitUsage)
	parseLearner(t, []string{"--mains-notch=false", "--learner", classify.LearnerGBDTSignet}, ExitUsage)
}
