package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
	"github.com/ecgkit/ecg/internal/cli/serialport"
)

func init() { register(newStreamCmd) }

type streamOptions struct {
	in        stream.InputOptions
	jsonIn    bool
	binary    bool
	fs        float64
	fsGiven   bool
	window    string
	hop       string
	model     string
	threshold float64
	windows   int
	maxNoisy  float64
	normal    []string
	noise     []string
	beats     bool
	alertExec string
	serial    string
	baud      int
	noRecon   bool
}

func newStreamCmd(a *app) *cobra.Command {
	o := &streamOptions{}
	cmd := &cobra.Command{
		Use:     "stream",
		Short:   "Score a live ECG from stdin or a serial port; events as JSON lines",
		Long:    helpText("stream"),
		Example: helpExamples("stream"),
		Args:    cmdutil.Args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStream(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.Float64Var(&o.fs, "fs", 0, "sampling rate in Hz (required unless the input has timestamps)")
	f.IntVar(&o.in.Column, "column", 0, "1-based column of the ECG value in text lines (default: the first that is not --time-column); with neither column flag, a header line naming a time column (time, t, ts) sets both")
	f.IntVar(&o.in.TimeColumn, "time-column", 0, "1-based column of a timestamp in text lines (0: none)")
	f.StringVar(&o.in.Delimiter, "delimiter", "", "text column delimiter (default: blanks, comma or semicolon)")
	f.BoolVar(&o.jsonIn, "json", false, "input is JSON lines")
	f.StringVar(&o.in.Field, "field", "ecg", "JSON member holding the ECG value or an array of values (implies --json)")
	f.StringVar(&o.in.TimeField, "time-field", "ts", "JSON member holding the timestamp")
	f.StringVar(&o.in.TimeUnits, "time-units", "", "timestamp units: s, ms or us (default: inferred from their spacing)")
	f.BoolVar(&o.binary, "binary", false, "input is raw little-endian int16 (units adu)")
	f.StringVar(&o.in.Units, "units", "", "value units: mV, uV, V or adu (default mV; adu for --binary)")
	cmdutil.CompleteValues(cmd, "units", "mV", "uV", "V", "adu")
	f.Float64Var(&o.in.Gain, "gain", 0, "ADC units per mV for --units adu (default 200)")
	f.Float64Var(&o.in.Baseline, "baseline", 0, "ADC value of 0 mV for --units adu")
	f.IntVar(&o.in.MaxLine, "max-line", stream.DefaultMaxLine, "longest input line in bytes; longer ones are dropped and counted")
	f.StringVar(&o.window, "window", "60s", "length of the scored window")
	f.StringVar(&o.hop, "hop", "10s", "step between windows")
	f.StringVar(&o.model, "model", "default", "model file from 'ecg train' (a signal model); default: the rhythm model embedded in ecg (see README); none: windows carry heart rate and quality only")
	f.Float64Var(&o.threshold, "alert-threshold", 0.8, "score a non-normal label must reach in a window")
	f.IntVar(&o.windows, "alert-windows", 3, "consecutive windows at or above the threshold that raise an alert")
	f.Float64Var(&o.maxNoisy, "max-noisy", stream.DefaultMaxNoisy, "largest share of noisy beats in a window that still counts for alerts (1: no limit)")
	f.StringSliceVar(&o.normal, "normal", []string{"N", "NSR", "normal"}, "labels that never raise alerts")
	f.StringSliceVar(&o.noise, "noise-labels", stream.DefaultNoiseLabels, "labels meaning too noisy to read: such a window is inconclusive")
	f.BoolVar(&o.beats, "beats", false, "emit a beat event per detected beat")
	f.StringVar(&o.alertExec, "alert-exec", "", "shell command run with each alert's JSON on stdin")
	f.StringVar(&o.serial, "serial", "", "read this serial device instead of stdin")
	f.IntVar(&o.baud, "baud", 115200, "serial baud rate")
	f.BoolVar(&o.noRecon, "no-reconnect", false, "exit when the serial device disappears instead of reconnecting")
	cmd.PreRun = func(cmd *cobra.Command, args []string) {
		if cmd.Flags().Changed("field") || cmd.Flags().Changed("time-field") {
			o.jsonIn = true
		}
		o.fsGiven = cmd.Flags().Changed("fs")
	}
	return cmd
}

func runStream(ctx context.Context, a *app, o *streamOptions) error {
	in := o.in
	switch {
	case o.jsonIn && o.binary:
		return cmdutil.Usagef("--json and --binary exclude each other")
	case o.jsonIn:
		in.Format = stream.FormatJSON
	case o.binary:
		in.Format = stream.FormatBinary
	}
	win, err := cmdutil.ParseSeconds(o.window)
	if err != nil {
		return cmdutil.Usagef("--window %v", err)
	}
	hop, err := cmdutil.ParseSeconds(o.hop)
	if err != nil {
		return cmdutil.Usagef("--hop %v", err)
	}
	// The library reads 0 as "the default"; on the command line 0 is a
	// mistake to report, not to replace.
	if win <= 0 || hop <= 0 {
		return cmdutil.Usagef("--window %s, --hop %s: both must be more than 0", o.window, o.hop)
	}
	if o.fsGiven && !(o.fs > 0) {
		return cmdutil.Usagef("--fs %g: want a rate in Hz, or no --fs to take it from timestamps", o.fs)
	}
	if err := beats.CheckRate(o.fs); o.fsGiven && err != nil {
		return cmdutil.Usagef("--fs %v", err)
	}
	if o.windows < 1 {
		return cmdutil.Usagef("--alert-windows %d: want 1 or more", o.windows)
	}
	if !(o.maxNoisy > 0) {
		return cmdutil.Usagef("--max-noisy %g: want a share more than 0 (1: no limit)", o.maxNoisy)
	}
	if o.baud <= 0 {
		return cmdutil.Usagef("--baud %d", o.baud)
	}
	errOut := &iostreams.SyncWriter{W: a.io.ErrOut}
	out := stream.NewJSONWriter(a.io.Out)
	cfg := stream.Config{
		Fs: o.fs, Window: win, Hop: hop, Normal: o.normal, NoiseLabels: o.noise,
		AlertThreshold: o.threshold, AlertWindows: o.windows, MaxNoisy: o.maxNoisy, Beats: o.beats,
		Emit: out.Write,
	}
	if o.model != "none" {
		m, err := cmdutil.SignalModel(o.model)
		if err != nil {
			return err
		}
		cfg.Model = m
	}
	if o.alertExec != "" {
		n := stream.NewCommandNotifier(ctx, o.alertExec, 16, 30*time.Second, errOut)
		defer cmdutil.AbortOnSecondSignal(n.Abort)()
		defer func() {
			atShutdown := n.Shutdown(stream.DefaultShutdownGrace)
			if d := n.Dropped() - atShutdown; d > 0 {
				fmt.Fprintf(errOut, "ecg stream: %d alerts dropped (--alert-exec queue full)\n", d)
			}
		}()
		cfg.OnAlert = n.Notify
		cfg.AlertsDropped = n.Dropped
		cfg.AlertsFailed = n.Failed
	}
	s, err := stream.New(in, cfg)
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}
	if o.serial == "" {
		if err := stream.Run(ctx, a.io.In, s, out.Flush); err != nil {
			if errors.Is(err, stream.ErrNoRate) {
				// Known only once the input shows that it has no
				// timestamps: still a missing --fs.
				return cmdutil.Usagef("%v", err)
			}
			return fmt.Errorf("stdin: %w", err)
		}
		return nil
	}
	return streamSerial(ctx, a, o, s, out, errOut)
}

// streamSerial runs the stream over the serial device o.serial, opening it
// again with backoff when it disappears (unless --no-reconnect).
func streamSerial(ctx context.Context, a *app, o *streamOptions, s *stream.Stream, out *stream.JSONWriter, errOut io.Writer) error {
	rc := stream.Reconnect{
		Name: "serial " + o.serial,
		Open: serialport.Opener(o.serial, o.baud),
		Once: o.noRecon,
		OnEvent: func(e stream.ReconnectEvent) {
			if a.quiet {
				return
			}
			if e.Disconnected {
				fmt.Fprintf(errOut, "ecg stream: serial %s: %v; reconnecting\n", o.serial, e.Err)
			} else {
				fmt.Fprintf(errOut, "ecg stream: serial %s: %v; retrying in %v\n", o.serial, e.Err, e.Wait)
			}
		},
	}
	return stream.RunReconnecting(ctx, rc, s, out.Flush)
}
