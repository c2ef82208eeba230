package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/figure"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/atomicfile"
	"github.com/spf13/cobra"
)

func init() { register(newEvalCmd) }

type evalOptions struct {
	model, dir string
	threshold  float64
	format     string
	plots      string
	jobs       int
}

func newEvalCmd(a *app) *cobra.Command {
	o := &evalOptions{}
	cmd := &cobra.Command{
		Use:   "eval MODEL DIR",
		Short: "Evaluate a model on a folder of labelled images or records",
		Long: `eval scores every file under DIR (sub-folders are labels) with MODEL and
prints per-label precision, recall, F1 and support, macro and weighted
averages, accuracy and the confusion matrix, then, per label, the confidence
threshold the model assumes and the precision and recall you would get at
other thresholds (one label against the rest).

The predicted label is the one with the highest score; with --threshold T,
files whose highest score is below T are left unassigned (they count
against recall). Files under labels the model does not know are skipped
and counted on stderr.

--plots DIR writes confusion.png (a heat map of the row-normalised
confusion matrix) and pr.png (precision-recall curves per label).`,
		Example: `  ecg eval model.ecgm test/
  ecg eval model.ecgm test/ --threshold 0.6 --format json
  ecg eval model.ecgm test/ --plots figures/`,
		Args: argsUsage(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.model, o.dir = args[0], args[1]
			if err := checkFormat(o.format, "text", "json"); err != nil {
				return err
			}
			if !(o.threshold >= 0 && o.threshold <= 1) {
				return usagef("--threshold %v: want 0 to 1", o.threshold)
			}
			if err := checkJobs(o.jobs); err != nil {
				return err
			}
			return runEval(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.Float64Var(&o.threshold, "threshold", 0, "leave files unassigned when their best score is below this")
	f.StringVar(&o.format, "format", "text", "output format: text or json")
	f.StringVar(&o.plots, "plots", "", "directory to write confusion.png and pr.png into")
	f.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "parallel workers")
	return cmd
}

func runEval(ctx context.Context, a *app, o *evalOptions) error {
	m, err := loadModel(o.model)
	if err != nil {
		return err
	}
	ds, err := datasets.ReadLabelFolders(o.dir)
	if err != nil {
		return err
	}
	a.noteFolders("eval", ds)
	bars := &stageBars{a: a}
	e, err := classify.EvaluateDataset(ctx, m, ds, classify.EvalOptions{Threshold: o.threshold, Jobs: o.jobs, Progress: bars.update})
	bars.Done()
	a.noteSkipped(e.Skipped, "not a label of the model")
	if err != nil {
		return err
	}
	rep := e.Report
	if o.plots != "" {
		if err := writeEvalPlots(o.plots, rep, m.Info.Thresholds); err != nil {
			return err
		}
	}
	if o.format == "json" {
		type out struct {
			Model      string           `json:"model"`
			Thresholds []float64        `json:"model_thresholds"`
			Report     *classify.Report `json:"report"`
		}
		b, err := json.Marshal(out{filepath.Base(o.model), m.Info.Thresholds, rep})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(a.io.Out, "%s\n", b)
		return err
	}
	if err := rep.WriteText(a.io.Out); err != nil {
		return err
	}
	return e.WriteThresholdText(a.io.Out, m.Info.Thresholds, o.threshold)
}

// writeEvalPlots writes confusion.png and pr.png into dir.
func writeEvalPlots(dir string, rep *classify.Report, thresholds []float64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "confusion.png"), func(w io.Writer) error { return figure.Confusion(w, rep) }); err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "pr.png"), func(w io.Writer) error { return figure.PRCurves(w, rep, thresholds) })
}
