package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// TestConformanceRdsamp compares `ecg export` with rdsamp, row for row and
// column for column (formatting aside), on every mitdb record (digital,
// --physical against rdsamp -p, a --from/--to window), on records that
// xform converts into every format it writes, and on a multi-frequency,
// skewed record (default and --high-res against rdsamp -H). It runs with
// ECG_CONFORMANCE=1 and the WFDB tools on PATH (make conformance).
func TestConformanceRdsamp(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") != "1" {
		t.Skip("set ECG_CONFORMANCE=1 (make conformance)")
	}
	refdata.NeedTools(t, "rdsamp", "rdann", "xform")
	t.Run("mitdb", func(t *testing.T) {
		dir := mitdbDir(t)
		recs, err := os.ReadFile(filepath.Join(dir, "RECORDS"))
		if err != nil {
			t.Fatal(err)
		}
		names := strings.Fields(string(recs))
		if testing.Short() {
			names = names[:2]
		}
		for _, name := range names {
			rec := filepath.Join(dir, name)
			compareExport(t, dir, name, []string{rec}, nil, false)
			compareExport(t, dir, name, []string{rec, "--physical"}, []string{"-p"}, true)
			compareExport(t, dir, name, []string{rec, "--physical", "--precision", "8", "--to", "s20000"}, []string{"-P", "-t", "s20000"}, true)
			compareExport(t, dir, name, []string{rec, "--from", "12:34.567", "--to", "s460000", "--signals", "1,0"},
				[]string{"-f", "12:34.567", "-t", "s460000", "-s", "1", "0"}, false)
			compareAnnotations(t, dir, name, nil)
			compareAnnotations(t, dir, name, []string{"--from", "5:00", "--to", "s200000"}, "-f", "5:00", "-t", "s200000")
		}
	})
	t.Run("xform", func(t *testing.T) {
		dir := t.TempDir()
		src := "../../datasets/wfdb/testdata/mitdb/100s"
		for _, ext := range []string{".hea", ".dat"} {
			b, err := os.ReadFile(src + ext)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "100s"+ext), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, f := range []string{"8", "16", "24", "32", "61", "80", "160", "212", "310", "311", "508", "516", "524"} {
			spec := fmt.Sprintf("o%s 2 360\no%s.dat %s 200 11 1024 0 0 0 MLII\no%s.dat %s 100(-5)/uV 11 1024 0 0 0 V5\n", f, f, f, f, f)
			if err := os.WriteFile(filepath.Join(dir, "o"+f+".hea"), []byte(spec), 0o644); err != nil {
				t.Fatal(err)
			}
			name := "x" + f
			refdata.Run(t, dir, "xform", "-i", "100s", "-o", "o"+f, "-n", name, "-t", "s3599")
			// Formats that wrap mitdb's values get a checksum error at the
			// last frame, which rdsamp then leaves out: compare a window.
			compareExport(t, dir, name, []string{filepath.Join(dir, name), "--to", "s3598"}, []string{"-t", "s3598"}, false)
			if f == "8" {
				// rdsamp -f on format 8 restarts the differences from the
				// initial value at the seek point (a WFDB limitation), so
				// its values there are off; ecg decodes from the start.
				compareExport(t, dir, name, []string{filepath.Join(dir, name), "--physical", "--to", "s3598"}, []string{"-p", "-t", "s3598"}, true)
				continue
			}
			compareExport(t, dir, name, []string{filepath.Join(dir, name), "--physical", "--from", "1", "--to", "s3598"}, []string{"-p", "-f", "1", "-t", "s3598"}, true)
		}
	})
	t.Run("multifrequency", func(t *testing.T) {
		dir := t.TempDir()
		h := &wfdb.Header{Name: "mf", Fs: 100, Signals: []wfdb.SignalSpec{
			{FileName: "mf.dat", Format: 16, SamplesPerFrame: 4, Gain: 100, Units: "mV", ADCResolution: 16, Description: "fast"},
			{FileName: "mf.dat", Format: 16, SamplesPerFrame: 1, Gain: 10, Baseline: 3, Units: "mmHg", ADCResolution: 16, Description: "slow"},
			{FileName: "mf2.dat", Format: 212, SamplesPerFrame: 3, Skew: 2, Gain: 200, Units: "mV", ADCResolution: 12, Description: "skewed"},
		}}
		n := 501
		data := [][]int32{make([]int32, 4*n), make([]int32, n), make([]int32, 3*n)}
		for i := range data[0] {
			data[0][i] = int32((i*37)%2001 - 1000)
		}
		for i := range data[1] {
			data[1][i] = int32(i%101 - 50)
		}
		for i := range data[2] {
			data[2][i] = int32((i*13)%4001 - 2000)
		}
		data[0][9] = wfdb.InvalidSample
		data[2][30] = wfdb.InvalidSample
		if err := wfdb.WriteRecord(dir, h, data); err != nil {
			t.Fatal(err)
		}
		rec := filepath.Join(dir, "mf")
		compareExport(t, dir, "mf", []string{rec}, nil, false)
		compareExport(t, dir, "mf", []string{rec, "--physical"}, []string{"-p"}, true)
		compareExport(t, dir, "mf", []string{rec, "--physical", "--precision", "8"}, []string{"-P"}, true)
		compareExport(t, dir, "mf", []string{rec, "--high-res"}, []string{"-H"}, false)
		compareExport(t, dir, "mf", []string{rec, "--high-res", "--physical", "--from", "s7", "--to", "1.5"}, []string{"-H", "-p", "-f", "s7", "-t", "1.5"}, true)
	})
	t.Run("multisegment", func(t *testing.T) {
		dir := t.TempDir()
		writeMultiSegment(t, dir)
		for _, name := range []string{"m", "f"} {
			rec := filepath.Join(dir, name)
			compareExport(t, dir, name, []string{rec}, nil, false)
			compareExport(t, dir, name, []string{rec, "--signals", "1,0"}, []string{"-s", "1", "0"}, false)
			compareExport(t, dir, name, []string{rec, "--signals", "v5", "--physical"}, []string{"-s", "V5", "-p"}, true)
		}
	})
}

// compareExport runs `ecg export ARGS` and `rdsamp -r REC RDARGS` and
// compares them field by field. rdsamp prints "-" for an invalid physical
// value where ecg prints NaN; in physical mode rdsamp's first column is
// time in seconds, ecg's the sample number, so it is not compared.
func compareExport(t *testing.T, dir, rec string, args, rdargs []string, physical bool) {
	t.Helper()
	code, out, errOut := runECG(t, "", append([]string{"export"}, args...)...)
	if code != 0 {
		t.Fatalf("ecg export %v: exit %d: %s", args, code, errOut)
	}
	ref := refdata.Run(t, dir, "rdsamp", append([]string{"-r", rec}, rdargs...)...)
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := strings.Split(strings.TrimSuffix(string(ref), "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("ecg export %v: %d rows, rdsamp %v: %d rows", args, len(got), rdargs, len(want))
	}
	for i := range want {
		g, w := strings.Fields(got[i]), strings.Fields(want[i])
		if len(g) != len(w) {
			t.Fatalf("ecg export %v row %d: %q, rdsamp %q", args, i, got[i], want[i])
		}
		for j := range w {
			if physical && j == 0 {
				continue
			}
			if g[j] != w[j] && !(g[j] == "NaN" && w[j] == "-") {
				t.Fatalf("ecg export %v row %d column %d: %q, rdsamp %v %q", args, i, j, got[i], rdargs, want[i])
			}
		}
	}
}

// compareAnnotations checks that `ecg export REC --annotator atr ARGS`
// prints exactly what `rdann -r REC -a atr RDARGS` prints.
func compareAnnotations(t *testing.T, dir, rec string, args []string, rdargs ...string) {
	t.Helper()
	code, out, errOut := runECG(t, "", append([]string{"export", filepath.Join(dir, rec), "--annotator", "atr"}, args...)...)
	if code != 0 {
		t.Fatalf("ecg export %s --annotator atr %v: exit %d: %s", rec, args, code, errOut)
	}
	ref := string(refdata.Run(t, dir, "rdann", append([]string{"-r", rec, "-a", "atr"}, rdargs...)...))
	if out != ref {
		got, want := strings.Split(out, "\n"), strings.Split(ref, "\n")
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("%s --annotator atr %v line %d: %q, rdann %q", rec, args, i, got[i], want[i])
			}
		}
		t.Fatalf("%s --annotator atr %v: %d lines, rdann %d", rec, args, len(got), len(want))
	}
}
