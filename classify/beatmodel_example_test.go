package classify_test

import (
	"context"
	"fmt"
	"os"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/internal/demodata"
)

// A beat model trained on the reference beats of three records classifies
// the beats of a fourth (here at its reference beats; ecg beats --classify
// gives it the detector's).
func ExampleTrainBeats() {
	dir, err := os.MkdirTemp("", "beats")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	paths, err := demodata.Extract(dir) // 100, 201, 221, 232
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	train, err := classify.ReadBeats(ctx, []string{paths[0], paths[2], paths[3]}, classify.BeatOptions{})
	if err != nil {
		panic(err)
	}
	res, err := classify.TrainBeats(ctx, train, classify.BeatTrainOptions{Split: 0.5, Forest: classify.ForestOptions{Trees: 20, MinLeaf: classify.BeatMinLeaf, Seed: 1}})
	if err != nil {
		panic(err)
	}
	fmt.Println(train.Labels, res.Model.Info.Features.Input)
	// Output: [N S V] beats
}
