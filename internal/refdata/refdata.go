// Package refdata finds the reference data that integration tests and
// benchmarks use (the MIT-BIH Arrhythmia Database in shared/data/mitdb),
// and skips a test cleanly when it is absent.
package refdata

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir is the shared folder: $ECG_SHARED, else "shared" beside the
// repository (../shared from its root), as CI lays it out.
func Dir() string {
	if d := os.Getenv("ECG_SHARED"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
}

// MITDB returns the absolute path of the MIT-BIH Arrhythmia Database
// folder, or skips t when it has no RECORDS file.
func MITDB(t testing.TB) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join(Dir(), "data", "mitdb"))
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "RECORDS"))
	}
	if err != nil {
		t.Skipf("reference data not found (set ECG_SHARED): %v", err)
	}
	return dir
}
