package synth

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// TestConformanceWFDB reads a written record back with the WFDB Software
// Package (rdsamp, rdann): same samples in mV, same beats and rhythm.
func TestConformanceWFDB(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") == "" {
		t.Skip("set ECG_CONFORMANCE=1 (make conformance)")
	}
	refdata.NeedTools(t, "rdsamp", "rdann")
	dir := t.TempDir()
	rec := gen(t, Options{Rhythm: AFib, Duration: 30, Fs: 360, Seed: 12, Noise: 0.03})
	if err := rec.WriteWFDB(dir, "af"); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) string {
		c := exec.Command(args[0], args[1:]...)
		c.Dir = dir
		out, err := c.Output()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return string(out)
	}
	lines := strings.Split(strings.TrimSpace(run("rdsamp", "-r", "af", "-p", "-P")), "\n")
	if len(lines) != len(rec.MV) {
		t.Fatalf("rdsamp: %d lines, want %d", len(lines), len(rec.MV))
	}
	for i, l := range lines {
		f := strings.Fields(l)
		v, err := strconv.ParseFloat(f[1], 64)
		if err != nil {
			t.Fatalf("rdsamp line %d: %q", i, l)
		}
		if abs(v-rec.MV[i]) > 0.5/200+1e-9 {
			t.Fatalf("rdsamp sample %d: %g, wrote %g", i, v, rec.MV[i])
		}
	}
	anns := strings.Split(strings.TrimSpace(run("rdann", "-r", "af", "-a", "atr")), "\n")
	if len(anns) != len(rec.Beats)+1 || !strings.Contains(anns[0], "(AFIB") {
		t.Fatalf("rdann: %d lines (want %d), first %q", len(anns), len(rec.Beats)+1, anns[0])
	}
	for i, b := range rec.Beats {
		f := strings.Fields(anns[i+1])
		if f[1] != strconv.FormatInt(b.Sample, 10) || f[2] != b.Type.Symbol() {
			t.Fatalf("rdann line %d: %q, want sample %d %s", i+1, anns[i+1], b.Sample, b.Type.Symbol())
		}
	}
}

func abs(v float64) float64 { return max(v, -v) }
