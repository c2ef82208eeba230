package cmdutil

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// BeatFlags are ecg train's flags for a beat model: --beats (the inputs
// are WFDB records or database folders, labelled beat by beat by their
// reference annotations), --annotator and --beat-labels.
type BeatFlags struct {
	Beats     bool
	Annotator string
	Labels    string
}

// Declare adds the flags to cmd.
func (b *BeatFlags) Declare(cmd *cobra.Command) {
	f := cmd.Flags()
	f.BoolVar(&b.Beats, "beats", false, "train a beat model on the reference beats of RECORD... or database folders (classify with ecg beats --classify)")
	f.StringVar(&b.Annotator, "annotator", "atr", "with --beats: the reference annotator")
	f.StringVar(&b.Labels, "beat-labels", classify.BeatLabelsAAMI, "with --beats: aami (classes N, S, V, F, Q) or symbols (the annotation codes)")
}

// Check checks the flags: --annotator and --beat-labels need --beats,
// --beat-labels is aami or symbols; without --beats there must be one
// argument (nargs). With --beats the learner is not one of images or
// signals (cnn, gbdt+signet), and the forest's --min-leaf defaults to
// classify.BeatMinLeaf in l.
func (b *BeatFlags) Check(cmd *cobra.Command, nargs int, l *LearnerFlags) error {
	if !b.Beats {
		for _, n := range []string{"annotator", "beat-labels"} {
			if cmd.Flags().Changed(n) {
				return Usagef("--%s needs --beats", n)
			}
		}
		if nargs != 1 {
			return Usagef("want one DIR (several records need --beats), got %d arguments", nargs)
		}
		return nil
	}
	if b.Labels != classify.BeatLabelsAAMI && b.Labels != classify.BeatLabelsSymbols {
		return Usagef("--beat-labels %q: want aami or symbols", b.Labels)
	}
	if l.Name == classify.LearnerCNN || l.Name == classify.LearnerGBDTSignet {
		return Usagef("--learner %s does not go with --beats (a beat model learns beat features: use auto, forest or gbdt)", l.Name)
	}
	if !cmd.Flags().Changed("min-leaf") {
		l.Forest.MinLeaf = classify.BeatMinLeaf
	}
	for _, n := range []string{"labels", "label-map", "test-labels"} {
		if cmd.Flags().Changed(n) {
			return Usagef("--%s does not go with --beats (the beats are labelled by --annotator)", n)
		}
	}
	if n := changed(cmd, cropFlags); n != "" {
		return Usagef("--%s crops records for rhythm models; it does not go with --beats", n)
	}
	return nil
}

// Read reads the beats of the records args name (records or database
// folders; device exports are a usage error) with their features, jobs
// records at a time.
func (b *BeatFlags) Read(ctx context.Context, args []string, jobs int, p classify.Progress) (*classify.BeatDataset, error) {
	paths, fromFiles, err := datasets.ExpandInputs(args)
	if err != nil {
		return nil, err
	}
	if fromFiles {
		return nil, Usagef("--beats: CSV/EDF files have no reference beats: give WFDB records with %s annotations", b.Annotator)
	}
	return classify.ReadBeats(ctx, paths, classify.BeatOptions{Annotator: b.Annotator, Labels: b.Labels, Jobs: jobs, Progress: p})
}
