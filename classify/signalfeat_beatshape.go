package classify

import (
	"math"
	"slices"
)

// Feature set 5, beat shape (the "beat." features): beats of another
// shape (premature ventricular beats, aberrant conduction) and wide QRS
// complexes (bundle branch block, pacing) mark many of the "other
// rhythms" of the CinC 2017 set; the best entries measured beat
// morphology and its variability from templates (Teijeiro et al. 2018,
// "Arrhythmia classification from the abductive interpretation of short
// single-lead ECG records"; Zabihi et al. 2017, "Detection of atrial
// fibrillation in ECG hand-held devices using a random forest
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
//
// Features of the template's other waves (QRS polarity, T wave and ST
// level over the QRS, PR interval, Bazett-corrected T peak) were tried and
// left out: no better on the CinC 2017 set, worse for AF on mitdb
// (docs/rhythm.md, set 5), as they describe the patient and the electrode
// more than the rhythm.
//
// Under 3 whole beat windows every feature is NaN, never Inf.
var beatShapeFeatureNames = []string{
	"beat.corr.min", "beat.corr.p10", "beat.corr.low", "beat.outlier.share", "beat.outlier.width",
	"beat.qrs.width", "beat.qrs.width.iqr",
}

// beatShapeFeatures appends the beat shape features of the aligned beat
// windows wins of the signal band-passed 0.5-40 Hz at fs Hz (beatWindows:
// the fiducial point at index pre) and their median, tmpl.
func beatShapeFeatures(v []float64, wins [][]float64, tmpl []float64, pre int, fs float64) []float64 {
	n0 := len(v)
	for range beatShapeFeatureNames {
		v = append(v, math.NaN())
	}
	if len(wins) < 3 {
		return v
	}
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
	return v
}

// beatWindows returns the beat windows of bp (see beatShapeFeatures),
// each aligned on the median beat, and the index of the fiducial point in
// them.
func beatWindows(bp []float64, at []int64, fs float64) ([][]float64, int) {
	var rr []float64
	for i := 1; i < len(at); i++ {
		rr = append(rr, float64(at[i]-at[i-1])/fs)
	}
	post := 0.45
	if len(rr) > 0 {
		slices.Sort(rr)
		post = math.Min(0.45, math.Max(0.2, 0.75*quantileSorted(rr, 0.5)))
	}
	pre := int(math.Round(0.25 * fs))
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
		return nil, pre
	}
	return alignBeats(wide, pre, m, int(math.Round(0.1*fs))), pre
}

// alignBeats moves every window of wide (margins of m samples on each
// side) by the lag within m that best matches its QRS part (q samples
// each side of the fiducial point at pre+m) with the median of the
// unmoved windows, and returns the moved windows without the margins.
// A detector puts the fiducial point of a beat on another of its waves
// now and then (tens of ms off); aligned, such a beat still matches.
func alignBeats(wide [][]float64, pre, m, q int) [][]float64 {
	n := len(wide[0]) - 2*m
	c := pre + m
	lo, hi := max(c-q, m), min(c+q+1, len(wide[0])-m)
	ref := medianColumns(wide, lo, hi) // only the QRS part is compared
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
	return medianColumns(wins, 0, len(wins[0]))
}

// medianColumns returns the median over the windows of each sample in
// [lo, hi), at its index (the others 0).
func medianColumns(wins [][]float64, lo, hi int) []float64 {
	tmpl := make([]float64, len(wins[0]))
	col := make([]float64, len(wins))
	for i := lo; i < hi; i++ {
		for j, w := range wins {
			col[j] = w[i]
		}
		tmpl[i] = median(col)
	}
	return tmpl
}

// median returns the median of x (the mean of the two middle values for
// an even length, as quantileSorted), reordering x; NaN when empty.
func median(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	k := n / 2
	hi := selectKth(x, k)
	if n%2 == 1 {
		return hi
	}
	// The largest of x[:k], all at most x[k] after selectKth.
	return (slices.Max(x[:k]) + hi) / 2
}

// selectKth reorders x so that x[k] is the k-th smallest (from 0), with
// nothing larger before it and nothing smaller after it, and returns it
// (Hoare's selection, middle pivot).
func selectKth(x []float64, k int) float64 {
	lo, hi := 0, len(x)-1
	for lo < hi {
		p := x[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for x[i] < p {
				i++
			}
			for x[j] > p {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
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
