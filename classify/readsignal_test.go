package classify

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// A record's signal features come from its first ECG signal (the rule of
// every command), and a rate the beat detector does not take is refused.
func TestReadSignalFirstECG(t *testing.T) {
	dir := t.TempDir()
	spec := func(desc string) wfdb.SignalSpec {
		return wfdb.SignalSpec{FileName: "r.dat", Format: 16, Gain: 100, Units: "mV", ADCResolution: 16, Description: desc}
	}
	h := &wfdb.Header{Name: "r", Fs: 250, Signals: []wfdb.SignalSpec{spec("ABP"), spec("ECG II")}}
	if err := wfdb.WriteRecord(dir, h, [][]int32{{1, 2, 3}, {40, 50, 60}}); err != nil {
		t.Fatal(err)
	}
	x, fs, err := ReadSignal(filepath.Join(dir, "r"))
	if err != nil || fs != 250 || len(x) != 3 || x[0] != 0.4 {
		t.Fatalf("ReadSignal = %v, %v, %v; want the ECG II signal at 250 Hz", x, fs, err)
	}
	h.Fs = 20000
	if err := wfdb.WriteRecord(dir, h, [][]int32{{1, 2, 3}, {40, 50, 60}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ReadSignal(filepath.Join(dir, "r")); !errors.Is(err, beats.ErrRate) {
		t.Fatalf("20 kHz: %v, want beats.ErrRate", err)
	}
}
