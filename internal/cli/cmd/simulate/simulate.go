// Package simulate is the `ecg simulate` command: a synthetic ECG with
// known beats and rhythm (package datasets/synth) to stdout or a WFDB
// record.
package simulate

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/mqttflag"
)

//go:embed help.txt
var help embed.FS

// Options are the flags of `ecg simulate`.
type Options struct {
	Rhythm   string
	HR       float64
	Noise    float64
	Wander   float64
	Fs       float64
	Duration string
	Seed     int64
	Realtime bool
	Out      string
	Format   string

	// A fleet published to a broker (--mqtt; fleet.go).
	MQTT         string
	Devices      int
	Rhythms      string
	Speed        float64
	Topic        string
	DevicePrefix string
	Message      string
	Conn         mqttflag.Flags // --mqtt-user, --mqtt-ca...
}

// NewCmd returns the `ecg simulate` command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	o := &Options{}
	long, examples := cmdutil.HelpParts(help, "help.txt")
	cmd := &cobra.Command{
		Use:     "simulate",
		Short:   "Generate a synthetic ECG with known beats and rhythm",
		Long:    long,
		Example: examples,
		Args:    cmdutil.Args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return Run(cmd.Context(), f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.Rhythm, "rhythm", synth.Normal, "rhythm: "+strings.Join(synth.Rhythms, "|"))
	cmdutil.CompleteValues(cmd, "rhythm", synth.Rhythms...)
	fl.Float64Var(&o.HR, "hr", 0, "mean heart rate in bpm (0: the rhythm's default)")
	fl.Float64Var(&o.Noise, "noise", 0.01, "white noise standard deviation in mV")
	fl.Float64Var(&o.Wander, "wander", 0.05, "baseline wander amplitude in mV")
	fl.Float64Var(&o.Fs, "fs", 360, "sampling frequency in Hz")
	fl.StringVar(&o.Duration, "duration", "60s", "length: seconds or a duration such as 10m or 1h30m (0: endless, stdout or --mqtt only)")
	fl.Int64Var(&o.Seed, "seed", 1, "random seed")
	fl.BoolVar(&o.Realtime, "realtime", false, "pace stdout output at the sampling rate")
	fl.StringVar(&o.Out, "out", "", "write the WFDB record DIR/NAME (.hea, .dat, .atr) instead of stdout")
	cmdutil.FormatFlag(cmd, &o.Format, "stdout format (text: one mV value per line, csv: time,ecg)", "text", "text", "csv")
	addFleetFlags(cmd, o)
	return cmd
}

// Run writes the simulated ECG the options ask for.
func Run(ctx context.Context, f *cmdutil.Factory, o *Options) error {
	dur, err := cmdutil.ParseSeconds(o.Duration)
	if err != nil {
		return cmdutil.Usagef("--duration %v", err)
	}
	if dur < 0 || math.IsNaN(dur) {
		return cmdutil.Usagef("--duration %s: want 0 (until interrupted) or more", o.Duration)
	}
	if !(o.Fs > 0) {
		return cmdutil.Usagef("sampling frequency %g Hz: want more than 0 (--fs)", o.Fs)
	}
	opt := synth.Options{Rhythm: o.Rhythm, HR: o.HR, Noise: o.Noise, Wander: o.Wander, Fs: o.Fs, Duration: dur, Seed: o.Seed}
	if o.MQTT != "" {
		return publishFleet(ctx, f, o, opt)
	}
	if o.Devices != 1 || o.Rhythms != "" {
		return cmdutil.Usagef("--devices and --rhythms make a fleet for --mqtt")
	}
	if o.Out != "" {
		return writeRecord(f, o, opt)
	}
	g, err := synth.NewGenerator(opt)
	if err != nil {
		return optionsError(err)
	}
	return g.WriteText(ctx, f.IO.Out, synth.TextOptions{CSV: o.Format == "csv", Realtime: o.Realtime})
}

// writeRecord writes the WFDB record --out names.
func writeRecord(f *cmdutil.Factory, o *Options, opt synth.Options) error {
	if opt.Duration == 0 {
		return cmdutil.Usagef("--out needs a --duration")
	}
	if o.Realtime {
		return cmdutil.Usagef("--realtime writes to stdout; drop --out")
	}
	rec, err := synth.Generate(opt)
	if err != nil {
		return optionsError(err)
	}
	dir, name := filepath.Split(strings.TrimSuffix(o.Out, ".hea"))
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := rec.WriteWFDB(dir, name); err != nil {
		return err
	}
	if f.Informational() {
		fmt.Fprintf(f.IO.ErrOut, "wrote %s: %s, %d samples at %g Hz, %d beats\n",
			filepath.Join(dir, name), opt.Rhythm, len(rec.MV), rec.Fs, len(rec.Beats))
	}
	return nil
}

// flagOf is the flag of each field of synth.Options that ecg simulate sets.
var flagOf = map[string]string{"Rhythm": "rhythm", "HR": "hr", "Fs": "fs", "Noise": "noise", "Wander": "wander", "Duration": "duration"}

// optionsError turns synth's error for an invalid option into a usage
// error that names the flag: "--hr 500: heart rate ...".
func optionsError(err error) error {
	var oe *synth.OptionError
	if errors.As(err, &oe) && flagOf[oe.Field] != "" {
		return cmdutil.Usagef("--%s: %s", flagOf[oe.Field], oe.Msg)
	}
	return cmdutil.Usagef("%v", err)
}
