package classify

import (
	"encoding/json"
	"fmt"
	"io"
)

// WriteEvalJSON writes a model's evaluation report as ecg eval --format
// json prints it, one line: the model's name, its per-label thresholds
// and the report.
func WriteEvalJSON(w io.Writer, model string, thresholds []float64, rep *Report) error {
	b, err := json.Marshal(struct {
		Model      string    `json:"model"`
		Thresholds []float64 `json:"model_thresholds"`
		Report     *Report   `json:"report"`
	}{model, thresholds, rep})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
