package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/atomicfile"
	"github.com/spf13/cobra"
)

func init() { register(newTrainCmd) }

type trainOptions struct {
	dir, out, testDir string
	split             float64
	seed              int64
	forest            classify.ForestOptions
	jobs              int
	format            string
}

func newTrainCmd(a *app) *cobra.Command {
	o := &trainOptions{}
	cmd := &cobra.Command{
		Use:   "train DIR --out MODEL",
		Short: "Train a classifier on a folder of labelled images or records",
		Long: `train reads DIR, whose sub-folders are labels (the archive from "ecg spectro",
or images or WFDB records made elsewhere), computes features, grows a random
forest and writes one self-describing model file.

Images (PNG, JPEG, any size) give image features, plus the RR columns of the
archive's manifest.csv when it has them; WFDB records of any length and
sampling rate give rhythm (RR), QRS shape and spectral features.

Without --test, the files are split by record (the manifest's record column,
else the file name up to its first '_'), stratified by label as far as the
records allow: no record is in both training and held-out data. The
held-out metrics are printed and stored in the model. Labels are weighted
inversely to their frequency (--class-weight balanced). The same data, flags
and --seed give a byte-identical model file.`,
		Example: `  ecg train archive/ --out model.ecgm
  ecg train archive/ --out model.ecgm --split 0.75 --seed 7 --trees 200
  ecg train ds1/ --test ds2/ --out model.ecgm --format json`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = args[0]
			if o.out == "" {
				return usagef("--out MODEL is required")
			}
			if !(o.split > 0 && o.split < 1) {
				return usagef("--split %v: want a fraction between 0 and 1", o.split)
			}
			if err := checkFormat(o.format, "text", "json"); err != nil {
				return err
			}
			if o.forest.ClassWeight != "balanced" && o.forest.ClassWeight != "none" {
				return usagef("--class-weight %q: want balanced or none", o.forest.ClassWeight)
			}
			for _, c := range []struct {
				name string
				v    int
			}{{"--trees", o.forest.Trees}, {"--max-depth", o.forest.MaxDepth}, {"--min-leaf", o.forest.MinLeaf}, {"--jobs", o.jobs}} {
				if c.v < 1 {
					return usagef("%s %d: want at least 1", c.name, c.v)
				}
			}
			if o.forest.MaxDepth > 64 {
				return usagef("--max-depth %d: want at most 64", o.forest.MaxDepth)
			}
			if o.forest.MaxFeatures < 0 {
				return usagef("--max-features %d: want 0 (square root of the feature count) or more", o.forest.MaxFeatures)
			}
			o.forest.Seed = uint64(o.seed)
			o.forest.Jobs = o.jobs
			return runTrain(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "model file to write")
	f.StringVar(&o.testDir, "test", "", "label-folder directory to test on instead of a split")
	f.Float64Var(&o.split, "split", 0.8, "fraction of records for training when there is no --test")
	f.Int64Var(&o.seed, "seed", 1, "seed of the split and of the forest")
	f.IntVar(&o.forest.Trees, "trees", 100, "number of trees")
	f.IntVar(&o.forest.MaxDepth, "max-depth", 32, "maximum tree depth")
	f.IntVar(&o.forest.MinLeaf, "min-leaf", 1, "minimum samples per leaf")
	f.IntVar(&o.forest.MaxFeatures, "max-features", 0, "features tried per split (0: square root of the feature count)")
	f.StringVar(&o.forest.ClassWeight, "class-weight", "balanced", "balanced (weights inverse to label frequency) or none")
	f.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "parallel workers")
	f.StringVar(&o.format, "format", "text", "report format: text or json")
	return cmd
}

func runTrain(ctx context.Context, a *app, o *trainOptions) error {
	ds, err := datasets.ReadLabelFolders(o.dir)
	if err != nil {
		return err
	}
	a.noteFolders("train", ds)
	opt := classify.DatasetOptions{Split: o.split, Seed: uint64(o.seed), Forest: o.forest, Jobs: o.jobs}
	if o.testDir != "" {
		if opt.Test, err = datasets.ReadLabelFolders(o.testDir); err != nil {
			return err
		}
		a.noteFolders("train", opt.Test)
	}
	bars := &stageBars{a: a}
	opt.Progress = bars.update
	res, err := classify.TrainDataset(ctx, ds, opt)
	bars.Done()
	if res != nil {
		// As ecg eval does: a test label the training set lacks cannot be
		// predicted; its files are left out of the report, and said so.
		a.noteSkipped(res.Skipped, "not a training label")
	}
	if err != nil {
		return err
	}
	m := res.Model
	if d := filepath.Dir(o.out); d != "." {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := atomicfile.WriteFile(o.out, m.Save); err != nil {
		return err
	}
	if !a.quiet {
		t := m.Info.Training
		fmt.Fprintf(a.io.ErrOut, "ecg train: %d files (%d training in %d records, %d held out), features %.1fs, %d trees %.1fs, OOB accuracy %.4f; wrote %s\n",
			len(ds.Files), t.Samples, t.Groups, res.Heldout,
			res.FeatureTime.Seconds(), len(m.Forest().Trees), res.TrainTime.Seconds(), t.OOBAccuracy, o.out)
	}
	return writeTrainReport(a.io.Out, o.format, m)
}

// stageBars draws a progress bar per stage of a library call
// (classify.Progress).
type stageBars struct {
	a     *app
	stage string
	bar   *progress
}

func (b *stageBars) update(stage string, done, total int) {
	if stage != b.stage || b.bar == nil {
		b.bar.Done()
		b.stage, b.bar = stage, b.a.newProgress(int64(total), stage)
	}
	if done > 0 {
		b.bar.Add(1)
	}
}

// Done clears the current bar.
func (b *stageBars) Done() { b.bar.Done() }

// noteFolders says on stderr which top-level folders of a dataset were
// not read as labels (hidden or empty).
func (a *app) noteFolders(cmd string, ds *datasets.LabelFolders) {
	if a.quiet {
		return
	}
	for _, s := range ds.Skipped {
		fmt.Fprintf(a.io.ErrOut, "ecg %s: %s: skipped folder %s\n", cmd, ds.Dir, s)
	}
}

// noteSkipped says on stderr which files were left out because their
// label cannot be predicted (why says why).
func (a *app) noteSkipped(skipped []classify.LabelCount, why string) {
	if a.quiet {
		return
	}
	for _, s := range skipped {
		fmt.Fprintf(a.io.ErrOut, "ecg eval: skipped %d files labelled %q (%s)\n", s.Files, s.Label, why)
	}
}

func writeTrainReport(w io.Writer, format string, m *classify.Model) error {
	if format == "json" {
		type out struct {
			Labels   []string                 `json:"labels"`
			Training classify.TrainingSummary `json:"training"`
			Heldout  *classify.Report         `json:"heldout"`
		}
		rep := m.Info.Heldout
		if rep != nil {
			c := *rep
			c.Curves = nil
			rep = &c
		}
		b, err := json.Marshal(out{m.Info.Labels, m.Info.Training, rep})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	if m.Info.Heldout == nil {
		_, err := fmt.Fprintf(w, "no held-out data (a single record group); OOB accuracy %.4f\n", m.Info.Training.OOBAccuracy)
		return err
	}
	fmt.Fprintf(w, "held-out evaluation (%s)\n", m.Info.Training.Split)
	return m.Info.Heldout.WriteText(w)
}
