package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"sync"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
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
	jobs         int
	// a CSV or EDF file instead of a record
	fileInput
}

func newBeatsCmd(a *app) *cobra.Command {
	o := beatsOptions{}
	cmd := &cobra.Command{
		Use:   "beats RECORD|DIR|FILE",
		Short: "Detect heartbeats, print heart rate and HRV, score against reference annotations",
		Long: `Detect heartbeats (QRS complexes) in a WFDB record, or in every record of a
database folder (its RECORDS file, else every *.hea), and print one row per
beat: sample, time (s), RR interval (s), instantaneous heart rate (bpm) and
noisy (1 when the signal does not fall quiet around the beat: its envelope
stays above a tenth of the beat's peak over the half second before it or the
quarter second after it; it may be noise, or a beat placed by the rhythm).

A summary per record goes to stderr, or to stdout instead of the beats with
--summary: mean, min and max heart rate, SDNN, RMSSD and pNN50 over the
intervals between beats that are not noisy; the count of noisy beats; LF
(0.04-0.15 Hz) and HF (0.15-0.4 Hz) power in ms² and LF/HF, from the
Lomb-Scargle periodogram of the same intervals averaged over 5-minute
segments (NaN below 2 minutes for LF, 1 minute for HF).

FILE may also be a CSV, TSV, TXT or EDF/EDF+ file (a device export), and DIR a
folder of them, read as ecg ingest --out would convert it (--fs, --delimiter,
--header, --time-column, --units).

The detector works at sampling rates from 50 Hz to 8 kHz (the range it was
measured on; other rates are refused) and on either polarity; invalid samples (lead off) and flat or saturated stretches give no
beats. It reads the first ECG signal (MLII, II, V1-V6, I, III, aVR/aVL/aVF,
ECG...; else signal 0), or those --signal names (any case) or numbers: several
(comma-separated; all: every ECG signal) are combined as leads (up to 4).

--out-annotator NAME writes the beats as an MIT annotation file RECORD.NAME
(type N; subtype 1 for noisy beats) beside the record, or into --out DIR.

--compare ANN scores the beats against the reference annotator ANN with the
ANSI/AAMI EC57 beat-by-beat rules of bxb: beat annotations only, a 150 ms
window (--window), the first 5 minutes skipped (--skip 300), ventricular
flutter episodes left out: TP, FN, FP, sensitivity and positive
predictivity per record and a TOTAL row (gross statistics). Both need WFDB
records (convert a CSV or EDF file with ecg ingest --out first).`,
		Example: `  ecg beats data/mitdb/100 --summary --format json
  ecg beats export.csv --fs 250
  ecg beats data/mitdb --out-annotator ours --out /tmp/ann --summary
  ecg beats data/mitdb --compare atr --skip 0 --format csv`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.input = args[0]
			return runBeats(a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.signal, "signal", "", "signals to use: names (any case) or indices, comma-separated (combined as leads), or all ECG signals; default the first ECG signal")
	formatFlag(cmd, &o.format, "output format (json: JSON lines)", "tsv", "text", "tsv", "csv", "json")
	jobsFlag(cmd, &o.jobs, "records processed")
	f.BoolVar(&o.summary, "summary", false, "print the heart rate and HRV summary per record instead of the beats")
	f.StringVar(&o.compare, "compare", "", "score against this reference annotator (e.g. atr), EC57/bxb rules")
	f.Float64Var(&o.skip, "skip", 300, "with --compare: start scoring this many seconds into the record")
	f.Float64Var(&o.window, "window", 0.15, "with --compare: match window in seconds")
	f.StringVar(&o.outAnnotator, "out-annotator", "", "write the beats to the annotation file RECORD.`NAME`")
	f.StringVar(&o.out, "out", "", "with --out-annotator: write the annotation files into this `DIR` instead of beside the records")
	o.fileInput.addFlags(cmd)
	return cmd
}

// beatsResult is what one record gives.
type beatsResult struct {
	name string
	*beats.Analysis
	err error
}

func runBeats(a *app, o beatsOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	records, fromFiles, err := expandInputs([]string{o.input})
	if err != nil {
		return err
	}
	if fromFiles && (o.compare != "" || o.outAnnotator != "") {
		return usagef("%s: CSV/EDF files: --compare and --out-annotator need WFDB records (convert them with ecg ingest --out DIR first)", o.input)
	}
	results := analyzeRecords(a, records, o)
	if len(results) == 1 && results[0].err != nil {
		// Nothing to print: report the error alone (a usage error for a
		// bad --signal).
		if se := (*beats.SignalError)(nil); errors.As(results[0].err, &se) {
			return usagef("--signal: %v", se)
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
	if err := writeResults(a, results, o, len(records) > 1); err != nil || failed == 0 {
		return err
	}
	return &partialError{fmt.Sprintf("%d of %d records failed", failed, len(results))}
}

// check checks the flags.
func (o *beatsOptions) check() error {
	if o.window <= 0 || o.skip < 0 || math.IsNaN(o.skip) || math.IsNaN(o.window) {
		return usagef("--window must be > 0 and --skip >= 0")
	}
	if o.out != "" && o.outAnnotator == "" {
		return usagef("--out needs --out-annotator")
	}
	if o.outAnnotator != "" && (strings.ContainsAny(o.outAnnotator, `/\.`) || o.outAnnotator == o.compare) {
		return usagef("--out-annotator %q: want a plain annotator name other than the reference", o.outAnnotator)
	}
	return o.fileInput.check()
}

// analyzeRecords analyses the records, o.jobs at a time, and returns
// their results in order.
func analyzeRecords(a *app, records []string, o beatsOptions) []beatsResult {
	results := make([]beatsResult, len(records))
	bar := a.newProgress(int64(len(records)), "beats")
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.jobs)
	for i, rec := range records {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = beatsRecord(rec, o)
			bar.Add(1)
		})
	}
	wg.Wait()
	bar.Done()
	return results
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

// beatsRecord analyses one record (beats.AnalyzeRecord, or beats.Analyze
// for a CSV or EDF file) and writes its beats as annotations as asked.
func beatsRecord(path string, o beatsOptions) beatsResult {
	res := beatsResult{name: filepath.Base(path)}
	opt := beats.Options{Signal: o.signal, Compare: o.compare, Match: beats.MatchOptions{Window: o.window, Skip: o.skip}}
	if isDataFile(path) {
		rec, _, err := o.fileInput.read(path)
		if err != nil {
			res.err = err
			return res
		}
		res.Analysis, res.err = beats.Analyze(rec, opt)
		if se := (*beats.SignalError)(nil); errors.As(res.err, &se) {
			se.Record = path
		}
	} else {
		res.Analysis, res.err = beats.AnalyzeRecord(path, opt)
	}
	if res.err == nil && o.outAnnotator != "" {
		dst := path
		if o.out != "" {
			dst = filepath.Join(o.out, filepath.Base(path))
		}
		res.err = wfdb.WriteAnnotations(dst, o.outAnnotator, res.Annotations())
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
	t := newTable(w, format, cols...)
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
			row := []cell{intCell(b.Sample), numCell(tm, 3), numCell(rr, 3), numCell(hr, 1), boolCell(b.Noisy)}
			if withRecord {
				row = append([]cell{textCell(r.name)}, row...)
			}
			if err := t.row(row...); err != nil {
				return err
			}
		}
	}
	return t.flush()
}

// writeSummaries writes a row of heart rate, HRV and polarity per record.
func writeSummaries(w io.Writer, results []beatsResult, format string) error {
	t := newTable(w, format, "record", "beats", "mean_hr", "min_hr", "max_hr", "sdnn_ms", "rmssd_ms", "pnn50",
		"qrs_polarity", "polarity_agreement", "noisy_beats", "lf_ms2", "hf_ms2", "lf_hf")
	for _, r := range results {
		if r.err != nil {
			continue
		}
		h, f := r.HRV, r.Freq
		if err := t.row(textCell(r.name), intCell(int64(h.Beats)), numCell(h.MeanHR, 1), numCell(h.MinHR, 1), numCell(h.MaxHR, 1),
			numCell(h.SDNN, 1), numCell(h.RMSSD, 1), numCell(h.PNN50, 1), textCell(beats.PolarityName(r.Polarity)), numCell(r.Agreement, 2),
			intCell(int64(h.Noisy)), numCell(f.LF, 1), numCell(f.HF, 1), numCell(f.LFHF, 2)); err != nil {
			return err
		}
	}
	return t.flush()
}

// writeCompare writes the beat-by-beat scores per record and, for several
// records, their TOTAL (gross statistics).
func writeCompare(w io.Writer, results []beatsResult, format string) error {
	t := newTable(w, format, "record", "tp", "fn", "fp", "se", "ppv")
	one := func(name string, m beats.MatchResult) error {
		return t.row(textCell(name), intCell(int64(m.TP)), intCell(int64(m.FN)), intCell(int64(m.FP)),
			numCell(m.Sensitivity(), 2), numCell(m.PositivePredictivity(), 2))
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
	return t.flush()
}
