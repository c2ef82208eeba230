package main

import (
	"strings"

	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/spf13/cobra"
)

func init() { register(newExportCmd) }

type exportOptions struct {
	record    string
	from, to  string
	signals   string
	physical  bool
	highRes   bool
	format    string
	header    bool
	annotator string
	elapsed   bool
	fileInput // a CSV or EDF file instead of a record
}

func newExportCmd(a *app) *cobra.Command {
	var o exportOptions
	cmd := &cobra.Command{
		Use:   "export RECORD|FILE",
		Short: "Print samples or annotations of a WFDB record as text, as rdsamp and rdann do",
		Long: `Print the samples of a WFDB record, one row per frame: the sample number, then
one column per signal, as rdsamp prints them (the same numbers, row for row).
RECORD is the record path without extension (data/mitdb/100) or its .hea file.
FILE is a CSV, TSV, TXT or EDF/EDF+ file (a device export), read as ecg
ingest --out would convert it (--fs, --delimiter, --time-column, --units):
an EDF file prints as CSV with --format csv --physical, and with
--annotator (any name) its EDF+ annotations print.

Digital values are ADC units (invalid samples print -32768, as in rdsamp);
--physical prints (value-baseline)/gain with rdsamp -p's 3 decimals and NaN
for invalid samples. Multi-frequency records print one row per frame with
faster signals averaged, or with --high-res one row per sample of the fastest
signal (rdsamp -H).

Times T for --from and --to: seconds (50, 0.002), hh:mm:ss.sss, or a sample
number sNNN, as in WFDB. --from is inclusive, --to exclusive, as rdsamp -f/-t.

With --annotator, print that annotation file instead, rows as rdann prints
them (time, sample, type, sub, chan, num, aux), between --from and --to
inclusive as rdann -f/-t. Like rdann, the time is the time of day
("[08:30:00.050 01/02/2000]") when the header gives a base time or date,
else the time from the start (--elapsed: always, as rdann -e); the csv and
json columns always give the time from the start.`,
		Example: `  ecg export data/mitdb/100 --to 10 > 100.tsv
  ecg export data/mitdb/100.hea --physical --signals V5,MLII --from 1:00 --to s25000 --format csv --header
  ecg export data/mitdb/100 --annotator atr --from 60 --to 120
  ecg export night.edf --physical --format csv --header > night.csv`,
		Args: argsUsage(cobra.ExactArgs(1)),
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
	f.BoolVar(&o.highRes, "high-res", false, "one row per sample of the fastest signal (rdsamp -H)")
	formatFlag(cmd, &o.format, "output format (text is tsv, rdsamp's table; json: JSON lines)", "tsv", "tsv", "text", "csv", "json")
	f.BoolVar(&o.header, "header", false, "print a first line naming the columns")
	f.StringVar(&o.annotator, "annotator", "", "print this annotation file (e.g. atr) instead of samples")
	f.BoolVar(&o.elapsed, "elapsed", false, "annotations: times from the start of the record even when the header gives a base time (rdann -e); csv and json always are")
	o.fileInput.addFlags(cmd)
	return cmd
}

func runExport(a *app, o exportOptions) error {
	if o.format == "text" {
		o.format = "tsv" // the rdsamp layout is the text table
	}
	// A CSV or EDF file is read whole, in memory.
	var mem *wfdb.Record
	var memAnns []wfdb.Annotation
	var h *wfdb.Header
	var err error
	if isDataFile(o.record) {
		if err := o.fileInput.check(); err != nil {
			return err
		}
		if mem, memAnns, err = o.fileInput.read(o.record); err != nil {
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
			return usagef("--from: %v", err)
		}
	}
	if o.to != "" {
		if to, err = wfdb.ParseTime(o.to, fs); err != nil {
			return usagef("--to: %v", err)
		}
		if to <= from && o.annotator == "" || to < from {
			return usagef("--to %s is not after --from %s", o.to, o.from)
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
		return usagef("--from %s: after the end of %s (%s)", o.from, o.record, strings.TrimSpace(wfdb.FormatTime(h.NSamples, h.Fs)))
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
		Format: o.format, Signals: sigs, Physical: o.physical, HighRes: o.highRes,
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
		return nil, usagef("--signals: record %s has %v", h.Name, err)
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
