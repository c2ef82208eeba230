package beats

import (
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
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

// BenchmarkDetectRecord is the detector alone (the front end and the
// decisions, beats held back for the two-sided rhythm) over the first lead
// of MIT-BIH records 100 and 203, in mV, written in chunks of 8,190
// samples as AnalyzeRecord writes them.
func BenchmarkDetectRecord(b *testing.B) {
	db := refdata.MITDB(b)
	for _, rec := range []string{"100", "203"} {
		r, err := wfdb.ReadRecord(filepath.Join(db, rec))
		if err != nil {
			b.Fatal(err)
		}
		x := r.Physical(0)
		b.Run(rec, func(b *testing.B) {
			d := NewDetector(r.Header.Fs)
			n := 0
			emit := func(Beat) { n++ }
			for range b.N {
				for i := 0; i < len(x); i += 8190 {
					d.Write(x[i:min(i+8190, len(x))], emit)
				}
				d.Flush(emit)
			}
		})
	}
}
