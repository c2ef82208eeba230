package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/atomicfile"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func init() { register(newTrainCmd) }

type trainOptions struct {
	dir, out, testDir string
	labels            cmdutil.LabelFlags
	testLabels        string
	split             float64
	seed              int64
	learner           cmdutil.LearnerFlags
	jobs              int
	format            string
	folds             int
	oof               string
	scoreLabels       []string
	beat              cmdutil.BeatFlags
	spec              *classify.FeatureSpec // of --feature-set, --crops; nil: the default
}

func newTrainCmd(a *app) *cobra.Command {
	o := &trainOptions{}
	cmd := &cobra.Command{
		Use:     "train (DIR | --beats RECORD...) (--out MODEL | --folds K)",
		Short:   "Train a classifier on a folder of labelled images or records",
		Long:    helpText("train"),
		Example: helpExamples("train"),
		Args:    cmdutil.Args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.dir = args[0]
			if err := o.beat.Check(cmd, len(args), &o.learner); err != nil {
				return err
			}
			if err := o.checkFolds(cmd); err != nil {
				return err
			}
			if o.out == "" && o.folds == 0 {
				return cmdutil.Usagef("--out MODEL is required (unless --folds)")
			}
			if !(o.split > 0 && o.split < 1) {
				return cmdutil.Usagef("--split %v: want a fraction between 0 and 1", o.split)
			}
			if o.testLabels != "" && o.testDir == "" {
				return cmdutil.Usagef("--test-labels needs --test DIR")
			}
			if o.beat.Beats {
				return runTrainBeats(cmd.Context(), a, o, args)
			}
			if o.folds > 0 {
				return runTrainCV(cmd.Context(), a, o)
			}
			return runTrain(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "model file to write")
	f.StringVar(&o.testDir, "test", "", "label-folder directory (records with --test-labels) to test on instead of a split")
	o.labels.Declare(cmd)
	o.beat.Declare(cmd)
	f.StringVar(&o.testLabels, "test-labels", "", "labels CSV (record,label) of the records in the --test directory")
	f.Float64Var(&o.split, "split", 0.8, "fraction of records for training when there is no --test")
	f.IntVar(&o.folds, "folds", 0, "cross-validate: K folds grouped by record instead of one split (K >= 2)")
	f.StringVar(&o.oof, "oof", "", "with --folds, write every file's out-of-fold probabilities to this CSV (file,label,fold,predicted,p_LABEL...)")
	f.StringSliceVar(&o.scoreLabels, "score-labels", nil, "with --folds, also report the mean F1 of these labels (e.g. N,AF,Other)")
	f.Int64Var(&o.seed, "seed", 1, "seed of the split (or folds) and of the forest")
	o.learner.Declare(cmd)
	o.learner.DeclareImageSize(cmd)
	cmdutil.JobsFlag(cmd, &o.jobs, "features computed and trees grown")
	cmdutil.FormatFlag(cmd, &o.format, "report format", "text", "text", "json")
	cmdutil.OutputFileFlags(cmd, "out", "oof")
	return cmd
}

// data reads the training dataset and settles the learner for it.
func (o *trainOptions) data(a *app) (*datasets.LabelFolders, string, error) {
	ds, err := datasets.ReadLabeled(o.dir, o.labels.Source)
	if err != nil {
		return nil, "", err
	}
	a.noteFolders("train", ds)
	if datasets.IsBeatWindowArchive(o.dir) {
		fmt.Fprintf(a.io.ErrOut, "ecg train: warning: %s: %s\n", o.dir, classify.BeatImagesWarning)
	}
	learner, err := o.learner.Resolve(ds, uint64(o.seed), o.jobs)
	if err == nil {
		o.spec, err = o.learner.Spec(ds, learner)
	}
	if msg := o.learner.FromRenderingWarning(ds); err == nil && msg != "" {
		fmt.Fprintf(a.io.ErrOut, "ecg train: warning: %s\n", msg)
	}
	return ds, learner, err
}

func runTrain(ctx context.Context, a *app, o *trainOptions) error {
	ds, learner, err := o.data(a)
	if err != nil {
		return err
	}
	opt := classify.DatasetOptions{Split: o.split, Seed: uint64(o.seed), Learner: learner, Forest: o.learner.Forest, GBDT: o.learner.GBDT, CNN: o.learner.CNN, Fusion: o.learner.Fusion, Jobs: o.jobs,
		Cache: cmdutil.FeatureCache(a.io.Environ), Spec: o.spec}
	if o.testDir != "" {
		test := datasets.LabelSource{CSV: o.testLabels, Map: o.labels.Source.Map}
		if opt.Test, err = datasets.ReadLabeled(o.testDir, test); err != nil {
			return err
		}
		a.noteFolders("train", opt.Test)
	}
	bars := a.newStages()
	opt.Progress = bars.Update
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
	if err := writeFile(o.out, m.Save); err != nil {
		return err
	}
	if !a.quiet {
		t := m.Info.Training
		oob := fmt.Sprintf(", OOB accuracy %.4f", t.OOBAccuracy)
		if m.Forest() == nil {
			oob = "" // boosting and networks have no out-of-bag rows
		}
		fmt.Fprintf(a.io.ErrOut, "ecg train: %d files (%d training in %d records, %d held out), features %.1fs, %s %.1fs%s; wrote %s\n",
			len(ds.Files), t.Samples, t.Groups, res.Heldout, res.FeatureTime.Seconds(), m.FitSummary(), res.TrainTime.Seconds(), oob, o.out)
	}
	return m.WriteTrainingReport(a.io.Out, o.format)
}

// checkFolds refuses flags that do not go with --folds, and
// --score-labels without it.
func (o *trainOptions) checkFolds(cmd *cobra.Command) error {
	f := cmd.Flags()
	if o.folds == 0 {
		if len(o.scoreLabels) > 0 {
			return cmdutil.Usagef("--score-labels needs --folds K")
		}
		if o.oof != "" {
			return cmdutil.Usagef("--oof needs --folds K")
		}
		return nil
	}
	if o.folds < 2 {
		return cmdutil.Usagef("--folds %d: want at least 2", o.folds)
	}
	for _, name := range []string{"split", "test", "test-labels"} {
		if f.Changed(name) {
			return cmdutil.Usagef("--%s cannot be used with --folds", name)
		}
	}
	return nil
}

// runTrainCV cross-validates (--folds) and reports on the out-of-fold
// predictions; with --out it also writes the model trained on every file.
func runTrainCV(ctx context.Context, a *app, o *trainOptions) error {
	ds, learner, err := o.data(a)
	if err != nil {
		return err
	}
	bars := a.newStages()
	res, err := classify.CrossValidateDataset(ctx, ds, classify.CVOptions{
		Folds: o.folds, Seed: uint64(o.seed), Learner: learner, Forest: o.learner.Forest, GBDT: o.learner.GBDT, CNN: o.learner.CNN, Fusion: o.learner.Fusion, Jobs: o.jobs,
		Cache: cmdutil.FeatureCache(a.io.Environ), Spec: o.spec,
		ScoreLabels: o.scoreLabels, Final: o.out != "", Progress: bars.Update,
	})
	bars.Done()
	if errors.Is(err, classify.ErrUnknownLabel) {
		return cmdutil.Usagef("--score-labels: %v", err)
	}
	if err != nil {
		return err
	}
	if res.Model != nil {
		if err := writeFile(o.out, res.Model.Save); err != nil {
			return err
		}
	}
	if o.oof != "" {
		if err := writeFile(o.oof, res.WriteOutOfFold); err != nil {
			return err
		}
	}
	if !a.quiet {
		fmt.Fprintf(a.io.ErrOut, "ecg train: %d files in %d records, %d folds, features %.1fs, fitting %.1fs",
			res.Files, res.Records, res.Folds, res.FeatureTime.Seconds(), res.TrainTime.Seconds())
		if res.Model != nil {
			fmt.Fprintf(a.io.ErrOut, "; wrote %s (trained on all files)", o.out)
		}
		fmt.Fprintln(a.io.ErrOut)
	}
	return res.WriteReport(a.io.Out, o.format)
}

// runTrainBeats trains (or with --folds cross-validates) a beat model on
// the reference beats of the records args name.
func runTrainBeats(ctx context.Context, a *app, o *trainOptions, args []string) error {
	bars := a.newStages()
	defer bars.Done()
	ds, err := o.beat.Read(ctx, args, o.jobs, bars.Update)
	if err != nil {
		return err
	}
	learner, err := o.learner.Resolve(&datasets.LabelFolders{}, uint64(o.seed), o.jobs)
	if err != nil {
		return err
	}
	if o.learner.FeatureSet != 0 {
		return cmdutil.Usagef("--feature-set chooses the rhythm features of records, not beat features (--beats)")
	}
	var m *classify.Model
	var report interface{ WriteReport(io.Writer, string) error }
	if o.folds > 0 {
		res, err := classify.CrossValidateBeats(ctx, ds, classify.CVOptions{Folds: o.folds, Seed: uint64(o.seed), Learner: learner,
			Forest: o.learner.Forest, GBDT: o.learner.GBDT, ScoreLabels: o.scoreLabels, Final: o.out != "", Progress: bars.Update})
		if err != nil {
			return err
		}
		m, report = res.Model, res
	} else {
		opt := classify.BeatTrainOptions{Split: o.split, Seed: uint64(o.seed), Learner: learner, Forest: o.learner.Forest, GBDT: o.learner.GBDT, Progress: bars.Update}
		if o.testDir != "" {
			if opt.Test, err = o.beat.Read(ctx, []string{o.testDir}, o.jobs, bars.Update); err != nil {
				return err
			}
		}
		res, err := classify.TrainBeats(ctx, ds, opt)
		a.noteSkipped(res.Skipped, "beats of a class the training lacks")
		if err != nil {
			return err
		}
		m = res.Model
	}
	if m != nil {
		if err := writeFile(o.out, m.Save); err != nil {
			return err
		}
	}
	if !a.quiet {
		fmt.Fprintf(a.io.ErrOut, "ecg train: %s\n", ds)
	}
	if report != nil {
		return report.WriteReport(a.io.Out, o.format)
	}
	return m.WriteTrainingReport(a.io.Out, o.format)
}

// writeFile writes path by fn, making its folder, atomically.
func writeFile(path string, fn func(io.Writer) error) error {
	if d := filepath.Dir(path); d != "." {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	return atomicfile.WriteFile(path, fn)
}

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
