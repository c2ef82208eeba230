package demodata

import (
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

func TestExtract(t *testing.T) {
	paths, err := Extract(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 4 {
		t.Fatalf("%d records, want 4", len(paths))
	}
	for _, p := range paths {
		rec, err := wfdb.ReadRecord(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := rec.VerifyChecksums(); err != nil {
			t.Errorf("%s: %v", p, err)
		}
		if rec.Header.Fs != 360 || rec.NumFrames() < 60*360 {
			t.Errorf("%s: fs %g, %d frames", p, rec.Header.Fs, rec.NumFrames())
		}
		anns, err := wfdb.ReadAnnotations(p, "atr")
		if err != nil {
			t.Fatal(err)
		}
		beats := 0
		for _, a := range anns {
			if a.Type.IsBeat() {
				beats++
			}
			if a.Sample >= int64(rec.NumFrames()) {
				t.Errorf("%s: annotation at %d beyond the excerpt (%d frames)", p, a.Sample, rec.NumFrames())
			}
		}
		// Heart rates between 30 and 200 bpm over the excerpt.
		minutes := float64(rec.NumFrames()) / rec.Header.Fs / 60
		if hr := float64(beats) / minutes; hr < 30 || hr > 200 {
			t.Errorf("%s: %d beats in %.1f min", p, beats, minutes)
		}
	}
}
