package wfdb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// Rates a header declares are checked at parse time: a record of 1e9 Hz
// would size every buffer downstream, and one of 1e-300 Hz prints a
// duration of garbage (issue 19, item 2).
func TestHeaderRateRange(t *testing.T) {
	for _, tc := range []struct {
		hea string
		ok  bool
	}{
		{"x 1 1e9 1000\nx.dat 16 200 16 0 0 0 0 MLII\n", false},
		{"x 1 1e-300 1000\nx.dat 16\n", false},
		{"x 1 1000001 10\nx.dat 16\n", false},
		{"x 1 0.0001 10\nx.dat 16\n", false},
		// 1,000 frames per second of 2,000 samples each: 2 MHz.
		{"x 1 1000 10\nx.dat 16x2000\n", false},
		{"x 1 1e6 10\nx.dat 16\n", true},
		{"x 1 0.0167 10\nx.dat 16\n", true}, // one sample a minute (trends)
		{"x 1 360 10\nx.dat 16x4\n", true},
	} {
		_, err := ParseHeader([]byte(tc.hea), "x.hea")
		if tc.ok != (err == nil) {
			t.Errorf("%q: error %v, want ok %v", tc.hea, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrRate) {
			t.Errorf("%q: %v does not wrap ErrRate", tc.hea, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "x.hea line ") {
			t.Errorf("%q: error %q does not name the file and line", tc.hea, err)
		}
	}
}

// A 10 MB header line is not echoed whole into the error.
func TestHeaderErrorQuotesLittle(t *testing.T) {
	long := strings.Repeat("A", 10<<20)
	for _, hea := range []string{
		"x 1 " + long + " 10\nx.dat 16\n",      // sampling frequency
		"x 1 360 10\nx.dat 16 " + long + "\n",  // gain
		"x 1 360 10\nx.dat 16\n" + long + "\n", // an unexpected line
		"x 1 360 10\nx.dat 1" + long + "\n",    // format
	} {
		_, err := ParseHeader([]byte(hea), "x.hea")
		if err == nil {
			t.Fatal("no error")
		}
		if n := len(err.Error()); n > 300 {
			t.Errorf("error of %d bytes: %.120s...", n, err)
		}
	}
}

// A checksum of 0 in the header while the samples sum otherwise is a
// warning, distinguishable from a mismatch (issue 19, item 11).
func TestChecksumUnsetIsAWarning(t *testing.T) {
	dir := t.TempDir()
	h := &Header{Name: "z", Fs: 300, Signals: []SignalSpec{
		{FileName: "z.dat", Format: Format16, SamplesPerFrame: 1, Gain: 1000, Units: "mV", ADCResolution: 16, Description: "ECG"},
		{FileName: "z.dat", Format: Format16, SamplesPerFrame: 1, Gain: 1000, Units: "mV", ADCResolution: 16, Description: "ECG2"},
	}}
	data := [][]int32{{1, 2, 3, 4}, {5, 6, 7, 8}}
	if err := WriteRecord(dir, h, data); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "z")
	rewrite := func(c0, c1 string) {
		t.Helper()
		hea := "z 2 300 4\nz.dat 16 1000/mV 16 0 1 " + c0 + " 0 ECG\nz.dat 16 1000/mV 16 0 5 " + c1 + " 0 ECG2\n"
		if err := os.WriteFile(path+".hea", []byte(hea), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	rewrite("0", "26") // signal 0 sums to 10: unset; signal 1 correct
	info, err := Describe(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if !info.ChecksumsOK || info.ChecksumWarnings != 1 || !strings.HasPrefix(info.Signals[0].ChecksumStatus, "unset") || info.Signals[1].ChecksumStatus != "ok" {
		t.Fatalf("unset checksum: ok %v, %d warnings, status %q, %q", info.ChecksumsOK, info.ChecksumWarnings, info.Signals[0].ChecksumStatus, info.Signals[1].ChecksumStatus)
	}
	rec, err := ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	warns, err := rec.CheckChecksums()
	if err != nil || len(warns) != 1 || warns[0].Signal != 0 || warns[0].Got != 10 {
		t.Fatalf("CheckChecksums: %v, %v", warns, err)
	}
	if err := rec.VerifyChecksums(); !errors.Is(err, ErrChecksumUnset) || !errors.Is(err, ErrChecksum) {
		t.Fatalf("VerifyChecksums (strict): %v, want ErrChecksum and ErrChecksumUnset", err)
	}

	rewrite("0", "25") // and signal 1 mismatches: an error
	info, err = Describe(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if info.ChecksumsOK || info.ChecksumWarnings != 1 || !strings.HasPrefix(info.Signals[1].ChecksumStatus, "mismatch") {
		t.Fatalf("mismatch: ok %v, %d warnings, status %q", info.ChecksumsOK, info.ChecksumWarnings, info.Signals[1].ChecksumStatus)
	}
	rec, _ = ReadRecord(path)
	warns, err = rec.CheckChecksums()
	if len(warns) != 1 || !errors.Is(err, ErrChecksum) || errors.Is(err, ErrChecksumUnset) {
		t.Fatalf("CheckChecksums: %v, %v; want one warning and one error", warns, err)
	}
}

// The CinC 2017 records all have checksum 0 in their headers.
func TestChecksumUnsetCinC(t *testing.T) {
	path := filepath.Join(refdata.Dir(), "data", "cinc2017-train", "records", "A00001")
	if _, err := os.Stat(path + ".hea"); err != nil {
		t.Skip("no cinc2017-train in the shared data")
	}
	info, err := Describe(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if !info.ChecksumsOK || info.ChecksumWarnings != 1 {
		t.Fatalf("A00001: ok %v, %d warnings, %q", info.ChecksumsOK, info.ChecksumWarnings, info.Signals[0].ChecksumStatus)
	}
}

// In a multi-segment record, a segment header's checksum of 0 is a
// warning too.
func TestChecksumUnsetSegments(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"s1", "s2"} {
		h := &Header{Name: name, Fs: 250, Signals: []SignalSpec{{FileName: name + ".dat", Format: Format16, SamplesPerFrame: 1, Gain: 200, Units: "mV", ADCResolution: 16, Description: "ECG"}}}
		if err := WriteRecord(dir, h, [][]int32{{1, 2, 3}}); err != nil {
			t.Fatal(err)
		}
		hea := name + " 1 250 3\n" + name + ".dat 16 200/mV 16 0 1 0 0 ECG\n"
		if err := os.WriteFile(filepath.Join(dir, name+".hea"), []byte(hea), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "m.hea"), []byte("m/2 1 250 6\ns1 3\ns2 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := Describe(filepath.Join(dir, "m"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !info.ChecksumsOK || info.ChecksumWarnings != 2 || info.SegmentErrors != "" || !strings.Contains(info.SegmentWarnings, "checksum 0 in header") {
		t.Fatalf("ok %v, %d warnings, errors %q, warnings %q", info.ChecksumsOK, info.ChecksumWarnings, info.SegmentErrors, info.SegmentWarnings)
	}
	rec, err := ReadRecord(filepath.Join(dir, "m"))
	if err != nil {
		t.Fatal(err)
	}
	if warns, err := rec.CheckChecksums(); len(warns) != 2 || err != nil {
		t.Fatalf("CheckChecksums: %v, %v", warns, err)
	}
}
