package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/table"
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
	f.BoolVar(&o.force, "force", false, "with --out-annotator: replace annotation files that exist")
	o.DeviceFlags.AddFlags(cmd)
	return cmd
}

// beatsResult is what one record gives.
type beatsResult struct {
	name string
	*beats.Analysis
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
	if fromFiles && (o.compare != "" || o.outAnnotator != "") {
		return cmdutil.Usagef("%s: CSV/EDF files: --compare and --out-annotator need WFDB records (convert them with ecg ingest --out DIR first)", o.input)
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
	switch {
	case o.compare != "":
		return writeCompare(a.io.Out, results, o.format)
	case o.summary:
		return writeSummaries(a.io.Out, results, o.format)
	}
	if err := writeBeats(a.io.Out, results, o.format, several); err != nil {
		return err
	}
	if !a.quiet {
		for _, r := range results {
			if r.err == nil {
				fmt.Fprintf(a.io.ErrOut, "# %s: %s\n", r.name, r.Analysis)
			}
		}
	}
	return nil
}

// beatsRecord analyses one record or device export and writes its beats
// as annotations as asked.
func beatsRecord(path string, o beatsOptions) beatsResult {
	res := beatsResult{name: filepath.Base(path)}
	opt := beats.Options{Signal: o.signal, Compare: o.compare, Match: beats.MatchOptions{Window: o.window, Skip: o.skip}}
	res.Analysis, res.err = o.DeviceFlags.Options.AnalyzeInput(path, opt)
	if res.err == nil && o.outAnnotator != "" {
		dst := path
		if o.out != "" {
			dst = filepath.Join(o.out, filepath.Base(path))
		}
		if ann := wfdb.AnnotationPath(dst, o.outAnnotator); !o.force && wfdb.HasAnnotations(dst, o.outAnnotator) {
			res.err = fmt.Errorf("%s: %w", ann, datasets.ErrExists)
		} else {
			res.err = wfdb.WriteAnnotations(dst, o.outAnnotator, res.Annotations())
		}
	}
	return res
}

// writeBeats writes a row per beat (with the record's name when there
// are several records, and always in JSON).
func writeBeats(w io.Writer, results []beatsResult, format string, withRecord bool) error {
	withRecord = withRecord || format == "json"
	cols := []string{"sample", "time", "rr", "hr", "noisy"}
	if withRecord {
		cols = append([]string{"record"}, cols...)
	}
	t := table.New(w, format, cols...)
	for _, r := range results {
		if r.err != nil {
			continue
		}
		for i, b := range r.Beats {
			tm := float64(b.Sample) / r.Fs
			rr, hr := math.NaN(), math.NaN()
			if i > 0 {
				rr = float64(b.Sample-r.Beats[i-1].Sample) / r.Fs
				hr = 60 / rr
			}
			row := []table.Cell{table.Int(b.Sample), table.Num(tm, 3), table.Num(rr, 3), table.Num(hr, 1), table.Bool(b.Noisy)}
			if withRecord {
				row = append([]table.Cell{table.Text(r.name)}, row...)
			}
			if err := t.Row(row...); err != nil {
				return err
			}
		}
	}
	return t.Flush()
}

// writeSummaries writes a row of heart rate, HRV and polarity per record.
func writeSummaries(w io.Writer, results []beatsResult, format string) error {
	t := table.New(w, format, "record", "beats", "mean_hr", "min_hr", "max_hr", "sdnn_ms", "rmssd_ms", "pnn50",
		"qrs_polarity", "polarity_agreement", "noisy_beats", "lf_ms2", "hf_ms2", "lf_hf")
	for _, r := range results {
		if r.err != nil {
			continue
		}
		h, f := r.HRV, r.Freq
		if err := t.Row(table.Text(r.name), table.Int(int64(h.Beats)), table.Num(h.MeanHR, 1), table.Num(h.MinHR, 1), table.Num(h.MaxHR, 1),
			table.Num(h.SDNN, 1), table.Num(h.RMSSD, 1), table.Num(h.PNN50, 1), table.Text(beats.PolarityName(r.Polarity)), table.Num(r.Agreement, 2),
			table.Int(int64(h.Noisy)), table.Num(f.LF, 1), table.Num(f.HF, 1), table.Num(f.LFHF, 2)); err != nil {
			return err
		}
	}
	return t.Flush()
}

// writeCompare writes the beat-by-beat scores per record and, for several
// records, their TOTAL (gross statistics).
func writeCompare(w io.Writer, results []beatsResult, format string) error {
	t := table.New(w, format, "record", "tp", "fn", "fp", "se", "ppv")
	one := func(name string, m beats.MatchResult) error {
		return t.Row(table.Text(name), table.Int(int64(m.TP)), table.Int(int64(m.FN)), table.Int(int64(m.FP)),
			table.Num(m.Sensitivity(), 2), table.Num(m.PositivePredictivity(), 2))
	}
	var total beats.MatchResult
	n := 0
	for _, r := range results {
		if r.err != nil || r.Match == nil {
			continue
		}
		n++
		total.Add(*r.Match)
		if err := one(r.name, *r.Match); err != nil {
			return err
		}
	}
	if n > 1 {
		if err := one("TOTAL", total); err != nil {
			return err
		}
	}
	return t.Flush()
}
