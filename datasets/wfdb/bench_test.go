package wfdb

import (
	"math/rand/v2"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

func benchmarkDecode(b *testing.B, f Format) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := randomSignal(rng, f, 1<<20)
	src := EncodeSamples(f, nil, x)
	dst := make([]int32, len(x))
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if DecodeSamples(f, dst, src) != len(dst) {
			b.Fatal("short decode")
		}
	}
}

// BenchmarkDecode212 measures format-212 decoding in bytes of .dat input
// per second.
func BenchmarkDecode212(b *testing.B) { benchmarkDecode(b, Format212) }
func BenchmarkDecode16(b *testing.B)  { benchmarkDecode(b, Format16) }
func BenchmarkDecode310(b *testing.B) { benchmarkDecode(b, Format310) }
func BenchmarkDecode311(b *testing.B) { benchmarkDecode(b, Format311) }
func BenchmarkDecode24(b *testing.B)  { benchmarkDecode(b, Format24) }

// BenchmarkReadRecord reads the 10-second mitdb excerpt (header, file,
// decoding, de-interleaving).
func BenchmarkReadRecord(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadRecord("testdata/mitdb/100s"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadMitdb100 reads a whole half-hour record (skipped without
// the shared data).
func BenchmarkReadMitdb100(b *testing.B) {
	dir := refdata.MITDB(b)
	b.SetBytes(1950000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ReadRecord(dir + "/100"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadChunksPhysical reads a half-hour record a chunk at a time
// and converts its first signal to physical units, as beats.AnalyzeRecord
// does (skipped without the shared data).
func BenchmarkReadChunksPhysical(b *testing.B) {
	h, err := ReadHeader(refdata.MITDB(b) + "/100")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(1950000)
	b.ReportAllocs()
	var x []float64
	for i := 0; i < b.N; i++ {
		err := h.ReadChunks(0, -1, func(r *Record) error {
			x = r.AppendPhysical(x[:0], 0)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode212Pairs decodes two signals of format 212 (1 MB of
// samples) straight into their slices (pairs), or into one interleaved
// slice and then de-interleaved (flat), as record 100's file was read
// before decode212Pairs.
func BenchmarkDecode212Pairs(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := randomSignal(rng, Format212, 1<<20)
	src := EncodeSamples(Format212, nil, x)
	a, c := make([]int32, len(x)/2), make([]int32, len(x)/2)
	b.Run("pairs", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for range b.N {
			decode212Pairs(a, c, src)
		}
	})
	b.Run("flat", func(b *testing.B) {
		flat := make([]int32, len(x))
		b.SetBytes(int64(len(src)))
		for range b.N {
			decode212(flat, src)
			deinterleave2(a, c, flat)
		}
	})
}
