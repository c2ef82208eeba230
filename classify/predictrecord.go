package classify

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/datasets"
)

// RecordOf returns the record of the file at path, by which ecg predict
// --per-record groups files: the file's folder joined with the record of
// its manifest row when row names one, else with datasets.GroupOfName of
// its base name without extension ("arch/N/A00001_0000m15s_ECG.png" ->
// "arch/N/A00001", "data/100.hea" -> "data/100"), as the splits of ecg
// train group an archive's files. Files of the same name in two folders
// are two records.
func RecordOf(path string, row *datasets.ManifestRow) string {
	dir, base := filepath.Split(path)
	name := datasets.GroupOfName(strings.TrimSuffix(base, filepath.Ext(base)))
	if row != nil && row.Record != "" {
		name = row.Record
	}
	return filepath.Join(dir, name)
}

// RecordPrediction is the prediction of a record from the mean of its
// files' scores.
type RecordPrediction struct {
	// Record names the record (RecordOf); Files counts the files averaged.
	Record string
	Files  int
	// Prediction is made from the mean scores as a file's is from its
	// own: the label of the highest (the first label on ties), its score
	// as the confidence, Confident against the model's threshold for it.
	Prediction
}

// RecordMeans averages the predictions of files by record: a record's
// scores are the mean of its files' (summed in the order they are added,
// then divided by their number), the same for every run.
type RecordMeans struct {
	m    *Model
	sums groupSums
}

// NewRecordMeans returns an empty RecordMeans for the predictions of m.
func NewRecordMeans(m *Model) *RecordMeans {
	return &RecordMeans{m: m}
}

// Add adds the prediction p of a file of record (RecordOf). A prediction
// whose scores are not of the model's labels, in order, is an error.
func (r *RecordMeans) Add(record string, p Prediction) error {
	labels := r.m.Info.Labels
	if len(p.Scores) != len(labels) {
		return fmt.Errorf("classify: %d scores for a model of %d labels", len(p.Scores), len(labels))
	}
	scores := make([]float64, len(labels))
	for i, s := range p.Scores {
		if s.Label != labels[i] {
			return fmt.Errorf("classify: score %d is of label %q, the model's is %q", i+1, s.Label, labels[i])
		}
		scores[i] = s.Score
	}
	r.sums.add(record, scores) // as long as every record's: the model's labels
	return nil
}

// Predictions returns a prediction per record, in the order of each
// record's first Add.
func (r *RecordMeans) Predictions() []RecordPrediction {
	out := make([]RecordPrediction, 0, len(r.sums.keys))
	for i, name := range r.sums.keys {
		out = append(out, RecordPrediction{Record: name, Files: r.sums.count[i], Prediction: r.m.prediction(r.sums.mean(i))})
	}
	return out
}
