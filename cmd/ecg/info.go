package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/pool"
	"github.com/spf13/cobra"
)

func init() { register(newInfoCmd) }

type infoOptions struct {
	records             []string
	format              string
	annotator           string
	annSet              bool
	jobs                int
	cmdutil.DeviceFlags // CSV and EDF files as records
}

func newInfoCmd(a *app) *cobra.Command {
	var o infoOptions
	cmd := &cobra.Command{
		Use:     "info RECORD|DIR|FILE...",
		Short:   "Describe WFDB records: length, signals, checksums, annotations and rhythms",
		Long:    helpText("info"),
		Example: helpExamples("info"),
		Args:    cmdutil.Args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.records = args
			o.annSet = cmd.Flags().Changed("annotator")
			return runInfo(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	cmdutil.FormatFlag(cmd, &o.format, "", "text", "text", "json")
	f.StringVar(&o.annotator, "annotator", "atr", "annotation file to summarize (default atr, when present; \"\" for none)")
	cmdutil.JobsFlag(cmd, &o.jobs, "records described")
	o.DeviceFlags.AddFlags(cmd)
	return cmd
}

func runInfo(ctx context.Context, a *app, o infoOptions) error {
	if err := o.DeviceFlags.Check(); err != nil {
		return err
	}
	paths, _, err := datasets.ExpandInputs(o.records)
	if err != nil {
		return err
	}
	type result struct {
		info *wfdb.RecordInfo
		err  error
	}
	results, err := pool.Map(ctx, paths, o.jobs, func(p string) result {
		info, err := o.DeviceFlags.Options.DescribeInput(p, o.annotator, o.annSet)
		return result{info, err}
	}, nil)
	if err != nil {
		return err
	}
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
			r.info.WriteText(w)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return cmdutil.BatchError(failed, len(results), "records", "could not be described")
}
