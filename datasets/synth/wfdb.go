package synth

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Storage of WriteWFDB: format 212 at 200 ADC units per mV (as the MIT-BIH
// Arrhythmia Database), baseline 0, so that +-10.2 mV fit the 12-bit range.
const (
	wfdbGain   = 200
	wfdbMaxADU = 2047 // -2048 is WFDB's invalid-sample value in format 212
)

// WriteWFDB writes the recording as the WFDB record dir/name: name.hea and
// name.dat (one signal "MLII", format 212, 200 ADC units per mV, samples
// beyond +-10.2 mV clipped) and name.atr with the beats and the rhythm
// annotation, all atomically. The header's comments record the options.
func (r *Recording) WriteWFDB(dir, name string) error {
	if name == "" || filepath.Base(name) != name {
		return fmt.Errorf("synth: record name %q: want a plain name", name)
	}
	o := r.Options
	d := make([]int32, len(r.MV))
	for i, v := range r.MV {
		a := math.Round(v * wfdbGain)
		d[i] = int32(math.Max(-wfdbMaxADU, math.Min(wfdbMaxADU, a)))
	}
	h := &wfdb.Header{
		Name:     name,
		Fs:       r.Fs,
		NSamples: int64(len(d)),
		Signals: []wfdb.SignalSpec{{
			FileName:        name + ".dat",
			Format:          wfdb.Format212,
			SamplesPerFrame: 1,
			Gain:            wfdbGain,
			Baseline:        0,
			Units:           "mV",
			ADCResolution:   12,
			ADCZero:         0,
			Description:     "MLII",
		}},
		Comments: []string{
			fmt.Sprintf(" synthetic ECG (ecg simulate): rhythm %s, HR %g bpm, noise %g mV, wander %g mV, seed %d",
				o.Rhythm, o.HR, o.Noise, o.Wander, o.Seed),
		},
	}
	if len(d) > 0 {
		h.Signals[0].InitialValue = d[0]
	}
	if err := wfdb.WriteRecord(dir, h, [][]int32{d}); err != nil {
		return err
	}
	anns := make([]wfdb.Annotation, 0, len(r.Beats)+len(r.Rhythms))
	anns = append(anns, r.Rhythms...)
	for _, b := range r.Beats {
		anns = append(anns, wfdb.Annotation{Sample: b.Sample, Type: b.Type})
	}
	return wfdb.WriteAnnotations(filepath.Join(dir, name), "atr", anns)
}
