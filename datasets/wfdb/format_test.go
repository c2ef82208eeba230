package wfdb

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

const X = InvalidSample

// Hand-encoded vectors: the bytes were worked out from each format's
// definition, not produced by the encoder.
var formatVectors = []struct {
	f      Format
	bytes  []byte
	values []int32
	noEnc  bool // bytes that the encoder does not produce (padding)
}{
	{Format8, []byte{0x05, 0xfb, 0x80, 0x7f}, []int32{5, -5, -128, 127}, false},
	{Format16, []byte{0x01, 0x00, 0xff, 0xff, 0x00, 0x80, 0xff, 0x7f}, []int32{1, -1, X, 32767}, false},
	{Format61, []byte{0x00, 0x01, 0xff, 0xff, 0x80, 0x00, 0x7f, 0xff}, []int32{1, -1, X, 32767}, false},
	{Format80, []byte{0x80, 0x81, 0x00, 0xff, 0x01}, []int32{0, 1, X, 127, -127}, false},
	{Format160, []byte{0x00, 0x80, 0x01, 0x80, 0x00, 0x00, 0xff, 0xff}, []int32{0, 1, X, 32767}, false},
	{Format24, []byte{0x01, 0x00, 0x00, 0xff, 0xff, 0xff, 0x00, 0x00, 0x80, 0xff, 0xff, 0x7f}, []int32{1, -1, X, 8388607}, false},
	{Format32, []byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80, 0xff, 0xff, 0xff, 0x7f}, []int32{1, -1, X, 2147483647}, false},
	// 212: (1, -1) -> 01 F0 FF; (-2048, 2047) -> 00 78 FF; a last odd sample 5 -> 05 00.
	{Format212, []byte{0x01, 0xf0, 0xff, 0x00, 0x78, 0xff, 0x05, 0x00}, []int32{1, -1, X, 2047, 5}, false},
	{Format212, []byte{0x01, 0xf0, 0xff, 0x05}, []int32{1, -1}, true}, // a lone trailing byte holds no sample
	// 310: (1, -1, 3) -> words 0x1802 0x07FE; (0, 0, -512) -> 0x0000 0x8000; a last sample 7 -> 0x000E.
	{Format310, []byte{0x02, 0x18, 0xfe, 0x07, 0x00, 0x00, 0x00, 0x80, 0x0e, 0x00}, []int32{1, -1, 3, 0, 0, X, 7}, false},
	// Two last samples (7, -2) -> 0x000E 0x07FC: WFDB's reader sees a third, zero sample.
	{Format310, []byte{0x0e, 0x00, 0xfc, 0x07}, []int32{7, -2, 0}, true},
	// 311: (1, -1, 3) -> word 0x003FFC01; two last samples (5, -512) -> 05 00 08 00 (a zero third).
	{Format311, []byte{0x01, 0xfc, 0x3f, 0x00, 0x05, 0x00, 0x08, 0x00}, []int32{1, -1, 3, 5, X, 0}, true},
	{Format311, []byte{0x01, 0xfc, 0x3f, 0x00, 0x05, 0x00, 0x08}, []int32{1, -1, 3, 5, X}, false},
	{Format311, []byte{0x01, 0xfc, 0x3f, 0x00, 0xff, 0x03}, []int32{1, -1, 3, -1}, false},
}

func TestFormatVectors(t *testing.T) {
	for _, v := range formatVectors {
		dst := make([]int32, len(v.values)+3)
		n := DecodeSamples(v.f, dst, v.bytes)
		if !reflect.DeepEqual(dst[:n], v.values) {
			t.Errorf("format %d: decode % x = %v, want %v", v.f, v.bytes, dst[:n], v.values)
		}
		if v.noEnc {
			continue
		}
		if got := EncodeSamples(v.f, nil, v.values); !bytes.Equal(got, v.bytes) && v.f != Format311 {
			t.Errorf("format %d: encode %v = % x, want % x", v.f, v.values, got, v.bytes)
		}
	}
	// 311 with two trailing samples: WFDB writes four bytes.
	if got := EncodeSamples(Format311, nil, []int32{1, -1, 3, 5, X}); !bytes.Equal(got, []byte{0x01, 0xfc, 0x3f, 0x00, 0x05, 0x00, 0x08, 0x00}) {
		t.Errorf("311 tail: % x", got)
	}
}

func TestFormat8Accumulates(t *testing.T) {
	dir := t.TempDir()
	// Two signals interleaved, initial values 100 and -3.
	if err := writeTestFile(dir, "d.hea", []byte("d 2 10 3\nd.dat 8 200 8 0 100 0 0 a\nd.dat 8 200 8 0 -3 0 0 b\n")); err != nil {
		t.Fatal(err)
	}
	if err := writeTestFile(dir, "d.dat", []byte{0x00, 0x00, 0x05, 0xff, 0x80, 0x7f}); err != nil {
		t.Fatal(err)
	}
	rec, err := ReadRecord(dir + "/d")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := rec.Digital(0), rec.Digital(1); !reflect.DeepEqual(a, []int32{100, 105, -23}) || !reflect.DeepEqual(b, []int32{-3, -4, 123}) {
		t.Fatalf("got %v %v", a, b)
	}
	// Checksum: 100+105-23 = 182.
	if c := Checksum(rec.Digital(0), Format8); c != 182 {
		t.Fatalf("checksum %d", c)
	}
	// A range from frame 1 still accumulates from the start.
	part, err := ReadRecordRange(dir+"/d", 1, 3)
	if err != nil || !reflect.DeepEqual(part.Digital(0), []int32{105, -23}) {
		t.Fatalf("range: %v %v", part, err)
	}
}

func TestMultiFrequencyAndSkew(t *testing.T) {
	dir := t.TempDir()
	// Signal a: 2 samples per frame; b: 1; c in its own 16-bit file with
	// skew 1 (one frame). As in WFDB, frame t needs frame t+1 of every
	// file, so the files hold 4 frames for a 3-frame record.
	hea := "m 3 100 3\nm.dat 16x2 100 16 0 0 0 0 a\nm.dat 16 100 16 0 0 0 0 b\nm2.dat 16:1 100 16 0 0 0 0 c\n"
	var dat []byte
	for _, v := range []int32{1, 2, 10, 3, 6, 11, -5, X, 12, 0, 0, 0} { // frames: a a b
		dat = EncodeSamples(Format16, dat, []int32{v})
	}
	if err := writeTestFile(dir, "m.hea", []byte(hea)); err != nil {
		t.Fatal(err)
	}
	if err := writeTestFile(dir, "m.dat", dat); err != nil {
		t.Fatal(err)
	}
	if err := writeTestFile(dir, "m2.dat", EncodeSamples(Format16, nil, []int32{7, 8, 9, 10})); err != nil {
		t.Fatal(err)
	}
	rec, err := ReadRecord(dir + "/m")
	if err != nil {
		t.Fatal(err)
	}
	// Means rounded half up: (1+2)/2 = 1.5 -> 2; (3+6)/2 = 4.5 -> 5; an invalid sample makes the mean invalid.
	if got := rec.Digital(0); !reflect.DeepEqual(got, []int32{2, 5, X}) {
		t.Errorf("a averaged: %v", got)
	}
	if got := rec.HighRes(0); !reflect.DeepEqual(got, []int32{1, 2, 3, 6, -5, X}) {
		t.Errorf("a high-res: %v", got)
	}
	if got := rec.Digital(1); !reflect.DeepEqual(got, []int32{10, 11, 12}) {
		t.Errorf("b: %v", got)
	}
	if got := rec.Digital(2); !reflect.DeepEqual(got, []int32{8, 9, 10}) {
		t.Errorf("c skewed: %v", got)
	}
	if m := meanSample([]int32{-3, -6}); m != -4 { // -4.5 rounds up to -4
		t.Errorf("mean(-3,-6) = %d", m)
	}
}

// decode212Pairs gives what decode212 and deinterleave2 give together, on
// random bytes (every 12-bit code, the sentinel among them) of every
// length up to past the unrolled steps.
func TestDecode212Pairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for pairs := 0; pairs <= 70; pairs++ {
		for range 20 {
			src := make([]byte, 3*pairs+rng.IntN(3)) // with trailing bytes or not
			for i := range src {
				src[i] = byte(rng.Uint32())
			}
			flat := make([]int32, 2*pairs)
			decode212(flat, src)
			wa, wb := make([]int32, pairs), make([]int32, pairs)
			deinterleave2(wa, wb, flat)
			a, b := make([]int32, pairs), make([]int32, pairs+1)
			b[pairs] = 7
			decode212Pairs(a, b, src)
			if !slices.Equal(a, wa) || !slices.Equal(b[:pairs], wb) || b[pairs] != 7 {
				t.Fatalf("%d pairs from % x: got %v %v, want %v %v", pairs, src, a, b, wa, wb)
			}
		}
	}
}

// A record of two format-212 signals (decoded straight into the signals)
// reads back as written, whole and over ranges that start and end on any
// frame, and a chunk at a time.
func TestReadPairs212(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	dir := t.TempDir()
	n := 70001 // more than one chunk of decodeChunks (32766 frames)
	data := [][]int32{randomSignal(rng, Format212, n), randomSignal(rng, Format212, n)}
	h := &Header{Name: "p", Fs: 360, Signals: []SignalSpec{
		{FileName: "p.dat", Format: Format212, Gain: 200}, {FileName: "p.dat", Format: Format212, Gain: 200}}}
	if err := WriteRecord(dir, h, data); err != nil {
		t.Fatal(err)
	}
	hr, err := ReadHeader(filepath.Join(dir, "p"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rg := range [][2]int64{{0, -1}, {1, 2}, {5, 32771}, {32765, 65533}, {69999, -1}, {3, 3}} {
		r, err := hr.ReadSamples(rg[0], rg[1])
		if err != nil {
			t.Fatal(err)
		}
		to := rg[1]
		if to < 0 {
			to = int64(n)
		}
		for s := range data {
			if got, want := r.Digital(s), data[s][rg[0]:to]; !slices.Equal(got, want) {
				t.Errorf("range %v signal %d: %d samples differ from the %d written", rg, s, len(got), len(want))
			}
		}
	}
	var got [2][]int32
	err = hr.ReadChunks(0, -1, func(r *Record) error {
		for s := range got {
			got[s] = append(got[s], r.Digital(s)...)
		}
		return nil
	})
	if err != nil || !slices.Equal(got[0], data[0]) || !slices.Equal(got[1], data[1]) {
		t.Errorf("ReadChunks: %v, or the samples differ", err)
	}
}
