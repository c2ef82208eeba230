package classify

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets"
)

func TestKnownLabels(t *testing.T) {
	ds := &datasets.LabelFolders{Dir: "d", Labels: []string{"AF", "B", "N", "X"}, Files: []datasets.LabeledFile{
		{Path: "1", Label: "AF"}, {Path: "2", Label: "B"}, {Path: "3", Label: "N"}, {Path: "4", Label: "X"}, {Path: "5", Label: "X"},
	}}
	files, truth, skipped := KnownLabels(ds, []string{"N", "AF"})
	if len(files) != 2 || files[0].Path != "1" || files[1].Path != "3" || !reflect.DeepEqual(truth, []int{1, 0}) {
		t.Errorf("files %v truth %v", files, truth)
	}
	if want := []LabelCount{{"B", 1}, {"X", 2}}; !reflect.DeepEqual(skipped, want) {
		t.Errorf("skipped %v, want %v", skipped, want)
	}
	m := &Model{Info: ModelInfo{Labels: []string{"Q"}}}
	e, err := EvaluateDataset(context.Background(), m, ds, EvalOptions{})
	if !errors.Is(err, ErrNoKnownLabels) || !strings.HasPrefix(err.Error(), "d: ") || len(e.Skipped) != 4 {
		t.Errorf("EvaluateDataset with no known labels: %v, skipped %v", err, e.Skipped)
	}
	if _, err := TrainDataset(context.Background(), &datasets.LabelFolders{Dir: "one", Labels: []string{"N"}}, DatasetOptions{}); err == nil {
		t.Error("TrainDataset on one label: no error")
	}
}

func TestIsModelFile(t *testing.T) {
	for in, want := range map[string]bool{"ECGMODEL\x01": true, "ECGMODEL": true, "ECGMODE": false, "": false, "PNG......": false} {
		if got := IsModelFile(bytes.NewReader([]byte(in))); got != want {
			t.Errorf("IsModelFile(%q) = %v", in, got)
		}
	}
}
