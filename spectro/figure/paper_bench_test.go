package figure

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// benchPaper reads and draws a stretch of a record as ecg plot does
// (PNG at the default 100 dpi, written to io.Discard).
func benchPaper(b *testing.B, path string, ropt ReadOptions, opt PaperOptions) {
	b.ReportAllocs()
	for b.Loop() {
		p, err := ReadPaper(path, ropt)
		if err != nil {
			b.Fatal(err)
		}
		if err := DrawPaper(io.Discard, p, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPaper10s: 10 s of both signals of mitdb 100 with atr, one row
// (the target: at most 100 ms).
func BenchmarkPaper10s(b *testing.B) {
	benchPaper(b, demo100, ReadOptions{}, PaperOptions{})
}

// BenchmarkPaper30min: the whole of mitdb 100 (30 minutes, two signals,
// atr) in 180 rows of 10 s (target: at most 3 s).
func BenchmarkPaper30min(b *testing.B) {
	rec := filepath.Join(refdata.MITDB(b), "100")
	benchPaper(b, rec, ReadOptions{Duration: "30:00"}, PaperOptions{})
}
