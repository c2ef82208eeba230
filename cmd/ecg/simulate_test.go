package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

func TestSimulateText(t *testing.T) {
	code, out, errOut := runECG(t, "", "simulate", "--rhythm", "tachy", "--duration", "2.5", "--fs", "200", "--seed", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 500 {
		t.Fatalf("%d lines, want 500", len(lines))
	}
	var mx float64
	for _, l := range lines {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		mx = max(mx, v)
	}
	if mx < 0.7 || mx > 2 {
		t.Errorf("largest value %g mV: not an R peak", mx)
	}
	_, again, _ := runECG(t, "", "simulate", "--rhythm", "tachy", "--duration", "2.5", "--fs", "200", "--seed", "3")
	if again != out {
		t.Error("same flags and seed gave different output")
	}
	_, other, _ := runECG(t, "", "simulate", "--rhythm", "tachy", "--duration", "2.5", "--fs", "200", "--seed", "4")
	if other == out {
		t.Error("seeds 3 and 4 gave the same output")
	}
}

func TestSimulateCSV(t *testing.T) {
	code, out, _ := runECG(t, "", "simulate", "--format", "csv", "--duration", "1s", "--fs", "250")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || lines[0] != "time,ecg" || len(lines) != 251 || !strings.HasPrefix(lines[2], "0.004000,") {
		t.Fatalf("exit %d, %d lines, %q %q", code, len(lines), lines[0], lines[2])
	}
}

func TestSimulateRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "V", "big1")
	code, _, errOut := runECG(t, "", "simulate", "--rhythm", "bigeminy", "--duration", "1m", "--out", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.NumFrames() != 21600 || rec.Header.Fs != 360 {
		t.Errorf("%d frames at %g Hz", rec.NumFrames(), rec.Header.Fs)
	}
	anns, err := wfdb.ReadAnnotations(path, "atr")
	if err != nil {
		t.Fatal(err)
	}
	v := 0
	for _, a := range anns {
		if a.Type == wfdb.PVC {
			v++
		}
	}
	if anns[0].Aux != "(B" || v < 30 || v > 40 {
		t.Errorf("rhythm %q, %d V beats in a minute of bigeminy at 70 bpm", anns[0].Aux, v)
	}
}

func TestSimulateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"simulate", "--rhythm", "vfib"},
		{"simulate", "--rhythm", "brady", "--hr", "80"},
		{"simulate", "--duration", "ten"},
		{"simulate", "--format", "xml"},
		{"simulate", "--duration", "0", "--out", "x/y"},
		{"simulate", "--fs", "5"},
	} {
		if code, _, errOut := runECG(t, "", args...); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d (%s), want %d", args, code, errOut, cmdutil.ExitUsage)
		}
	}
}
