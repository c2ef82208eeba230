package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/pool"
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

func runIngest(ctx context.Context, a *app, o ingestOptions) error {
	if err := o.fileInput.check(); err != nil {
		return err
	}
	items, err := ingestItems(o)
	if err != nil {
		return err
	}
	annotators := splitList(o.annotators)
	if len(annotators) == 0 {
		annotators = datasets.DatabaseAnnotators(o.dir)
	}
	check := func(path string) datasets.RecordCheck { return datasets.CheckRecord(path, annotators) }
	if o.out != "" {
		check = func(path string) datasets.RecordCheck {
			return o.fileInput.opts.ConvertDeviceRecord(path, o.out, annotators)
		}
	}
	bar := a.newProgress(int64(len(items)), "ingest")
	rows, err := pool.Map(ctx, items, o.jobs, check, func() { bar.Add(1) })
	bar.Done()
	if err != nil {
		return err
	}
	if err := writeIngestRows(a.io.Out, rows, o.format); err != nil {
		return err
	}
	bad := 0
	for i := range rows {
		if !rows[i].OK() {
			bad++
		}
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

// ingestItems lists what ingest works on: the device exports to convert
// (--out) or the records of the database folder.
func ingestItems(o ingestOptions) ([]string, error) {
	if o.out != "" {
		items, err := datasets.ConvertibleFiles(o.dir)
		if err != nil {
			return nil, err
		}
		return items, os.MkdirAll(o.out, 0o755)
	}
	if !datasets.IsDatabaseDir(o.dir) {
		if _, err := os.Stat(o.dir); err != nil {
			return nil, err
		}
		return nil, usagef("%s is not a directory (ingest checks a database folder; use ecg info for one record)", o.dir)
	}
	return datasets.ListRecords(o.dir)
}

func writeIngestRows(w io.Writer, rows []datasets.RecordCheck, format string) error {
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
