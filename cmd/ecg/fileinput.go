package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/datasets"
)

// fileInput holds the flags for reading device exports (CSV, TSV, TXT and
// EDF files) as records, shared by every command that reads records; the
// reading itself is datasets.DeviceOptions.
type fileInput struct {
	fs         float64
	units      string
	gain       float64
	delimiter  string
	header     string
	timeColumn string
	opts       datasets.DeviceOptions // set by check
	warn       func(msg string)       // prints a conversion's warning on stderr
}

// addFlags registers the CSV/EDF reading flags of cmd; --header (the CSV
// header row) is left out when cmd has a --header of its own (then it is
// detected).
func (fi *fileInput) addFlags(cmd *cobra.Command) {
	fi.warn = func(msg string) { fmt.Fprintf(cmd.ErrOrStderr(), "%s: warning: %s\n", cmd.CommandPath(), msg) }
	f := cmd.Flags()
	f.Float64Var(&fi.fs, "fs", 0, "sampling frequency in Hz of CSV files without a time column")
	f.StringVar(&fi.units, "units", "", "physical units of CSV signals (default mV, or the file's units row)")
	f.Float64Var(&fi.gain, "gain", 0, "ADC units per physical unit for CSV signals (default: chosen per signal)")
	f.StringVar(&fi.delimiter, "delimiter", "", `CSV delimiter: ",", ";", "tab", "space" (default: detected)`)
	completeValues(cmd, "delimiter", ",", ";", "|", ":", "tab", "space")
	fi.header = "auto"
	if f.Lookup("header") == nil {
		f.StringVar(&fi.header, "header", "auto", "CSV header row: auto, yes or no")
		completeValues(cmd, "header", "auto", "yes", "no")
	}
	f.StringVar(&fi.timeColumn, "time-column", "auto", "CSV time column: auto, none, a name or a 1-based index")
}

// check validates the flags and builds the reading options; call it
// before reading.
func (fi *fileInput) check() error {
	if fi.fs < 0 || fi.gain < 0 {
		return usagef("--fs and --gain must be positive")
	}
	delim, err := datasets.ParseDelimiter(fi.delimiter)
	if err != nil {
		return usagef("--%v", err)
	}
	fi.opts = datasets.DeviceOptions{
		CSV:  datasets.CSVOptions{Delimiter: delim, Header: fi.header, TimeColumn: fi.timeColumn, Fs: fi.fs, Units: fi.units},
		Gain: fi.gain,
		Warn: fi.warn,
	}
	return nil
}
