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
	files, truth := a.keepKnownLabels(ds, m.Info.Labels, "not a label of the model")
	if len(files) == 0 {
		return fmt.Errorf("%s: no files with the model's labels %v", o.dir, m.Info.Labels)
	}
	bar := a.newProgress(int64(len(files)), "features")
	X, err := classify.Featurize(ctx, m.Info.Features, files, o.jobs, func() { bar.Add(1) })
	bar.Done()
	if err != nil {
		return err
	}
	scores := make([][]float64, len(X))
	for i, x := range X {
		scores[i] = m.Scores(nil, x)
	}
	rep, err := classify.Evaluate(m.Info.Labels, truth, scores, o.threshold)
	if err != nil {
		return err
	}
	if o.plots != "" {
		if err := os.MkdirAll(o.plots, 0o755); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(filepath.Join(o.plots, "confusion.png"), func(w io.Writer) error { return figure.Confusion(w, rep) }); err != nil {
			return err
		}
		if err := atomicfile.WriteFile(filepath.Join(o.plots, "pr.png"), func(w io.Writer) error { return figure.PRCurves(w, rep, m.Info.Thresholds) }); err != nil {
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
	return writeThresholdTable(a.io.Out, rep, m.Info.Thresholds, o.threshold, truth, scores)
}

// writeThresholdTable prints, per label, precision and recall (one label
// against the rest) at the model's threshold and at a few others.
func writeThresholdTable(w io.Writer, rep *classify.Report, model []float64, extra float64, truth []int, scores [][]float64) error {
	show := []float64{0.3, 0.5, 0.7, 0.9}
	fmt.Fprintf(w, "\nprecision/recall by score threshold (one label against the rest)\n%-10s  %-18s", "label", "model threshold")
	for _, t := range show {
		fmt.Fprintf(w, "  %-13s", fmt.Sprintf("at %.2f", t))
	}
	if extra > 0 {
		fmt.Fprintf(w, "  %-13s", fmt.Sprintf("at %.2f", extra))
	}
	fmt.Fprintln(w)
	for c, curve := range rep.Curves {
		pr := func(th float64) string {
			p, r := classify.PrecisionRecallAt(c, truth, scores, th)
			return fmt.Sprintf("%.3f/%.3f", p, r)
		}
		fmt.Fprintf(w, "%-10s  %-18s", curve.Label, fmt.Sprintf("%.2f: %s", model[c], pr(model[c])))
		for _, t := range show {
			fmt.Fprintf(w, "  %-13s", pr(t))
		}
		if extra > 0 {
			fmt.Fprintf(w, "  %-13s", pr(extra))
		}
		fmt.Fprintf(w, "  AP %.3f\n", curve.AP)
	}
	return nil
}

// keepKnownLabels returns the files of ds whose label is in labels, with
// their label indexes. Files of other labels cannot be predicted: they are
// left out and counted on stderr (why says why).
func (a *app) keepKnownLabels(ds *datasets.LabelFolders, labels []string, why string) ([]datasets.LabeledFile, []int) {
	pos := map[string]int{}
	for i, l := range labels {
		pos[l] = i
	}
	var files []datasets.LabeledFile
	var truth []int
	skipped := map[string]int{}
	for _, f := range ds.Files {
		l, ok := pos[f.Label]
		if !ok {
			skipped[f.Label]++
			continue
		}
		files = append(files, f)
		truth = append(truth, l)
	}
	for _, l := range ds.Labels {
		if n := skipped[l]; n > 0 && !a.quiet {
			fmt.Fprintf(a.io.ErrOut, "ecg eval: skipped %d files labelled %q (%s)\n", n, l, why)
		}
	}
	return files, truth
}
