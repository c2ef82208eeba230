package datasets

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// RecordCheck is the outcome of checking one record of a database (ecg
// ingest): its shape, whether its samples match the header's checksums,
// how many annotations its annotation files hold, and what is wrong.
type RecordCheck struct {
	Record   string  `json:"record"`
	Source   string  `json:"source,omitempty"` // the device export it was converted from
	Signals  int     `json:"signals"`
	Fs       float64 `json:"fs"`
	Frames   int64   `json:"frames"`
	Duration float64 `json:"duration_s"`
	// Checksums is "ok", "BAD", "unset" (a header checksum of 0 that the
	// samples do not match: the writer computed none; see
	// wfdb.ChecksumError.Unset), "none" (the header gives none) or "-"
	// (the samples could not be read).
	Checksums   string `json:"checksums"`
	Annotations int    `json:"annotations"`
	// Status is "ok" or the problems joined by "; ".
	Status   string   `json:"status"`
	Problems []string `json:"problems,omitempty"`
	// Warnings are what deserves a look without being a problem: unset
	// checksums, what a conversion lost.
	Warnings []string `json:"warnings,omitempty"`
}

// CheckOptions says what CheckRecord checks.
type CheckOptions struct {
	// Annotators are the annotation files read (those that exist).
	Annotators []string
	// Strict makes unset checksums (a header checksum of 0 that the
	// samples do not match) problems instead of warnings.
	Strict bool
	// Overwrite lets ConvertDeviceRecord replace a record that exists in
	// the output folder; without it that record is a problem and is left
	// as it was.
	Overwrite bool
}

// ErrExists is wrapped by errors about an output that would replace a file
// already there.
var ErrExists = errors.New("exists (--force overwrites it)")

// OK reports whether the check found no problem.
func (c *RecordCheck) OK() bool { return len(c.Problems) == 0 }

func (c *RecordCheck) fail(err error) { c.Problems = append(c.Problems, err.Error()) }

// finish sets Status from the problems.
func (c *RecordCheck) finish() {
	c.Status = "ok"
	if len(c.Problems) > 0 {
		c.Status = strings.Join(c.Problems, "; ")
	}
}

// CheckRecord checks the WFDB record at path (no extension): its header,
// its samples against the header's checksums (read in chunks, not held),
// and each of the annotators' files that exists.
func CheckRecord(path string, opt CheckOptions) (c RecordCheck) {
	c = RecordCheck{Record: filepath.Base(path), Checksums: "none"}
	defer c.finish()
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		c.fail(err)
		return c
	}
	c.Signals, c.Fs, c.Frames = len(h.Signals), h.Fs, h.NSamples
	frames, warnings, err := checkSamples(h, &c.Checksums)
	if opt.Strict {
		for _, w := range warnings {
			err = errors.Join(err, w)
		}
		warnings = nil
		if err != nil && c.Checksums == "unset" {
			c.Checksums = "BAD"
		}
	}
	for _, w := range warnings {
		c.Warnings = append(c.Warnings, w.Error())
	}
	if err != nil {
		c.fail(err)
	} else {
		c.Frames = frames
	}
	if h.Fs > 0 {
		c.Duration = float64(c.Frames) / h.Fs
	}
	for _, ann := range opt.Annotators {
		anns, err := wfdb.ReadAnnotations(path, ann)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		c.Annotations += len(anns)
		if err != nil {
			c.fail(err)
		}
	}
	return c
}

// checkSamples reads a record's samples and verifies its checksums
// (wfdb.Header.CheckSignalChecksums), setting *status to "ok", "unset" or
// "BAD" when the header has any ("-" when they cannot be read; a
// multi-segment record's master header has none, so only its segments'
// mismatches show, and a clean one keeps "none"). It returns the number of
// frames read, the unset checksums (warnings) and the other mismatches.
func checkSamples(h *wfdb.Header, status *string) (int64, []*wfdb.ChecksumError, error) {
	for _, s := range h.Signals {
		if s.HasChecksum {
			*status = "-" // until the samples are read and verified
		}
	}
	frames, warnings, err := h.CheckSignalChecksums()
	switch {
	case err != nil && !errors.Is(err, wfdb.ErrChecksum):
		// the samples could not be read: the status stays
	case err != nil:
		*status = "BAD"
	case len(warnings) > 0:
		*status = "unset"
	case *status == "-":
		*status = "ok"
	}
	return frames, warnings, err
}

// ConvertDeviceRecord converts a device export into the WFDB record
// RecordNameFor(path) in outDir (with the EDF+ annotations as outDir/NAME.atr)
// and checks the result as CheckRecord does. A record already in outDir is
// replaced only with opt.Overwrite.
func (o DeviceOptions) ConvertDeviceRecord(path, outDir string, opt CheckOptions) RecordCheck {
	name := RecordNameFor(path)
	c := RecordCheck{Record: name, Source: path, Checksums: "none"}
	conv, err := o.ConvertDevice(path, name)
	if err != nil {
		err = fmt.Errorf("%s: %w", path, err)
	} else if hea := filepath.Join(outDir, name+".hea"); !opt.Overwrite && fileExists(hea) {
		err = fmt.Errorf("%s: %w", hea, ErrExists)
	} else if err = wfdb.WriteRecord(outDir, conv.Header, conv.Data); err == nil && len(conv.Annotations) > 0 {
		err = wfdb.WriteAnnotations(filepath.Join(outDir, name), DeviceAnnotator, conv.Annotations)
	}
	if err != nil {
		c.fail(err)
		c.finish()
		return c
	}
	c = CheckRecord(filepath.Join(outDir, name), opt)
	c.Source = path
	c.Warnings = append(conv.Warnings, c.Warnings...)
	return c
}

// fileExists reports whether path names an existing file (or anything
// that is not known to be absent).
func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return !errors.Is(err, os.ErrNotExist)
}

// DeviceAnnotator is the annotator name under which the annotations of an
// EDF+ file are written: RECORD.atr, which ecg reads by default.
const DeviceAnnotator = "atr"

// ConvertibleFiles lists the device exports of dir (DeviceFiles), refusing
// two files that would become the same record.
func ConvertibleFiles(dir string) ([]string, error) {
	out, err := DeviceFiles(dir)
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for _, p := range out {
		n := RecordNameFor(p)
		if q, ok := seen[n]; ok {
			return nil, fmt.Errorf("%s and %s would both become record %s", q, p, n)
		}
		seen[n] = p
	}
	return out, nil
}

// DatabaseAnnotators reads the annotator names (first column) of
// dir/ANNOTATORS, or returns ["atr"].
func DatabaseAnnotators(dir string) []string {
	data, err := os.ReadFile(filepath.Join(dir, "ANNOTATORS"))
	if err != nil {
		return []string{"atr"}
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) > 0 && !strings.HasPrefix(f[0], "#") {
			out = append(out, f[0])
		}
	}
	if len(out) == 0 {
		return []string{"atr"}
	}
	return out
}
