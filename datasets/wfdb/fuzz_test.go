package wfdb

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// seedHeaders adds the header files under testdata and some hand-written
// ones to f's corpus.
func seedHeaders(f *testing.F) {
	names, _ := filepath.Glob("testdata/*/*.hea")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"rec 3 128/1000(5) 7680 10:20:30.5 31/12/1999\nrec.dat 16x4:2+24 200.5(-3)/uV 16 1 2 -4 512 ECG lead II\nrec.dat 16 0 12 7\nb.dat 80 1/mmHg\n",
		"multi/3 2 250 3000\nmulti_layout 0\n~ 1000\nseg2 2000\n",
		"r 1\nr.dat 212\n", "# only a comment\n", "r 0 360 10 [10:00:00 1.2.2000]",
	} {
		f.Add([]byte(s))
	}
}

// FuzzHeader parses arbitrary header text; whatever parses must write and
// parse back to the same Header.
func FuzzHeader(f *testing.F) {
	seedHeaders(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := ParseHeader(data, "fuzz.hea")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := WriteHeader(&buf, h); err != nil {
			t.Fatal(err)
		}
		h2, err := ParseHeader(buf.Bytes(), "fuzz.hea")
		if err != nil {
			t.Fatalf("rewritten header does not parse: %v\n%q\nfrom %q", err, buf.String(), data)
		}
		if !reflect.DeepEqual(h, h2) {
			t.Fatalf("round trip differs:\n%+v\n%+v\nwritten %q", h, h2, buf.String())
		}
	})
}

// fuzzDecode decodes arbitrary bytes in format fm and checks the sample
// count and, for formats that use every bit, that encoding gives the bytes
// back.
func fuzzDecode(f *testing.F, fm Format) {
	if b, err := os.ReadFile("testdata/mitdb/100s.dat"); err == nil {
		f.Add(b[:300])
	}
	rngSeed := randomSignal(newRand(), fm, 31)
	f.Add(EncodeSamples(fm, nil, rngSeed))
	f.Add([]byte{})
	f.Add([]byte{0x00, 0x80, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		n := fm.samplesIn(int64(len(data)))
		dst := make([]int32, n+1)
		got := DecodeSamples(fm, dst, data)
		if int64(got) != n {
			t.Fatalf("decoded %d samples from %d bytes, want %d", got, len(data), n)
		}
		if fm == Format8 {
			return // raw differences: no sentinel, every byte a sample
		}
		lo, hi := fm.Range()
		for i, v := range dst[:got] {
			if v != InvalidSample && (v < lo || v > hi) {
				t.Fatalf("sample %d = %d outside [%d, %d]", i, v, lo, hi)
			}
		}
		enc := EncodeSamples(fm, nil, dst[:got])
		// Bytes that hold whole groups round-trip exactly, except the
		// unused bits of 310 and 311.
		whole := got / int(fm.blockSamples()) * int(fm.blockBytes())
		if fm != Format310 && fm != Format311 && !bytes.Equal(enc[:whole], data[:whole]) {
			t.Fatalf("re-encoding differs:\n%x\n%x", enc[:whole], data[:whole])
		}
		again := make([]int32, got)
		DecodeSamples(fm, again, enc)
		if !reflect.DeepEqual(again, dst[:got]) {
			t.Fatalf("decode(encode(x)) != x")
		}
	})
}

func FuzzDecode8(f *testing.F)   { fuzzDecode(f, Format8) }
func FuzzDecode16(f *testing.F)  { fuzzDecode(f, Format16) }
func FuzzDecode24(f *testing.F)  { fuzzDecode(f, Format24) }
func FuzzDecode32(f *testing.F)  { fuzzDecode(f, Format32) }
func FuzzDecode61(f *testing.F)  { fuzzDecode(f, Format61) }
func FuzzDecode80(f *testing.F)  { fuzzDecode(f, Format80) }
func FuzzDecode160(f *testing.F) { fuzzDecode(f, Format160) }
func FuzzDecode212(f *testing.F) { fuzzDecode(f, Format212) }
func FuzzDecode310(f *testing.F) { fuzzDecode(f, Format310) }
func FuzzDecode311(f *testing.F) { fuzzDecode(f, Format311) }

// FuzzDecodeFLAC feeds arbitrary bytes to the FLAC reader (formats 508,
// 516, 524 share it): errors are fine, panics and runaway allocation not.
func FuzzDecodeFLAC(f *testing.F) {
	for _, fm := range []Format{FormatFLAC8, FormatFLAC16, FormatFLAC24} {
		var buf bytes.Buffer
		if err := EncodeFLAC(&buf, fm, 2, 1, randomSignal(newRand(), fm, 40)); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes(), uint8(fm/8-63))
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		fm := []Format{FormatFLAC8, FormatFLAC16, FormatFLAC24}[int(which)%3]
		out, err := DecodeFLAC(bytes.NewReader(data), fm, 2, 1, 1<<20)
		if err == nil && len(out)%2 != 0 {
			t.Fatalf("%d samples is not whole frames", len(out))
		}
	})
}

// FuzzReadRecord reads a record made of an arbitrary header and signal
// file: errors are fine, panics and allocations beyond the files' sizes
// are not.
func FuzzReadRecord(f *testing.F) {
	hea, _ := os.ReadFile("testdata/mitdb/100s.hea")
	dat, _ := os.ReadFile("testdata/mitdb/100s.dat")
	hea = bytes.ReplaceAll(hea, []byte("100s"), []byte("fz"))
	f.Add(hea, dat[:600])
	f.Add([]byte("fz 2 360 1000000000\nfz.dat 16x3:5+7\nfz.dat 16\n"), dat[:100])
	f.Add([]byte("fz 1 360\nfz.dat 8 0 0 0 -5\n"), dat[:33])
	f.Add([]byte("fz 1 360\nfz.dat 311\n"), dat[:7])
	f.Add([]byte("fz/2 1 360\nfz_layout 0\n~ 20\n"), dat[:7])
	f.Fuzz(func(t *testing.T, hea, dat []byte) {
		if len(hea) > 4096 || len(dat) > 1<<16 {
			return
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "fz.hea"), hea, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "fz.dat"), dat, 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := ReadHeader(filepath.Join(dir, "fz"))
		if err != nil {
			return
		}
		// A multi-segment header may claim any length of null segments;
		// bound what the test reads (ReadRecord would honour it).
		to := int64(-1)
		if h.IsMultiSegment() {
			to = 1 << 16
		}
		rec, err := h.ReadSamples(0, to)
		if err != nil {
			return
		}
		for s := 0; s < rec.NumSignals(); s++ {
			if len(rec.Digital(s)) != rec.NumFrames() {
				t.Fatalf("signal %d: %d values for %d frames", s, len(rec.Digital(s)), rec.NumFrames())
			}
		}
		_ = rec.VerifyChecksums()
	})
}

func newRand() *rand.Rand { return rand.New(rand.NewPCG(5, 6)) }
