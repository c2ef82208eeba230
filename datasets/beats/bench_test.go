package beats

import (
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// BenchmarkAnalyzeRecord is what `ecg beats RECORD --summary` does per
// record (read, detect, HRV, polarity), over MIT-BIH records 100, 203
// (the most beats, noisy) and 232 (long pauses).
func BenchmarkAnalyzeRecord(b *testing.B) {
	db := refdata.MITDB(b)
	for _, rec := range []string{"100", "203", "232"} {
		b.Run(rec, func(b *testing.B) {
			path := filepath.Join(db, rec)
			b.ReportAllocs()
			for range b.N {
				if _, err := AnalyzeRecord(path, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
