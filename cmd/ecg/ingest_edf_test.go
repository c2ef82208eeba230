package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// edfPlus returns an EDF+C file starting 01.01.20 10.00.00: 3 data records
// of 1 s, an ECG signal of 100 samples per record and an "EDF Annotations"
// signal holding tals[k] in record k.
func edfPlus(tals []string) []byte {
	var b bytes.Buffer
	pad := func(s string, n int) { b.WriteString(s + strings.Repeat(" ", n-len(s))) }
	pad("0", 8)
	pad("X X X X", 80)
	pad("Startdate 01-JAN-2020 X X X", 80)
	pad("01.01.20", 8)
	pad("10.00.00", 8)
	pad("768", 8)
	pad("EDF+C", 44)
	pad(fmt.Sprint(len(tals)), 8)
	pad("1", 8)
	pad("2", 4)
	for _, f := range [][2]string{{"ECG", "EDF Annotations"}} {
		pad(f[0], 16)
		pad(f[1], 16)
	}
	pad("", 160) // transducers
	pad("mV", 8)
	pad("", 8)
	pad("-3.2768", 8)
	pad("-1", 8)
	pad("3.2767", 8)
	pad("1", 8)
	pad("-32768", 8)
	pad("-32768", 8)
	pad("32767", 8)
	pad("32767", 8)
	pad("", 160) // prefilters
	pad("100", 8)
	pad("30", 8)
	pad("", 64)
	for k, tal := range tals {
		for i := 0; i < 100; i++ {
			binary.Write(&b, binary.LittleEndian, int16(100*k+i))
		}
		block := make([]byte, 60)
		copy(block, tal)
		b.Write(block)
	}
	return b.Bytes()
}

// EDF+ annotations reach the WFDB record as comment annotations in
// RECORD.atr, printed as rdann prints them, at the time of day of the EDF
// start time.
func TestIngestEDFPlusAnnotations(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "holter.edf")
	if err := os.WriteFile(in, edfPlus([]string{
		"+0\x14\x14\x00+0.5\x1510\x14Apnea\x14\x00",
		"+1\x14\x14\x00+1.25\x14Button\x14\x00",
		"+2\x14\x14\x00",
	}), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if code, o, e := runECG(t, "", "ingest", in, "--out", out); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, o, e)
	}
	code, o, e := runECG(t, "", "export", filepath.Join(out, "holter"), "--annotator", "atr")
	want := "[10:00:00.500 01/01/2020]       50     \"    0    0    0\tApnea (10 s)\n" +
		"[10:00:01.250 01/01/2020]      125     \"    0    0    0\tButton\n"
	if code != 0 || o != want {
		t.Fatalf("export: exit %d, stderr %q\n%q\nwant\n%q", code, e, o, want)
	}
	code, o, _ = runECG(t, "", "export", filepath.Join(out, "holter"), "--to", "s3", "--signals", "0")
	if code != 0 || !strings.HasPrefix(o, "0\t0\n1\t1\n2\t2\n") {
		t.Fatalf("samples: %q", o)
	}
}
