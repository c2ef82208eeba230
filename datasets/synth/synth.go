package synth

import (
	"errors"
	"fmt"
	"math"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Rhythm names accepted in Options.Rhythm.
const (
	Normal    = "normal"
	AFib      = "afib"
	Brady     = "brady"
	Tachy     = "tachy"
	PVC       = "pvc"
	Bigeminy  = "bigeminy"
	Trigeminy = "trigeminy"
)

// Rhythms lists the rhythm names in a stable order.
var Rhythms = []string{Normal, AFib, Brady, Tachy, PVC, Bigeminy, Trigeminy}

// Options describe a synthetic recording. Zero values take the defaults
// documented on each field.
type Options struct {
	// Rhythm is one of Rhythms; "" means "normal".
	Rhythm string
	// HR is the mean heart rate in beats per minute. 0 takes the rhythm's
	// default: normal 72, afib 95, brady 48, tachy 125, pvc 75, bigeminy
	// 70, trigeminy 72. Sinus rhythms must agree with their name: normal
	// 60-100, brady 20 to below 60, tachy above 100 to 250; the others
	// accept 30-200.
	HR float64
	// Noise is the standard deviation in mV of white Gaussian noise added
	// to every sample (muscle and amplifier noise). 0 means none.
	Noise float64
	// Wander is the peak amplitude in mV of baseline wander (a breathing
	// component plus slower drift). 0 means none.
	Wander float64
	// Fs is the sampling frequency in Hz; 0 means 360 (as the MIT-BIH
	// Arrhythmia Database). Any rate of 50 Hz or more works.
	Fs float64
	// Duration is the length in seconds. Generate needs it positive; for a
	// Generator 0 means endless.
	Duration float64
	// Seed seeds every random choice.
	Seed int64
	// PVCFraction is the fraction of sinus cycles that carry a premature
	// ventricular beat in the "pvc" rhythm; 0 means 0.15. Ignored by the
	// other rhythms.
	PVCFraction float64
}

// Beat is one reference beat annotation.
type Beat struct {
	Sample int64     // sample of the R peak (frame number from 0)
	Type   wfdb.Code // wfdb.Normal or wfdb.PVC
}

// Recording is a generated single-lead ECG with its reference annotations.
type Recording struct {
	Options Options           // options used, with defaults filled in
	Fs      float64           // sampling frequency, Hz
	MV      []float64         // samples in millivolts
	Beats   []Beat            // beats in sample order
	Rhythms []wfdb.Annotation // rhythm-change annotations ('+', Aux "(N" ...)
}

// ErrOptions is wrapped by the errors that Generate and NewGenerator return
// for invalid options (each an *OptionError).
var ErrOptions = errors.New("invalid options")

// OptionError is an invalid option: Field names the field of Options
// ("Rhythm", "HR", "Fs", "Noise", "Wander", "Duration", "PVCFraction") and
// Msg says what is wrong with its value.
type OptionError struct {
	Field, Msg string
}

func (e *OptionError) Error() string { return "synth: invalid options: " + e.Msg }

// Is makes an OptionError match ErrOptions.
func (e *OptionError) Is(target error) bool { return target == ErrOptions }

// optionErr returns the OptionError of field with a formatted message.
func optionErr(field, format string, args ...any) error {
	return &OptionError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// defaults fills in zero fields and checks the options.
func (o Options) withDefaults() (Options, error) {
	if o.Rhythm == "" {
		o.Rhythm = Normal
	}
	def := map[string]float64{Normal: 72, AFib: 95, Brady: 48, Tachy: 125, PVC: 75, Bigeminy: 70, Trigeminy: 72}
	d, ok := def[o.Rhythm]
	if !ok {
		return o, optionErr("Rhythm", "unknown rhythm %q (want one of %v)", o.Rhythm, Rhythms)
	}
	if o.HR == 0 {
		o.HR = d
	}
	lo, hi := 30.0, 200.0
	switch o.Rhythm {
	case Normal:
		lo, hi = 60, 100
	case Brady:
		lo, hi = 20, 59.999
	case Tachy:
		lo, hi = 100.001, 250
	}
	if !(o.HR >= lo && o.HR <= hi) {
		return o, optionErr("HR", "heart rate %g bpm out of range for %s (%g-%g)", o.HR, o.Rhythm, math.Round(lo), math.Round(hi))
	}
	if o.Fs == 0 {
		o.Fs = 360
	}
	if !(o.Fs >= 50 && o.Fs <= 100000) {
		return o, optionErr("Fs", "sampling frequency %g Hz (want 50-100000)", o.Fs)
	}
	if !(o.Noise >= 0 && o.Noise <= 100) {
		return o, optionErr("Noise", "noise %g mV (want 0-100)", o.Noise)
	}
	if !(o.Wander >= 0 && o.Wander <= 100) {
		return o, optionErr("Wander", "wander %g mV (want 0-100)", o.Wander)
	}
	if !(o.Duration >= 0) || math.IsInf(o.Duration, 0) {
		return o, optionErr("Duration", "duration %g s", o.Duration)
	}
	if o.PVCFraction == 0 {
		o.PVCFraction = 0.15
	}
	if !(o.PVCFraction > 0 && o.PVCFraction <= 0.5) {
		return o, optionErr("PVCFraction", "PVC fraction %g (want 0-0.5)", o.PVCFraction)
	}
	return o, nil
}

// maxSamples bounds Generate's allocation: 24 hours at 1 kHz.
const maxSamples = 24 * 3600 * 1000

// Generate returns a recording of opt.Duration seconds.
func Generate(opt Options) (*Recording, error) {
	g, err := NewGenerator(opt)
	if err != nil {
		return nil, err
	}
	opt = g.opt
	if opt.Duration <= 0 {
		return nil, optionErr("Duration", "duration must be positive")
	}
	n := g.total
	if n > maxSamples {
		return nil, optionErr("Duration", "%d samples is more than one record may hold (%d: 24 h at 1 kHz; a Generator streams longer)", n, maxSamples)
	}
	rec := &Recording{Options: opt, Fs: opt.Fs, MV: make([]float64, n), Rhythms: g.RhythmAnnotations()}
	g.Read(rec.MV, func(b Beat) { rec.Beats = append(rec.Beats, b) })
	return rec, nil
}

// RhythmNote returns the MIT-BIH rhythm note (the Aux string of a rhythm
// annotation, such as "(AFIB") for a rhythm name.
func RhythmNote(rhythm string) string {
	switch rhythm {
	case AFib:
		return "(AFIB"
	case Brady:
		return "(SBR"
	case Bigeminy:
		return "(B"
	case Trigeminy:
		return "(T"
	}
	return "(N"
}
