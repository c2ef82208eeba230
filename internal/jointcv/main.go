// Command jointcv cross-validates, as `ecg train DIR --labels CSV --folds
// K` does (its default forest, record-grouped folds), a records folder
// with a chosen feature spec, for the comparison in docs/rhythm.md
// ("CinC 2017: spectrogram images against signal features"):
//
//	signal  the signal features (ecg train's default for records)
//	joint   the signal features and the image features of the record's
//	        whole-record spectrogram image, rendered in memory as
//	        `ecg spectro --stride record` writes it (classify.JointSpec)
//
// Usage:
//
//	go run ./internal/jointcv -labels REFERENCE.csv -label-map 'A=AF,~=Noisy,O=Other' \
//	    -score-labels N,AF,Other -features joint RECORDS_DIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

func main() {
	labels := flag.String("labels", "", "labels CSV (record,label)")
	labelMap := flag.String("label-map", "", "rename labels: FROM=TO,...")
	folds := flag.Int("folds", 5, "folds")
	score := flag.String("score-labels", "", "labels whose mean F1 is the score")
	features := flag.String("features", "joint", "signal or joint")
	seed := flag.Uint64("seed", 1, "seed of the folds and forests")
	flag.Parse()
	if err := run(flag.Arg(0), *labels, *labelMap, *folds, *score, *features, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "jointcv:", err)
		os.Exit(1)
	}
}

func run(dir, labels, labelMap string, folds int, score, features string, seed uint64) error {
	m, err := datasets.ParseLabelMap(labelMap)
	if err != nil {
		return err
	}
	ds, err := datasets.ReadLabeled(dir, datasets.LabelSource{CSV: labels, Map: m})
	if err != nil {
		return err
	}
	var spec classify.FeatureSpec
	switch features {
	case "signal":
		spec = classify.SignalSpec(classify.DefaultSignalFeatures())
	case "joint":
		spec = classify.JointSpec(classify.DefaultSignalFeatures(), classify.DefaultImageFeatures())
	default:
		return fmt.Errorf("-features %q: want signal or joint", features)
	}
	opt := classify.CVOptions{Folds: folds, Seed: seed, Spec: &spec, Forest: classify.ForestOptions{Seed: seed}, Jobs: 2}
	if score != "" {
		opt.ScoreLabels = strings.Split(score, ",")
	}
	res, err := classify.CrossValidateDataset(context.Background(), ds, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "jointcv: %d files, %d features, features %.1fs, trees %.1fs\n",
		res.Files, len(spec.Names()), res.FeatureTime.Seconds(), res.TrainTime.Seconds())
	return res.WriteReport(os.Stdout, "text")
}
