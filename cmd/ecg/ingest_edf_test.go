package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/edftest"
)

// edfPlus returns an EDF+C file starting 01.01.20 10.00.00: data records
// of 1 s, an ECG signal of 100 samples per record (value: 100k+i in
// record k) and an "EDF Annotations" signal holding tals[k] in record k.
func edfPlus(tals []string) []byte {
	ann := edftest.Annotations(tals, 30)
	return edftest.Build(edftest.File{Reserved: "EDF+C", StartDate: "01.01.20", StartTime: "10.00.00", Records: len(tals), Duration: 1,
		Signals: []edftest.Signal{
			{Label: "ECG", Units: "mV", PhysMin: -3.2768, PhysMax: 3.2767, DigMin: -32768, DigMax: 32767, NSamples: 100},
			{Label: "EDF Annotations", PhysMin: -1, PhysMax: 1, DigMin: -32768, DigMax: 32767, NSamples: 30},
		}}, func(s, i int) int16 {
		if s == 0 {
			return int16(i)
		}
		return ann(i)
	})
}

// ingestedEDF writes edfPlus(tals) as DIR/holter.edf, converts it with
// ecg ingest into DIR/out/holter, and returns both paths.
func ingestedEDF(t *testing.T, tals []string) (edf, rec string) {
	t.Helper()
	dir := t.TempDir()
	edf = filepath.Join(dir, "holter.edf")
	if err := os.WriteFile(edf, edfPlus(tals), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, o, e := runECG(t, "", "ingest", edf, "--out", out); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, o, e)
	}
	return edf, filepath.Join(out, "holter")
}

// testTALs are the annotations of the EDF+ test file: an apnea of 10 s at
// 0.5 s and a button press at 1.25 s.
var testTALs = []string{
	"+0\x14\x14\x00+0.5\x1510\x14Apnea\x14\x00",
	"+1\x14\x14\x00+1.25\x14Button\x14\x00",
	"+2\x14\x14\x00",
}

// EDF+ annotations reach the WFDB record as comment annotations in
// RECORD.atr, printed as rdann prints them, at the time of day of the EDF
// start time.
func TestIngestEDFPlusAnnotations(t *testing.T) {
	_, rec := ingestedEDF(t, testTALs)
	code, o, e := runECG(t, "", "export", rec, "--annotator", "atr")
	want := "[10:00:00.500 01/01/2020]       50     \"    0    0    0\tApnea (10 s)\n" +
		"[10:00:01.250 01/01/2020]      125     \"    0    0    0\tButton\n"
	if code != 0 || o != want {
		t.Fatalf("export: exit %d, stderr %q\n%q\nwant\n%q", code, e, o, want)
	}
	code, o, _ = runECG(t, "", "export", rec, "--to", "s3", "--signals", "0")
	if code != 0 || !strings.HasPrefix(o, "0\t0\n1\t1\n2\t2\n") {
		t.Fatalf("samples: %q", o)
	}
}

// ecg export reads an EDF+ file directly: the same samples and annotations
// as the record ingest makes of it, and CSV of physical values.
func TestExportEDFDirectly(t *testing.T) {
	in, rec := ingestedEDF(t, testTALs)
	for _, args := range [][]string{
		{"--annotator", "atr"},
		{"--physical", "--format", "csv", "--header"},
		{"--from", "1", "--to", "s150", "--signals", "0"},
	} {
		code, direct, e := runECG(t, "", append([]string{"export", in}, args...)...)
		code2, viaRecord, _ := runECG(t, "", append([]string{"export", rec}, args...)...)
		if code != 0 || code2 != 0 || direct != viaRecord || direct == "" {
			t.Errorf("%v: exit %d/%d, stderr %q\ndirect %.200q\nrecord %.200q", args, code, code2, e, direct, viaRecord)
		}
	}
	code, o, _ := runECG(t, "", "export", in, "--physical", "--format", "csv", "--to", "s2")
	// Gain 10,000 per mV: 4 decimals read back exactly (3 printed 0.000).
	if code != 0 || o != "0,0.0000\n1,0.0001\n" {
		t.Errorf("csv: exit %d %q", code, o)
	}
}

// ecg info describes an EDF+ file as the record ingest makes of it (its
// annotations summarised under atr); only the path in the first line
// differs.
func TestInfoEDFDirectly(t *testing.T) {
	in, rec := ingestedEDF(t, testTALs)
	code, direct, e := runECG(t, "", "info", in)
	code2, viaRecord, _ := runECG(t, "", "info", rec)
	_, d, _ := strings.Cut(direct, "\n")
	_, r, _ := strings.Cut(viaRecord, "\n")
	// The record on disk has the checksum its writer computed; in memory
	// the same sum is computed and said so.
	d = strings.Replace(d, "-20686, computed", "-20686, ok", 1)
	if code != 0 || code2 != 0 || d != r || !strings.HasPrefix(direct, "Record holter ("+in+")") || !strings.Contains(d, "Annotations (atr)") {
		t.Errorf("exit %d/%d, stderr %q\ndirect:\n%s\nrecord:\n%s", code, code2, e, direct, viaRecord)
	}
}
