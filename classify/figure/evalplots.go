package figure

import (
	"io"
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/internal/atomicfile"
)

// WriteEvalPlots writes the figures of an evaluation into dir (made if
// need be), each file atomically: confusion.png (Confusion) and, when rep
// has precision-recall curves, pr.png (PRCurves at the model's
// thresholds). An empty dir writes nothing.
func WriteEvalPlots(dir string, rep *classify.Report, thresholds []float64) error {
	if dir == "" {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "confusion.png"), func(w io.Writer) error { return Confusion(w, rep) }); err != nil || len(rep.Curves) == 0 {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "pr.png"), func(w io.Writer) error { return PRCurves(w, rep, thresholds) })
}
