// Package tune is the ecg tune command: a hyperparameter search over ecg
// train's learner settings (classify/tune), its trials, best model and
// plots in one folder.
package tune

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	ctune "github.com/ecgkit/ecg/classify/tune"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

//go:embed help.txt
var helpFS embed.FS

// Options are ecg tune's flags.
type Options struct {
	Data, Out   string
	Labels      cmdutil.LabelFlags
	Learner     cmdutil.LearnerFlags
	Trials      int
	Strategy    string
	GridPoints  int
	Objective   string
	Minimize    bool
	Folds       int
	SpaceFile   string
	Params      []string
	ScoreLabels []string
	Jobs        int
	Seed        int64
	Shard       string
	Merge       bool
	EarlyStop   bool
	// Given are the learner flags given (--NAME=VALUE): the base
	// settings every trial starts from.
	Given []string
}

// NewCmd returns the ecg tune command; run (nil: Run) does the work.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	o := &Options{}
	long, examples := cmdutil.HelpParts(helpFS, "help.txt")
	cmd := &cobra.Command{
		Use:     "tune DATA --out DIR | --merge --out DIR SHARD_DIR...",
		Short:   "Search the learner's hyperparameters by grouped cross-validation",
		Long:    long + "\n\nParameters:\n" + ctune.Describe(),
		Example: examples,
		Args:    cmdutil.Args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Out == "" {
				return cmdutil.Usagef("--out DIR is required")
			}
			if o.Merge {
				return runMerge(f, o, args)
			}
			if len(args) != 1 {
				return cmdutil.Usagef("want one DATA folder (several only with --merge), got %d", len(args))
			}
			o.Data, o.Given = args[0], o.Learner.Given(cmd)
			return Run(cmd.Context(), f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Out, "out", "", "folder of the search: search.json, trials.csv/.jsonl, best.model, best.txt, plots/ (rerun to resume)")
	fl.IntVar(&o.Trials, "trials", 20, "number of trials (a grid stops at its size)")
	fl.StringVar(&o.Strategy, "strategy", "bayesian", "bayesian (tree-structured Parzen estimator), random or grid")
	cmdutil.CompleteValues(cmd, "strategy", "bayesian", "random", "grid")
	fl.IntVar(&o.GridPoints, "grid-points", 3, "grid: values per numeric parameter")
	fl.StringVar(&o.Objective, "objective", "", "macro-f1, accuracy, challenge-f1, f1:LABEL or recall:LABEL@PRECISION (default: challenge-f1 with --score-labels, else macro-f1)")
	fl.BoolVar(&o.Minimize, "minimize", false, "minimise the objective instead of maximising it")
	fl.IntVar(&o.Folds, "folds", 5, "K folds grouped by record (K >= 2)")
	fl.StringVar(&o.SpaceFile, "space", "", "search space file (JSON or YAML: name: MIN:MAX[:log] or [a, b])")
	fl.StringArrayVar(&o.Params, "param", nil, "a parameter to search, NAME=MIN:MAX[:log] or NAME=A|B|C (repeat; default: a space for the learner)")
	fl.StringSliceVar(&o.ScoreLabels, "score-labels", nil, "labels whose mean F1 is challenge-f1 (e.g. N,AF,Other)")
	fl.Int64Var(&o.Seed, "seed", 1, "seed of the folds, the search and the learners")
	fl.StringVar(&o.Shard, "shard", "", "K/N: run the trials i with i % N == K only (merge the shards' folders with --merge)")
	fl.BoolVar(&o.Merge, "merge", false, "combine the folders of the shards of one search (the arguments) into --out")
	fl.BoolVar(&o.EarlyStop, "early-stop", true, "stop a trial after a fold when it is behind the median of the trials before it")
	o.Labels.Declare(cmd)
	o.Learner.Declare(cmd)
	cmdutil.JobsFlag(cmd, &o.Jobs, "trials run and files featurised")
	return cmd
}

// Run runs (or resumes) the search o describes.
func Run(ctx context.Context, f *cmdutil.Factory, o *Options) error {
	ds, lo, err := o.search(f)
	if err != nil {
		return err
	}
	bars := f.Stages()
	lo.Progress = bars.Update
	res, err := ctune.Run(ctx, ds, lo)
	bars.Done()
	if errors.Is(err, context.Canceled) && f.Informational() {
		fmt.Fprintf(f.IO.ErrOut, "ecg tune: interrupted; the trials finished are in %s: rerun the same command to resume\n", filepath.Join(o.Out, ctune.JSONLFile))
	}
	if err != nil {
		return err
	}
	return report(f, o, res)
}

// search reads the dataset and turns the flags into the search's options
// (a bad space, objective or dataset is a usage error).
func (o *Options) search(f *cmdutil.Factory) (*datasets.LabelFolders, ctune.Options, error) {
	lo := ctune.Options{Dir: o.Out, Trials: o.Trials, Strategy: o.Strategy, GridPoints: o.GridPoints, Folds: o.Folds,
		Seed: uint64(o.Seed), Jobs: o.Jobs, EarlyStop: o.EarlyStop, ScoreLabels: o.ScoreLabels,
		Cache: cmdutil.FeatureCache(f.IO.Environ)}
	if err := o.check(&lo); err != nil {
		return nil, lo, err
	}
	ds, err := datasets.ReadLabeled(o.Data, o.Labels.Source)
	if err != nil {
		return nil, lo, err
	}
	if len(ds.Labels) < 2 {
		return nil, lo, cmdutil.Usagef("%s: need at least 2 labels to tune a classifier (found %d: %v)", o.Data, len(ds.Labels), ds.Labels)
	}
	o.Learner.TreesOnly = true // auto: the forest for images
	learner, err := o.Learner.Resolve(ds, uint64(o.Seed), o.Jobs)
	if err != nil {
		return nil, lo, err
	}
	if learner == classify.LearnerGBDTSignet {
		return nil, lo, cmdutil.Usagef("--learner %s: tune searches the settings of trees (--learner gbdt or forest)", learner)
	}
	if lo.Spec, err = o.Learner.Spec(ds, learner); err != nil {
		return nil, lo, err
	}
	lo.Base = ctune.Settings{Learner: learner, Forest: o.Learner.Forest, GBDT: o.Learner.GBDT, FeatureSet: o.Learner.FeatureSet}
	if lo.Space == nil {
		name := "forest"
		if learner == classify.LearnerGBDT {
			name = "gbdt"
		}
		lo.Space = ctune.DefaultSpace(name)
	}
	if err := lo.Space.CheckLearner(learner); err != nil {
		return nil, lo, cmdutil.Usagef("%v", err)
	}
	if err := lo.Objective.Bind(ds.Labels, o.ScoreLabels); err != nil {
		return nil, lo, cmdutil.Usagef("%v", err)
	}
	return ds, lo, nil
}

// check checks the flags that need no data and parses the space and the
// objective into lo.
func (o *Options) check(lo *ctune.Options) error {
	switch {
	case o.Folds < 2:
		return cmdutil.Usagef("--folds %d: want at least 2", o.Folds)
	case o.Trials < 1:
		return cmdutil.Usagef("--trials %d: want at least 1", o.Trials)
	case o.GridPoints < 2:
		return cmdutil.Usagef("--grid-points %d: want at least 2", o.GridPoints)
	case o.Strategy != ctune.StrategyBayesian && o.Strategy != ctune.StrategyRandom && o.Strategy != ctune.StrategyGrid:
		return cmdutil.Usagef("--strategy %q: want bayesian, random or grid", o.Strategy)
	case o.SpaceFile != "" && len(o.Params) > 0:
		return cmdutil.Usagef("--space and --param do not go together")
	}
	if o.Shard != "" {
		k, n, err := cmdutil.ParseShard(o.Shard)
		if err != nil {
			return err
		}
		lo.Shard, lo.Shards = k, n
	}
	obj := o.Objective
	if obj == "" {
		obj = "macro-f1"
		if len(o.ScoreLabels) > 0 {
			obj = "challenge-f1"
		}
	}
	var err error
	if lo.Objective, err = ctune.ParseObjective(obj, o.Minimize); err != nil {
		return cmdutil.Usagef("--objective: %v", err)
	}
	lo.Final = lo.Shards <= 1
	lo.Space, err = o.space()
	return err
}

// space returns the space of --space or --param (nil: the default).
func (o *Options) space() (ctune.Space, error) {
	if o.SpaceFile != "" {
		b, err := os.ReadFile(o.SpaceFile)
		if err != nil {
			return nil, err
		}
		s, err := ctune.ParseSpaceFile(o.SpaceFile, b)
		if err != nil {
			return nil, cmdutil.Usagef("--space %v", err)
		}
		return s, nil
	}
	if len(o.Params) == 0 {
		return nil, nil
	}
	var params []ctune.Param
	for _, a := range o.Params {
		p, err := ctune.ParseParam(a)
		if err != nil {
			return nil, cmdutil.Usagef("--param %v", err)
		}
		params = append(params, p)
	}
	s, err := ctune.NewSpace(params)
	if err != nil {
		return nil, cmdutil.Usagef("--param: %v", err)
	}
	return s, nil
}

// runMerge combines the shards' folders args into --out.
func runMerge(f *cmdutil.Factory, o *Options, args []string) error {
	res, err := ctune.Merge(args, o.Out)
	if err != nil {
		return err
	}
	return report(f, o, res)
}

// trainFlags returns the ecg train flags of res's best trial: its
// parameters, and the base flags given that the space does not search.
func trainFlags(res *ctune.Result, given []string) []string {
	out := res.Space.TrainFlags(res.BestSettings)
	for _, g := range given {
		name, _, _ := strings.Cut(strings.TrimPrefix(g, "--"), "=")
		if !slices.ContainsFunc(res.Space, func(p ctune.Param) bool { return p.Name == name }) {
			out = append(out, g)
		}
	}
	return out
}

// report prints the best trial and what was written.
func report(f *cmdutil.Factory, o *Options, res *ctune.Result) error {
	w := f.IO.Out
	counts := map[string]int{}
	for _, t := range res.Trials {
		counts[t.Status]++
	}
	c := res.Config
	fmt.Fprintf(w, "%d trials (%d ok, %d stopped early, %d failed; %d resumed), %s search of %s, %d folds grouped by record, seed %d\n",
		len(res.Trials), counts[ctune.StatusOK], counts[ctune.StatusStopped], counts[ctune.StatusFailed], res.Resumed,
		c.Strategy, c.Objective, c.Folds, c.Seed)
	b := res.Best
	if b == nil {
		fmt.Fprintln(w, "no trial measured every fold")
		return nil
	}
	fmt.Fprintf(w, "best: trial %d, %s %.4f ± %.4f (mean ± sd over folds)\n", b.ID, c.Objective, b.Objective, b.SD)
	var params []string
	for _, p := range res.Space {
		params = append(params, p.Name+"="+b.Params[p.Name])
	}
	fmt.Fprintf(w, "  %s\n", strings.Join(params, " "))
	if res.Model != nil {
		fmt.Fprintf(w, "  ecg train flags: %s\n", strings.Join(trainFlags(res, o.Given), " "))
		fmt.Fprintf(w, "wrote %s (trained on all %d files; its cross-validation in %s)\n",
			filepath.Join(o.Out, ctune.ModelFile), c.Files, filepath.Join(o.Out, ctune.ReportFile))
	}
	fmt.Fprintf(w, "trials in %s, plots in %s\n", filepath.Join(o.Out, ctune.CSVFile), filepath.Join(o.Out, ctune.PlotsDir))
	return nil
}
