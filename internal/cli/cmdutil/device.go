package cmdutil

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/datasets"
)

// DeviceFlags are the flags for reading device exports (CSV, TSV, TXT and
// EDF files) as records, shared by every command that reads records; the
// reading itself is datasets.DeviceOptions.
type DeviceFlags struct {
	// Options are the reading options the flags give; set by Check.
	Options    datasets.DeviceOptions
	fs         float64
	units      string
	gain       float64
	delimiter  string
	header     string
	timeColumn string
	warn       func(msg string) // prints a conversion's warning on stderr
}

// AddFlags registers the CSV/EDF reading flags of cmd; --header (the CSV
// header row) is left out when cmd has a --header of its own (then it is
// detected).
func (d *DeviceFlags) AddFlags(cmd *cobra.Command) {
	d.warn = func(msg string) { fmt.Fprintf(cmd.ErrOrStderr(), "%s: warning: %s\n", cmd.CommandPath(), msg) }
	f := cmd.Flags()
	f.Float64Var(&d.fs, "fs", 0, "sampling frequency in Hz of CSV files without a time column")
	f.StringVar(&d.units, "units", "", "physical units of CSV signals (default mV, or the file's units row)")
	f.Float64Var(&d.gain, "gain", 0, "ADC units per physical unit for CSV signals (default: chosen per signal)")
	f.StringVar(&d.delimiter, "delimiter", "", `CSV delimiter: ",", ";", "tab", "space" (default: detected)`)
	CompleteValues(cmd, "delimiter", ",", ";", "|", ":", "tab", "space")
	d.header = "auto"
	if f.Lookup("header") == nil {
		f.StringVar(&d.header, "header", "auto", "CSV header row: auto, yes or no")
		CompleteValues(cmd, "header", "auto", "yes", "no")
	}
	f.StringVar(&d.timeColumn, "time-column", "auto", "CSV time column: auto, none, a name or a 1-based index")
}

// Check validates the flags and sets Options; call it before reading.
func (d *DeviceFlags) Check() error {
	if d.fs < 0 || d.gain < 0 {
		return Usagef("--fs and --gain must be positive")
	}
	delim, err := datasets.ParseDelimiter(d.delimiter)
	if err != nil {
		return Usagef("--%v", err)
	}
	d.Options = datasets.DeviceOptions{
		CSV:  datasets.CSVOptions{Delimiter: delim, Header: d.header, TimeColumn: d.timeColumn, Fs: d.fs, Units: d.units},
		Gain: d.gain,
		Warn: d.warn,
	}
	return nil
}
