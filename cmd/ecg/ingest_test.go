package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// writeTestDB writes records a and b (2 signals, format 16) with .atr files.
func writeTestDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for k, name := range []string{"a", "b"} {
		h := &wfdb.Header{Name: name, Fs: 250}
		data := make([][]int32, 2)
		for s := range data {
			h.Signals = append(h.Signals, wfdb.SignalSpec{FileName: name + ".dat", Format: wfdb.Format16, Gain: 200, Units: "mV", ADCResolution: 16, Description: fmt.Sprint("sig", s)})
			for i := 0; i < 1000; i++ {
				data[s] = append(data[s], int32((i*(s+3)+k)%500-250))
			}
		}
		if err := wfdb.WriteRecord(dir, h, data); err != nil {
			t.Fatal(err)
		}
		anns := []wfdb.Annotation{{Sample: 10, Type: wfdb.Rhythm, Aux: "(N"}, {Sample: 100, Type: wfdb.Normal}, {Sample: 400, Type: wfdb.PVC}}
		if err := wfdb.WriteAnnotations(filepath.Join(dir, name), "atr", anns); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestIngestCheck(t *testing.T) {
	dir := writeTestDB(t)
	code, out, errOut := runECG(t, "", "ingest", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "a ") || !strings.Contains(lines[1], "0:04.000") ||
		!strings.Contains(lines[1], " ok ") || !strings.Contains(lines[2], " 3 ") {
		t.Fatalf("table:\n%s", out)
	}
	// Corrupt b.dat (checksum) and truncate a.atr (annotations).
	dat := filepath.Join(dir, "b.dat")
	raw, _ := os.ReadFile(dat)
	raw[100] ^= 1
	os.WriteFile(dat, raw, 0o644)
	atr := filepath.Join(dir, "a.atr")
	raw, _ = os.ReadFile(atr)
	os.WriteFile(atr, raw[:7], 0o644)
	code, out, _ = runECG(t, "", "ingest", dir, "--format", "json", "--jobs", "1")
	if code != cmdutil.ExitPartial {
		t.Fatalf("exit %d, want %d:\n%s", code, cmdutil.ExitPartial, out)
	}
	var rows []datasets.RecordCheck
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r datasets.RecordCheck
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if len(rows) != 2 || rows[0].Checksums != "ok" || !strings.Contains(rows[0].Status, "a.atr: byte ") ||
		rows[1].Checksums != "BAD" || rows[1].Annotations != 3 || rows[1].Frames != 1000 {
		t.Fatalf("rows %+v", rows)
	}
	// Usage errors and a missing folder.
	if code, _, _ := runECG(t, "", "ingest", dir, "--format", "xml"); code != cmdutil.ExitUsage {
		t.Errorf("--format xml: exit %d", code)
	}
	if code, _, errOut := runECG(t, "", "ingest", filepath.Join(dir, "nope")); code != cmdutil.ExitError || !strings.Contains(errOut, "nope") {
		t.Errorf("missing dir: exit %d %s", code, errOut)
	}
}

func TestIngestConvert(t *testing.T) {
	in := t.TempDir()
	csv := "time,MLII,V5\n0.000,-0.145,0.5\n0.002,-0.150,0.25\n0.004,1.375,-3\n0.006,,2\n"
	os.WriteFile(filepath.Join(in, "dev-1.csv"), []byte(csv), 0o644)
	os.WriteFile(filepath.Join(in, "raw.txt"), []byte("1 2\n3 4\n"), 0o644)
	out := filepath.Join(t.TempDir(), "db")
	// raw.txt has no time column and no --fs: a partial failure naming it.
	code, stdout, _ := runECG(t, "", "ingest", in, "--out", out, "--format", "tsv")
	if code != cmdutil.ExitPartial || !strings.Contains(stdout, "raw.txt") || !strings.Contains(stdout, "--fs") {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	rec, err := wfdb.ReadRecord(filepath.Join(out, "dev_1"))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Header.Fs != 500 || rec.NumSignals() != 2 || rec.Header.Signals[0].Description != "MLII" {
		t.Fatalf("header %+v", rec.Header)
	}
	want := [][]float64{{-0.145, -0.150, 1.375}, {0.5, 0.25, -3, 2}}
	for s, w := range want {
		got := rec.Physical(s)
		for i, v := range w {
			if got[i] != v {
				t.Errorf("signal %d sample %d: %v, want %v", s, i, got[i], v)
			}
		}
	}
	if p := rec.Physical(0)[3]; p == p {
		t.Errorf("missing value read back as %v, want NaN", p)
	}
	// With --fs the text file converts too.
	code, stdout, _ = runECG(t, "", "ingest", filepath.Join(in, "raw.txt"), "--out", out, "--fs", "100", "--units", "mmHg")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	h, err := wfdb.ReadHeader(filepath.Join(out, "raw"))
	if err != nil || h.Fs != 100 || h.Signals[1].Units != "mmHg" {
		t.Fatalf("raw header %+v %v", h, err)
	}
}
