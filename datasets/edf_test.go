package datasets

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// makeEDF builds an EDF file: signals with their samples per record,
// physical and digital ranges, and nrec data records of values f(s, i).
func makeEDF(labels []string, nsamp []int, pmin, pmax []float64, dmin, dmax []int, nrec int, dur float64, f func(s, i int) int16) []byte {
	ns := len(labels)
	var b bytes.Buffer
	pad := func(s string, n int) { b.WriteString(s + strings.Repeat(" ", n-len(s))) }
	pad("0", 8)
	pad("X X X X", 80)
	pad("Startdate 01-JAN-2020 X X X", 80)
	pad("01.01.20", 8)
	pad("10.00.00", 8)
	pad(fmt.Sprint(256*(ns+1)), 8)
	pad("", 44)
	pad(fmt.Sprint(nrec), 8)
	pad(fmt.Sprint(dur), 8)
	pad(fmt.Sprint(ns), 4)
	each := func(w int, v func(i int) string) {
		for i := 0; i < ns; i++ {
			pad(v(i), w)
		}
	}
	each(16, func(i int) string { return labels[i] })
	each(80, func(int) string { return "AgAgCl electrode" })
	each(8, func(int) string { return "uV" })
	each(8, func(i int) string { return fmt.Sprint(pmin[i]) })
	each(8, func(i int) string { return fmt.Sprint(pmax[i]) })
	each(8, func(i int) string { return fmt.Sprint(dmin[i]) })
	each(8, func(i int) string { return fmt.Sprint(dmax[i]) })
	each(80, func(int) string { return "HP:0.1Hz" })
	each(8, func(i int) string { return fmt.Sprint(nsamp[i]) })
	each(32, func(int) string { return "" })
	count := make([]int, ns)
	for r := 0; r < nrec; r++ {
		for s := 0; s < ns; s++ {
			for j := 0; j < nsamp[s]; j++ {
				binary.Write(&b, binary.LittleEndian, f(s, count[s]))
				count[s]++
			}
		}
	}
	return b.Bytes()
}

func TestReadEDFToWFDB(t *testing.T) {
	val := func(s, i int) int16 { return int16((i*37+s*1000)%4000 - 2000) }
	data := makeEDF([]string{"ECG I", "Pleth", "EDF Annotations"}, []int{500, 125, 30},
		[]float64{-3276.8, 0, -1}, []float64{3276.7, 100, 1}, []int{-32768, -2048, -32768}, []int{32767, 2047, 32767}, 3, 2, val)
	rec, err := ReadEDF(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	h := rec.Header
	if len(h.Signals) != 3 || h.Fs(0) != 250 || h.Fs(1) != 62.5 || !h.Signals[2].Annotations || len(rec.Digital[0]) != 1500 {
		t.Fatalf("header %+v", h)
	}
	wh, wd, err := rec.ToWFDB("edf")
	if err != nil {
		t.Fatal(err)
	}
	// gcd(500, 125) = 125 frames per 2-s record: 62.5 Hz frames, 4 and 1
	// samples per frame.
	if wh.Fs != 62.5 || len(wh.Signals) != 2 || wh.Signals[0].SamplesPerFrame != 4 || wh.Signals[1].SamplesPerFrame != 1 {
		t.Fatalf("wfdb header %+v", wh)
	}
	if g := wh.Signals[0].Gain; g != 65535/6553.5 || wh.Signals[0].Baseline != 0 {
		t.Errorf("ECG gain %v baseline %v", g, wh.Signals[0].Baseline)
	}
	if g := wh.Signals[1].Gain; g != 40.95 || wh.Signals[1].Baseline != -2048 {
		t.Errorf("Pleth gain %v baseline %v", g, wh.Signals[1].Baseline)
	}
	for i, v := range wd[1] {
		if v != int32(val(1, i)) {
			t.Fatalf("sample %d: %d", i, v)
		}
	}
	// Truncated file, lying header, bad fields.
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{data[:len(data)-1], "truncated"},
		{data[:300], "header bytes"},
		{append([]byte("1       "), data[8:]...), "version"},
		{bytes.Replace(data, []byte("-2048   "), []byte("x       "), 1), "digital minimum"},
	} {
		_, err := ReadEDF(bytes.NewReader(tc.data), int64(len(tc.data)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

func FuzzEDF(f *testing.F) {
	val := func(s, i int) int16 { return int16(i - s) }
	f.Add(makeEDF([]string{"A", "B"}, []int{4, 2}, []float64{-1, 0}, []float64{1, 10}, []int{-100, 0}, []int{100, 1000}, 2, 1, val))
	f.Add(makeEDF([]string{"EDF Annotations"}, []int{3}, []float64{-1}, []float64{1}, []int{-32768}, []int{32767}, 1, 0, val))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ReadEDF(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for i, s := range rec.Header.Signals {
			if !s.Annotations && len(rec.Digital[i]) != s.NSamples*rec.Header.NumRecords {
				t.Fatalf("signal %d: %d samples", i, len(rec.Digital[i]))
			}
		}
		rec.ToWFDB("r")
	})
}

// TestConformanceEDF2MIT converts an EDF file with WFDB's edf2mit and with
// ReadEDF/ToWFDB and compares the digital samples rdsamp -H reads from both
// records (gains and baselines differ by design, see ToWFDB).
func TestConformanceEDF2MIT(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") != "1" {
		t.Skip("set ECG_CONFORMANCE=1 to compare with edf2mit")
	}
	refdata.NeedTools(t, "edf2mit", "rdsamp")
	dir := t.TempDir()
	val := func(s, i int) int16 { return int16((i*7919+s*104729)%65536 - 32768) }
	data := makeEDF([]string{"ECG I", "ECG II", "Resp"}, []int{512, 512, 32},
		[]float64{-3276.8, -5000, -1}, []float64{3276.7, 5000, 1}, []int{-32768, -32767, -2048}, []int{32767, 32767, 2047}, 20, 1, val)
	if err := os.WriteFile(filepath.Join(dir, "x.edf"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(name string, args ...string) string {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "WFDB=.")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return string(out)
	}
	run("edf2mit", "-i", "x.edf", "-r", "theirs")
	rec, err := ReadEDF(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	h, d, err := rec.ToWFDB("ours")
	if err != nil {
		t.Fatal(err)
	}
	if err := wfdb.WriteRecord(dir, h, d); err != nil {
		t.Fatal(err)
	}
	theirs, ours := run("rdsamp", "-r", "theirs", "-H"), run("rdsamp", "-r", "ours", "-H")
	if theirs != ours || len(ours) < 10000 {
		t.Fatalf("rdsamp -H differs (%d vs %d bytes)", len(theirs), len(ours))
	}
}
