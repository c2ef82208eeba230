package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// DeviceOptions says how device exports (CSV, TSV, TXT and EDF/EDF+ files)
// are read as WFDB records: the CSV reading options and the gain of the
// digital samples. The zero value reads an EDF file, or a CSV file with a
// time column, with every choice detected.
type DeviceOptions struct {
	CSV CSVOptions
	// Gain is the number of ADC units per physical unit given to CSV
	// signals; 0 chooses one per signal (Signals.Convert).
	Gain float64
	// Warn, when not nil, is told what a conversion lost ("FILE: signal
	// S: ..."): ReadDevice and the readers built on it call it, as a
	// command prints warnings on stderr.
	Warn func(msg string)
}

// HasDeviceExt reports whether name ends in .csv, .tsv, .txt or .edf (any
// case).
func HasDeviceExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt", ".edf":
		return true
	}
	return false
}

// IsDeviceFile reports whether path is a regular file with a device-export
// extension (HasDeviceExt), rather than a WFDB record name.
func IsDeviceFile(path string) bool {
	if !HasDeviceExt(path) {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// DeviceFiles lists the device exports of dir in name order, or dir itself
// when it is a file; a folder without any is an error.
func DeviceFiles(dir string) ([]string, error) {
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
		if !e.IsDir() && HasDeviceExt(e.Name()) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no .csv, .tsv, .txt or .edf files", dir)
	}
	sort.Strings(out)
	return out, nil
}

// RecordNameFor makes a WFDB record name from a file name: its base name
// without the extension, with every byte other than letters, digits and
// '_' replaced by '_' ("record" when nothing is left).
func RecordNameFor(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	b := []byte(base)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "record"
	}
	return string(b)
}

// Converted is a device export read as a WFDB record.
type Converted struct {
	Header *wfdb.Header
	Data   [][]int32 // digital samples per signal
	// Annotations are an EDF+ file's annotations, as comment annotations.
	Annotations []wfdb.Annotation
	// Warnings say, one sentence each, what the conversion lost (CSV
	// values clipped or rounded by the chosen gain).
	Warnings []string
}

// ConvertDevice reads a device export as the header and digital samples of
// a WFDB record named name. The format is told by the file's first bytes
// (EDF, also with a damaged version field), else it is read as CSV.
func (o DeviceOptions) ConvertDevice(path, name string) (*Converted, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	head, _ := br.Peek(256)
	if IsEDF(head) {
		rec, err := ReadEDF(br, st.Size())
		if err != nil {
			return nil, err
		}
		h, data, err := rec.ToWFDB(name)
		if err != nil {
			return nil, err
		}
		n := int64(0)
		if len(data) > 0 {
			n = int64(len(data[0]) / max(1, h.Signals[0].SamplesPerFrame))
		}
		return &Converted{Header: h, Data: data, Annotations: rec.WFDBAnnotations(h.Fs, n)}, nil
	}
	sig, err := ReadCSV(br, o.CSV)
	if err != nil {
		return nil, err
	}
	h, data, conv, err := sig.Convert(name, o.Gain)
	if err != nil {
		return nil, err
	}
	c := &Converted{Header: h, Data: data}
	for i := range conv {
		if w := conv[i].Warning(); w != "" {
			c.Warnings = append(c.Warnings, w)
		}
	}
	return c, nil
}

// ReadDevice reads a device export as a record in memory named after the
// file (RecordNameFor), with the EDF+ annotations as comment annotations.
// Errors name the file; the conversion's warnings go to o.Warn.
func (o DeviceOptions) ReadDevice(path string) (*wfdb.Record, []wfdb.Annotation, error) {
	c, err := o.ConvertDevice(path, RecordNameFor(path))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	o.warn(path, c.Warnings)
	rec, err := wfdb.NewRecord(c.Header, c.Data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return rec, c.Annotations, nil
}

// warn passes each warning about the file at path to o.Warn.
func (o DeviceOptions) warn(path string, warnings []string) {
	if o.Warn == nil {
		return
	}
	for _, w := range warnings {
		o.Warn(fmt.Sprintf("%s: %s", path, w))
	}
}

// Opener returns a function for ArchiveOptions.Open: device exports are
// read by o, anything else (nil record, nil error) is left to the WFDB
// reader.
func (o DeviceOptions) Opener() func(string) (*wfdb.Record, []wfdb.Annotation, error) {
	return func(path string) (*wfdb.Record, []wfdb.Annotation, error) {
		if !IsDeviceFile(path) {
			return nil, nil, nil
		}
		return o.ReadDevice(path)
	}
}

// ExpandInputs turns command-line arguments into record paths: a database
// folder gives its records (ListRecords), a folder without WFDB records
// but with device exports gives those files, a device export itself, and
// anything else a record name (".hea" trimmed). fromFiles reports whether
// any device export is among them. A folder whose RECORDS file cannot be
// read or names records outside it is an error with that reason.
func ExpandInputs(args []string) (paths []string, fromFiles bool, err error) {
	for _, arg := range args {
		switch {
		case IsDeviceFile(arg):
			paths, fromFiles = append(paths, arg), true
		case IsDatabaseDir(arg):
			recs, err := ListRecords(arg)
			if err != nil && !errors.Is(err, ErrNoRecords) {
				return nil, false, err
			}
			if len(recs) > 0 {
				paths = append(paths, recs...)
				continue
			}
			files, ferr := DeviceFiles(arg)
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

// ParseDelimiter reads a CSV delimiter as people write it on a command
// line: "" (detect), ",", ";", "|", ":", "tab" (or \t) and "space".
func ParseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case "space", " ":
		return ' ', nil
	case ",", ";", "|", ":":
		return rune(s[0]), nil
	}
	return 0, fmt.Errorf("delimiter %q: want \",\", \";\", \"|\", \":\", tab or space", s)
}

// DescribeInput describes a record or a device export as ecg info does
// (wfdb.Describe, wfdb.DescribeRecord), with the annotations of annotator
// summarised; when annotator is only the default (explicit false), a
// record without that annotation file is described without annotations.
func (o DeviceOptions) DescribeInput(path, annotator string, explicit bool) (*wfdb.RecordInfo, error) {
	if IsDeviceFile(path) {
		rec, anns, err := o.ReadDevice(path)
		if err != nil {
			return nil, err
		}
		if !explicit && len(anns) == 0 {
			annotator = ""
		}
		return wfdb.DescribeRecord(path, rec, annotator, anns), nil
	}
	if !explicit && !wfdb.HasAnnotations(path, annotator) {
		annotator = ""
	}
	return wfdb.Describe(path, annotator)
}
