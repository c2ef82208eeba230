package wfdb

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// allFormats lists every format WriteRecord encodes.
var allFormats = []Format{Format8, Format16, Format24, Format32, Format61, Format80, Format160, Format212, Format310, Format311, FormatFLAC8, FormatFLAC16, FormatFLAC24}

// randomSignal returns n values within f's range, with some invalid ones
// (except for format 8, which cannot store them) and for format 8 steps
// small enough to survive the 8-bit differences.
func randomSignal(rng *rand.Rand, f Format, n int) []int32 {
	lo, hi := f.Range()
	x := make([]int32, n)
	if f == Format8 {
		acc := int32(rng.IntN(2000) - 1000)
		for i := range x {
			acc += int32(rng.IntN(255) - 127)
			x[i] = acc
		}
		return x
	}
	for i := range x {
		switch r := rng.IntN(20); {
		case r == 0:
			x[i] = InvalidSample
		case r == 1:
			x[i] = lo
		case r == 2:
			x[i] = hi
		default:
			x[i] = lo + int32(rng.Int64N(int64(hi)-int64(lo)+1))
		}
	}
	return x
}

func TestWriteReadRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, f := range allFormats {
		for _, nframes := range []int{0, 1, 2, 3, 4, 5, 1001} {
			dir := t.TempDir()
			spf := []int{1, 2, 1}
			if f.IsFLAC() {
				spf = []int{2, 2, 2}
			}
			h := &Header{Name: "rt", Fs: 250, Comments: []string{" made by a test"}}
			data := make([][]int32, 3)
			for s := range data {
				h.Signals = append(h.Signals, SignalSpec{
					FileName: "rt.dat", Format: f, SamplesPerFrame: spf[s], Gain: 100 + float64(s),
					Baseline: int32(s), Units: "mV", ADCResolution: 12, ADCZero: 0, Description: "sig " + string(rune('A'+s)),
				})
				data[s] = randomSignal(rng, f, nframes*spf[s])
			}
			// The third signal goes to its own file with a byte offset.
			h.Signals[2].FileName = "rt_2.dat"
			h.Signals[2].ByteOffset = 5
			if err := WriteRecord(dir, h, data); err != nil {
				t.Fatalf("format %d, %d frames: %v", f, nframes, err)
			}
			rec, err := ReadRecord(filepath.Join(dir, "rt"))
			if err != nil {
				t.Fatalf("format %d, %d frames: %v", f, nframes, err)
			}
			if rec.NumFrames() != nframes {
				t.Fatalf("format %d: %d frames, wrote %d", f, rec.NumFrames(), nframes)
			}
			for s := range data {
				if got := rec.HighRes(s); !reflect.DeepEqual(got, data[s]) && !(len(got) == 0 && len(data[s]) == 0) {
					t.Fatalf("format %d, %d frames, signal %d: read %v, wrote %v", f, nframes, s, got[:min(len(got), 8)], data[s][:min(len(data[s]), 8)])
				}
			}
			if err := rec.VerifyChecksums(); err != nil {
				t.Fatalf("format %d: %v", f, err)
			}
			for s := range h.Signals {
				g, w := rec.Header.Signals[s], h.Signals[s]
				if g.Gain != w.Gain || g.Baseline != w.Baseline || g.Description != w.Description || g.SamplesPerFrame != w.SamplesPerFrame || g.ByteOffset != w.ByteOffset {
					t.Fatalf("format %d signal %d: header read back as %+v, wrote %+v", f, s, g, w)
				}
			}
		}
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	texts := []string{
		"100 2 360 650000\r\n100.dat 212 200 11 1024 995 -22131 0 MLII\r\n100.dat 212 200 11 1024 1011 20052 0 V5\r\n# 69 M 1085 1629 x1\r\n",
		"rec 3 128/1000(5) 0 10:20:30.5 31/12/1999\nrec.dat 16x4:2+24 200.5(-3)/uV 16 1 2 3 4 ECG lead II\n\n# between\nrec.dat 16 0 12 0 0\nb.dat 80 1/mmHg\n",
		"multi/3 2 250 3000\nmulti_layout 0\n~ 1000\nseg2 2000\n#end\n",
	}
	for _, text := range texts {
		h, err := ParseHeader([]byte(text), "t.hea")
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		var buf bytes.Buffer
		if err := WriteHeader(&buf, h); err != nil {
			t.Fatal(err)
		}
		h2, err := ParseHeader(buf.Bytes(), "t2.hea")
		if err != nil {
			t.Fatalf("%q: %v", buf.String(), err)
		}
		if !reflect.DeepEqual(h, h2) {
			t.Errorf("round trip of %q:\n wrote %q\n read %+v\n want %+v", text, buf.String(), h2, h)
		}
	}
}

// TestNewRecordMatchesDisk: a record made in memory reads like the same
// header and samples written and read back, including a signal with two
// samples per frame and invalid samples; bad layouts are refused.
func TestNewRecordMatchesDisk(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	h := &Header{Name: "mem", Fs: 250, Signals: []SignalSpec{
		{FileName: "mem.dat", Format: Format16, Gain: 200, Baseline: 10, Units: "mV", Description: "II"},
		{FileName: "mem.dat", Format: Format16, Gain: 100, SamplesPerFrame: 2, Units: "mV", Description: "V1"},
	}}
	data := [][]int32{randomSignal(rng, Format16, 500), randomSignal(rng, Format16, 1000)}
	mem, err := NewRecord(h, data)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteRecord(dir, h, data); err != nil {
		t.Fatal(err)
	}
	disk, err := ReadRecord(filepath.Join(dir, "mem"))
	if err != nil {
		t.Fatal(err)
	}
	if mem.NumFrames() != 500 || disk.NumFrames() != 500 || mem.Header.NSamples != 500 {
		t.Fatalf("frames: memory %d (header %d), disk %d", mem.NumFrames(), mem.Header.NSamples, disk.NumFrames())
	}
	for s := range 2 {
		if !reflect.DeepEqual(mem.HighRes(s), disk.HighRes(s)) || !reflect.DeepEqual(mem.Digital(s), disk.Digital(s)) {
			t.Errorf("signal %d: samples differ between memory and disk", s)
		}
		pm, pd := mem.Physical(s), disk.Physical(s)
		for i := range pm {
			if pm[i] != pd[i] && !(pm[i] != pm[i] && pd[i] != pd[i]) { // NaN == NaN
				t.Fatalf("signal %d frame %d: physical %v, disk %v", s, i, pm[i], pd[i])
			}
		}
	}
	if h.NSamples != 0 || h.Signals[0].SamplesPerFrame != 0 {
		t.Errorf("NewRecord changed the caller's header: %+v", h)
	}
	for _, bad := range [][][]int32{
		{data[0]},                // one signal missing
		{data[0], data[1][:999]}, // not whole frames
		{data[0][:400], data[1]}, // frame counts differ
	} {
		if _, err := NewRecord(h, bad); err == nil {
			t.Errorf("NewRecord accepted %d signals of %v samples", len(bad), []int{len(bad[0])})
		}
	}
}

// WriteRecordTo writes to any writers the bytes WriteRecord writes to a
// directory; a record with two signal files is refused, naming it.
func TestWriteRecordTo(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(7, 8))
	for _, f := range allFormats {
		data := [][]int32{randomSignal(rng, f, 300), randomSignal(rng, f, 300)}
		h := &Header{Name: "w", Fs: 250, Signals: []SignalSpec{
			{FileName: "w.dat", Format: f, Gain: 200, ADCResolution: 12, Description: "I", ByteOffset: 4},
			{FileName: "w.dat", Format: f, Gain: 200, ADCResolution: 12, Description: "II", ByteOffset: 4},
		}}
		if err := WriteRecord(dir, h, data); err != nil {
			t.Fatal(err)
		}
		var hea, dat bytes.Buffer
		if err := WriteRecordTo(&hea, &dat, h, data); err != nil {
			t.Fatal(err)
		}
		wantHea, _ := os.ReadFile(filepath.Join(dir, "w.hea"))
		wantDat, _ := os.ReadFile(filepath.Join(dir, "w.dat"))
		if !bytes.Equal(hea.Bytes(), wantHea) || !bytes.Equal(dat.Bytes(), wantDat) {
			t.Fatalf("format %d: WriteRecordTo differs from WriteRecord", f)
		}
		if h.NSamples != 0 || h.Signals[0].HasChecksum {
			t.Fatalf("format %d: the caller's header was changed", f)
		}
	}
	h := &Header{Name: "two", Fs: 250, Signals: []SignalSpec{
		{FileName: "a.dat", Format: Format16, Gain: 200},
		{FileName: "b.dat", Format: Format16, Gain: 200},
	}}
	err := WriteRecordTo(io.Discard, io.Discard, h, [][]int32{{1}, {2}})
	if err == nil || !strings.Contains(err.Error(), "two") {
		t.Fatalf("two signal files: %v", err)
	}
	if _, files, err := EncodeRecord(h, [][]int32{{1}, {2}}); err != nil || len(files) != 2 || files[1].Name != "b.dat" {
		t.Fatalf("EncodeRecord: %v %v", files, err)
	}
}
