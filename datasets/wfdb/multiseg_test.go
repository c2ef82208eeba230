package wfdb

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// makeMultiSegment writes a variable-layout record "m" (layout, a 212
// segment, a null segment, a 16-bit segment with one signal at another
// gain) and a fixed-layout record "f" into dir.
func makeMultiSegment(t *testing.T, dir string) (a, b [][]int32) {
	t.Helper()
	a = [][]int32{{1000, 1001, -5, 2047, InvalidSample, -2047, 3}, {0, 1, 2, 3, 4, 5, 6}}
	ha := &Header{Name: "s_a", Fs: 360, Signals: []SignalSpec{
		{FileName: "s_a.dat", Format: 212, SamplesPerFrame: 1, Gain: 200, Baseline: 1024, ADCZero: 1024, Units: "mV", ADCResolution: 11, Description: "MLII"},
		{FileName: "s_a.dat", Format: 212, SamplesPerFrame: 1, Gain: 200, Baseline: 1024, ADCZero: 1024, Units: "mV", ADCResolution: 11, Description: "V5"},
	}}
	if err := WriteRecord(dir, ha, a); err != nil {
		t.Fatal(err)
	}
	ha.Name = "s_a2"
	ha.Signals[0].FileName, ha.Signals[1].FileName = "s_a2.dat", "s_a2.dat"
	if err := WriteRecord(dir, ha, [][]int32{a[0][:5], a[1][:5]}); err != nil {
		t.Fatal(err)
	}
	b = [][]int32{{-3, -2, -1, 0, 1}}
	hb := &Header{Name: "s_b", Fs: 360, Signals: []SignalSpec{
		{FileName: "s_b.dat", Format: 16, SamplesPerFrame: 1, Gain: 400, Baseline: 0, Units: "mV", ADCResolution: 16, Description: "V5"},
	}}
	if err := WriteRecord(dir, hb, b); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"m_layout.hea": "m_layout 2 360 0\n~ 0 200(1024)/mV 11 0 0 0 0 MLII\n~ 0 200(1024)/mV 11 0 0 0 0 V5\n",
		"m.hea":        "m/4 2 360 15\nm_layout 0\ns_a 7\n~ 3\ns_b 5\n",
		"f.hea":        "f/3 2 360 15\r\ns_a 7\r\n# comment\r\n~ 3\r\ns_a2 5\r\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return a, b
}

func TestMultiSegment(t *testing.T) {
	dir := t.TempDir()
	a, b := makeMultiSegment(t, dir)
	const X = InvalidSample
	// Variable layout: s_b's V5 (gain 400, baseline 0) is rescaled to gain
	// 200, baseline 1024: floor(v/2 + 1024 + 0.5).
	wantM := [][]int32{
		append(append(append([]int32{}, a[0]...), X, X, X), X, X, X, X, X),
		append(append(append([]int32{}, a[1]...), X, X, X), 1023, 1023, 1024, 1024, 1025),
	}
	wantF := [][]int32{
		append(append(append([]int32{}, a[0]...), X, X, X), a[0][:5]...),
		append(append(append([]int32{}, a[1]...), X, X, X), a[1][:5]...),
	}
	_ = b
	for name, want := range map[string][][]int32{"m": wantM, "f": wantF} {
		rec, err := ReadRecord(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if rec.NumFrames() != 15 || rec.NumSignals() != 2 || rec.Header.Signals[1].Description != "V5" {
			t.Fatalf("%s: %d frames, %d signals", name, rec.NumFrames(), rec.NumSignals())
		}
		for s := range want {
			for i, v := range rec.Digital(s) {
				if v != want[s][i] {
					t.Fatalf("%s signal %d frame %d: %d, want %d (all %v)", name, s, i, v, want[s][i], rec.Digital(s))
				}
			}
		}
		if err := rec.VerifyChecksums(); err != nil {
			t.Error(err)
		}
		if p := rec.Physical(0); !math.IsNaN(p[8]) {
			t.Errorf("%s: null segment physical %v, want NaN", name, p[8])
		}
		// A window across segment boundaries.
		part, err := ReadRecordRange(filepath.Join(dir, name), 5, 12)
		if err != nil {
			t.Fatal(err)
		}
		for s := range want {
			for i, v := range part.Digital(s) {
				if v != want[s][5+i] {
					t.Fatalf("%s [5,12) signal %d frame %d: %d, want %d", name, s, i, v, want[s][5+i])
				}
			}
		}
	}
}

func TestConformanceMultiSegment(t *testing.T) {
	needTools(t, "rdsamp")
	dir := t.TempDir()
	makeMultiSegment(t, dir)
	for _, name := range []string{"m", "f"} {
		rows := parseRdsampRows(t, refdata.Run(t, dir, "rdsamp", "-r", name))
		rec, err := ReadRecord(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		// rdsamp prints WFDB's invalid value -32768 for invalid samples.
		for _, row := range rows {
			for i := range row {
				if row[i] == -32768 {
					row[i] = InvalidSample
				}
			}
		}
		compareDigital(t, name, rec, rows)
	}
}

// The signals of a multi-segment record are those of its layout segment
// or of its first segment, so that they can be picked by name or index
// (issue 19: the master header has no signal lines).
func TestSignalNamesMultiSegment(t *testing.T) {
	dir := t.TempDir()
	makeMultiSegment(t, dir)
	for _, name := range []string{"m", "f"} {
		h, err := ReadHeader(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Signals) != 0 {
			t.Fatalf("%s: master header has %d signals", name, len(h.Signals))
		}
		names, err := h.SignalNames()
		if err != nil || len(names) != 2 || names[0] != "MLII" || names[1] != "V5" {
			t.Fatalf("%s: SignalNames = %v, %v; want [MLII V5]", name, names, err)
		}
		sigs, err := h.RecordSignals()
		if err != nil || sigs[0].HasChecksum || sigs[0].Gain != 200 {
			t.Fatalf("%s: RecordSignals = %+v, %v", name, sigs, err)
		}
	}
	os.Remove(filepath.Join(dir, "m_layout.hea"))
	h, err := ReadHeader(filepath.Join(dir, "m"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.SignalNames(); err == nil {
		t.Error("SignalNames without the layout header: no error")
	}
}
