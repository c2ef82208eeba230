package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

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
		Use:   "predict [MODEL] FILE...",
		Short: "Label images or records with a trained model",
		Long: `predict prints the label and confidence of each FILE: images (PNG, JPEG) for
an image model, WFDB records (NAME or NAME.hea) for a signal model.

The model is --model, else the first argument when it is a model file (or
ends in .ecgm or .model, or is "default"), else the rhythm model embedded in
ecg (a signal model trained on the MIT-BIH Arrhythmia Database; see README). With
--top K, the K best labels and their scores. With --manifest, the RR
columns of the manifest rows of the images are used (as at training): an
image is matched to the row of the same file (paths relative to the
manifest's folder; relative, absolute or through links alike). A model
trained with those columns needs --manifest, and an image without its row
fails rather than being scored without them.

CSV columns: file,label,confidence,confident[,label2,score2,...]; JSON: one
object per line. "confident" says whether the confidence reaches the
model's threshold for that label. A file that fails is reported on stderr;
the exit code is then 3, or 1 when every file failed.`,
		Example: `  ecg predict model.ecgm archive/N/100_0000m00s_MLII.png
  ecg predict model.ecgm records/*.hea --top 3 --format json
  ecg predict data/mitdb/201            # the embedded rhythm model`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.files = args
			if !cmd.Flags().Changed("model") {
				o.model = defaultmodel.Name
				if looksLikeModel(args[0]) {
					if len(args) == 1 {
						return usagef("%s is a model: give the files to label after it", args[0])
					}
					o.model, o.files = args[0], args[1:]
				}
			}
			if err := checkFormat(o.format, "csv", "json"); err != nil {
				return err
			}
			if o.top < 1 {
				return usagef("--top %d: want 1 or more", o.top)
			}
			return runPredict(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.model, "model", defaultmodel.Name, "model file from 'ecg train' (default: the embedded rhythm model)")
	f.IntVar(&o.top, "top", 1, "number of best labels to print")
	f.StringVar(&o.format, "format", "csv", "output format: csv or json")
	f.StringVar(&o.manifest, "manifest", "", "manifest.csv whose RR columns go with the images")
	return cmd
}

func runPredict(ctx context.Context, a *app, o *predictOptions) error {
	m, err := loadModel(o.model)
	if err != nil {
		return err
	}
	var rows *datasets.ManifestIndex
	switch {
	case o.manifest != "":
		if rows, err = datasets.ReadManifestIndex(o.manifest); err != nil {
			return err
		}
	case m.Info.Features.UsesManifest():
		return usagef("%s uses the manifest columns %s of its images: give --manifest ARCHIVE/manifest.csv",
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
	return batchError(failed, len(o.files), "files", "failed")
}
