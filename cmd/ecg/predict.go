package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/defaultmodel"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/spf13/cobra"
)

func init() { register(newPredictCmd) }

type predictOptions struct {
	model    string
	files    []string
	top      int
	format   string
	manifest string
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
	cw := csv.NewWriter(a.io.Out)
	if o.format == "csv" {
		head := []string{"file", "label", "confidence", "confident"}
		for k := 2; k <= o.top; k++ {
			head = append(head, "label"+strconv.Itoa(k), "score"+strconv.Itoa(k))
		}
		cw.Write(head)
	}
	failed := 0
	for _, path := range o.files {
		if err := ctx.Err(); err != nil {
			return err
		}
		p, err := m.PredictFile(path, rows.Lookup(path))
		if err != nil {
			failed++
			fmt.Fprintf(a.io.ErrOut, "ecg predict: %v\n", err)
			continue
		}
		top := p.Top(o.top)
		if o.format == "json" {
			type out struct {
				File       string                `json:"file"`
				Label      string                `json:"label"`
				Confidence float64               `json:"confidence"`
				Confident  bool                  `json:"confident"`
				Top        []classify.LabelScore `json:"top,omitempty"`
			}
			rec := out{File: path, Label: p.Label, Confidence: p.Confidence, Confident: p.Confident}
			if o.top > 1 {
				rec.Top = top
			}
			b, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.Out, "%s\n", b)
			continue
		}
		row := []string{path, p.Label, strconv.FormatFloat(p.Confidence, 'f', 4, 64), strconv.FormatBool(p.Confident)}
		for _, s := range top[1:] {
			row = append(row, s.Label, strconv.FormatFloat(s.Score, 'f', 4, 64))
		}
		cw.Write(row)
		cw.Flush()
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return cmdutil.BatchError(failed, len(o.files), "files", "failed")
}
