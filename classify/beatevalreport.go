package classify

import (
	"encoding/json"
	"fmt"
	"io"
	"math"

	"github.com/ecgkit/ecg/datasets/beats"
)

// WriteText writes e as ecg eval prints it: the per-class report, then
// EC57's class comparison and gross statistics.
func (e *BeatEvaluation) WriteText(w io.Writer) error {
	recs := "records"
	if len(e.Records) == 1 {
		recs = "record"
	}
	fmt.Fprintf(w, "beats at %s, reference %s, %d %s; per class, the beats matched:\n", e.At, e.Annotator, len(e.Records), recs)
	if err := e.Report.WriteText(w); err != nil {
		return err
	}
	for _, s := range e.Skipped {
		fmt.Fprintf(w, "left out: %d matched beats of reference class %s (not a label of the model)\n", s.Files, s.Label)
	}
	fmt.Fprintln(w)
	return e.EC57.WriteText(w)
}

// WriteJSON writes e as one line of JSON, with the gross statistics.
func (e *BeatEvaluation) WriteJSON(w io.Writer) error {
	type gross struct {
		TP  int      `json:"tp"`
		FN  int      `json:"fn"`
		FP  int      `json:"fp"`
		Se  *float64 `json:"se"`  // percent; null when undefined
		PPV *float64 `json:"ppv"` // percent; null when undefined
	}
	g := func(r beats.MatchResult) gross {
		return gross{r.TP, r.FN, r.FP, percentOrNil(r.Sensitivity()), percentOrNil(r.PositivePredictivity())}
	}
	qrs, veb, sveb := e.Gross()
	b, err := json.Marshal(struct {
		*BeatEvaluation
		QRS  gross `json:"qrs"`
		VEB  gross `json:"veb"`
		SVEB gross `json:"sveb"`
	}{e, g(qrs), g(veb), g(sveb)})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// percentOrNil is v, or nil for NaN (JSON has no NaN).
func percentOrNil(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return &v
}
