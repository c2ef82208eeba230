package classify

import (
	"fmt"
	"math"
)

// Feature set 6, the median beat's shape (the "tmpl." features): the
// template of feature set 5's beat shape features (the median, sample by
// sample, of the beat windows of the signal band-passed 0.5-40 Hz,
// aligned on their QRS; see beatShapeFeatures) sampled at fixed times
// from its fiducial point and divided by its peak-to-peak, so that gain
// and units drop out and the same beat gives the same values at any
// sampling rate:
//
//   - every 25 ms from 250 ms to 125 ms before the fiducial point (the P
//     wave and the PR segment),
//   - every 10 ms within 100 ms of it (the QRS complex),
//   - every 25 ms from 125 ms to 450 ms after it (the ST segment and the
//     T wave).
//
// Many of the "other rhythms" of the CinC 2017 set are read from the
// beat's shape (bundle branch blocks, ST and T changes, ventricular
// hypertrophy, prolonged PR); the best entries compared templates of
// the beat (Teijeiro et al. 2018; Hong et al. 2017, "ENCASE: an ensemble
// classifier for ECG classification using expert features and deep
// neural networks", whose centre wave is such a median beat). The
// template's samples, polarity included, are left to the learner. A
// time past the window (after 0.75 times the median RR, at least 200
// ms) or a record of fewer than 3 whole beat windows gives NaN.
var templateFeatureNames = func() []string {
	n := make([]string, len(templateTimes))
	for i, t := range templateTimes {
		n[i] = fmt.Sprintf("tmpl.%+dms", int(math.Round(1000*t)))
	}
	return n
}()

// templateTimes are the times in seconds from the fiducial point at
// which the template is sampled (see templateFeatureNames).
var templateTimes = func() []float64 {
	var ts []float64
	for ms := -250; ms < -100; ms += 25 {
		ts = append(ts, float64(ms)/1000)
	}
	for ms := -100; ms <= 100; ms += 10 {
		ts = append(ts, float64(ms)/1000)
	}
	for ms := 125; ms <= 450; ms += 25 {
		ts = append(ts, float64(ms)/1000)
	}
	return ts
}()

// templateFeatures appends the template features of tmpl (the median
// beat at fs Hz, the fiducial point at index pre; nil when there is none).
func templateFeatures(v []float64, tmpl []float64, pre int, fs float64) []float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range tmpl {
		lo, hi = math.Min(lo, s), math.Max(hi, s)
	}
	for _, t := range templateTimes {
		j := pre + int(math.Round(t*fs))
		if hi > lo && j >= 0 && j < len(tmpl) {
			v = append(v, tmpl[j]/(hi-lo))
		} else {
			v = append(v, math.NaN())
		}
	}
	return v
}
