package classify

import (
	"math"
	"slices"

	"github.com/ecgkit/ecg/datasets/beats"
)

// Feature set 5, signal quality (the "sqi." features): how much of a
// recording is ECG. After the signal quality indices of Li, Clifford &
// Mark 2008 ("Robust heart rate estimation from multiple asynchronous
// noisy sources using signal quality indices and a Kalman filter") and
// Behar et al. 2013 ("ECG signal quality during arrhythmia and its
// application to false alarm reduction"), which several CinC 2017 entries
// used for the noisy class (Andreotti et al. 2017, Zabihi et al. 2017,
// Datta et al. 2017). Every one is a ratio or a share, so it means the
// same at any rate and length; bp is the signal band-passed 0.5-40 Hz
// (bandpass: zero-phase Butterworth biquads).
//
//   - sqi.kurtosis (kSQI): E[(b - mean)^4] / var^2 of bp; a clean ECG is
//     a few sharp peaks on a flat line (about 5 or more), noise is
//     nearer 3 (Gaussian) or less.
//   - sqi.skewness (sSQI): E[(b - mean)^3] / sd^3 of bp.
//   - sqi.psqi (pSQI): power of bp high-passed at 5 Hz and low-passed at
//     15 Hz over that of bp high-passed at 5 Hz (5-15 over 5-40 Hz); the QRS holds most of its power at 5-15 Hz, muscle noise spreads
//     up to 40 Hz and beyond.
//   - sqi.bas (1 - basSQI): power of x below 1 Hz (low-passed at 1 Hz)
//     over that below 40 Hz, the mean removed: baseline wander.
//   - sqi.hf: power of x high-passed at 40 Hz over that high-passed at
//     0.5 Hz: muscle noise and mains (NaN when 40 Hz is at or above 0.45
//     fs).
//   - sqi.flat: the share of samples in runs of at least 0.2 s over which
//     x does not move by more than 1e-4 of its range (a lead off, a
//     saturated amplifier).
//   - sqi.bsqi (bSQI): agreement of two beat detectors, matched / (n1 +
//     n2 - matched), beats matched within 150 ms; the first is
//     datasets/beats, the second a simple detector on a differently
//     filtered signal (secondBeats). Two detectors agree on clean ECG and
//     disagree on noise.
//   - sqi.noisy.beats: the share of beats datasets/beats marks Noisy (not
//     standing out of the signal around them, or placed on the rhythm).
//   - sqi.rr.implausible: the share of intervals between successive
//     beats under 0.25 s or over 2.4 s (a heart rate above 240 or below
//     25 per minute).
//   - sqi.sec.max/median, sqi.sec.min/median: the peak-to-peak of bp in
//     every whole second, the largest and smallest over the median (the
//     worst second: an artefact, a lead off); sqi.sec.bad: the share of
//     seconds over 2.5 times or under 0.4 times the median. (The median
//     itself, the amplitude in mV, was left out: it describes the device's
//     gain, and grouped CV did not want it; docs/rhythm.md.)
//
// With too little to measure (no beats, a flat signal, less than 3
// seconds) a feature is NaN, never Inf.
var qualityFeatureNames = []string{
	"sqi.kurtosis", "sqi.skewness", "sqi.psqi", "sqi.bas", "sqi.hf", "sqi.flat", "sqi.bsqi",
	"sqi.noisy.beats", "sqi.rr.implausible", "sqi.sec.max/median", "sqi.sec.min/median", "sqi.sec.bad",
}

// qualityFeatures appends the signal quality features of x (mV at fs
// Hz), band-passed 0.5-40 Hz as bp, with beats bs.
func qualityFeatures(v []float64, x, bp []float64, bs []beats.Beat, fs float64) []float64 {
	nan := math.NaN()
	kurt, skew := moments(bp)
	v = append(v, kurt, skew)
	v = append(v, bandPowerRatios(x, bp, fs)...)
	v = append(v, flatShare(x, fs))
	at := make([]int64, len(bs))
	noisy := 0.0
	for i, b := range bs {
		at[i] = b.Sample
		if b.Noisy {
			noisy++
		}
	}
	if len(bs) == 0 {
		v = append(v, 0, nan, nan)
	} else {
		v = append(v, detectorAgreement(at, secondBeats(bp, fs), 0.15*fs), noisy/float64(len(bs)))
		if len(bs) < 2 {
			v = append(v, nan)
		} else {
			bad := 0.0
			for i := 1; i < len(at); i++ {
				rr := float64(at[i]-at[i-1]) / fs
				if rr < 0.25 || rr > 2.4 {
					bad++
				}
			}
			v = append(v, bad/float64(len(at)-1))
		}
	}
	return append(v, secondFeatures(bp, fs)...)
}

// moments returns the kurtosis and skewness of x (NaN for a constant x).
func moments(x []float64) (kurt, skew float64) {
	mu, sd := meanStd(x)
	if !(sd > 0) {
		return math.NaN(), math.NaN()
	}
	var m3, m4 float64
	for _, v := range x {
		d := (v - mu) / sd
		m3 += d * d * d
		m4 += d * d * d * d
	}
	n := float64(len(x))
	return m4 / n, m3 / n
}

// bandPowerRatios returns sqi.psqi, sqi.bas and sqi.hf of x, with bp
// the signal band-passed 0.5-40 Hz. A power ratio needs no zero phase, so
// the extra filters run forwards only: 5-15 Hz and 5-40 Hz are bp
// high-passed at 5 Hz (then low-passed at 15 Hz), the rest are x less its
// mean low- or high-passed once.
func bandPowerRatios(x, bp []float64, fs float64) []float64 {
	nan := math.NaN()
	mu, _ := meanStd(x)
	ratio := func(a, b float64) float64 {
		if !(b > 0) {
			return nan
		}
		return a / b
	}
	b5 := filterOnce(bp, fs, 5, true)
	psqi := ratio(filteredEnergy(b5, 0, fs, 15, false), energy(b5))
	bas := ratio(filteredEnergy(x, mu, fs, 1, false), filteredEnergy(x, mu, fs, 40, false))
	hf := nan
	if 40 < 0.45*fs {
		hf = ratio(filteredEnergy(x, mu, fs, 40, true), filteredEnergy(x, mu, fs, 0.5, true))
	}
	return []float64{psqi, bas, hf}
}

// filterOnce returns x filtered forwards once by a second-order
// Butterworth high-pass (high) or low-pass at f Hz, starting in the
// steady state of the first sample; x itself when f is at or above 0.45
// fs.
func filterOnce(x []float64, fs, f float64, high bool) []float64 {
	y := slices.Clone(x)
	if len(y) > 0 && f > 0 && f < 0.45*fs {
		butterBiquad(f/fs, high).run(y, 1)
	}
	return y
}

// filteredEnergy returns the sum of squares of x less mu filtered
// forwards once as filterOnce does, without storing the output.
func filteredEnergy(x []float64, mu, fs, f float64, high bool) float64 {
	if len(x) == 0 {
		return 0
	}
	if !(f > 0 && f < 0.45*fs) {
		e := 0.0
		for _, v := range x {
			e += (v - mu) * (v - mu)
		}
		return e
	}
	c := butterBiquad(f/fs, high)
	x0 := x[0] - mu
	g := (c.b0 + c.b1 + c.b2) / (1 + c.a1 + c.a2)
	x1, x2, y1, y2 := x0, x0, g*x0, g*x0
	e := 0.0
	for _, v := range x {
		xn := v - mu
		yn := c.b0*xn + c.b1*x1 + c.b2*x2 - c.a1*y1 - c.a2*y2
		x2, x1, y2, y1 = x1, xn, y1, yn
		e += yn * yn
	}
	return e
}

func energy(x []float64) float64 {
	e := 0.0
	for _, v := range x {
		e += v * v
	}
	return e
}

// flatShare returns the share of samples of x in runs of at least 0.2 s
// that stay within 1e-4 of the range of x (NaN for an empty x).
func flatShare(x []float64, fs float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	lo, hi := slices.Min(x), slices.Max(x)
	if hi == lo {
		return 1
	}
	tol := 1e-4 * (hi - lo)
	minRun := max(2, int(math.Round(0.2*fs)))
	flat, start := 0, 0
	rlo, rhi := x[0], x[0]
	for i := 1; i < len(x); i++ {
		v := x[i]
		if v < rlo {
			rlo = v
		} else if v > rhi {
			rhi = v
		}
		if rhi-rlo <= tol {
			continue
		}
		if i-start >= minRun {
			flat += i - start
		}
		start, rlo, rhi = i, v, v
	}
	if len(x)-start >= minRun {
		flat += len(x) - start
	}
	return float64(flat) / float64(len(x))
}

// secondBeats is a second, deliberately different QRS detector for
// sqi.bsqi: the squared slope of bp (band-passed 0.5-40 Hz) high-passed
// at 8 Hz and low-passed at 25 Hz (forwards once: its delay of a few ms
// is far within the 150 ms of matching), smoothed over 80 ms; a beat is the largest value of each run above 0.3 times the median
// of the per-second maxima, at least 0.25 s after the previous beat (a
// larger peak within 0.25 s replaces it).
func secondBeats(bp []float64, fs float64) []int64 {
	b := filterOnce(bp, fs, 8, true)
	if 25 < 0.45*fs {
		butterBiquad(25/fs, false).run(b, 1)
	}
	e := make([]float64, len(b))
	for i := 1; i < len(b); i++ {
		d := (b[i] - b[i-1]) * fs
		e[i] = d * d
	}
	w := max(1, int(math.Round(0.08*fs)))
	env := movingMean(e, w)
	sec := int(math.Round(fs))
	var maxima []float64
	for lo := 0; lo+sec <= len(env); lo += sec {
		maxima = append(maxima, slices.Max(env[lo:lo+sec]))
	}
	if len(maxima) == 0 {
		return nil
	}
	slices.Sort(maxima)
	th := 0.3 * quantileSorted(maxima, 0.5)
	if !(th > 0) {
		return nil
	}
	refr := int64(math.Round(0.25 * fs))
	var out []int64
	var peaks []float64
	for i := 0; i < len(env); {
		if env[i] <= th {
			i++
			continue
		}
		best := i
		for ; i < len(env) && env[i] > th; i++ {
			if env[i] > env[best] {
				best = i
			}
		}
		p := int64(best)
		if n := len(out); n > 0 && p-out[n-1] < refr {
			if env[best] > peaks[n-1] {
				out[n-1], peaks[n-1] = p, env[best]
			}
			continue
		}
		out, peaks = append(out, p), append(peaks, env[best])
	}
	return out
}

// movingMean returns the centred running mean of x over w samples.
func movingMean(x []float64, w int) []float64 {
	out := make([]float64, len(x))
	s := 0.0
	half := w / 2
	for i := 0; i < len(x)+half; i++ {
		if i < len(x) {
			s += x[i]
		}
		if i-w >= 0 {
			s -= x[i-w]
		}
		if j := i - half; j >= 0 && j < len(x) {
			n := min(i, len(x)-1) - max(i-w+1, 0) + 1
			out[j] = s / float64(n)
		}
	}
	return out
}

// detectorAgreement is matched / (len(a) + len(b) - matched), a and b
// sorted beat samples matched one to one within tol samples.
func detectorAgreement(a, b []int64, tol float64) float64 {
	if len(a)+len(b) == 0 {
		return math.NaN()
	}
	matched, j := 0, 0
	for _, s := range a {
		for j < len(b) && float64(s-b[j]) > tol {
			j++
		}
		if j < len(b) && math.Abs(float64(b[j]-s)) <= tol {
			matched++
			j++
		}
	}
	return float64(matched) / float64(len(a)+len(b)-matched)
}

// secondFeatures returns sqi.sec.max/median, sqi.sec.min/median and
// sqi.sec.bad of bp.
func secondFeatures(bp []float64, fs float64) []float64 {
	nan := math.NaN()
	sec := max(1, int(math.Round(fs)))
	var ptp []float64
	for lo := 0; lo+sec <= len(bp); lo += sec {
		w := bp[lo : lo+sec]
		ptp = append(ptp, slices.Max(w)-slices.Min(w))
	}
	if len(ptp) < 3 {
		return []float64{nan, nan, nan}
	}
	s := slices.Clone(ptp)
	slices.Sort(s)
	med := quantileSorted(s, 0.5)
	if !(med > 0) {
		return []float64{nan, nan, nan}
	}
	bad := 0.0
	for _, p := range ptp {
		if p > 2.5*med || p < 0.4*med {
			bad++
		}
	}
	return []float64{s[len(s)-1] / med, s[0] / med, bad / float64(len(ptp))}
}
