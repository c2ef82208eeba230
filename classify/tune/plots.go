package tune

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/classify/figure"
	"github.com/ecgkit/ecg/internal/atomicfile"
)

// WritePlots writes the figures of a search into dir: history.png (the
// objective per trial in order with the best so far), param-NAME.png
// (the objective against each parameter) and folds.png (the spread of
// the folds). Nothing is drawn before a trial has been measured.
func WritePlots(dir string, s Space, o *Objective, trials []Trial) error {
	var ft []figure.TuneTrial
	for _, t := range trials {
		if t.Status == StatusFailed {
			continue
		}
		pt, err := t.Point(s)
		if err != nil {
			return err
		}
		ft = append(ft, figure.TuneTrial{ID: t.ID, Objective: t.Objective, Folds: t.Folds, Status: t.Status, Values: pt})
	}
	if len(ft) == 0 {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	label := o.Name
	if o.Minimize {
		label += " (minimised)"
	}
	write := func(name string, draw func(io.Writer) error) error {
		if err := atomicfile.WriteFile(filepath.Join(dir, name), draw); err != nil {
			return fmt.Errorf("plot %s: %w", name, err)
		}
		return nil
	}
	if err := write("history.png", func(w io.Writer) error { return figure.TuneHistory(w, ft, label, o.Minimize) }); err != nil {
		return err
	}
	if err := write("folds.png", func(w io.Writer) error { return figure.TuneFolds(w, ft, label) }); err != nil {
		return err
	}
	for j, p := range s {
		axis := figure.TuneAxis{Name: p.Name, Log: p.Log, Categories: p.Values}
		if err := write("param-"+p.Name+".png", func(w io.Writer) error { return figure.TuneParam(w, ft, axis, j, label) }); err != nil {
			return err
		}
	}
	return nil
}
