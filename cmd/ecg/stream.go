package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"go.bug.st/serial"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/stream"
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
	beats     bool
	alertExec string
	serial    string
	baud      int
	noRecon   bool
}

func newStreamCmd(a *app) *cobra.Command {
	o := &streamOptions{}
	cmd := &cobra.Command{
		Use:   "stream",
		Short: "Score a live ECG from stdin or a serial port; events as JSON lines",
		Long: `stream reads a live single-lead ECG from stdin (or --serial), finds beats,
scores a sliding window with a model from "ecg train", watches signal
quality, and writes one JSON object per line to stdout:

  beat    each detected beat (with --beats), with the RR interval; "noisy"
          when the signal does not fall quiet around it (found in noise)
  hr      once a second of signal: heart rate (median of the last 8 RR
          between clean beats; null in noise), beats so far
  window  every --hop once --window seconds arrived: label, confidence, scores,
          mean heart rate (clean intervals), beats, noisy beats, worst
          quality; "inconclusive"
          when more than --max-noisy of its beats are noisy (found in noise),
          it has fewer than two beats, or a flat or lead-off second
  alert   "raised" when a label outside --normal scores at least
          --alert-threshold in --alert-windows consecutive conclusive
          windows; "cleared" at the first conclusive window below (an
          inconclusive window holds a raised alert and ends a streak)
  status  signal quality (ok, flat, lead_off, noise) and counts of malformed,
          over-long, partial and header lines, when they change and at the end

Every event has "sample" (from 0), "t" (sample/fs, seconds) and "wall" (UTC).

Input: text lines with one or more numeric columns (--column, --delimiter,
--time-column), JSON lines (--json; {"ecg": 0.12, "ts": ...} or "ecg" an array
of samples; --field, --time-field) or raw little-endian int16 (--binary).
Values are in mV unless --units says uV, V or adu (ADC units: (v-baseline)/gain).
--fs is required unless timestamps give the rate, which must be within the
beat detector's 125 Hz to 1 kHz (resample other signals first; a rate out of
range from --fs is a usage error, from timestamps an error). Bad lines never
stop the stream: they are counted in status events.

--serial reads a serial device instead of stdin and reconnects with backoff
(0.5 s doubling to 10 s) when it disappears; after a reconnection the first
line is dropped as possibly partial. --no-reconnect exits (code 1) instead.

--alert-exec CMD runs "sh -c CMD" for each alert with the alert's JSON line on
its stdin, one at a time, outside the stream: at most 16 alerts wait, further
ones are dropped and counted (alerts_dropped in status events).

SIGINT, SIGTERM and end of input flush the last events (final window, hr,
status) and exit 0.`,
		Example: `  ecg simulate --rhythm afib --duration 10m | ecg stream --fs 360 --model model.ecgm
  ecg stream --serial /dev/ttyUSB0 --baud 115200 --fs 250 --model model.ecgm --beats
  gateway | ecg stream --json --field ecg --time-field ts --units uV --model model.ecgm
  ecg stream --fs 500 --binary --gain 1000 --model m.ecgm --alert-exec 'mail -s ECG me@example.org'`,
		Args: argsUsage(cobra.NoArgs),
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

// lockedWriter serialises writes from the alert command and the command.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func runStream(ctx context.Context, a *app, o *streamOptions) error {
	in := o.in
	switch {
	case o.jsonIn && o.binary:
		return usagef("--json and --binary exclude each other")
	case o.jsonIn:
		in.Format = stream.FormatJSON
	case o.binary:
		in.Format = stream.FormatBinary
	}
	win, err := parseSeconds(o.window)
	if err != nil {
		return usagef("--window %v", err)
	}
	hop, err := parseSeconds(o.hop)
	if err != nil {
		return usagef("--hop %v", err)
	}
	// The library reads 0 as "the default"; on the command line 0 is a
	// mistake to report, not to replace.
	if win <= 0 || hop <= 0 {
		return usagef("--window %s, --hop %s: both must be more than 0", o.window, o.hop)
	}
	if o.fsGiven && !(o.fs > 0) {
		return usagef("--fs %g: want a rate in Hz, or no --fs to take it from timestamps", o.fs)
	}
	if err := stream.CheckRate(o.fs); o.fsGiven && err != nil {
		return usagef("--fs %v", err)
	}
	if o.windows < 1 {
		return usagef("--alert-windows %d: want 1 or more", o.windows)
	}
	if !(o.maxNoisy > 0) {
		return usagef("--max-noisy %g: want a share more than 0 (1: no limit)", o.maxNoisy)
	}
	if o.baud <= 0 {
		return usagef("--baud %d", o.baud)
	}
	errOut := &lockedWriter{w: a.io.ErrOut}
	out := stream.NewJSONWriter(a.io.Out)
	cfg := stream.Config{
		Fs: o.fs, Window: win, Hop: hop, Normal: o.normal,
		AlertThreshold: o.threshold, AlertWindows: o.windows, MaxNoisy: o.maxNoisy, Beats: o.beats,
		Emit: out.Write,
	}
	if o.model != "none" {
		m, err := loadSignalModel(o.model)
		if err != nil {
			return err
		}
		cfg.Model = m
	}
	if o.alertExec != "" {
		n := stream.NewCommandNotifier(ctx, o.alertExec, 16, 30*time.Second, errOut)
		defer func() {
			n.Close()
			if d := n.Dropped(); d > 0 {
				fmt.Fprintf(errOut, "ecg stream: %d alerts dropped (--alert-exec queue full)\n", d)
			}
		}()
		cfg.OnAlert = n.Notify
		cfg.AlertsDropped = n.Dropped
	}
	s, err := stream.New(in, cfg)
	if err != nil {
		return usagef("%v", err)
	}
	if o.serial == "" {
		if err := stream.Run(ctx, a.io.In, s, out.Flush); err != nil {
			if errors.Is(err, stream.ErrNoRate) {
				// Known only once the input shows that it has no
				// timestamps: still a missing --fs.
				return usagef("%v", err)
			}
			return fmt.Errorf("stdin: %w", err)
		}
		return nil
	}
	return streamSerial(ctx, a, o, s, out, errOut)
}

func loadSignalModel(path string) (*classify.Model, error) {
	m, err := loadModel(path)
	if err != nil {
		return nil, err
	}
	if m.Info.Features.Input != classify.InputSignal {
		return nil, usagef("%s was trained on %ss; stream needs a model trained on signals (WFDB records)", path, m.Info.Features.Input)
	}
	return m, nil
}

// portReader reads a serial port, turning read timeouts ((0, nil) from
// go.bug.st/serial) into another try, so that callers see data or an
// error. Closing the port ends a pending Read.
type portReader struct{ serial.Port }

func (r portReader) Read(b []byte) (int, error) {
	for {
		n, err := r.Port.Read(b)
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// streamSerial runs the stream over the serial device o.serial, opening it
// again with backoff when it disappears (unless --no-reconnect).
func streamSerial(ctx context.Context, a *app, o *streamOptions, s *stream.Stream, out *stream.JSONWriter, errOut io.Writer) error {
	rc := stream.Reconnect{
		Name: "serial " + o.serial,
		Open: func(context.Context) (io.ReadCloser, error) {
			p, err := serial.Open(o.serial, &serial.Mode{BaudRate: o.baud})
			if err != nil {
				return nil, err
			}
			if err := p.SetReadTimeout(250 * time.Millisecond); err != nil {
				p.Close()
				return nil, err
			}
			return portReader{p}, nil
		},
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
