package wfdb

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedMitdb returns ../shared/data/mitdb (or $ECG_SHARED/data/mitdb), or
// skips the test when it is absent.
func sharedMitdb(t testing.TB) string {
	t.Helper()
	root := os.Getenv("ECG_SHARED")
	if root == "" {
		root = filepath.Join("..", "..", "..", "shared")
	}
	dir := filepath.Join(root, "data", "mitdb")
	if _, err := os.Stat(filepath.Join(dir, "100.hea")); err != nil {
		t.Skipf("shared data not found: %v", err)
	}
	return dir
}

func TestMitdbChecksums(t *testing.T) {
	dir := sharedMitdb(t)
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
