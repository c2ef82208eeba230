package beats

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// A record outside the measured rates is refused with ErrRate, on disk and
// in memory; the ends of the range are accepted (issue 19, item 2).
func TestAnalyzeRateRange(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		fs float64
		ok bool
	}{{40, false}, {MinFs, true}, {MaxFs, true}, {20000, false}} {
		h := &wfdb.Header{Name: "r", Fs: tc.fs, Signals: []wfdb.SignalSpec{
			{FileName: "r.dat", Format: 16, Gain: 200, Units: "mV", ADCResolution: 16, Description: "ECG"},
		}}
		data := [][]int32{make([]int32, int(tc.fs)*2)}
		if err := wfdb.WriteRecord(dir, h, data); err != nil {
			t.Fatal(err)
		}
		_, err := AnalyzeRecord(filepath.Join(dir, "r"), Options{})
		if tc.ok != (err == nil) || !tc.ok && !errors.Is(err, ErrRate) {
			t.Errorf("AnalyzeRecord at %g Hz: %v", tc.fs, err)
		}
		rec, err := wfdb.NewRecord(h, data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Analyze(rec, Options{}); tc.ok != (err == nil) || !tc.ok && !errors.Is(err, ErrRate) {
			t.Errorf("Analyze at %g Hz: %v", tc.fs, err)
		}
	}
}
