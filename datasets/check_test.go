package datasets

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// A header checksum of 0 that the samples do not match is what converters
// write when they compute none (the whole CinC 2017 set): a warning, a
// problem only with Strict; a non-zero mismatch stays a problem (issue 19).
func TestCheckRecordUnsetChecksum(t *testing.T) {
	dir := t.TempDir()
	h := &wfdb.Header{Name: "r", Fs: 300, Signals: []wfdb.SignalSpec{
		{FileName: "r.dat", Format: 16, SamplesPerFrame: 1, Gain: 1000, Units: "mV", ADCResolution: 16, Description: "ECG"},
	}}
	if err := wfdb.WriteRecord(dir, h, [][]int32{{5, -7, 100, 3}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "r")
	hea, err := os.ReadFile(path + ".hea")
	if err != nil {
		t.Fatal(err)
	}
	setChecksum := func(v string) {
		t.Helper()
		// The signal line: file format gain bits zero first checksum blocksize desc.
		re := regexp.MustCompile(`(?m)^(r\.dat 16 \S+ 16 0 5) (-?\d+) 0 ECG`)
		if !re.Match(hea) {
			t.Fatalf("unexpected header:\n%s", hea)
		}
		if err := os.WriteFile(path+".hea", re.ReplaceAll(hea, []byte("$1 "+v+" 0 ECG")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if c := CheckRecord(path, CheckOptions{}); !c.OK() || c.Checksums != "ok" || len(c.Warnings) != 0 {
		t.Fatalf("written record: %+v", c)
	}
	setChecksum("0")
	c := CheckRecord(path, CheckOptions{})
	if !c.OK() || c.Checksums != "unset" || len(c.Warnings) != 1 || c.Status != "ok" {
		t.Errorf("checksum 0: %+v, want ok with one warning", c)
	}
	c = CheckRecord(path, CheckOptions{Strict: true})
	if c.OK() || c.Checksums != "BAD" || len(c.Warnings) != 0 || !strings.Contains(c.Status, "checksum 0 in header") {
		t.Errorf("checksum 0, strict: %+v, want a problem", c)
	}
	setChecksum("77")
	c = CheckRecord(path, CheckOptions{})
	if c.OK() || c.Checksums != "BAD" {
		t.Errorf("checksum 77: %+v, want BAD", c)
	}
}
