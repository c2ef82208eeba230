package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

func init() { register(newSimulateCmd) }

type simulateOptions struct {
	rhythm   string
	hr       float64
	noise    float64
	wander   float64
	fs       float64
	duration string
	seed     int64
	realtime bool
	out      string
	format   string
}

func newSimulateCmd(a *app) *cobra.Command {
	o := &simulateOptions{}
	cmd := &cobra.Command{
		Use:     "simulate",
		Short:   "Generate a synthetic ECG with known beats and rhythm",
		Long:    helpText("simulate"),
		Example: helpExamples("simulate"),
		Args:    cmdutil.Args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSimulate(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.rhythm, "rhythm", synth.Normal, "rhythm: "+strings.Join(synth.Rhythms, "|"))
	cmdutil.CompleteValues(cmd, "rhythm", synth.Rhythms...)
	f.Float64Var(&o.hr, "hr", 0, "mean heart rate in bpm (0: the rhythm's default)")
	f.Float64Var(&o.noise, "noise", 0.01, "white noise standard deviation in mV")
	f.Float64Var(&o.wander, "wander", 0.05, "baseline wander amplitude in mV")
	f.Float64Var(&o.fs, "fs", 360, "sampling frequency in Hz")
	f.StringVar(&o.duration, "duration", "60s", "length: seconds or a duration such as 10m or 1h30m (0: endless, stdout only)")
	f.Int64Var(&o.seed, "seed", 1, "random seed")
	f.BoolVar(&o.realtime, "realtime", false, "pace stdout output at the sampling rate")
	f.StringVar(&o.out, "out", "", "write the WFDB record DIR/NAME (.hea, .dat, .atr) instead of stdout")
	cmdutil.FormatFlag(cmd, &o.format, "stdout format (text: one mV value per line, csv: time,ecg)", "text", "text", "csv")
	return cmd
}

func runSimulate(ctx context.Context, a *app, o *simulateOptions) error {
	dur, err := cmdutil.ParseSeconds(o.duration)
	if err != nil || dur < 0 {
		return cmdutil.Usagef("--duration %s", strings.TrimPrefix(fmt.Sprint(err), "<nil>"))
	}
	if !(o.fs > 0) {
		return cmdutil.Usagef("sampling frequency %g Hz: want more than 0 (--fs)", o.fs)
	}
	opt := synth.Options{Rhythm: o.rhythm, HR: o.hr, Noise: o.noise, Wander: o.wander, Fs: o.fs, Duration: dur, Seed: o.seed}
	if o.out != "" {
		if dur == 0 {
			return cmdutil.Usagef("--out needs a --duration")
		}
		if o.realtime {
			return cmdutil.Usagef("--realtime writes to stdout; drop --out")
		}
		rec, err := synth.Generate(opt)
		if err != nil {
			return cmdutil.Usagef("%v", err)
		}
		dir, name := filepath.Split(strings.TrimSuffix(o.out, ".hea"))
		if dir == "" {
			dir = "."
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := rec.WriteWFDB(dir, name); err != nil {
			return err
		}
		if !a.quiet {
			fmt.Fprintf(a.io.ErrOut, "wrote %s: %s, %d samples at %g Hz, %d beats\n",
				filepath.Join(dir, name), opt.Rhythm, len(rec.MV), rec.Fs, len(rec.Beats))
		}
		return nil
	}
	g, err := synth.NewGenerator(opt)
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}
	return g.WriteText(ctx, a.io.Out, synth.TextOptions{CSV: o.format == "csv", Realtime: o.realtime})
}
