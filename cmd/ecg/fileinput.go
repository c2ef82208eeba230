package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// fileInput holds the options for reading CSV and EDF files (device
// exports) as records: ecg ingest --out converts them into WFDB records,
// ecg beats reads one directly.
type fileInput struct {
	fs         float64
	units      string
	gain       float64
	delimiter  string
	delim      rune // the parsed --delimiter (0: detect), set by check
	header     string
	timeColumn string
}

// addFlags registers the CSV/EDF reading flags of cmd; --header (the CSV
// header row) is left out when cmd has a --header of its own (then it is
// detected).
func (fi *fileInput) addFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Float64Var(&fi.fs, "fs", 0, "sampling frequency in Hz of CSV files without a time column")
	f.StringVar(&fi.units, "units", "", "physical units of CSV signals (default mV, or the file's units row)")
	f.Float64Var(&fi.gain, "gain", 0, "ADC units per physical unit for CSV signals (default: chosen per signal)")
	f.StringVar(&fi.delimiter, "delimiter", "", `CSV delimiter: ",", ";", "tab", "space" (default: detected)`)
	fi.header = "auto"
	if f.Lookup("header") == nil {
		f.StringVar(&fi.header, "header", "auto", "CSV header row: auto, yes or no")
	}
	f.StringVar(&fi.timeColumn, "time-column", "auto", "CSV time column: auto, none, a name or a 1-based index")
}

// check validates the flags and parses --delimiter; call it before
// convert or read.
func (fi *fileInput) check() error {
	if fi.fs < 0 || fi.gain < 0 {
		return usagef("--fs and --gain must be positive")
	}
	var err error
	fi.delim, err = parseDelimiter(fi.delimiter)
	return err
}

// dataFiles lists the CSV, TSV, TXT and EDF files of dir in name order, or
// dir itself when it is a file; none is an error.
func dataFiles(dir string) ([]string, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{dir}, nil
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && hasDataExt(e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no .csv, .tsv, .txt or .edf files", dir)
	}
	sort.Strings(out)
	return out, nil
}

// hasDataExt reports whether name ends in .csv, .tsv, .txt or .edf (any case).
func hasDataExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".edf":
		return true
	}
	return false
}

// isDataFile reports whether path is a regular file with a CSV, TSV, TXT
// or EDF extension (a device export rather than a WFDB record name).
func isDataFile(path string) bool {
	if !hasDataExt(path) {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// convert reads a CSV or EDF file as a WFDB record named name, with the
// EDF+ annotations as comment annotations.
func (fi *fileInput) convert(path, name string) (*wfdb.Header, [][]int32, []wfdb.Annotation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(8)
	if datasets.IsEDF(head) {
		rec, err := datasets.ReadEDF(br, st.Size())
		if err != nil {
			return nil, nil, nil, err
		}
		h, data, err := rec.ToWFDB(name)
		if err != nil {
			return nil, nil, nil, err
		}
		n := int64(0)
		if len(data) > 0 {
			n = int64(len(data[0]) / max(1, h.Signals[0].SamplesPerFrame))
		}
		return h, data, rec.WFDBAnnotations(h.Fs, n), nil
	}
	sig, err := datasets.ReadCSV(br, datasets.CSVOptions{
		Delimiter: fi.delim, Header: fi.header, TimeColumn: fi.timeColumn, Fs: fi.fs, Units: fi.units,
	})
	if err != nil {
		return nil, nil, nil, err
	}
	h, data, err := sig.ToWFDB(name, fi.gain)
	return h, data, nil, err
}

// read reads a CSV or EDF file as a record in memory, named after the
// file, with the EDF+ annotations as comment annotations; errors name the
// file.
func (fi *fileInput) read(path string) (*wfdb.Record, []wfdb.Annotation, error) {
	h, data, anns, err := fi.convert(path, recordNameFor(path))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	rec, err := wfdb.NewRecord(h, data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return rec, anns, nil
}

// opener returns a function for datasets.ArchiveOptions.Open: CSV and EDF
// files are read by fi, anything else is left to the WFDB reader.
func (fi *fileInput) opener() func(string) (*wfdb.Record, []wfdb.Annotation, error) {
	return func(path string) (*wfdb.Record, []wfdb.Annotation, error) {
		if !isDataFile(path) {
			return nil, nil, nil
		}
		return fi.read(path)
	}
}

// expandInputs turns command arguments into record paths: a WFDB database
// folder gives its records, a folder without WFDB records but with CSV/EDF
// files gives those files, a CSV/EDF file itself, anything else a record
// name (".hea" trimmed). fromFiles reports whether any CSV/EDF file is
// among them.
func expandInputs(args []string) (paths []string, fromFiles bool, err error) {
	for _, arg := range args {
		switch {
		case isDataFile(arg):
			paths, fromFiles = append(paths, arg), true
		case datasets.IsDatabaseDir(arg):
			recs, err := datasets.ListRecords(arg)
			if err == nil && len(recs) > 0 {
				paths = append(paths, recs...)
				continue
			}
			files, ferr := dataFiles(arg)
			if ferr != nil {
				return nil, false, fmt.Errorf("%s: no WFDB records (RECORDS file or .hea headers) and no .csv, .tsv, .txt or .edf files", arg)
			}
			paths, fromFiles = append(paths, files...), true
		default:
			paths = append(paths, strings.TrimSuffix(arg, ".hea"))
		}
	}
	return paths, fromFiles, nil
}
