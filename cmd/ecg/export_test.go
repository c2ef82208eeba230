package main

import (
	"os"
	"strings"
	"testing"
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
		{[]string{"export", "no/such/record"}, ExitError},
		{[]string{"export", excerpt, "--signals", "II"}, ExitUsage},
		{[]string{"export", excerpt, "--from", "x"}, ExitUsage},
		{[]string{"export", excerpt, "--format", "xml"}, ExitUsage},
		{[]string{"export", excerpt, "--from", "2", "--to", "1"}, ExitUsage},
		{[]string{"export", excerpt, "--from", "10"}, ExitUsage}, // the excerpt is 10 s long
		{[]string{"export"}, ExitUsage},
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
