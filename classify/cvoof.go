package classify

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
)

// outOfFold is what WriteOutOfFold writes: every row's label, fold and
// out-of-fold scores, and the row's name when it is a file.
type outOfFold struct {
	labels []string
	names  []string
	y      []int
	fold   []int
	scores [][]float64
}

// ErrNoOutOfFold is returned by WriteOutOfFold for a result that holds no
// out-of-fold rows (made by an older path, or empty).
var ErrNoOutOfFold = errors.New("no out-of-fold predictions in this result")

// WriteOutOfFold writes the out-of-fold predictions as CSV, a row per file
// (per beat for a beat model) in the dataset's order: file (its path relative
// to the dataset, the record name for a labels CSV, or the row number
// when the rows are not files), label (the reference),
// fold (1 to K), predicted (the label of the highest score), then one
// column p_LABEL per label, the probabilities of the fold's model, which
// did not see the row. These are the scores the pooled report counts; a
// stacker or a decision rule can be fitted on them without training again.
func (r *CVResult) WriteOutOfFold(w io.Writer) error {
	o := r.oof
	if len(o.scores) == 0 {
		return ErrNoOutOfFold
	}
	cw := csv.NewWriter(w)
	head := []string{"file", "label", "fold", "predicted"}
	for _, l := range o.labels {
		head = append(head, "p_"+l)
	}
	cw.Write(head)
	for i, s := range o.scores {
		name := strconv.Itoa(i + 1)
		if i < len(o.names) {
			name = o.names[i]
		}
		row := []string{name, o.labels[o.y[i]], strconv.Itoa(o.fold[i] + 1), o.labels[argmax(s)]}
		for _, p := range s {
			row = append(row, strconv.FormatFloat(p, 'g', 6, 64))
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
