// Package refdata finds the reference data that integration tests and
// benchmarks use (the MIT-BIH Arrhythmia Database in shared/data/mitdb,
// the CinC 2017 shared set in shared/data/cinc2017-train),
// and skips a test cleanly when it is absent.
package refdata

import (
	"bytes"
	"os"
	"os/exec"
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
	return dataDir(t, "mitdb", "RECORDS")
}

// CinC2017 returns the absolute path of the PhysioNet/CinC Challenge 2017
// shared set (REFERENCE.csv and records/), or skips t when it is absent.
func CinC2017(t testing.TB) string {
	t.Helper()
	return dataDir(t, "cinc2017-train", "REFERENCE.csv")
}

// dataDir returns the absolute path of Dir()/data/name, or skips t when
// it has no file marker.
func dataDir(t testing.TB, name, marker string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join(Dir(), "data", name))
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, marker))
	}
	if err != nil {
		t.Skipf("reference data %s not found (set ECG_SHARED): %v", name, err)
	}
	return dir
}

// Run runs a reference tool (rdsamp, rdann, bxb...) in dir and returns its
// standard output; a failure fails t with the tool's standard error.
func Run(t testing.TB, dir, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	return out
}

// NeedTools skips t unless every named reference tool is on PATH.
func NeedTools(t testing.TB, names ...string) {
	t.Helper()
	for _, name := range names {
		if _, err := exec.LookPath(name); err != nil {
			t.Skipf("%s not on PATH", name)
		}
	}
}
