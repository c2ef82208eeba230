package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/spf13/cobra"
)

func init() { register(newIngestCmd) }

type ingestOptions struct {
	dir        string
	out        string
	format     string
	jobs       int
	annotators string
	// Conversion of CSV and EDF files (--out).
	fileInput
}

func newIngestCmd(a *app) *cobra.Command {
	var o ingestOptions
	cmd := &cobra.Command{
		Use:   "ingest DIR",
		Short: "Check every record of a WFDB database, or convert CSV/EDF exports into WFDB records",
		Long: `Check a WFDB database folder: for every record (the RECORDS file when present,
else every *.hea), read the header and all samples, compare the checksums in
the header with the samples, and parse the annotation files. One row per
record: record, signals, duration, checksums (ok; BAD; none: the header has
none; -: not verified because the samples could not be read),
annotations (count over the annotators found), status. Exit code 3 when any
record has a problem.

Annotators checked: --annotators, else those listed in the database's
ANNOTATORS file, else atr. A missing annotation file is not an error.

With --out DIR, convert instead: every .csv, .tsv, .txt and .edf file in the
input folder (or the one file given) becomes a WFDB record in DIR (format 16),
which is then checked the same way. CSV: one column per signal, a header
row naming them is optional (a second row of units too), the delimiter is
detected (or --delimiter), with ';' or tab a comma in a number is its
decimal separator (0,125), a time column (time, t, seconds, "time (ms)",
Zeit...) gives the sampling frequency, otherwise --fs is required. Gains are chosen
so that the values as written survive exactly when 16 bits allow (--gain to
impose one). EDF/EDF+: digital values are kept, gain and baseline come from
the physical and digital ranges; signals at different rates become one
multi-frequency record; EDF+ annotations become comment annotations (type
", the text in aux, "(12.5 s)" appended when they have a duration) in
RECORD.atr; the data records of a discontinuous EDF+D file are placed at
their onsets, the gaps filled with invalid samples.`,
		Example: `  ecg ingest data/mitdb
  ecg ingest data/mitdb --format json --jobs 4
  ecg ingest exports/ --out data/converted --fs 500 --units mV
  ecg ingest holter.edf --out data/holter`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = args[0]
			return runIngest(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "convert CSV/EDF files into WFDB records in this `DIR`")
	formatFlag(cmd, &o.format, "", "text", "text", "tsv", "csv", "json")
	jobsFlag(cmd, &o.jobs, "records checked")
	f.StringVar(&o.annotators, "annotators", "", "comma-separated annotators to check (default: ANNOTATORS file, else atr)")
	o.fileInput.addFlags(cmd)
	return cmd
}

// ingestRow is the result for one record.
type ingestRow struct {
	Record      string   `json:"record"`
	Source      string   `json:"source,omitempty"`
	Signals     int      `json:"signals"`
	Fs          float64  `json:"fs"`
	Frames      int64    `json:"frames"`
	Duration    float64  `json:"duration_s"`
	Checksums   string   `json:"checksums"`
	Annotations int      `json:"annotations"`
	Status      string   `json:"status"`
	Problems    []string `json:"problems,omitempty"`
}

func (r *ingestRow) fail(err error) { r.Problems = append(r.Problems, err.Error()) }

func runIngest(ctx context.Context, a *app, o ingestOptions) error {
	err := o.fileInput.check()
	if err != nil {
		return err
	}
	var items []string
	if o.out != "" {
		if items, err = convertibleFiles(o.dir); err != nil {
			return err
		}
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return err
		}
	} else {
		if !datasets.IsDatabaseDir(o.dir) {
			if _, err := os.Stat(o.dir); err != nil {
				return err
			}
			return usagef("%s is not a directory (ingest checks a database folder; use ecg info for one record)", o.dir)
		}
		if items, err = datasets.ListRecords(o.dir); err != nil {
			return err
		}
	}
	annotators := splitList(o.annotators)
	if len(annotators) == 0 {
		annotators = databaseAnnotators(o.dir)
	}

	rows := make([]ingestRow, len(items))
	bar := a.newProgress(int64(len(items)), "ingest")
	sem := make(chan struct{}, o.jobs)
	var wg sync.WaitGroup
	for i, item := range items {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done(); bar.Add(1) }()
			if o.out != "" {
				rows[i] = convertOne(item, o, annotators)
			} else {
				rows[i] = checkRecord(item, annotators)
			}
		}()
	}
	wg.Wait()
	bar.Done()
	if err := ctx.Err(); err != nil {
		return err
	}
	bad := 0
	for i := range rows {
		if len(rows[i].Problems) > 0 {
			bad++
			rows[i].Status = strings.Join(rows[i].Problems, "; ")
		} else {
			rows[i].Status = "ok"
		}
	}
	if err := writeIngestRows(a.io.Out, rows, o.format); err != nil {
		return err
	}
	if bad > 0 {
		// A check that ran and found problems: exit 3 even when every
		// record has one, so scripts tell "bad data" from "could not run".
		return &partialError{fmt.Sprintf("%d of %d records have problems", bad, len(rows))}
	}
	if !a.quiet && o.format == "text" {
		fmt.Fprintf(a.io.ErrOut, "%d records ok\n", len(rows))
	}
	return nil
}

// checkRecord reads the record at path and its annotation files.
func checkRecord(path string, annotators []string) ingestRow {
	row := ingestRow{Record: filepath.Base(path), Checksums: "none", Annotations: 0}
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		row.fail(err)
		return row
	}
	row.Signals, row.Fs, row.Frames = len(h.Signals), h.Fs, h.NSamples
	for _, sig := range h.Signals {
		if sig.HasChecksum {
			row.Checksums = "-" // until the samples are read and verified
		}
	}
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		row.fail(err)
	} else {
		row.Frames = int64(rec.NumFrames())
		present := false
		for s := 0; s < rec.NumSignals(); s++ {
			if _, p := rec.ChecksumOK(s); p {
				present = true
			}
		}
		if present {
			row.Checksums = "ok"
			if err := rec.VerifyChecksums(); err != nil {
				row.Checksums = "BAD"
				row.fail(err)
			}
		}
	}
	if h.Fs > 0 {
		row.Duration = float64(row.Frames) / h.Fs
	}
	for _, ann := range annotators {
		anns, err := wfdb.ReadAnnotations(path, ann)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		row.Annotations += len(anns)
		if err != nil {
			row.fail(err)
		}
	}
	return row
}

// convertOne converts one CSV or EDF file into a WFDB record in o.out and
// checks the result.
func convertOne(path string, o ingestOptions, annotators []string) ingestRow {
	name := datasets.RecordNameFor(path)
	row := ingestRow{Record: name, Source: path, Checksums: "none"}
	h, data, anns, err := o.fileInput.opts.ConvertDevice(path, name)
	if err != nil {
		row.fail(fmt.Errorf("%s: %w", path, err))
		return row
	}
	if err := wfdb.WriteRecord(o.out, h, data); err != nil {
		row.fail(err)
		return row
	}
	if len(anns) > 0 {
		if err := wfdb.WriteAnnotations(filepath.Join(o.out, name), edfAnnotator, anns); err != nil {
			row.fail(err)
			return row
		}
	}
	checked := checkRecord(filepath.Join(o.out, name), annotators)
	checked.Source = path
	return checked
}

// edfAnnotator is the annotator name of the annotations converted from an
// EDF+ file: RECORD.atr, which ecg reads by default.
const edfAnnotator = "atr"

// convertibleFiles lists the CSV/EDF files of dir, or dir itself when it
// is a file, refusing two files that would become the same record.
func convertibleFiles(dir string) ([]string, error) {
	out, err := datasets.DeviceFiles(dir)
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for _, p := range out {
		n := datasets.RecordNameFor(p)
		if q, ok := seen[n]; ok {
			return nil, fmt.Errorf("%s and %s would both become record %s", q, p, n)
		}
		seen[n] = p
	}
	return out, nil
}

// databaseAnnotators reads the first column of dir/ANNOTATORS, or
// returns ["atr"].
func databaseAnnotators(dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, "ANNOTATORS"))
	if err != nil {
		return []string{"atr"}
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			out = append(out, f[0])
		}
	}
	if len(out) == 0 {
		return []string{"atr"}
	}
	return out
}

func writeIngestRows(w io.Writer, rows []ingestRow, format string) error {
	bw := bufio.NewWriter(w)
	switch format {
	case "json":
		enc := json.NewEncoder(bw)
		for i := range rows {
			if err := enc.Encode(&rows[i]); err != nil {
				return err
			}
		}
	case "tsv", "csv":
		cw := csv.NewWriter(bw)
		if format == "tsv" {
			cw.Comma = '\t'
		}
		cw.Write([]string{"record", "signals", "fs", "frames", "duration_s", "checksums", "annotations", "status"})
		for _, r := range rows {
			cw.Write([]string{r.Record, strconv.Itoa(r.Signals), strconv.FormatFloat(r.Fs, 'g', -1, 64),
				strconv.FormatInt(r.Frames, 10), strconv.FormatFloat(r.Duration, 'f', 3, 64), r.Checksums,
				strconv.Itoa(r.Annotations), r.Status})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	default:
		tw := tabwriter.NewWriter(bw, 0, 8, 2, ' ', 0)
		fmt.Fprintln(tw, "RECORD\tSIGNALS\tDURATION\tCHECKSUMS\tANNOTATIONS\tSTATUS")
		for _, r := range rows {
			dur := "-"
			if r.Fs > 0 {
				dur = strings.TrimSpace(wfdb.FormatTime(r.Frames, r.Fs))
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\n", r.Record, r.Signals, dur, r.Checksums, r.Annotations, r.Status)
		}
		tw.Flush()
	}
	return bw.Flush()
}
