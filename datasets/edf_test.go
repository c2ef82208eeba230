package datasets

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/edftest"
	"github.com/ecgkit/ecg/internal/refdata"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// makeEDF builds an EDF file: signals with their samples per record,
// physical and digital ranges, and nrec data records of values f(s, i).
func makeEDF(labels []string, nsamp []int, pmin, pmax []float64, dmin, dmax []int, nrec int, dur float64, f func(s, i int) int16) []byte {
	sigs := make([]edftest.Signal, len(labels))
	for i := range sigs {
		sigs[i] = edftest.Signal{Label: labels[i], Units: "uV", PhysMin: pmin[i], PhysMax: pmax[i], DigMin: dmin[i], DigMax: dmax[i], NSamples: nsamp[i]}
	}
	return edftest.Build(edftest.File{StartDate: "01.01.20", StartTime: "10.00.00", Records: nrec, Duration: dur, Signals: sigs}, f)
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
	f.Add(makeEDFPlus("EDF+C", 10, 8, 1, []string{"+0\x14\x14\x00+0.5\x151\x14A\x14\x00", "+1\x14\x14\x00"}))
	f.Add(makeEDFPlus("EDF+D", 10, 8, 1, []string{"+0\x14\x14\x00", "+2.5\x14\x14B\x14\x00"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := ReadEDF(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		if h, d, err := rec.ToWFDB("r"); err == nil && len(d) > 0 {
			n := int64(len(d[0]) / h.Signals[0].SamplesPerFrame)
			for _, a := range rec.WFDBAnnotations(h.Fs, n) {
				if a.Sample < 0 || a.Sample >= max(n, 1) || len(a.Aux) > 255 {
					t.Fatalf("annotation %+v outside %d frames", a, n)
				}
			}
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

// makeEDFPlus builds an EDF+ file (reserved "EDF+C" or "EDF+D") with one
// ECG signal of ecgPer samples per record (value: the sample index) and
// an "EDF Annotations" signal of annPer samples holding tals[k] in record
// k (padded with NUL bytes).
func makeEDFPlus(reserved string, ecgPer, annPer int, dur float64, tals []string) []byte {
	ann := edftest.Annotations(tals, annPer)
	return edftest.Build(edftest.File{Reserved: reserved, StartDate: "01.01.20", StartTime: "10.00.00", Records: len(tals), Duration: dur,
		Signals: []edftest.Signal{
			{Label: "ECG", Units: "uV", PhysMin: -3276.8, PhysMax: 3276.7, DigMin: -32768, DigMax: 32767, NSamples: ecgPer},
			{Label: "EDF Annotations", PhysMin: -1, PhysMax: 1, DigMin: -32768, DigMax: 32767, NSamples: annPer},
		}}, func(s, i int) int16 {
		if s == 0 {
			return int16(i)
		}
		return ann(i)
	})
}

func TestReadEDFPlusAnnotations(t *testing.T) {
	data := makeEDFPlus("EDF+C", 100, 30, 1, []string{
		"+0\x14\x14\x00+0.5\x1510\x14Apnea\x14\x00",
		"+1\x14\x14\x00+1.25\x14Button\x14Second\x14\x00",
		"+2\x14\x14\x00",
	})
	rec, err := ReadEDF(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	want := []EDFAnnotation{{0.5, 10, "Apnea"}, {1.25, -1, "Button"}, {1.25, -1, "Second"}}
	if fmt.Sprint(rec.Annotations) != fmt.Sprint(want) || fmt.Sprint(rec.Starts) != "[0 1 2]" {
		t.Fatalf("annotations %v starts %v", rec.Annotations, rec.Starts)
	}
	h, d, err := rec.ToWFDB("p")
	if err != nil || len(d[0]) != 300 || h.Fs != 100 {
		t.Fatalf("ToWFDB: %v, %d samples", err, len(d[0]))
	}
	anns := rec.WFDBAnnotations(h.Fs, 300)
	if len(anns) != 3 || anns[0].Sample != 50 || anns[0].Aux != "Apnea (10 s)" || anns[0].Type != wfdb.Note ||
		anns[1].Sample != 125 || anns[1].Aux != "Button" || anns[2].Aux != "Second" {
		t.Fatalf("WFDB annotations %+v", anns)
	}

	// EDF+D: the third data record starts at 3.5 s, 1.5 s after the
	// second ends: its samples go to 350-449, 200-349 are invalid.
	data = makeEDFPlus("EDF+D", 100, 30, 1, []string{"+0\x14\x14\x00", "+1\x14\x14\x00", "+3.5\x14\x14\x00+3.6\x14late\x14\x00"})
	rec, err = ReadEDF(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	h, d, err = rec.ToWFDB("d")
	if err != nil || len(d[0]) != 450 {
		t.Fatalf("EDF+D: %v, %d samples", err, len(d[0]))
	}
	for i, v := range d[0] {
		want := int32(i)
		switch {
		case i >= 200 && i < 350:
			want = wfdb.InvalidSample
		case i >= 350:
			want = int32(i - 150)
		}
		if v != want {
			t.Fatalf("EDF+D sample %d: %d, want %d", i, v, want)
		}
	}
	if a := rec.WFDBAnnotations(h.Fs, 450); len(a) != 1 || a[0].Sample != 360 {
		t.Fatalf("EDF+D annotation %+v", a)
	}

	for _, tc := range []struct {
		reserved string
		tals     []string
		want     string
	}{
		{"EDF+D", []string{"+0\x14\x14\x00", "+0.5\x14\x14\x00"}, "before data record 1 ends"},
		{"EDF+C", []string{"0\x14\x14\x00"}, "data record 1 of 1, signal 1 (EDF Annotations): annotation onset"},
		{"EDF+C", []string{"+0\x14\x14\x00+1x\x14a\x14\x00"}, "annotation onset"},
		{"EDF+C", []string{"+0\x14\x14\x00+1\x15-2\x14a\x14\x00"}, "annotation duration"},
		{"EDF+C", []string{"+0\x14\x14\x00+1\x14no end"}, "want +onset"},
		{"EDF+C", []string{"+0\x14\x14\x00+1\x14" + strings.Repeat("x", 60)}, "not ended by a NUL"},
		{"EDF+D", []string{"+0\x14\x14\x00", "+999999999\x14\x14\x00"}, "more than"},
	} {
		data := makeEDFPlus(tc.reserved, 100, 30, 1, tc.tals)
		rec, err := ReadEDF(bytes.NewReader(data), int64(len(data)))
		if err == nil {
			_, _, err = rec.ToWFDB("x")
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.tals, err, tc.want)
		}
	}
	// Plain EDF: an "EDF Annotations" label carries no TALs to parse.
	data = makeEDFPlus("", 100, 30, 1, []string{"garbage"})
	if rec, err := ReadEDF(bytes.NewReader(data), int64(len(data))); err != nil || len(rec.Annotations) != 0 {
		t.Fatalf("plain EDF: %v", err)
	}
}

// Texts longer than AUX's 255 bytes are cut before the character that
// byte 255 falls in.
func TestEDFAnnotationLongText(t *testing.T) {
	long := strings.Repeat("a", 254) + "é" + strings.Repeat("b", 40) // é is bytes 254-255
	rec := &EDFRecord{Annotations: []EDFAnnotation{{Onset: 0, Duration: -1, Text: long}}, Starts: []float64{0}}
	a := rec.WFDBAnnotations(100, 10)
	if len(a) != 1 || a[0].Aux != strings.Repeat("a", 254) {
		t.Fatalf("aux %q (%d bytes)", a[0].Aux, len(a[0].Aux))
	}
}
