package wfdb

import (
	"bufio"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// readRdsamp parses rdsamp's default output: sample number then one integer
// per signal ("-" for invalid).
func readRdsamp(t *testing.T, path string) [][]int32 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][]int32
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		row := make([]int32, len(fields))
		for i, s := range fields {
			if s == "-" {
				row[i] = InvalidSample
				continue
			}
			v, err := strconv.ParseInt(s, 10, 32)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			row[i] = int32(v)
		}
		rows = append(rows, row)
	}
	return rows
}

func TestReadRecordMitdbExcerpt(t *testing.T) {
	for _, path := range []string{"testdata/mitdb/100s", "testdata/mitdb/100s.hea"} {
		rec, err := ReadRecord(path)
		if err != nil {
			t.Fatal(err)
		}
		h := rec.Header
		if h.Name != "100s" || h.Fs != 360 || h.NSamples != 3600 || len(h.Signals) != 2 {
			t.Fatalf("header: %+v", h)
		}
		if h.Signals[0].Description != "MLII" || h.Signals[1].Description != "V5" ||
			h.Signals[0].Gain != 200 || h.Signals[0].Baseline != 1024 || h.Signals[0].Units != "mV" ||
			h.Signals[0].Format != Format212 || h.Signals[0].ADCResolution != 11 ||
			h.Signals[0].InitialValue != 995 || h.Signals[1].Checksum != 1171 {
			t.Fatalf("signals: %+v", h.Signals)
		}
		want := readRdsamp(t, "testdata/mitdb/100s.rdsamp.txt")
		if rec.NumFrames() != len(want) {
			t.Fatalf("%d frames, rdsamp printed %d", rec.NumFrames(), len(want))
		}
		for s := 0; s < 2; s++ {
			d := rec.Digital(s)
			for i, row := range want {
				if int32(i) != row[0] || d[i] != row[s+1] {
					t.Fatalf("signal %d frame %d: got %d, rdsamp row %v", s, i, d[i], row)
				}
			}
		}
		if err := rec.VerifyChecksums(); err != nil {
			t.Fatal(err)
		}
		p := rec.Physical(0)
		if math.Abs(p[0]-(995.0-1024)/200) > 1e-12 {
			t.Fatalf("physical[0] = %v", p[0])
		}
	}
}

func TestReadRecordRange(t *testing.T) {
	full, err := ReadRecord("testdata/mitdb/100s")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]int64{{0, 1}, {1, 2}, {1, 4}, {7, 3600}, {3599, 3600}, {100, -1}, {3600, 3600}} {
		part, err := ReadRecordRange("testdata/mitdb/100s", r[0], r[1])
		if err != nil {
			t.Fatal(err)
		}
		to := r[1]
		if to < 0 {
			to = 3600
		}
		if part.NumFrames() != int(to-r[0]) {
			t.Fatalf("range %v: %d frames", r, part.NumFrames())
		}
		for s := 0; s < 2; s++ {
			for i, v := range part.Digital(s) {
				if w := full.Digital(s)[int(r[0])+i]; v != w {
					t.Fatalf("range %v signal %d frame %d: %d, want %d", r, s, i, v, w)
				}
			}
		}
	}
}

func writeTestFile(dir, name string, b []byte) error {
	return os.WriteFile(dir+"/"+name, b, 0o644)
}

func TestSignalChecksumsStreaming(t *testing.T) {
	// Every format, several signals per file and samples per frame: the
	// streamed checksums equal those of the samples read whole.
	rng := newRand()
	for _, f := range allFormats {
		dir := t.TempDir()
		h := &Header{Name: "c", Fs: 100, Signals: []SignalSpec{
			{FileName: "c.dat", Format: f, SamplesPerFrame: 2, Gain: 1, Description: "a"},
			{FileName: "c.dat", Format: f, SamplesPerFrame: 2, Gain: 1, Description: "b"},
		}}
		if err := WriteRecord(dir, h, [][]int32{randomSignal(rng, f, 2*70001), randomSignal(rng, f, 2*70001)}); err != nil {
			t.Fatal(err)
		}
		hh, err := ReadHeader(dir + "/c")
		if err != nil {
			t.Fatal(err)
		}
		sums, n, err := hh.SignalChecksums()
		if err != nil || n != 70001 {
			t.Fatalf("format %d: %v, %d frames", f, err, n)
		}
		for s := range sums {
			if sums[s] != hh.Signals[s].Checksum {
				t.Errorf("format %d signal %d: streamed checksum %d, header %d", f, s, sums[s], hh.Signals[s].Checksum)
			}
		}
	}
}
