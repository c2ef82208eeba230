package main

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir is the reference data folder: $ECG_SHARED, else ../shared
// beside the repository.
func sharedDir() string {
	if d := os.Getenv("ECG_SHARED"); d != "" {
		return d
	}
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..", "..", "shared")
}

// mitdbDir returns the MIT-BIH Arrhythmia Database folder or skips t.
func mitdbDir(t testing.TB) string {
	t.Helper()
	d := filepath.Join(sharedDir(), "data", "mitdb")
	if _, err := os.Stat(filepath.Join(d, "RECORDS")); err != nil {
		t.Skipf("reference data not found at %s", d)
	}
	return d
}
