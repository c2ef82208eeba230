package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

const excerpt = "../../datasets/wfdb/testdata/mitdb/100s"

func TestExportDigitalMatchesRdsampGolden(t *testing.T) {
	code, out, errOut := runECG(t, "", "export", excerpt)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden, err := os.ReadFile(excerpt + ".rdsamp.txt")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	want := strings.Split(strings.TrimSpace(string(golden)), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d rows, rdsamp printed %d", len(got), len(want))
	}
	for i := range want {
		if strings.Join(strings.Fields(got[i]), " ") != strings.Join(strings.Fields(want[i]), " ") {
			t.Fatalf("row %d: %q, rdsamp %q", i, got[i], want[i])
		}
	}
}

func TestExportOptions(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--from", "s1", "--to", "s3"}, "1\t995\t1011\n2\t995\t1011\n"},
		{[]string{"--from", "1", "--to", "s362", "--signals", "V5,0", "--format", "csv", "--header"}, "sample,V5,MLII\n360,983,917\n361,1008,923\n"},
		{[]string{"--to", "s1", "--physical", "--format", "json"}, `{"sample":0,"values":[-0.145,-0.065]}` + "\n"},
		{[]string{"--from", "s3599"}, "3599\t943\t967\n"},
	}
	for _, c := range cases {
		code, out, errOut := runECG(t, "", append([]string{"export", excerpt}, c.args...)...)
		if code != 0 || out != c.want {
			t.Errorf("%v: exit %d, out %q, want %q (stderr %q)", c.args, code, out, c.want, errOut)
		}
	}
}

func TestExportErrors(t *testing.T) {
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"export", "no/such/record"}, cmdutil.ExitError},
		{[]string{"export", excerpt, "--signals", "II"}, cmdutil.ExitUsage},
		{[]string{"export", excerpt, "--from", "x"}, cmdutil.ExitUsage},
		{[]string{"export", excerpt, "--format", "xml"}, cmdutil.ExitUsage},
		{[]string{"export", excerpt, "--from", "2", "--to", "1"}, cmdutil.ExitUsage},
		{[]string{"export", excerpt, "--from", "10"}, cmdutil.ExitUsage}, // the excerpt is 10 s long
		{[]string{"export"}, cmdutil.ExitUsage},
	}
	for _, c := range cases {
		code, _, errOut := runECG(t, "", c.args...)
		if code != c.code || !strings.HasPrefix(errOut, "ecg export: ") {
			t.Errorf("%v: exit %d (want %d), stderr %q", c.args, code, c.code, errOut)
		}
	}
}

func TestExportAnnotations(t *testing.T) {
	code, out, errOut := runECG(t, "", "export", excerpt, "--annotator", "atr", "--to", "s370")
	want := "    0:00.050       18     +    0    0    0\t(N\n    0:00.214       77     N    0    0    0\n    0:01.028      370     N    0    0    0\n"
	if code != 0 || out != want {
		t.Fatalf("exit %d, out %q, want %q (%s)", code, out, want, errOut)
	}
}

func TestExportCSVHeaderQuoting(t *testing.T) {
	dir := t.TempDir()
	hea := "q 2 100 2\nq.dat 16 200 16 0 0 0 0 Lead, \"II\"\nq.dat 16 200 16 0 0 0 0 V5\n"
	if err := os.WriteFile(dir+"/q.hea", []byte(hea), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir+"/q.dat", []byte{1, 0, 2, 0, 3, 0, 4, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runECG(t, "", "export", dir+"/q", "--format", "csv", "--header")
	want := "sample,\"Lead, \"\"II\"\"\",V5\n0,1,2\n1,3,4\n"
	if code != 0 || out != want {
		t.Fatalf("exit %d, out %q, want %q (%s)", code, out, want, errOut)
	}
	code, out, _ = runECG(t, "", "export", dir+"/q", "--format", "text")
	if code != 0 || out != "0\t1\t2\n1\t3\t4\n" {
		t.Fatalf("--format text: exit %d, out %q", code, out)
	}
}

// writeMultiSegment writes a variable-layout multi-segment record "m"
// (layout header, two segments, a null segment) and a fixed-layout one "f"
// into dir.
func writeMultiSegment(t *testing.T, dir string) {
	t.Helper()
	spec := func(file string, format wfdb.Format, gain float64, base int32, desc string) wfdb.SignalSpec {
		return wfdb.SignalSpec{FileName: file, Format: format, SamplesPerFrame: 1, Gain: gain, Baseline: base, ADCZero: base,
			Units: "mV", ADCResolution: 12, Description: desc}
	}
	a := &wfdb.Header{Name: "s_a", Fs: 360, Signals: []wfdb.SignalSpec{spec("s_a.dat", 212, 200, 1024, "MLII"), spec("s_a.dat", 212, 200, 1024, "V5")}}
	if err := wfdb.WriteRecord(dir, a, [][]int32{{1000, 1001, -5, 2047, -2047, 3}, {0, 1, 2, 3, 4, 5}}); err != nil {
		t.Fatal(err)
	}
	b := &wfdb.Header{Name: "s_b", Fs: 360, Signals: []wfdb.SignalSpec{spec("s_b.dat", 16, 200, 1024, "MLII"), spec("s_b.dat", 16, 200, 1024, "V5")}}
	if err := wfdb.WriteRecord(dir, b, [][]int32{{7, 8, 9, 10}, {-3, -2, -1, 0}}); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"m_layout.hea": "m_layout 2 360 0\n~ 0 200(1024)/mV 12 1024 0 0 0 MLII\n~ 0 200(1024)/mV 12 1024 0 0 0 V5\n",
		"m.hea":        "m/4 2 360 13\nm_layout 0\ns_a 6\n~ 3\ns_b 4\n",
		"f.hea":        "f/3 2 360 13\r\ns_a 6\r\n~ 3\r\ns_b 4\r\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Signals of a multi-segment record are picked by index or name as those
// of a single-segment one (issue 19: the master header has none).
func TestExportMultiSegmentSignals(t *testing.T) {
	dir := t.TempDir()
	writeMultiSegment(t, dir)
	for _, name := range []string{"m", "f"} {
		rec := filepath.Join(dir, name)
		_, all, _ := runECG(t, "", "export", rec)
		code, swapped, errOut := runECG(t, "", "export", rec, "--signals", "1,0")
		if code != 0 {
			t.Fatalf("%s --signals 1,0: exit %d: %s", name, code, errOut)
		}
		code, v5, errOut := runECG(t, "", "export", rec, "--signals", "v5")
		if code != 0 {
			t.Fatalf("%s --signals v5: exit %d: %s", name, code, errOut)
		}
		rowsAll, rowsSw, rowsV5 := strings.Split(all, "\n"), strings.Split(swapped, "\n"), strings.Split(v5, "\n")
		if len(rowsAll) != 14 || len(rowsSw) != len(rowsAll) || len(rowsV5) != len(rowsAll) {
			t.Fatalf("%s: %d, %d and %d rows, want 13 each:\n%s", name, len(rowsAll)-1, len(rowsSw)-1, len(rowsV5)-1, all)
		}
		for i := 0; i < 13; i++ {
			f, s, v := strings.Fields(rowsAll[i]), strings.Fields(rowsSw[i]), strings.Fields(rowsV5[i])
			if len(f) != 3 || len(s) != 3 || len(v) != 2 || s[1] != f[2] || s[2] != f[1] || v[1] != f[2] {
				t.Fatalf("%s row %d: all %q, 1,0 %q, v5 %q", name, i, rowsAll[i], rowsSw[i], rowsV5[i])
			}
		}
		if code, _, errOut := runECG(t, "", "export", rec, "--signals", "V1"); code != cmdutil.ExitUsage || !strings.Contains(errOut, "0=MLII, 1=V5") {
			t.Errorf("%s --signals V1: exit %d, %s", name, code, errOut)
		}
	}
}

// Physical values in CSV and JSON read back as the digital values whatever
// the gain; tsv keeps rdsamp -p's 3 decimals unless --precision says
// otherwise (issue 19: a gain of 1,000+ units per mV lost information).
func TestExportPhysicalLossless(t *testing.T) {
	dir := t.TempDir()
	h := &wfdb.Header{Name: "g", Fs: 500, Signals: []wfdb.SignalSpec{
		{FileName: "g.dat", Format: 16, SamplesPerFrame: 1, Gain: 1310.72, Baseline: -7, Units: "mV", ADCResolution: 16, Description: "ECG"},
		{FileName: "g.dat", Format: 16, SamplesPerFrame: 1, Gain: 200, Units: "mV", ADCResolution: 16, Description: "V5"},
	}}
	n := 400
	data := [][]int32{make([]int32, n), make([]int32, n)}
	for i := range n {
		data[0][i] = int32((i*7919)%20001 - 10000)
		data[1][i] = int32(i%41 - 20)
	}
	if err := wfdb.WriteRecord(dir, h, data); err != nil {
		t.Fatal(err)
	}
	rec := filepath.Join(dir, "g")
	for _, format := range []string{"csv", "json", "tsv"} {
		code, out, errOut := runECG(t, "", "export", rec, "--physical", "--format", format)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		rows := strings.Split(strings.TrimSpace(out), "\n")
		if len(rows) != n {
			t.Fatalf("%s: %d rows", format, len(rows))
		}
		lost := 0
		for i, row := range rows {
			row = strings.NewReplacer(`{"sample":`, "", `,"values":[`, ",", "]}", "", "\t", ",").Replace(row)
			f := strings.Split(row, ",")
			for s := range 2 {
				x, err := strconv.ParseFloat(f[s+1], 64)
				if err != nil {
					t.Fatalf("%s row %d: %q", format, i, rows[i])
				}
				if got := int32(math.Round(x*h.Signals[s].Gain)) + h.Signals[s].Baseline; got != data[s][i] {
					lost++
				}
				if s == 1 && format != "tsv" && len(f[s+1]) > 0 && strings.Count(f[s+1], ".") == 1 && len(strings.Split(f[s+1], ".")[1]) != 3 {
					t.Fatalf("%s row %d: gain 200 printed %q, want 3 decimals", format, i, f[s+1])
				}
			}
		}
		if format != "tsv" && lost > 0 {
			t.Errorf("%s: %d values do not read back", format, lost)
		}
		if format == "tsv" && lost == 0 {
			t.Errorf("tsv: 3 decimals at gain 1310.72 read back exactly; the test lost its point")
		}
	}
	_, out, _ := runECG(t, "", "export", rec, "--physical", "--precision", "8", "--to", "s2")
	if want := "0\t-0.00000000\t0.00000000\n"; !strings.HasPrefix(out, "0\t") || len(strings.Fields(strings.Split(out, "\n")[0])[1]) < 10 {
		t.Errorf("--precision 8: %q, want 8 decimals like %q", out, want)
	}
	if code, _, _ := runECG(t, "", "export", rec, "--physical", "--precision", "18"); code != cmdutil.ExitUsage {
		t.Errorf("--precision 18: exit %d, want %d", code, cmdutil.ExitUsage)
	}
}
