package classify

import (
	"math"
	"slices"
)

// Feature set 8's waves of the median beat (the "wave." features, after
// the atrial ones): where the P and T waves of the template (the median
// beat of set 5's beat shape features: the signal band-passed 0.5-40 Hz,
// beats aligned on their QRS; beatWindows) are and how tall, against the
// QRS. A prolonged PR interval (first-degree AV block), an inverted or
// flat T wave, a displaced ST segment and a long QT are among the "other
// rhythms" of the CinC 2017 set (Datta et al. 2017, "Identifying normal,
// AF and other abnormal ECG rhythms using a cascaded binary classifier";
// Teijeiro et al. 2018). Amplitudes are over the template's
// peak-to-peak, signed so that a wave of the QRS's polarity (the sign of
// its largest deflection within 60 ms of the fiducial point) is
// positive, from the baseline: the template's mean 70 to 40 ms before
// the fiducial point (the PR segment):
//
//   - wave.pr: the time in s from the P wave's peak (the largest
//     deflection 250 to 80 ms before the fiducial point) to the fiducial
//     point; wave.p/qrs: its amplitude.
//   - wave.rt: the time in s from the fiducial point to the T wave's peak
//     (the largest deflection from 150 ms after it to the template's end,
//     0.75 times the median RR but at least 0.2 s and at most 0.45 s);
//     wave.rtc: wave.rt over the square root of the median RR in s
//     (Bazett's correction; the peak, not the end, of T: the template may
//     stop before T ends); wave.t/qrs: its amplitude.
//   - wave.st/qrs: the template's mean 80 to 120 ms after the fiducial
//     point.
//
// Features of the template's waves were tried with set 5 and left out
// (docs/rhythm.md, "Tried and left out"); set 8 measures them again with
// gbdt and the crops (session 28). Without a template or with a flat one
// every feature is NaN.
var waveFeatureNames = []string{"wave.pr", "wave.p/qrs", "wave.rt", "wave.rtc", "wave.t/qrs", "wave.st/qrs"}

// waveFeatures appends the wave features of tmpl (the median beat at fs
// Hz, the fiducial point at index pre; nil when there is none), with the
// median RR interval rrMed in s (NaN when unknown).
func waveFeatures(v []float64, tmpl []float64, pre int, fs, rrMed float64) []float64 {
	n0 := len(v)
	for range waveFeatureNames {
		v = append(v, math.NaN())
	}
	if len(tmpl) == 0 {
		return v
	}
	pp := slices.Max(tmpl) - slices.Min(tmpl)
	at := func(s float64) int { return min(max(pre+int(math.Round(s*fs)), 0), len(tmpl)) }
	q := peakIndex(tmpl, at(-0.06), at(0.06)+1, 0)
	if !(pp > 0) || q < 0 {
		return v
	}
	pol := math.Copysign(1, tmpl[q])
	base := meanOf(tmpl[at(-0.07):at(-0.04)])
	amp := func(i int) float64 { return pol * (tmpl[i] - base) / pp }
	r := v[n0:]
	if p := peakIndex(tmpl, at(-0.25), at(-0.08), base); p >= 0 {
		r[0], r[1] = float64(pre-p)/fs, amp(p)
	}
	if t := peakIndex(tmpl, at(0.15), len(tmpl), base); t >= 0 {
		r[2], r[4] = float64(t-pre)/fs, amp(t)
		if rrMed > 0 {
			r[3] = r[2] / math.Sqrt(rrMed)
		}
	}
	if a, b := at(0.08), at(0.12); b > a {
		r[5] = pol * (meanOf(tmpl[a:b]) - base) / pp
	}
	return v
}

// peakIndex returns the index in [lo, hi) of the largest |x[i] - base|
// (-1 for an empty range).
func peakIndex(x []float64, lo, hi int, base float64) int {
	k := -1
	for i := lo; i < hi; i++ {
		if k < 0 || math.Abs(x[i]-base) > math.Abs(x[k]-base) {
			k = i
		}
	}
	return k
}

// meanOf returns the mean of x (NaN when empty).
func meanOf(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return sum(x) / float64(len(x))
}
