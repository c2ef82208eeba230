package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// sharedDir is the reference data folder ($ECG_SHARED, else ../shared).
func sharedDir() string { return refdata.Dir() }

// mitdbDir returns the MIT-BIH Arrhythmia Database folder or skips t.
func mitdbDir(t testing.TB) string { return refdata.MITDB(t) }

// jsonLines decodes out, one JSON value of type T a line, or fails t.
func jsonLines[T any](t testing.TB, out string) []T {
	t.Helper()
	var vs []T
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var v T
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		vs = append(vs, v)
	}
	return vs
}
