package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/spf13/cobra"
)

func init() { register(newInfoCmd) }

type infoOptions struct {
	records   []string
	format    string
	annotator string
	annSet    bool
	jobs      int
	fileInput // CSV and EDF files as records
}

func newInfoCmd(a *app) *cobra.Command {
	var o infoOptions
	cmd := &cobra.Command{
		Use:   "info RECORD|DIR|FILE...",
		Short: "Describe WFDB records: length, signals, checksums, annotations and rhythms",
		Long: `Describe WFDB records as wfdbdesc does: duration, sampling frequency and, per
signal, gain, baseline, units, storage format, ADC resolution and zero, and
whether the samples match the header checksum (every sample is read). With an
annotation file (--annotator, default atr when the file exists) it adds the
annotation counts by type and the rhythm episodes with their durations.

RECORD is a record path without extension (data/mitdb/100), its .hea file, or
a database directory (its RECORDS file, else every .hea). FILE is a CSV, TSV,
TXT or EDF/EDF+ file (a device export; a directory of them when it holds no
WFDB record), described as the record ecg ingest --out would make of it (its
EDF+ annotations under "atr"). --format json prints one JSON object per record
(JSON lines).`,
		Example: `  ecg info data/mitdb/100
  ecg info data/mitdb --format json > mitdb.jsonl
  ecg info data/mitdb/203 --annotator atr
  ecg info night.edf`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.records = args
			o.annSet = cmd.Flags().Changed("annotator")
			return runInfo(a, o)
		},
	}
	f := cmd.Flags()
	formatFlag(cmd, &o.format, "", "text", "text", "json")
	f.StringVar(&o.annotator, "annotator", "atr", "annotation file to summarize (default atr, when present; \"\" for none)")
	jobsFlag(cmd, &o.jobs, "records described")
	o.fileInput.addFlags(cmd)
	return cmd
}

func runInfo(a *app, o infoOptions) error {
	if err := o.fileInput.check(); err != nil {
		return err
	}
	paths, _, err := expandInputs(o.records)
	if err != nil {
		return err
	}
	type result struct {
		info *wfdb.RecordInfo
		err  error
	}
	results := make([]result, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, o.jobs)
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if isDataFile(p) {
				rec, anns, err := o.fileInput.read(p)
				if err != nil {
					results[i] = result{nil, err}
					return
				}
				ann := o.annotator
				if !o.annSet && len(anns) == 0 {
					ann = ""
				}
				results[i] = result{wfdb.DescribeRecord(p, rec, ann, anns), nil}
				return
			}
			ann := o.annotator
			if !o.annSet && !wfdb.HasAnnotations(p, ann) {
				ann = ""
			}
			info, err := wfdb.Describe(p, ann)
			results[i] = result{info, err}
		}()
	}
	wg.Wait()
	w := bufio.NewWriter(a.io.Out)
	failed := 0
	for i, r := range results {
		if r.err != nil {
			failed++
			fmt.Fprintf(a.io.ErrOut, "ecg info: %s: %v\n", paths[i], r.err)
			continue
		}
		if o.format == "json" {
			b, err := json.Marshal(r.info)
			if err != nil {
				return err
			}
			w.Write(b)
			w.WriteByte('\n')
		} else {
			if i > 0 {
				w.WriteByte('\n')
			}
			writeInfoText(w, r.info)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return batchError(failed, len(results), "records", "could not be described")
}

// writeInfoText prints a RecordInfo as text, after wfdbdesc.
func writeInfoText(w io.Writer, in *wfdb.RecordInfo) {
	fmt.Fprintf(w, "Record %s (%s)\n", in.Name, in.Record)
	start := "not specified"
	if in.StartTime != "" {
		start = strings.TrimSpace(in.StartTime + " " + in.StartDate)
	}
	fmt.Fprintf(w, "Starting time: %s\n", start)
	fmt.Fprintf(w, "Length: %s (%d sample intervals)\n", in.Duration, in.Frames)
	fmt.Fprintf(w, "Sampling frequency: %g Hz\n", in.Fs)
	if in.Segments > 0 {
		fmt.Fprintf(w, "Segments: %d\n", in.Segments)
	}
	fmt.Fprintf(w, "%d signals\n", len(in.Signals))
	for _, s := range in.Signals {
		fmt.Fprintf(w, "Signal %d: %s\n", s.Index, s.Description)
		fmt.Fprintf(w, "  File: %s, storage format %d", s.File, s.Format)
		if s.SamplesPerFrame > 1 {
			fmt.Fprintf(w, ", %d samples per frame", s.SamplesPerFrame)
		}
		if s.Skew != 0 {
			fmt.Fprintf(w, ", skew %d", s.Skew)
		}
		if s.ByteOffset != 0 {
			fmt.Fprintf(w, ", byte offset %d", s.ByteOffset)
		}
		fmt.Fprintln(w)
		if s.Gain == 0 {
			fmt.Fprintf(w, "  Gain: uncalibrated (%g adu/%s assumed)\n", float64(wfdb.DefaultGain), s.Units)
		} else {
			fmt.Fprintf(w, "  Gain: %g adu/%s, baseline %d\n", s.Gain, s.Units, s.Baseline)
		}
		fmt.Fprintf(w, "  ADC resolution: %d bits, ADC zero: %d, initial value: %d\n", s.ADCResolution, s.ADCZero, s.InitialValue)
		if s.Checksum != nil {
			fmt.Fprintf(w, "  Checksum: %d, %s\n", *s.Checksum, s.ChecksumStatus)
		} else {
			fmt.Fprintf(w, "  Checksum: absent\n")
		}
	}
	if len(in.Comments) > 0 {
		fmt.Fprintln(w, "Notes:")
		for _, c := range in.Comments {
			fmt.Fprintf(w, "  %s\n", strings.TrimSpace(c))
		}
	}
	if an := in.Annotations; an != nil {
		fmt.Fprintf(w, "Annotations (%s): %d, of which %d beats\n", in.Annotator, an.Total, an.Beats)
		for _, c := range an.ByType {
			fmt.Fprintf(w, "  %-4s %7d  %s\n", c.Symbol, c.Count, c.Description)
		}
		if len(an.Rhythms) > 0 {
			fmt.Fprintln(w, "Rhythms:")
			for _, r := range an.Rhythms {
				fmt.Fprintf(w, "  %-6s %3d episode(s) %10.1f s (%5.1f%%)\n", r.Label, r.Episodes, r.Seconds, 100*r.Seconds/max(in.DurationS, 1e-9))
			}
		}
		if len(an.Episodes) > 0 {
			fmt.Fprintln(w, "Rhythm episodes:")
			for _, e := range an.Episodes {
				fmt.Fprintf(w, "  %-6s %s - %s (%.1f s)\n", e.Label, strings.TrimSpace(wfdb.FormatTime(e.Start, in.Fs)),
					strings.TrimSpace(wfdb.FormatTime(e.End, in.Fs)), float64(e.End-e.Start)/in.Fs)
			}
		}
	}
}
