package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/defaultmodel"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/spf13/cobra"
)

func init() { register(newPredictCmd) }

type predictOptions struct {
	model     string
	files     []string
	top       int
	format    string
	manifest  string
	perRecord bool
}

func newPredictCmd(a *app) *cobra.Command {
	o := &predictOptions{}
	cmd := &cobra.Command{
		Use:     "predict [MODEL] FILE...",
		Short:   "Label images or records with a trained model",
		Long:    helpText("predict"),
		Example: helpExamples("predict"),
		Args:    cmdutil.Args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			if !cmd.Flags().Changed("model") {
				o.model = defaultmodel.Name
				if defaultmodel.IsModel(args[0]) {
					if len(args) == 1 {
						return cmdutil.Usagef("%s is a model: give the files to label after it", args[0])
					}
					o.model, o.files = args[0], args[1:]
				}
			}
			if o.top < 1 {
				return cmdutil.Usagef("--top %d: want 1 or more", o.top)
			}
			return runPredict(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.model, "model", defaultmodel.Name, "model file from 'ecg train' (default: the embedded rhythm model)")
	f.IntVar(&o.top, "top", 1, "number of best labels to print")
	cmdutil.FormatFlag(cmd, &o.format, "", "csv", "csv", "json")
	f.StringVar(&o.manifest, "manifest", "", "manifest.csv whose RR columns go with the images")
	f.BoolVar(&o.perRecord, "per-record", false, "one row per record (RECORD_... files), the mean of its files' scores")
	return cmd
}

func runPredict(ctx context.Context, a *app, o *predictOptions) error {
	m, err := defaultmodel.Load(o.model)
	if err != nil {
		return err
	}
	if classify.CheckBeatModel(m) == nil {
		return cmdutil.Usagef("%s classifies beats, not files: use ecg beats RECORD --classify %[1]s (ecg eval %[1]s RECORD... to score it)", o.model)
	}
	var rows *datasets.ManifestIndex
	switch {
	case o.manifest != "":
		if rows, err = datasets.ReadManifestIndex(o.manifest); err != nil {
			return err
		}
	case m.Info.Features.UsesManifest():
		return cmdutil.Usagef("%s uses the manifest columns %s of its images: give --manifest ARCHIVE/manifest.csv",
			o.model, strings.Join(m.Info.Features.Extra, ", "))
	}
	newWriter := classify.NewPredictionWriter
	if o.perRecord {
		newWriter = classify.NewRecordPredictionWriter
	}
	pw, err := newWriter(a.io.Out, o.format, o.top)
	if err != nil {
		return err
	}
	for _, err := range classify.CheckFilesRendering(m, o.files) {
		fmt.Fprintf(a.io.ErrOut, "ecg predict: warning: %v\n", err)
	}
	means := classify.NewRecordMeans(m)
	failed := 0
	for _, path := range o.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		row := rows.Lookup(path)
		p, err := m.PredictFile(path, row)
		if err != nil {
			failed++
			fmt.Fprintf(a.io.ErrOut, "ecg predict: %v\n", err)
			continue
		}
		if o.perRecord {
			err = means.Add(classify.RecordOf(path, row), p)
		} else {
			err = pw.Write(path, p)
		}
		if err != nil {
			return err
		}
	}
	for _, rp := range means.Predictions() { // none without --per-record
		if err := pw.WriteRecord(rp); err != nil {
			return err
		}
	}
	return cmdutil.BatchError(failed, len(o.files), "files", "failed")
}
