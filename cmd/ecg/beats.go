package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"strconv"
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

FILE may also be a CSV, TSV, TXT or EDF/EDF+ file (a device export), and DIR
a folder of them (when it holds no WFDB records), read as
ecg ingest --out would convert it (--fs for a CSV without a time column,
--delimiter, --header, --time-column, --units); --compare and --out-annotator
need a WFDB record (convert the file with ecg ingest --out first).

The detector works at any sampling rate from 125 Hz to 1 kHz and on either
polarity; invalid samples (lead off) and flat or saturated stretches give no
beats. By default it reads the first ECG-looking signal (MLII, II, V1-V6, I,
III, aVR/aVL/aVF, ECG...; else signal 0); --signal picks one by index or name,
--signal all combines all ECG signals (up to 4).

--out-annotator NAME writes the beats as an MIT annotation file RECORD.NAME
(type N; subtype 1 for noisy beats) beside the record, or into --out DIR;
WFDB tools read it.

--compare ANN scores the beats against the reference annotator ANN with the
ANSI/AAMI EC57 beat-by-beat rules of bxb: beat annotations only, a 150 ms
window (--window), the first 5 minutes skipped (--skip 300), ventricular
flutter episodes left out. It prints TP, FN, FP, sensitivity and positive
predictivity per record and a TOTAL row (gross statistics).`,
		Example: `  ecg beats data/mitdb/100
  ecg beats data/mitdb/100 --summary --format json
  ecg beats data/mitdb/100 --out-annotator qrs
  ecg beats holter.edf --summary
  ecg beats export.csv --fs 250
  ecg beats data/mitdb --out-annotator ours --out /tmp/ann --summary
  ecg beats data/mitdb --compare atr --jobs 2
  ecg beats data/mitdb --compare atr --skip 0 --format csv`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.input = args[0]
			return runBeats(a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.signal, "signal", "", "signal to use: index, name (MLII), or all; default the first ECG signal")
	f.StringVar(&o.format, "format", "tsv", "output format: text, tsv, csv or json (JSON lines)")
	f.BoolVar(&o.summary, "summary", false, "print the heart rate and HRV summary per record instead of the beats")
	f.StringVar(&o.compare, "compare", "", "score against this reference annotator (e.g. atr), EC57/bxb rules")
	f.Float64Var(&o.skip, "skip", 300, "with --compare: start scoring this many seconds into the record")
	f.Float64Var(&o.window, "window", 0.15, "with --compare: match window in seconds")
	f.StringVar(&o.outAnnotator, "out-annotator", "", "write the beats to the annotation file RECORD.`NAME`")
	f.StringVar(&o.out, "out", "", "with --out-annotator: write the annotation files into this `DIR` instead of beside the records")
	f.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "records processed in parallel")
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
	if err := checkFormat(o.format, "text", "tsv", "csv", "json"); err != nil {
		return err
	}
	if err := checkJobs(o.jobs); err != nil {
		return err
	}
	if o.window <= 0 || o.skip < 0 || math.IsNaN(o.skip) || math.IsNaN(o.window) {
		return usagef("--window must be > 0 and --skip >= 0")
	}
	if o.out != "" && o.outAnnotator == "" {
		return usagef("--out needs --out-annotator")
	}
	if o.outAnnotator != "" && (strings.ContainsAny(o.outAnnotator, `/\.`) || o.outAnnotator == o.compare) {
		return usagef("--out-annotator %q: want a plain annotator name other than the reference", o.outAnnotator)
	}
	if err := o.fileInput.check(); err != nil {
		return err
	}
	records, fromFiles, err := expandInputs([]string{o.input})
	if err != nil {
		return err
	}
	if fromFiles && (o.compare != "" || o.outAnnotator != "") {
		return usagef("%s: CSV/EDF files: --compare and --out-annotator need WFDB records (convert them with ecg ingest --out DIR first)", o.input)
	}

	results := make([]beatsResult, len(records))
	bar := a.newProgress(int64(len(records)), "beats")
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.jobs)
	for i, rec := range records {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = beatsRecord(rec, o)
			bar.Add(1)
		}()
	}
	wg.Wait()
	bar.Done()

	failed := 0
	var firstErr error
	for _, r := range results {
		if r.err != nil {
			failed++
			if firstErr == nil {
				firstErr = r.err
			}
		}
	}
	if failed == len(results) {
		// Nothing to print: report the error alone (a usage error for a
		// bad --signal on a single record).
		if len(results) == 1 {
			var se *beats.SignalError
			if errors.As(firstErr, &se) {
				return &usageError{firstErr}
			}
			return firstErr
		}
		for _, r := range results {
			fmt.Fprintf(a.io.ErrOut, "ecg beats: %v\n", r.err)
		}
		return fmt.Errorf("no record of %s could be processed", o.input)
	}
	for _, r := range results {
		if r.err != nil {
			fmt.Fprintf(a.io.ErrOut, "ecg beats: %v\n", r.err)
		}
	}
	switch {
	case o.compare != "":
		err = writeCompare(a.io.Out, results, o.format)
	case o.summary:
		err = writeSummaries(a.io.Out, results, o.format)
	default:
		err = writeBeats(a.io.Out, results, o.format, len(records) > 1)
		if err == nil && !a.quiet {
			for _, r := range results {
				if r.err == nil {
					fmt.Fprintf(a.io.ErrOut, "# %s\n", summaryLine(r))
				}
			}
		}
	}
	if err != nil {
		return err
	}
	if failed > 0 {
		return &partialError{fmt.Sprintf("%d of %d records failed", failed, len(results))}
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

func summaryLine(r beatsResult) string {
	h := r.HRV
	line := fmt.Sprintf("%s: %d beats, HR mean %.1f min %.1f max %.1f bpm, SDNN %.1f ms, RMSSD %.1f ms, pNN50 %.1f %%",
		r.name, h.Beats, h.MeanHR, h.MinHR, h.MaxHR, h.SDNN, h.RMSSD, h.PNN50)
	if f := r.Freq; !math.IsNaN(f.HF) {
		line += fmt.Sprintf(", LF %.0f HF %.0f ms², LF/HF %.2f", f.LF, f.HF, f.LFHF)
	}
	if h.Noisy > 0 {
		line += fmt.Sprintf(" (%d noisy beats left out)", h.Noisy)
	}
	if r.Polarity != 0 {
		line += fmt.Sprintf(", QRS %s (%.0f %% of beats)", polarityName(r.Polarity), 100*r.Agreement)
	}
	return line
}

// polarityName names a beats.Polarity sign.
func polarityName(sign int) string {
	switch sign {
	case 1:
		return "positive"
	case -1:
		return "negative"
	}
	return ""
}

func writeBeats(w io.Writer, results []beatsResult, format string, withRecord bool) error {
	enc := json.NewEncoder(w)
	t := newTable(w, format)
	if format != "json" {
		head := []string{"sample", "time", "rr", "hr", "noisy"}
		if withRecord {
			head = append([]string{"record"}, head...)
		}
		if err := t.row(head...); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r.err != nil {
			continue
		}
		for i, b := range r.Beats {
			s := b.Sample
			tm := float64(s) / r.Fs
			rr, hr := math.NaN(), math.NaN()
			if i > 0 {
				rr = float64(s-r.Beats[i-1].Sample) / r.Fs
				hr = 60 / rr
			}
			if format == "json" {
				row := struct {
					Record string `json:"record"`
					Sample int64  `json:"sample"`
					Time   jnum   `json:"time"`
					RR     jnum   `json:"rr"`
					HR     jnum   `json:"hr"`
					Noisy  bool   `json:"noisy"`
				}{r.name, s, jnum(tm), jnum(rr), jnum(hr), b.Noisy}
				if err := enc.Encode(row); err != nil {
					return err
				}
				continue
			}
			nz := "0"
			if b.Noisy {
				nz = "1"
			}
			cols := []string{strconv.FormatInt(s, 10), ffmt(tm, 3), ffmt(rr, 3), ffmt(hr, 1), nz}
			if withRecord {
				cols = append([]string{r.name}, cols...)
			}
			if err := t.row(cols...); err != nil {
				return err
			}
		}
	}
	return t.flush()
}

func writeSummaries(w io.Writer, results []beatsResult, format string) error {
	enc := json.NewEncoder(w)
	t := newTable(w, format)
	if format != "json" {
		if err := t.row("record", "beats", "mean_hr", "min_hr", "max_hr", "sdnn_ms", "rmssd_ms", "pnn50", "qrs_polarity", "polarity_agreement", "noisy_beats", "lf_ms2", "hf_ms2", "lf_hf"); err != nil {
			return err
		}
	}
	for _, r := range results {
		if r.err != nil {
			continue
		}
		h := r.HRV
		if format == "json" {
			row := struct {
				Record string `json:"record"`
				Beats  int    `json:"beats"`
				MeanHR jnum   `json:"mean_hr"`
				MinHR  jnum   `json:"min_hr"`
				MaxHR  jnum   `json:"max_hr"`
				SDNN   jnum   `json:"sdnn_ms"`
				RMSSD  jnum   `json:"rmssd_ms"`
				PNN50  jnum   `json:"pnn50"`
				Pol    string `json:"qrs_polarity"`
				Agree  jnum   `json:"polarity_agreement"`
				Noisy  int    `json:"noisy_beats"`
				LF     jnum   `json:"lf_ms2"`
				HF     jnum   `json:"hf_ms2"`
				LFHF   jnum   `json:"lf_hf"`
			}{r.name, h.Beats, jnum(h.MeanHR), jnum(h.MinHR), jnum(h.MaxHR), jnum(h.SDNN), jnum(h.RMSSD), jnum(h.PNN50), polarityName(r.Polarity), jnum(r.Agreement), h.Noisy,
				jnum(r.Freq.LF), jnum(r.Freq.HF), jnum(r.Freq.LFHF)}
			if err := enc.Encode(row); err != nil {
				return err
			}
			continue
		}
		if err := t.row(r.name, strconv.Itoa(h.Beats), ffmt(h.MeanHR, 1), ffmt(h.MinHR, 1), ffmt(h.MaxHR, 1),
			ffmt(h.SDNN, 1), ffmt(h.RMSSD, 1), ffmt(h.PNN50, 1), polarityName(r.Polarity), ffmt(r.Agreement, 2), strconv.Itoa(h.Noisy),
			ffmt(r.Freq.LF, 1), ffmt(r.Freq.HF, 1), ffmt(r.Freq.LFHF, 2)); err != nil {
			return err
		}
	}
	return t.flush()
}

func writeCompare(w io.Writer, results []beatsResult, format string) error {
	enc := json.NewEncoder(w)
	t := newTable(w, format)
	if format != "json" {
		if err := t.row("record", "tp", "fn", "fp", "se", "ppv"); err != nil {
			return err
		}
	}
	var total beats.MatchResult
	one := func(name string, m beats.MatchResult) error {
		if format == "json" {
			return enc.Encode(struct {
				Record string `json:"record"`
				TP     int    `json:"tp"`
				FN     int    `json:"fn"`
				FP     int    `json:"fp"`
				Se     jnum   `json:"se"`
				PPV    jnum   `json:"ppv"`
			}{name, m.TP, m.FN, m.FP, jnum(m.Sensitivity()), jnum(m.PositivePredictivity())})
		}
		return t.row(name, strconv.Itoa(m.TP), strconv.Itoa(m.FN), strconv.Itoa(m.FP),
			ffmt(m.Sensitivity(), 2), ffmt(m.PositivePredictivity(), 2))
	}
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
