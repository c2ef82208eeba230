package main

import (
	"strings"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func init() { register(newExportCmd) }

type exportOptions struct {
	record              string
	from, to            string
	signals             string
	physical            bool
	highRes             bool
	precision           int
	format              string
	header              bool
	annotator           string
	elapsed             bool
	cmdutil.DeviceFlags // a CSV or EDF file instead of a record
}

func newExportCmd(a *app) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:     "export RECORD|FILE",
		Short:   "Print samples or annotations of a WFDB record as text, as rdsamp and rdann do",
		Long:    helpText("export"),
		Example: helpExamples("export"),
		Args:    cmdutil.Args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.record = args[0]
			return runExport(a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.from, "from", "", "first sample `T` (seconds, hh:mm:ss.sss or sNNN)")
	f.StringVar(&o.to, "to", "", "stop before sample `T` (annotations: at T inclusive)")
	f.StringVar(&o.signals, "signals", "", "signals to print, by index or name, in this order (e.g. 1,0 or V5,MLII)")
	f.BoolVar(&o.physical, "physical", false, "print physical units (NaN for invalid samples)")
	f.IntVar(&o.precision, "precision", 0, "decimals of --physical values, 1 to 17 (default: 3 in tsv, lossless in csv and json)")
	f.BoolVar(&o.highRes, "high-res", false, "one row per sample of the fastest signal (rdsamp -H)")
	cmdutil.FormatFlag(cmd, &o.format, "output format (text is tsv, rdsamp's table; json: JSON lines)", "tsv", "tsv", "text", "csv", "json")
	f.BoolVar(&o.header, "header", false, "print a first line naming the columns")
	f.StringVar(&o.annotator, "annotator", "", "print this annotation file (e.g. atr) instead of samples")
	f.BoolVar(&o.elapsed, "elapsed", false, "annotations: times from the start of the record even when the header gives a base time (rdann -e); csv and json always are")
	o.DeviceFlags.AddFlags(cmd)
	return cmd
}

func runExport(a *app, o exportOptions) error {
	if o.format == "text" {
		o.format = "tsv" // the rdsamp layout is the text table
	}
	if o.precision < 0 || o.precision > 17 {
		return cmdutil.Usagef("--precision %d: want 1 to 17 decimals (0: the default)", o.precision)
	}
	// A CSV or EDF file is read whole, in memory.
	var mem *wfdb.Record
	var memAnns []wfdb.Annotation
	var h *wfdb.Header
	var err error
	if datasets.IsDeviceFile(o.record) {
		if err := o.DeviceFlags.Check(); err != nil {
			return err
		}
		if mem, memAnns, err = o.DeviceFlags.Options.ReadDevice(o.record); err != nil {
			return err
		}
		h = mem.Header
	} else if h, err = wfdb.ReadHeader(o.record); err != nil {
		return err
	}
	fs := h.Fs
	mult := int64(1)
	if o.highRes && o.annotator == "" {
		mult = int64(h.MaxSamplesPerFrame())
		fs *= float64(mult)
	}
	var from, to int64
	if o.from != "" {
		if from, err = wfdb.ParseTime(o.from, fs); err != nil {
			return cmdutil.Usagef("--from: %v", err)
		}
	}
	if o.to != "" {
		if to, err = wfdb.ParseTime(o.to, fs); err != nil {
			return cmdutil.Usagef("--to: %v", err)
		}
		if to <= from && o.annotator == "" || to < from {
			return cmdutil.Usagef("--to %s is not after --from %s", o.to, o.from)
		}
	}
	if o.annotator != "" {
		if mem != nil {
			return printAnnotations(a, h, o, memAnns, from, to)
		}
		anns, err := wfdb.ReadAnnotations(strings.TrimSuffix(o.record, ".hea"), o.annotator)
		if err != nil {
			return err
		}
		return printAnnotations(a, h, o, anns, from, to)
	}
	sigs, err := selectSignals(h, o.signals)
	if err != nil {
		return err
	}
	// Read only the frames needed.
	frameFrom := from / mult
	frameTo := int64(-1)
	if to > 0 {
		frameTo = (to + mult - 1) / mult
	}
	if h.NSamples > 0 && from > 0 && frameFrom >= h.NSamples {
		return cmdutil.Usagef("--from %s: after the end of %s (%s)", o.from, o.record, strings.TrimSpace(wfdb.FormatTime(h.NSamples, h.Fs)))
	}
	if frameTo >= 0 && h.NSamples > 0 && frameTo > h.NSamples {
		frameTo = h.NSamples
	}
	rec := mem
	if rec == nil {
		if rec, err = h.ReadSamples(frameFrom, frameTo); err != nil {
			return err
		}
	}
	return wfdb.WriteSamples(a.io.Out, rec, wfdb.TextOptions{
		Format: o.format, Signals: sigs, Physical: o.physical, HighRes: o.highRes, Precision: o.precision,
		Header: o.header, From: from, To: to,
	})
}

// selectSignals resolves --signals by the one rule (signal.Select); ""
// is every signal (nil).
func selectSignals(h *wfdb.Header, list string) ([]int, error) {
	if list == "" {
		return nil, nil
	}
	names, err := h.SignalNames()
	if err != nil {
		return nil, err
	}
	sigs, err := signal.Select(names, list)
	if err != nil {
		return nil, cmdutil.Usagef("--signals: record %s has %v", h.Name, err)
	}
	return sigs, nil
}

// printAnnotations prints annotations as rdann does, from..to inclusive,
// or as a table (csv, json, tsv with --header).
func printAnnotations(a *app, h *wfdb.Header, o exportOptions, anns []wfdb.Annotation, from, to int64) error {
	sel := wfdb.AnnotationsBetween(anns, from, to)
	if o.format == "tsv" && !o.header {
		if o.elapsed {
			return wfdb.WriteRdann(a.io.Out, sel, h.Fs)
		}
		return wfdb.WriteRdannClock(a.io.Out, sel, wfdb.NewClock(h))
	}
	return wfdb.WriteAnnotationTable(a.io.Out, sel, h.Fs, o.format, o.header)
}
