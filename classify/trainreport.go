package classify

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteTrainingReport writes what ecg train reports about a model it has
// just trained: in "json" one object with the labels, the training summary
// and the held-out report (without its curves); otherwise the held-out
// report as text, or the out-of-bag accuracy when nothing was held out.
func (m *Model) WriteTrainingReport(w io.Writer, format string) error {
	if format == "json" {
		type out struct {
			Labels   []string        `json:"labels"`
			Training TrainingSummary `json:"training"`
			Heldout  *Report         `json:"heldout"`
		}
		rep := m.Info.Heldout
		if rep != nil {
			c := *rep
			c.Curves = nil
			rep = &c
		}
		b, err := json.Marshal(out{m.Info.Labels, m.Info.Training, rep})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	if m.Info.Heldout == nil && m.forest == nil {
		// Boosting and networks have no out-of-bag rows to report.
		_, err := fmt.Fprintln(w, "no held-out data (a single record group)")
		return err
	}
	if m.Info.Heldout == nil {
		_, err := fmt.Fprintf(w, "no held-out data (a single record group); OOB accuracy %.4f\n", m.Info.Training.OOBAccuracy)
		return err
	}
	fmt.Fprintf(w, "held-out evaluation (%s)\n", m.Info.Training.Split)
	return m.Info.Heldout.WriteText(w)
}
