// Package plot is the ecg plot command: a stretch of a record drawn as a
// strip chart on ECG paper with its annotations (spectro/figure's
// ReadPaper and DrawPaper), written atomically.
package plot

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/internal/atomicfile"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/spectro/figure"
)

//go:embed help.txt
var helpFile embed.FS

// Options are the flags of ecg plot.
type Options struct {
	Record             string
	From, To, Duration string
	Signals            string
	Annotators         []string
	Beats              bool
	Out                string
	Paper              string
	Row                string
	DPI, Width         int
	MarkDisagreements  bool
	Device             cmdutil.DeviceFlags
}

// NewCmd returns the ecg plot command.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	o := &Options{}
	long, examples := cmdutil.HelpParts(helpFile, "help.txt")
	cmd := &cobra.Command{
		Use:     "plot RECORD|FILE --out FILE.png|.svg|.pdf",
		Short:   "Draw a stretch of a record on ECG paper, with its annotations",
		Long:    long,
		Example: examples,
		Args:    cmdutil.Args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Record = args[0]
			return Run(f, o)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&o.From, "from", "", "start at `T` (seconds, hh:mm:ss.sss or sNNN)")
	fl.StringVar(&o.To, "to", "", "stop before `T`")
	fl.StringVar(&o.Duration, "duration", "", "stop after `D` (as T, or 30s, 10m; default 10 s when no --to)")
	fl.StringVar(&o.Signals, "signals", "", "signals to draw, by name or index, in this order (default all)")
	fl.StringSliceVar(&o.Annotators, "annotator", nil, "annotators to draw, each in its lane (repeat or list; default atr when present)")
	fl.BoolVar(&o.Beats, "beats", false, "add a lane of the beats the detector finds")
	fl.StringVar(&o.Out, "out", "", "the figure `FILE`: .png, .svg or .pdf (required)")
	fl.StringVar(&o.Paper, "paper", "ecg", "background: ecg (1 mm and 5 mm grid) or none (plain axes)")
	cmdutil.CompleteValues(cmd, "paper", "ecg", "none")
	fl.StringVar(&o.Row, "row", "10s", "length of a row (seconds or a Go duration such as 10s)")
	fl.IntVar(&o.DPI, "dpi", 0, "PNG resolution in dots per inch (default 100: 1 mm is 3.94 pixels)")
	fl.IntVar(&o.Width, "width", 0, "PNG width in `PIXELS` (sets the dpi; not with --dpi)")
	fl.BoolVar(&o.MarkDisagreements, "mark-disagreements", false, "highlight where the first two lanes differ (EC57 matching)")
	o.Device.AddFlags(cmd)
	return cmd
}

// Run reads the stretch, draws it and writes the figure.
func Run(f *cmdutil.Factory, o *Options) error {
	dopt, err := o.drawOptions()
	if err != nil {
		return err
	}
	if err := o.Device.Check(); err != nil {
		return err
	}
	if dopt.Date, err = sourceDate(f.IO.Environ("SOURCE_DATE_EPOCH")); err != nil {
		return err
	}
	p, err := figure.ReadPaper(o.Record, figure.ReadOptions{
		From: o.From, To: o.To, Duration: o.Duration, Signals: o.Signals,
		Annotators: o.Annotators, Beats: o.Beats, Device: o.Device.Options,
	})
	var se *figure.SelectionError
	if errors.As(err, &se) {
		return &cmdutil.UsageError{Err: err}
	}
	if err != nil {
		return err
	}
	if dopt.MarkDisagreements && len(p.Lanes) < 2 {
		return cmdutil.Usagef("--mark-disagreements: %s has %d annotation lanes, want two (--annotator atr,qrs or --beats)", o.Record, len(p.Lanes))
	}
	err = atomicfile.WriteFile(o.Out, func(w io.Writer) error {
		if err := figure.DrawPaper(w, p, dopt); err != nil {
			return fmt.Errorf("%s: %w", o.Out, err)
		}
		return nil
	})
	if err != nil {
		return err // names o.Out
	}
	if f.Informational() {
		fmt.Fprintf(f.IO.ErrOut, "ecg plot: wrote %s (%s, %s, %s)\n", o.Out, figure.Clock(float64(p.To-p.From)/p.Fs),
			plural(len(p.Traces), "signal"), plural(len(p.Lanes), "annotation lane"))
	}
	return nil
}

// drawOptions checks the drawing flags.
func (o *Options) drawOptions() (figure.PaperOptions, error) {
	var opt figure.PaperOptions
	if o.Out == "" {
		return opt, cmdutil.Usagef("--out FILE.png|.svg|.pdf is required")
	}
	format, err := figure.FormatOf(o.Out)
	if err != nil {
		return opt, cmdutil.Usagef("--out %v", err)
	}
	row, err := cmdutil.ParseSeconds(o.Row)
	if err != nil || !(row > 0) {
		return opt, cmdutil.Usagef("--row %q: want more than 0 seconds (10, 10s, 1m)", o.Row)
	}
	switch {
	case o.Paper != "ecg" && o.Paper != "none":
		return opt, cmdutil.Usagef("--paper %q: want ecg or none", o.Paper)
	case format != "png" && (o.Width > 0 || o.DPI > 0):
		return opt, cmdutil.Usagef("--width and --dpi are for PNG files (%s is vector, in mm)", o.Out)
	}
	opt = figure.PaperOptions{Row: row, Plain: o.Paper == "none", DPI: o.DPI, Width: o.Width,
		Format: format, MarkDisagreements: o.MarkDisagreements}
	if err := opt.Check(); err != nil {
		return opt, &cmdutil.UsageError{Err: err}
	}
	return opt, nil
}

// sourceDate is the date SOURCE_DATE_EPOCH (seconds since 1970, UTC)
// gives a PDF, so that builds of documents are reproducible; zero when it
// is unset.
func sourceDate(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec < 0 || sec > 253402300799 {
		return time.Time{}, cmdutil.Usagef("SOURCE_DATE_EPOCH=%q: want whole seconds since 1970-01-01 UTC", v)
	}
	return time.Unix(sec, 0).UTC(), nil
}

// plural says n things: "1 signal", "2 signals".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
