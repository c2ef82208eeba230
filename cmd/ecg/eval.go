package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/figure"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/defaultmodel"
	"github.com/spf13/cobra"
)

func init() { register(newEvalCmd) }

type evalOptions struct {
	model, dir string
	records    []string // with a beat model
	annotator  string
	at         string
	labels     cmdutil.LabelFlags
	threshold  float64
	format     string
	plots      string
	jobs       int
}

func newEvalCmd(a *app) *cobra.Command {
	o := &evalOptions{}
	cmd := &cobra.Command{
		Use:     "eval MODEL DIR | BEAT-MODEL RECORD...|DIR",
		Short:   "Evaluate a model on labelled images or records, a beat model on annotated records",
		Long:    helpText("eval"),
		Example: helpExamples("eval"),
		Args:    cmdutil.Args(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.model, o.dir, o.records = args[0], args[1], args[1:]
			if !(o.threshold >= 0 && o.threshold <= 1) {
				return cmdutil.Usagef("--threshold %v: want 0 to 1", o.threshold)
			}
			if o.at != classify.BeatsAtDetected && o.at != classify.BeatsAtReference {
				return cmdutil.Usagef("--at %q: want detected or reference", o.at)
			}
			return runEval(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.Float64Var(&o.threshold, "threshold", 0, "leave files unassigned when their best score is below this")
	cmdutil.FormatFlag(cmd, &o.format, "", "text", "text", "json")
	f.StringVar(&o.plots, "plots", "", "directory to write confusion.png and pr.png into")
	o.labels.Declare(cmd)
	cmdutil.JobsFlag(cmd, &o.jobs, "files scored")
	f.StringVar(&o.annotator, "annotator", "", "beat models: the reference annotator (default atr; with it, MODEL default is the embedded beat model)")
	f.StringVar(&o.at, "at", classify.BeatsAtDetected, "beat models: classify the beats the detector finds, matched EC57-style as bxb does (detected), or the reference beats (reference)")
	cmdutil.CompleteValues(cmd, "at", classify.BeatsAtDetected, classify.BeatsAtReference)
	return cmd
}

func runEval(ctx context.Context, a *app, o *evalOptions) error {
	load := defaultmodel.Load
	if o.annotator != "" {
		load = defaultmodel.LoadBeats
	}
	m, err := load(o.model)
	if err != nil {
		return err
	}
	if classify.CheckBeatModel(m) == nil {
		return runBeatEval(ctx, a, o, m)
	}
	if len(o.records) > 1 || o.annotator != "" {
		return cmdutil.Usagef("%s is not a beat model: give one DIR (--annotator is for beat models)", o.model)
	}
	if notFolder(o.dir) {
		return cmdutil.Usagef("%s is not a folder: a rhythm model is evaluated on a folder of labelled files (label folders, or records with --labels CSV); for beat classes give a beat model or --annotator atr", o.dir)
	}
	ds, err := datasets.ReadLabeled(o.dir, o.labels.Source)
	if err != nil {
		return err
	}
	a.noteFolders("eval", ds)
	if err := classify.CheckArchiveRendering(m, ds); err != nil {
		fmt.Fprintf(a.io.ErrOut, "ecg eval: warning: %v\n", err)
	}
	bars := a.newStages()
	e, err := classify.EvaluateDataset(ctx, m, ds, classify.EvalOptions{Threshold: o.threshold, Jobs: o.jobs, Progress: bars.Update,
		Cache: cmdutil.FeatureCache(a.io.Environ)})
	bars.Done()
	a.noteSkipped(e.Skipped, "not a label of the model")
	if err != nil {
		return err
	}
	rep := e.Report
	if err := figure.WriteEvalPlots(o.plots, rep, m.Info.Thresholds); err != nil {
		return err
	}
	if o.format == "json" {
		return classify.WriteEvalJSON(a.io.Out, filepath.Base(o.model), m.Info.Thresholds, rep)
	}
	if err := rep.WriteText(a.io.Out); err != nil {
		return err
	}
	return e.WriteThresholdText(a.io.Out, m.Info.Thresholds, o.threshold)
}

// runBeatEval scores the beat model m on the records o names, EC57-style.
func runBeatEval(ctx context.Context, a *app, o *evalOptions, m *classify.Model) error {
	if o.threshold > 0 || o.labels.Source.CSV != "" {
		return cmdutil.Usagef("%s is a beat model: --threshold and --labels do not apply (the labels are the records' beat annotations)", o.model)
	}
	records, fromFiles, err := datasets.ExpandInputs(o.records)
	if err != nil {
		return err
	}
	if fromFiles {
		return cmdutil.Usagef("%s is a beat model: give WFDB records with reference beat annotations", o.model)
	}
	bars := a.newStages()
	e, err := classify.EvaluateBeats(ctx, m, records, classify.BeatEvalOptions{Annotator: o.annotator, At: o.at, Jobs: o.jobs, Progress: bars.Update})
	bars.Done()
	if err != nil {
		return err
	}
	e.Model = filepath.Base(o.model)
	if e.Report.Samples == 0 { // all zeros, which a user would take for a score
		fmt.Fprintln(a.io.ErrOut, "ecg eval: warning: no beat was scored: EC57 scores the beats from 5 minutes into each record on; are the records shorter?")
	}
	if err := figure.WriteEvalPlots(o.plots, e.Report, nil); err != nil {
		return err
	}
	if o.format == "json" {
		return e.WriteJSON(a.io.Out)
	}
	return e.WriteText(a.io.Out)
}

// notFolder reports whether path is a file or a WFDB record (path.hea),
// not a folder of labelled files.
func notFolder(path string) bool {
	st, err := os.Stat(path)
	if err == nil {
		return !st.IsDir()
	}
	_, err = os.Stat(path + ".hea")
	return err == nil
}
