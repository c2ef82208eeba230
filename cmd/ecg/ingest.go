package main

import (
	"context"
	"fmt"
	"os"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
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
	strict     bool
	force      bool
	verbose    bool
	// Conversion of CSV and EDF files (--out).
	cmdutil.DeviceFlags
}

func newIngestCmd(a *app) *cobra.Command {
	var o ingestOptions
	cmd := &cobra.Command{
		Use:     "ingest DIR",
		Short:   "Check every record of a WFDB database, or convert CSV/EDF exports into WFDB records",
		Long:    helpText("ingest"),
		Example: helpExamples("ingest"),
		Args:    cmdutil.Args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = args[0]
			return runIngest(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "convert CSV/EDF files into WFDB records in this `DIR`")
	cmdutil.FormatFlag(cmd, &o.format, "", "text", "text", "tsv", "csv", "json")
	cmdutil.JobsFlag(cmd, &o.jobs, "records checked")
	f.StringVar(&o.annotators, "annotators", "", "comma-separated annotators to check (default: ANNOTATORS file, else atr)")
	f.BoolVar(&o.force, "force", false, "with --out: replace records that exist in DIR (default: leave them and report them)")
	f.BoolVar(&o.strict, "strict", false, "unset checksums (0 in the header, not computed by the writer) are problems, not warnings")
	f.BoolVar(&o.verbose, "verbose", false, "list every warning on stderr (default: only their count, and what a conversion lost)")
	o.DeviceFlags.AddFlags(cmd)
	return cmd
}

func runIngest(ctx context.Context, a *app, o ingestOptions) error {
	if err := o.DeviceFlags.Check(); err != nil {
		return err
	}
	items, err := ingestItems(o)
	if err != nil {
		return err
	}
	opt := datasets.CheckOptions{Annotators: cmdutil.SplitList(o.annotators), Strict: o.strict, Overwrite: o.force}
	if len(opt.Annotators) == 0 {
		opt.Annotators = datasets.DatabaseAnnotators(o.dir)
	}
	check := func(path string) datasets.RecordCheck { return datasets.CheckRecord(path, opt) }
	if o.out != "" {
		check = func(path string) datasets.RecordCheck {
			return o.DeviceFlags.Options.ConvertDeviceRecord(path, o.out, opt)
		}
	}
	bar := a.newProgress(int64(len(items)), "ingest")
	rows, err := pool.Map(ctx, items, o.jobs, check, func() { bar.Add(1) })
	bar.Done()
	if err != nil {
		return err
	}
	if err := datasets.WriteRecordChecks(a.io.Out, rows, o.format); err != nil {
		return err
	}
	bad, warned := 0, 0
	for i := range rows {
		if !rows[i].OK() {
			bad++
		}
		if len(rows[i].Warnings) > 0 {
			warned++
		}
		a.noteWarnings(rows[i], o.verbose || o.out != "")
	}
	if bad > 0 {
		// A check that ran and found problems: exit 3 even when every
		// record has one, so scripts tell "bad data" from "could not run".
		return &cmdutil.PartialError{Msg: fmt.Sprintf("%d of %d records have problems", bad, len(rows))}
	}
	if !a.quiet && o.format == "text" {
		fmt.Fprintf(a.io.ErrOut, "%d records ok\n", len(rows))
	}
	if !a.quiet && warned > 0 && !o.verbose && o.out == "" {
		fmt.Fprintf(a.io.ErrOut, "ecg ingest: %d records with warnings (--verbose lists them; --strict makes unset checksums problems)\n", warned)
	}
	return nil
}

// noteWarnings prints a record's warnings on stderr when all is true
// (--quiet or not: a warning is not an informational message).
func (a *app) noteWarnings(r datasets.RecordCheck, all bool) {
	if !all {
		return
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(a.io.ErrOut, "ecg ingest: %s: warning: %s\n", r.Record, w)
	}
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
		return nil, cmdutil.Usagef("%s is not a directory (ingest checks a database folder; use ecg info for one record)", o.dir)
	}
	return datasets.ListRecords(o.dir)
}
