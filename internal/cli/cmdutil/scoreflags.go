package cmdutil

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/internal/defaultmodel"
)

// ScoreFlags are the flags of live scoring that `ecg stream` and `ecg
// serve` share: the rate and units of the samples, the windows, the model,
// the alert rules and --alert-exec. Both commands declare them with
// AddScoreFlags and turn them into a stream.Config with Config, so that a
// device scored by `ecg serve` is scored as `ecg stream` would score it.
type ScoreFlags struct {
	Fs float64
	// FsGiven says --fs was given (set by the command's pre-run from
	// cmd.Flags().Changed("fs")).
	FsGiven   bool
	Units     string
	Gain      float64
	Baseline  float64
	Window    string
	Hop       string
	Model     string
	Threshold float64
	Windows   int
	MaxNoisy  float64
	Normal    []string
	Noise     []string
	Beats     bool
	AlertExec string

	// cmd is the command that declared the flags (AddScoreFlags), to
	// tell a given --window or --hop from its default.
	cmd *cobra.Command
}

// AddScoreFlags declares o's flags on cmd. The units flags are declared by
// AddUnitsFlags, which the caller may place where its help reads best.
func AddScoreFlags(cmd *cobra.Command, o *ScoreFlags) {
	f := cmd.Flags()
	o.cmd = cmd
	f.Float64Var(&o.Fs, "fs", 0, "sampling rate in Hz (required unless the input has timestamps)")
	f.StringVar(&o.Window, "window", "60s", "length of the scored window (for an image model that records its archive's ecg spectro --stride, that stride; else the default)")
	f.StringVar(&o.Hop, "hop", "10s", "step between windows (when a window taken from the model is shorter, the window)")
	f.StringVar(&o.Model, "model", "default", "model file from 'ecg train' (a signal model, or an image model: each window rendered as its archive's PNGs were, with the ecg spectro flags the model records); default: the rhythm model embedded in ecg (see README); none: windows carry heart rate and quality only")
	f.Float64Var(&o.Threshold, "alert-threshold", 0.8, "score a non-normal label must reach in a window")
	f.IntVar(&o.Windows, "alert-windows", 3, "consecutive windows at or above the threshold that raise an alert")
	f.Float64Var(&o.MaxNoisy, "max-noisy", stream.DefaultMaxNoisy, "largest share of noisy beats in a window that still counts for alerts (1: no limit)")
	f.StringSliceVar(&o.Normal, "normal", []string{"N", "NSR", "normal"}, "labels that never raise alerts")
	f.StringSliceVar(&o.Noise, "noise-labels", stream.DefaultNoiseLabels, "labels meaning too noisy to read: such a window is inconclusive")
	f.BoolVar(&o.Beats, "beats", false, "emit a beat event per detected beat")
	f.StringVar(&o.AlertExec, "alert-exec", "", "shell command run with each alert's JSON on stdin")
}

// AddUnitsFlags declares --units, --gain and --baseline: how input values
// become millivolts.
func AddUnitsFlags(cmd *cobra.Command, o *ScoreFlags) {
	f := cmd.Flags()
	f.StringVar(&o.Units, "units", "", "value units: mV, uV, V or adu (default mV; adu for --binary)")
	CompleteValues(cmd, "units", "mV", "uV", "V", "adu")
	f.Float64Var(&o.Gain, "gain", 0, "ADC units per mV for --units adu (default 200)")
	f.Float64Var(&o.Baseline, "baseline", 0, "ADC value of 0 mV for --units adu")
}

// Input copies the units flags into in.
func (o *ScoreFlags) Input(in *stream.InputOptions) {
	in.Units, in.Gain, in.Baseline = o.Units, o.Gain, o.Baseline
}

// Config checks the flags (usage errors) and returns the stream
// configuration they describe, with the model loaded; Emit and the alert
// hooks are the caller's.
func (o *ScoreFlags) Config() (stream.Config, error) {
	win, err := ParseSeconds(o.Window)
	if err != nil {
		return stream.Config{}, Usagef("--window %v", err)
	}
	hop, err := ParseSeconds(o.Hop)
	if err != nil {
		return stream.Config{}, Usagef("--hop %v", err)
	}
	// The library reads 0 as "the default"; on the command line 0 is a
	// mistake to report, not to replace.
	if win <= 0 || hop <= 0 {
		return stream.Config{}, Usagef("--window %s, --hop %s: both must be more than 0", o.Window, o.Hop)
	}
	if o.FsGiven && !(o.Fs > 0) {
		return stream.Config{}, Usagef("--fs %g: want a rate in Hz, or no --fs to take it from timestamps", o.Fs)
	}
	if err := beats.CheckRate(o.Fs); o.FsGiven && err != nil {
		return stream.Config{}, Usagef("--fs %v", err)
	}
	if o.Windows < 1 {
		return stream.Config{}, Usagef("--alert-windows %d: want 1 or more", o.Windows)
	}
	if !(o.MaxNoisy > 0) {
		return stream.Config{}, Usagef("--max-noisy %g: want a share more than 0 (1: no limit)", o.MaxNoisy)
	}
	cfg := stream.Config{
		Fs: o.Fs, Window: win, Hop: hop, Normal: o.Normal, NoiseLabels: o.Noise,
		AlertThreshold: o.Threshold, AlertWindows: o.Windows, MaxNoisy: o.MaxNoisy, Beats: o.Beats,
	}
	return cfg, nil
}

// LoadModel sets cfg.Model from --model (nothing for "none"), and fits
// cfg's window to an image model that records its archive's stride
// (FitWindow): the stride when --window is not given (the hop too when
// --hop is not given and longer), else a warning on warn (nil: none)
// when they differ.
func (o *ScoreFlags) LoadModel(cfg *stream.Config, command string, warn io.Writer) error {
	if o.Model == "none" {
		return nil
	}
	sc, err := LoadScorer(o.Model, command)
	if err != nil {
		return err
	}
	cfg.Model = sc
	msg := FitWindow(cfg, sc, o.given("window"), o.given("hop"))
	if msg != "" && warn != nil {
		fmt.Fprintf(warn, "ecg %s: warning: %s\n", command, msg)
	}
	return nil
}

// given reports whether flag name was given (true for flags not declared
// by AddScoreFlags: set by a caller, they are meant).
func (o *ScoreFlags) given(name string) bool {
	return o.cmd == nil || o.cmd.Flags().Changed(name)
}

// FitWindow fits cfg's window to the model sc when it is an image model
// that records its archive's stride (classify.Model.StrideSeconds), the
// seconds each of its images stands for: a window not given (--window)
// becomes the stride, and a hop not given becomes the stride when it is
// longer; a given window of another length is kept, and the returned
// warning names both ("" when there is nothing to say).
func FitWindow(cfg *stream.Config, sc stream.Scorer, windowGiven, hopGiven bool) string {
	is, ok := sc.(*classify.ImageScorer)
	if !ok {
		return ""
	}
	stride := is.Model().StrideSeconds()
	switch {
	case stride == 0:
		return ""
	case !windowGiven:
		cfg.Window = stride
		if !hopGiven && cfg.Hop > stride {
			cfg.Hop = stride
		}
		return ""
	case math.Abs(cfg.Window-stride) <= 1e-9*stride:
		return ""
	}
	if k := classify.ImagePieces(cfg.Window, stride); k > 1 {
		return fmt.Sprintf("the model reads %g s images (its archive's ecg spectro --stride); each --window %gs is scored as the mean of %d of them, evenly spaced over it",
			stride, cfg.Window, k)
	}
	verb := "squeezes %g s into them"
	if cfg.Window < stride {
		verb = "stretches %g s across them"
	}
	return fmt.Sprintf("the model reads %g s images (its archive's ecg spectro --stride); --window %gs "+verb,
		stride, cfg.Window, cfg.Window)
}

// LoadScorer loads a model file ("default": the embedded one) that
// command (stream, serve) scores windows with: a signal model as it is,
// an image model (forest or cnn trained on ecg spectro's PNGs) through
// classify.ImageScorer, which renders each window's spectrogram as the
// archive the model was trained on rendered its PNGs (the settings the
// model records; ecg spectro's default flags when it records none).
func LoadScorer(path, command string) (stream.Scorer, error) {
	m, err := defaultmodel.Load(path)
	if err != nil {
		return nil, err
	}
	if m.Info.Features.Input == classify.InputImage {
		opt, err := m.StrideOptions()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return classify.NewImageScorer(m, opt)
	}
	if m.Info.Features.Input != classify.InputSignal {
		return nil, Usagef("%s takes %s input; %s needs a model trained on signals (WFDB records) or on spectrogram images", path, m.Info.Features.Input, command)
	}
	return m, nil
}

// Notifier starts the --alert-exec notifier when the flag is given and
// sets cfg's alert hooks to it; the returned stop (never nil) waits for
// queued alerts (stream.DefaultShutdownGrace at most) and reports dropped
// ones on errOut as "ecg COMMAND: N alerts dropped".
func (o *ScoreFlags) Notifier(ctx context.Context, cfg *stream.Config, command string, errOut io.Writer) (stop func()) {
	if o.AlertExec == "" {
		return func() {}
	}
	n := stream.NewCommandNotifier(ctx, o.AlertExec, 16, 30*time.Second, errOut)
	stopSignals := AbortOnSecondSignal(n.Abort)
	cfg.OnAlert = n.Notify
	cfg.AlertsDropped = n.Dropped
	cfg.AlertsFailed = n.Failed
	return func() {
		atShutdown := n.Shutdown(stream.DefaultShutdownGrace)
		if d := n.Dropped() - atShutdown; d > 0 {
			fmt.Fprintf(errOut, "ecg %s: %d alerts dropped (--alert-exec queue full)\n", command, d)
		}
		stopSignals()
	}
}
