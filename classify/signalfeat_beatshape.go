package classify

import (
	"math"
	"slices"
)

// Feature set 5, beat shape (the "beat." and "wave." features): beats of
// another shape (premature ventricular beats, aberrant conduction), wide
// QRS complexes (bundle branch block) and T-wave or ST changes mark many
// of the "other rhythms" of the CinC 2017 set; the best entries measured
// beat morphology and its variability from templates (Teijeiro et al.
// 2018, "Arrhythmia classification from the abductive interpretation of
// short single-lead ECG records"; Zabihi et al. 2017, "Detection of
// atrial fibrillation in ECG hand-held devices using a random forest
// classifier"; Datta et al. 2017). Every beat's window of the signal
// band-passed 0.5-40 Hz, from 0.25 s before its fiducial point to
// min(0.45 s, max(0.2 s, 0.75 median RR)) after it (P, QRS and T at
// native resolution), moved by up to 40 ms to match the median beat best
// over its QRS (alignBeats), is compared with the median beat (the
// template: the median of every sample over the aligned beats):
//
//   - beat.corr.min, beat.corr.p10: the smallest and the 10th percentile
//     of the beats' Pearson correlations with the template;
//     beat.corr.low: the share of beats under 0.9.
//   - beat.outlier.share: the share of beats whose QRS part (within 0.1
//     s of the fiducial point) correlates under 0.8 with the template's;
//     beat.outlier.width: the median QRS width of those beats over the
//     template's (wide ventricular beats above 1; NaN without outliers).
//   - beat.qrs.width: the template's QRS width in seconds: from the first
//     to the last sample within 0.15 s of the fiducial point whose slope
//     is over a quarter of the largest there; beat.qrs.width.iqr: the
//     interquartile range over the median of the same width of each beat.
//   - wave.polarity: (max - |min|) / (max + |min|) of the template within
//     60 ms of the fiducial point, from the baseline (the template's
//     median 100 to 50 ms before the fiducial point): +1 an upright QRS, -1
//     an inverted one.
//   - wave.t/qrs: the template's largest deviation from the baseline from
//     60 ms after the QRS's end (the fiducial point plus half of
//     beat.qrs.width) to the window's end (the T wave), signed by the
//     QRS's main deflection (negative: T opposite to the QRS), over the
//     template's QRS peak-to-peak (within 0.1 s); wave.qt/sqrt(rr): the
//     time in seconds from the fiducial point to that T peak over the
//     square root of the median RR in seconds (after Bazett's correction).
//   - wave.st/qrs: the template 40 ms after the QRS's end less the
//     baseline, signed and scaled the same way.
//   - wave.pr: the time in seconds from the template's largest deviation
//     from the baseline between 0.3 s before the fiducial point and 20 ms
//     before the QRS's start (the P wave's peak) to the fiducial point (a
//     long PR interval is first-degree block).
//
// Under 3 whole beat windows every feature is NaN, never Inf.
var beatShapeFeatureNames = []string{
	"beat.corr.min", "beat.corr.p10", "beat.corr.low", "beat.outlier.share", "beat.outlier.width",
	"beat.qrs.width", "beat.qrs.width.iqr", "wave.polarity", "wave.t/qrs", "wave.st/qrs", "wave.pr", "wave.qt/sqrt(rr)",
}

// beatShapeFeatures appends the beat shape features of bp (band-passed
// 0.5-40 Hz at fs Hz) with beats at (samples).
func beatShapeFeatures(v []float64, bp []float64, at []int64, fs float64) []float64 {
	n0 := len(v)
	for range beatShapeFeatureNames {
		v = append(v, math.NaN())
	}
	wins, pre, medRR := beatWindows(bp, at, fs)
	if len(wins) < 3 {
		return v
	}
	tmpl := medianTemplate(wins)
	q := int(math.Round(0.1 * fs))
	qlo, qhi := max(pre-q, 0), min(pre+q+1, len(tmpl))
	tw := qrsWidth(tmpl, pre, fs)
	corr := make([]float64, len(wins))
	var widths, outWidths []float64
	low, out := 0.0, 0.0
	for j, w := range wins {
		corr[j] = pearson(w, tmpl)
		if corr[j] < 0.9 {
			low++
		}
		wd := qrsWidth(w, pre, fs)
		widths = append(widths, wd)
		if pearson(w[qlo:qhi], tmpl[qlo:qhi]) < 0.8 {
			out++
			outWidths = append(outWidths, wd)
		}
	}
	slices.Sort(corr)
	slices.Sort(widths)
	n := float64(len(wins))
	r := v[n0:]
	r[0], r[1], r[2], r[3] = corr[0], quantileSorted(corr, 0.1), low/n, out/n
	if len(outWidths) > 0 && tw > 0 {
		slices.Sort(outWidths)
		r[4] = quantileSorted(outWidths, 0.5) / tw
	}
	r[5] = tw
	if wm := quantileSorted(widths, 0.5); wm > 0 {
		r[6] = (quantileSorted(widths, 0.75) - quantileSorted(widths, 0.25)) / wm
	}
	w := waveFeatures(tmpl, pre, tw, fs)
	r[7], r[8], r[9], r[10] = w.pol, w.t, w.st, w.pr
	if medRR > 0 {
		r[11] = w.tPeak / math.Sqrt(medRR)
	}
	return v
}

// beatWindows returns the beat windows of bp (see beatShapeFeatures),
// each aligned on the median beat, and the index of the fiducial point in
// them, and the median RR interval in seconds (NaN under 2 beats).
func beatWindows(bp []float64, at []int64, fs float64) (wins [][]float64, pre int, medRR float64) {
	var rr []float64
	for i := 1; i < len(at); i++ {
		rr = append(rr, float64(at[i]-at[i-1])/fs)
	}
	post, medRR := 0.45, math.NaN()
	if len(rr) > 0 {
		slices.Sort(rr)
		medRR = quantileSorted(rr, 0.5)
		post = math.Min(0.45, math.Max(0.2, 0.75*medRR))
	}
	pre = int(math.Round(0.25 * fs))
	npost := int(math.Round(post * fs))
	m := int(math.Round(0.04 * fs)) // the most a fiducial point moves
	var wide [][]float64
	for _, a := range at {
		lo, hi := int(a)-pre-m, int(a)+npost+m+1
		if lo < 0 || hi > len(bp) {
			continue
		}
		wide = append(wide, bp[lo:hi])
	}
	if len(wide) < 3 {
		return nil, pre, medRR
	}
	return alignBeats(wide, pre, m, int(math.Round(0.1*fs))), pre, medRR
}

// alignBeats moves every window of wide (margins of m samples on each
// side) by the lag within m that best matches its QRS part (q samples
// each side of the fiducial point at pre+m) with the median of the
// unmoved windows, and returns the moved windows without the margins.
// A detector puts the fiducial point of a beat on another of its waves
// now and then (tens of ms off); aligned, such a beat still matches.
func alignBeats(wide [][]float64, pre, m, q int) [][]float64 {
	n := len(wide[0]) - 2*m
	ref := medianTemplate(wide)
	c := pre + m
	lo, hi := max(c-q, m), min(c+q+1, len(ref)-m)
	out := make([][]float64, len(wide))
	for j, w := range wide {
		best, bestLag := math.Inf(-1), 0
		for lag := -m; lag <= m; lag++ {
			s := 0.0
			for i := lo; i < hi; i++ {
				s += w[i+lag] * ref[i]
			}
			if s > best || (s == best && abs(lag) < abs(bestLag)) {
				best, bestLag = s, lag
			}
		}
		out[j] = w[m+bestLag : m+bestLag+n]
	}
	return out
}

func abs(i int) int { return max(i, -i) }

// medianTemplate returns the median of every sample over the windows.
func medianTemplate(wins [][]float64) []float64 {
	tmpl := make([]float64, len(wins[0]))
	col := make([]float64, len(wins))
	for i := range tmpl {
		for j, w := range wins {
			col[j] = w[i]
		}
		slices.Sort(col)
		tmpl[i] = quantileSorted(col, 0.5)
	}
	return tmpl
}

// qrsWidth returns the QRS width in seconds of w around index c: from
// the first to the last sample within 0.15 s of c whose slope is over a
// quarter of the largest there (0 for a flat w).
func qrsWidth(w []float64, c int, fs float64) float64 {
	h := int(math.Round(0.15 * fs))
	lo, hi := max(c-h, 0), min(c+h, len(w)-1)
	peak := 0.0
	for i := lo; i < hi; i++ {
		peak = math.Max(peak, math.Abs(w[i+1]-w[i]))
	}
	if !(peak > 0) {
		return 0
	}
	first, last := -1, -1
	for i := lo; i < hi; i++ {
		if math.Abs(w[i+1]-w[i]) > 0.25*peak {
			if first < 0 {
				first = i
			}
			last = i + 1
		}
	}
	return float64(last-first) / fs
}

// waves are the wave features of a template.
type waves struct {
	// pol, t, st, pr: wave.polarity, wave.t/qrs, wave.st/qrs, wave.pr;
	// tPeak is the T peak's time after the fiducial point in seconds.
	pol, t, st, pr, tPeak float64
}

// waveFeatures returns the wave features of the template tmpl with its
// fiducial point at pre and QRS width tw seconds.
func waveFeatures(tmpl []float64, pre int, tw, fs float64) waves {
	nan := math.NaN()
	w := waves{nan, nan, nan, nan, nan}
	at := func(s float64) int { return pre + int(math.Round(s*fs)) }
	blo, bhi := max(at(-0.10), 0), max(at(-0.05), 1)
	base := slices.Clone(tmpl[blo:bhi])
	slices.Sort(base)
	b := quantileSorted(base, 0.5)
	plo, phi := max(at(-0.06), 0), min(at(0.06)+1, len(tmpl))
	mx, mn := slices.Max(tmpl[plo:phi])-b, slices.Min(tmpl[plo:phi])-b
	if !(mx-mn > 0) {
		return w
	}
	w.pol = (mx - math.Abs(mn)) / (mx + math.Abs(mn))
	sign := 1.0
	if w.pol < 0 {
		sign = -1
	}
	qlo, qhi := max(at(-0.1), 0), min(at(0.1)+1, len(tmpl))
	amp := slices.Max(tmpl[qlo:qhi]) - slices.Min(tmpl[qlo:qhi])
	half := int(math.Round(tw / 2 * fs)) // the QRS taken symmetric
	end := pre + half
	if s := end + int(math.Round(0.04*fs)); s < len(tmpl) {
		w.st = sign * (tmpl[s] - b) / amp
	}
	if i, ok := largestDeviation(tmpl, b, end+int(math.Round(0.06*fs)), len(tmpl)); ok {
		w.t = sign * (tmpl[i] - b) / amp
		w.tPeak = float64(i-pre) / fs
	}
	if i, ok := largestDeviation(tmpl, b, max(at(-0.30), 0), pre-half-int(math.Round(0.02*fs))); ok {
		w.pr = float64(pre-i) / fs
	}
	return w
}

// largestDeviation returns the index in [lo, hi) where tmpl is farthest
// from b; ok is false for an empty range.
func largestDeviation(tmpl []float64, b float64, lo, hi int) (int, bool) {
	best, dev := -1, -1.0
	for i := max(lo, 0); i < min(hi, len(tmpl)); i++ {
		if d := math.Abs(tmpl[i] - b); d > dev {
			best, dev = i, d
		}
	}
	return best, best >= 0
}
