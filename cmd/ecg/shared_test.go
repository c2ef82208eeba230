package main

import (
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// sharedDir is the reference data folder ($ECG_SHARED, else ../shared).
func sharedDir() string { return refdata.Dir() }

// mitdbDir returns the MIT-BIH Arrhythmia Database folder or skips t.
func mitdbDir(t testing.TB) string { return refdata.MITDB(t) }
