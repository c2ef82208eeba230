package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
	"github.com/ecgkit/ecg/internal/cli/serialport"
)

func init() { register(newStreamCmd) }

type streamOptions struct {
	in      stream.InputOptions
	score   cmdutil.ScoreFlags
	jsonIn  bool
	binary  bool
	serial  string
	baud    int
	noRecon bool
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
	cmdutil.AddScoreFlags(cmd, &o.score)
	f.IntVar(&o.in.Column, "column", 0, "1-based column of the ECG value in text lines (default: the first that is not --time-column); with neither column flag, a header line naming a time column (time, t, ts) sets both")
	f.IntVar(&o.in.TimeColumn, "time-column", 0, "1-based column of a timestamp in text lines (0: none)")
	f.StringVar(&o.in.Delimiter, "delimiter", "", "text column delimiter (default: blanks, comma or semicolon)")
	f.BoolVar(&o.jsonIn, "json", false, "input is JSON lines")
	f.StringVar(&o.in.Field, "field", "ecg", "JSON member holding the ECG value or an array of values (implies --json)")
	f.StringVar(&o.in.TimeField, "time-field", "ts", "JSON member holding the timestamp")
	f.StringVar(&o.in.TimeUnits, "time-units", "", "timestamp units: s, ms or us (default: inferred from their spacing)")
	f.BoolVar(&o.binary, "binary", false, "input is raw little-endian int16 (units adu)")
	cmdutil.AddUnitsFlags(cmd, &o.score)
	f.IntVar(&o.in.MaxLine, "max-line", stream.DefaultMaxLine, "longest input line in bytes; longer ones are dropped and counted")
	f.StringVar(&o.serial, "serial", "", "read this serial device instead of stdin")
	f.IntVar(&o.baud, "baud", 115200, "serial baud rate")
	f.BoolVar(&o.noRecon, "no-reconnect", false, "exit when the serial device disappears instead of reconnecting")
	cmd.PreRun = func(cmd *cobra.Command, args []string) {
		if cmd.Flags().Changed("field") || cmd.Flags().Changed("time-field") {
			o.jsonIn = true
		}
		o.score.FsGiven = cmd.Flags().Changed("fs")
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
	o.score.Input(&in)
	cfg, err := o.score.Config()
	if err != nil {
		return err
	}
	if o.baud <= 0 {
		return cmdutil.Usagef("--baud %d", o.baud)
	}
	errOut := &iostreams.SyncWriter{W: a.io.ErrOut}
	out := stream.NewJSONWriter(a.io.Out)
	cfg.Emit = out.Write
	if err := o.score.LoadModel(&cfg, "stream", errOut); err != nil {
		return err
	}
	defer o.score.Notifier(ctx, &cfg, "stream", errOut)()
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
