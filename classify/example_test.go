package classify_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
)

// synthetic returns 30 s of a synthetic single-lead ECG at 250 Hz.
func synthetic(rhythm string, seed int64) *synth.Recording {
	rec, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: 250, Duration: 30, Seed: seed, Noise: 0.02})
	if err != nil {
		log.Fatal(err)
	}
	return rec
}

// recording returns the samples (mV) of a synthetic recording.
func recording(rhythm string, seed int64) []float64 { return synthetic(rhythm, seed).MV }

// A model from feature vectors: signal features of synthetic normal and
// AF recordings, a forest, and a prediction for a recording it has not
// seen. The model file round-trips through Save and LoadModel.
func ExampleTrain() {
	labels := []string{"AF", "N"}
	spec := classify.SignalSpec(classify.DefaultSignalFeatures())
	var X [][]float64
	var y []int
	for seed := int64(1); seed <= 6; seed++ {
		for label, rhythm := range []string{synth.AFib, synth.Normal} {
			x, err := spec.SignalVector(recording(rhythm, seed), 250)
			if err != nil {
				log.Fatal(err)
			}
			X, y = append(X, x), append(y, label)
		}
	}
	m, err := classify.Train(labels, spec, X, y, classify.TrainOptions{Forest: classify.ForestOptions{Trees: 20, Seed: 1}})
	if err != nil {
		log.Fatal(err)
	}
	var file bytes.Buffer
	if err := m.Save(&file); err != nil {
		log.Fatal(err)
	}
	fmt.Println("model file:", classify.IsModelFile(bytes.NewReader(file.Bytes())))
	m, err = classify.LoadModel(&file)
	if err != nil {
		log.Fatal(err)
	}
	for _, rhythm := range []string{synth.AFib, synth.Normal} {
		p, err := m.PredictSignal(recording(rhythm, 100), 250)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s recording: %s\n", rhythm, p.Label)
	}
	// Output:
	// model file: true
	// afib recording: AF
	// normal recording: N
}

// Metrics of predictions: per-label precision, recall, F1 and support,
// and the confusion matrix.
func ExampleEvaluate() {
	labels := []string{"AF", "N"}
	truth := []int{0, 0, 0, 1, 1, 1, 1}
	scores := [][]float64{{0.9, 0.1}, {0.7, 0.3}, {0.4, 0.6}, {0.2, 0.8}, {0.1, 0.9}, {0.3, 0.7}, {0.6, 0.4}}
	rep, err := classify.Evaluate(labels, truth, scores, 0)
	if err != nil {
		log.Fatal(err)
	}
	if err := rep.WriteText(os.Stdout); err != nil {
		log.Fatal(err)
	}
	// Output:
	// label     precision     recall         f1  support
	// AF           0.6667     0.6667     0.6667        3
	// N            0.7500     0.7500     0.7500        4
	// macro        0.7083     0.7083     0.7083        7
	// weighted     0.7143     0.7143     0.7143        7
	// accuracy 0.7143 (7 samples)
	//
	// confusion matrix (rows: true label, columns: predicted)
	//                AF        N
	// AF              2        1
	// N               1        3
}

// Training from a folder of labelled records in one call: label folders
// of WFDB records (here synthetic, one record per patient), split by
// record into training and held-out data.
func ExampleTrainDataset() {
	dir, err := os.MkdirTemp("", "classify-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for seed := int64(1); seed <= 8; seed++ {
		for label, rhythm := range map[string]string{"AF": synth.AFib, "N": synth.Normal} {
			name := fmt.Sprintf("p%02d_%s", seed, label) // group p01 ...: the patient
			if err := os.MkdirAll(filepath.Join(dir, label), 0o755); err != nil {
				log.Fatal(err)
			}
			if err := synthetic(rhythm, seed).WriteWFDB(filepath.Join(dir, label), name); err != nil {
				log.Fatal(err)
			}
		}
	}
	ds, err := datasets.ReadLabelFolders(dir)
	if err != nil {
		log.Fatal(err)
	}
	res, err := classify.TrainDataset(context.Background(), ds, classify.DatasetOptions{
		Split: 0.75, Seed: 1, Forest: classify.ForestOptions{Trees: 20, Seed: 1}, Jobs: 2,
	})
	if err != nil {
		log.Fatal(err)
	}
	t := res.Model.Info.Training
	fmt.Printf("%d training files from %d patients, %d held out (%s)\n", t.Samples, t.Groups, res.Heldout, t.Split)
	fmt.Printf("held-out accuracy %.2f\n", res.Model.Info.Heldout.Accuracy)
	// Output:
	// 12 training files from 6 patients, 4 held out (grouped by record, 0.75 training, seed 1)
	// held-out accuracy 1.00
}
