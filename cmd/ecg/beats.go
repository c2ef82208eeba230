package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/pool"
	"github.com/spf13/cobra"
)

func init() { register(newBeatsCmd) }

type beatsOptions struct {
	input        string
	signal       string
	format       string
	summary      bool
	compare      string
	skip         float64
	window       float64
	outAnnotator string
	out          string
	force        bool
	jobs         int
	classify     string
	model        *classify.Model
	// the frequency HRV is printed by --summary and by the comment line a
	// record's beats have on stderr unless quiet (none with --compare)
	noFreqHRV bool
	// a CSV or EDF file instead of a record
	cmdutil.DeviceFlags
}

func newBeatsCmd(a *app) *cobra.Command {
	o := beatsOptions{}
	cmd := &cobra.Command{
		Use:     "beats RECORD|DIR|FILE",
		Short:   "Detect heartbeats, print heart rate and HRV, score against reference annotations",
		Long:    helpText("beats"),
		Example: helpExamples("beats"),
		Args:    cmdutil.Args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.input = args[0]
			return runBeats(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.signal, "signals", "", "signals to use: names (any case) or indices, comma-separated (combined as leads), or all ECG signals; default the first ECG signal")
	f.StringVar(&o.signal, "signal", "", "the same as --signals")
	_ = f.MarkHidden("signal") // the name before --signals, kept for scripts
	cmdutil.FormatFlag(cmd, &o.format, "output format (json: JSON lines)", "tsv", "text", "tsv", "csv", "json")
	cmdutil.JobsFlag(cmd, &o.jobs, "records processed")
	f.BoolVar(&o.summary, "summary", false, "print the heart rate and HRV summary per record instead of the beats")
	f.StringVar(&o.compare, "compare", "", "score against this reference annotator (e.g. atr), EC57/bxb rules")
	f.Float64Var(&o.skip, "skip", 300, "with --compare: start scoring this many seconds into the record")
	f.Float64Var(&o.window, "window", 0.15, "with --compare: match window in seconds")
	f.StringVar(&o.outAnnotator, "out-annotator", "", "write the beats to the annotation file RECORD.`NAME`")
	f.StringVar(&o.out, "out", "", "with --out-annotator: write the annotation files into this `DIR` instead of beside the records")
	f.StringVar(&o.classify, "classify", "", "classify every detected beat with this beat `MODEL` (ecg train --beats; default: the embedded one): class and score columns; --out-annotator writes the classes")
	f.BoolVar(&o.force, "force", false, "with --out-annotator: replace annotation files that exist")
	o.DeviceFlags.AddFlags(cmd)
	return cmd
}

// beatsResult is what one record gives.
type beatsResult struct {
	datasets.RecordBeats
	err error
}

func runBeats(ctx context.Context, a *app, o beatsOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	records, fromFiles, err := datasets.ExpandInputs([]string{o.input})
	if err != nil {
		return err
	}
	if fromFiles && (o.compare != "" || o.outAnnotator != "" || o.classify != "") {
		return cmdutil.Usagef("%s: CSV/EDF files: --compare, --out-annotator and --classify need WFDB records (convert them with ecg ingest --out DIR first)", o.input)
	}
	if o.classify != "" {
		if o.model, err = cmdutil.BeatModel("--classify", o.classify); err != nil {
			return err
		}
	}
	o.noFreqHRV = !o.summary && (o.compare != "" || a.quiet)
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil { // as ecg spectro --out and ingest --out do
			return fmt.Errorf("--out: %w", err)
		}
	}
	results, err := analyzeRecords(ctx, a, records, o)
	if err != nil {
		return err
	}
	if len(results) == 1 && results[0].err != nil {
		// Nothing to print: report the error alone (a usage error for a
		// bad --signal).
		if se := (*beats.SignalError)(nil); errors.As(results[0].err, &se) {
			return cmdutil.Usagef("--signals: %v", se)
		}
		return results[0].err
	}
	failed := 0
	for _, r := range results {
		if r.err != nil {
			failed++
			fmt.Fprintf(a.io.ErrOut, "ecg beats: %v\n", r.err)
		}
	}
	if failed == len(results) {
		return fmt.Errorf("no record of %s could be processed", o.input)
	}
	if err := writeResults(a, results, o, len(records) > 1); err != nil {
		return err
	}
	return cmdutil.BatchError(failed, len(results), "records", "failed")
}

// check checks the flags.
func (o *beatsOptions) check() error {
	if o.window <= 0 || o.skip < 0 || math.IsNaN(o.skip) || math.IsNaN(o.window) {
		return cmdutil.Usagef("--window must be > 0 and --skip >= 0")
	}
	if o.out != "" && o.outAnnotator == "" {
		return cmdutil.Usagef("--out needs --out-annotator")
	}
	if o.outAnnotator != "" && (strings.ContainsAny(o.outAnnotator, `/\.`) || o.outAnnotator == o.compare) {
		return cmdutil.Usagef("--out-annotator %q: want a plain annotator name other than the reference", o.outAnnotator)
	}
	return o.DeviceFlags.Check()
}

// analyzeRecords analyses the records, o.jobs at a time, and returns
// their results in order.
func analyzeRecords(ctx context.Context, a *app, records []string, o beatsOptions) ([]beatsResult, error) {
	bar := a.newProgress(int64(len(records)), "beats")
	defer bar.Done()
	return pool.Map(ctx, records, o.jobs, func(rec string) beatsResult { return beatsRecord(rec, o) }, func() { bar.Add(1) })
}

// writeResults writes what o asks for: the scores, the summaries, or the
// beats (and, unless quiet, a summary line per record on stderr).
func writeResults(a *app, results []beatsResult, o beatsOptions, several bool) error {
	var ok []datasets.RecordBeats
	for _, r := range results {
		if r.err == nil {
			ok = append(ok, r.RecordBeats)
		}
	}
	switch {
	case o.compare != "":
		return cmdutil.WriteTable(a.io.Out, o.format, datasets.CompareTable(ok))
	case o.summary:
		return cmdutil.WriteTable(a.io.Out, o.format, datasets.SummaryTable(ok))
	}
	if err := cmdutil.WriteTable(a.io.Out, o.format, datasets.BeatsTable(ok, several || o.format == "json")); err != nil {
		return err
	}
	for _, r := range ok {
		if !a.quiet {
			fmt.Fprintf(a.io.ErrOut, "# %s: %s\n", r.Name, r.Analysis)
		}
	}
	return nil
}

// beatsRecord analyses one record or device export and writes its beats
// as annotations as asked.
func beatsRecord(path string, o beatsOptions) beatsResult {
	res := beatsResult{RecordBeats: datasets.RecordBeats{Name: filepath.Base(path)}}
	opt := beats.Options{Signal: o.signal, Compare: o.compare, Match: beats.MatchOptions{Window: o.window, Skip: o.skip},
		NoFreqHRV: o.noFreqHRV}
	var sig *classify.BeatSignal // the features' lead, kept as the beats are read
	if o.model != nil {
		sig = o.model.BeatSignal()
		opt.Tap = sig.Add
	}
	res.Analysis, res.err = o.DeviceFlags.Options.AnalyzeInput(path, opt)
	var classes *classify.BeatClasses
	if res.err == nil && o.model != nil {
		classes, res.err = o.model.ClassifyBeatSignal(path, sig, res.Samples())
		if res.err == nil {
			res.Classes, res.Scores = classes.Names(), classes.Score
		}
	}
	if res.err == nil && o.outAnnotator != "" {
		dst := path
		if o.out != "" {
			dst = filepath.Join(o.out, filepath.Base(path))
		}
		if ann := wfdb.AnnotationPath(dst, o.outAnnotator); !o.force && wfdb.HasAnnotations(dst, o.outAnnotator) {
			res.err = fmt.Errorf("%s: %w", ann, datasets.ErrExists)
		} else {
			anns := res.Annotations()
			if classes != nil {
				classes.Annotate(anns)
			}
			res.err = wfdb.WriteAnnotations(dst, o.outAnnotator, anns)
		}
	}
	return res
}
