package datasets

import (
	"io"
	"math"

	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// WindowGain is the gain of the one-signal WFDB records WFDBOutputs
// writes: 1000 ADC units per mV (1 µV steps).
const WindowGain = 1000

// WFDBOutputs returns the archive outputs writing each window as a
// one-signal WFDB record, NAME.hea and NAME.dat: format 16, WindowGain
// ADC units per physical unit, baseline 0, the window's units (mV when
// unknown) and signal description; NaN samples are invalid, values
// beyond format 16's range are clamped to it.
func WFDBOutputs() []Output {
	return []Output{
		{Suffix: ".hea", Write: func(w io.Writer, win *Window) error { return writeWindowRecord(w, io.Discard, win) }},
		{Suffix: ".dat", Write: func(w io.Writer, win *Window) error { return writeWindowRecord(io.Discard, w, win) }},
	}
}

// writeWindowRecord writes the window's record: its header to hea and
// its signal file to dat.
func writeWindowRecord(hea, dat io.Writer, win *Window) error {
	d := make([]int32, len(win.X))
	for i, v := range win.X {
		if math.IsNaN(v) {
			d[i] = wfdb.InvalidSample
		} else {
			d[i] = signal.ToDigital(v, WindowGain, 0)
		}
	}
	units := win.Units
	if units == "" {
		units = "mV"
	}
	h := &wfdb.Header{Name: win.Name, Fs: win.Fs, Signals: []wfdb.SignalSpec{{
		FileName: win.Name + ".dat", Format: wfdb.Format16, SamplesPerFrame: 1, Gain: WindowGain, Units: units,
		ADCResolution: 16, Description: win.Signal,
	}}}
	return wfdb.WriteRecordTo(hea, dat, h, [][]int32{d})
}
