package wfdb

import (
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// sharedMitdb returns ../shared/data/mitdb (or $ECG_SHARED/data/mitdb), or
// skips the test when it is absent.
func TestMitdbChecksums(t *testing.T) {
	dir := refdata.MITDB(t)
	names, err := filepath.Glob(filepath.Join(dir, "*.hea"))
	if err != nil || len(names) == 0 {
		t.Skip("no headers")
	}
	if testing.Short() {
		names = names[:1]
	}
	for _, n := range names {
		rec, err := ReadRecord(n)
		if err != nil {
			t.Fatal(err)
		}
		if rec.NumFrames() != 650000 {
			t.Errorf("%s: %d frames", n, rec.NumFrames())
		}
		if err := rec.VerifyChecksums(); err != nil {
			t.Error(err)
		}
	}
}
