package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

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
	if len(ds.Labels) < 2 {
		return fmt.Errorf("%s: need at least 2 labels (found %d: %v)", o.dir, len(ds.Labels), ds.Labels)
	}
	spec, err := classify.SpecFor(ds)
	if err != nil {
		return err
	}
	y := ds.LabelIndex()
	groups := make([]string, len(ds.Files))
	for i, f := range ds.Files {
		groups[i] = f.Group
	}
	var trainIdx, testIdx []int
	var testFiles []datasets.LabeledFile
	var testY []int
	splitDesc := ""
	if o.testDir != "" {
		tds, err := datasets.ReadLabelFolders(o.testDir)
		if err != nil {
			return err
		}
		// As ecg eval does: a test label the training set lacks cannot be
		// predicted; its files are left out of the report, and said so.
		testFiles, testY = a.keepKnownLabels(tds, ds.Labels, "not a training label")
		if len(testFiles) == 0 {
			return fmt.Errorf("%s: no test files with the training labels %v", o.testDir, ds.Labels)
		}
		for i := range ds.Files {
			trainIdx = append(trainIdx, i)
		}
		splitDesc = "test dir " + filepath.Base(o.testDir)
	} else {
		trainIdx, testIdx, err = datasets.SplitByGroup(y, groups, len(ds.Labels), o.split, uint64(o.seed))
		if err != nil {
			return err
		}
		for _, i := range testIdx {
			testFiles = append(testFiles, ds.Files[i])
			testY = append(testY, y[i])
		}
		splitDesc = fmt.Sprintf("grouped by record, %.2f training, seed %d", o.split, o.seed)
		if len(testIdx) == 0 {
			splitDesc = "none (a single record group)"
		}
	}

	start := time.Now()
	all := ds.Files
	bar := a.newProgress(int64(len(all)+len(testFiles)), "features")
	tick := func() { bar.Add(1) }
	X, err := classify.Featurize(ctx, spec, all, o.jobs, tick)
	if err != nil {
		bar.Done()
		return err
	}
	var testX [][]float64
	if o.testDir != "" {
		testX, err = classify.Featurize(ctx, spec, testFiles, o.jobs, tick)
		if err != nil {
			bar.Done()
			return err
		}
	} else {
		for _, i := range testIdx {
			testX = append(testX, X[i])
		}
	}
	bar.Done()
	featTime := time.Since(start)

	trX := make([][]float64, len(trainIdx))
	trY := make([]int, len(trainIdx))
	trGroups := map[string]bool{}
	for j, i := range trainIdx {
		trX[j], trY[j] = X[i], y[i]
		trGroups[groups[i]] = true
	}
	start = time.Now()
	tbar := a.newProgress(int64(o.forest.Trees), "trees")
	o.forest.Progress = func(done, total int) { tbar.Add(1) }
	m, err := classify.Train(ds.Labels, spec, trX, trY, classify.TrainOptions{Forest: o.forest})
	tbar.Done()
	if err != nil {
		return err
	}
	trainTime := time.Since(start)
	m.Info.Training.Source = filepath.Base(filepath.Clean(o.dir))
	m.Info.Training.Split = splitDesc
	m.Info.Training.Groups = len(trGroups)
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(testX) > 0 {
		scores := make([][]float64, len(testX))
		for i, x := range testX {
			scores[i] = m.Scores(nil, x)
		}
		rep, err := classify.Evaluate(m.Info.Labels, testY, scores, 0)
		if err != nil {
			return err
		}
		m.Info.Heldout = rep
	}
	if d := filepath.Dir(o.out); d != "." {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if err := atomicfile.WriteFile(o.out, m.Save); err != nil {
		return err
	}
	if !a.quiet {
		fmt.Fprintf(a.io.ErrOut, "ecg train: %d files (%d training in %d records, %d held out), features %.1fs, %d trees %.1fs, OOB accuracy %.4f; wrote %s\n",
			len(ds.Files), len(trainIdx), len(trGroups), len(testX),
			featTime.Seconds(), len(m.Forest().Trees), trainTime.Seconds(), m.Info.Training.OOBAccuracy, o.out)
	}
	return writeTrainReport(a.io.Out, o.format, m)
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
