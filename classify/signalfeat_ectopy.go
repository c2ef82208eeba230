package classify

import (
	"math"
	"slices"
)

// Feature set 5, ectopy and rate extremes (the "ect." and "hr5."
// features): the "other rhythms" of the CinC 2017 set are mostly sinus
// rhythm with premature beats, bigeminy or trigeminy, and sinus brady-
// or tachycardia (Clifford et al. 2017, "AF classification from a short
// single lead ECG recording: the PhysioNet/Computing in Cardiology
// Challenge 2017"; Teijeiro et al. 2018 and Datta et al. 2017 model
// ectopic beats and rhythm patterns explicitly). They use the intervals
// of set 4 (between two clean beats, pairs only of intervals that follow
// each other):
//
//   - ect.premature.per.min: premature beats per minute of signal. A beat
//     is premature when its interval is under 0.85 times the local
//     reference (the median of up to 8 neighbouring intervals, 4 on each
//     side, the interval and the next one left out) and the next interval
//     is over 1.1 times it (a compensatory pause). Set 1's rr.premature
//     compares with the median of the whole recording.
//   - ect.compensation: the median over premature beats of (RR_i +
//     RR_i+1) / (2 ref): about 1 for a full compensatory pause
//     (ventricular ectopy), under 1 when the ectopic beat resets the sinus
//     node (atrial ectopy); NaN without premature beats.
//   - ect.short.per.min, ect.long.per.min: intervals under 0.8 times
//     their local reference (premature, with or without a pause) and over
//     1.25 times it (pauses, dropped beats), per minute; ect.min/ref and
//     ect.max/ref: the smallest and largest interval over its reference.
//   - ect.all.premature.per.min: ect.premature.per.min over every
//     interval, clean or not (a wide ectopic beat may not stand out of
//     its surroundings as the detector's Noisy test asks).
//   - ect.ac1, ect.ac2, ect.ac3: the autocorrelation of the intervals at
//     lags 1, 2 and 3, sum (RR_i - m)(RR_i+k - m) over pairs of intervals
//     k apart in one run of intervals that follow each other, over sum
//     (RR_i - m)^2, m the mean interval: bigeminy about -1, +1, -1;
//     trigeminy a peak at lag 3; AF near 0; sinus rhythm with a slow
//     trend positive. NaN with fewer than 4 pairs or no variation.
//   - hr5.min, hr5.max: the slowest and fastest heart rate (per minute)
//     of 5 successive intervals, 60 / their mean; NaN without 5 successive
//     intervals.
var ectopyFeatureNames = []string{
	"ect.premature.per.min", "ect.compensation", "ect.short.per.min", "ect.long.per.min", "ect.min/ref", "ect.max/ref",
	"ect.all.premature.per.min", "ect.ac1", "ect.ac2", "ect.ac3", "hr5.min", "hr5.max",
}

// ectopyFeatures appends the ectopy and rate-extreme features of the
// intervals rr (seconds; next as rrIntervals returns) and of every
// interval all (nextAll) of a signal of dur seconds.
func ectopyFeatures(v []float64, rr []float64, next []bool, all []float64, nextAll []bool, dur float64) []float64 {
	nan := math.NaN()
	perMin := func(n int) float64 {
		if !(dur > 0) {
			return nan
		}
		return float64(n) / dur * 60
	}
	e := ectopy(rr, next)
	c := nan
	if len(e.comp) > 0 {
		slices.Sort(e.comp)
		c = quantileSorted(e.comp, 0.5)
	}
	v = append(v, perMin(len(e.comp)), c, perMin(e.short), perMin(e.long), e.minRatio, e.maxRatio,
		perMin(len(ectopy(all, nextAll).comp)))
	for k := 1; k <= 3; k++ {
		v = append(v, rrAutocorrelation(rr, next, k))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i+5 <= len(rr); i++ {
		if !slices.Equal(next[i:i+4], []bool{true, true, true, true}) {
			continue
		}
		s := rr[i] + rr[i+1] + rr[i+2] + rr[i+3] + rr[i+4]
		hr := 60 / (s / 5)
		lo, hi = math.Min(lo, hr), math.Max(hi, hr)
	}
	if math.IsInf(lo, 0) {
		return append(v, nan, nan)
	}
	return append(v, lo, hi)
}

// ectopyCounts are the premature, short and long intervals of a rhythm.
type ectopyCounts struct {
	// comp holds (RR_i + RR_i+1) / (2 ref) of every premature beat.
	comp        []float64
	short, long int
	// minRatio and maxRatio are the smallest and largest RR_i / ref (NaN
	// when no interval has a reference).
	minRatio, maxRatio float64
}

// ectopy compares every interval of rr with its local reference.
func ectopy(rr []float64, next []bool) ectopyCounts {
	e := ectopyCounts{minRatio: math.Inf(1), maxRatio: math.Inf(-1)}
	for i := range rr {
		ref := localReference(rr, next, i)
		if !(ref > 0) {
			continue
		}
		r := rr[i] / ref
		e.minRatio, e.maxRatio = math.Min(e.minRatio, r), math.Max(e.maxRatio, r)
		if r < 0.8 {
			e.short++
		}
		if r > 1.25 {
			e.long++
		}
		if i+1 < len(rr) && next[i] && r < 0.85 && rr[i+1] > 1.1*ref {
			e.comp = append(e.comp, (rr[i]+rr[i+1])/(2*ref))
		}
	}
	if math.IsInf(e.minRatio, 0) {
		e.minRatio, e.maxRatio = math.NaN(), math.NaN()
	}
	return e
}

// localReference is the median of up to 4 intervals on each side of
// intervals i and i+1 of the run they are in (NaN when there is none).
func localReference(rr []float64, next []bool, i int) float64 {
	var w [8]float64
	n := 0
	for j, k := i-1, 0; j >= 0 && k < 4 && next[j]; j, k = j-1, k+1 {
		w[n], n = rr[j], n+1
	}
	for j, k := i+2, 0; j < len(rr) && k < 4 && next[j-1] && (j-2 < i || next[j-2]); j, k = j+1, k+1 {
		w[n], n = rr[j], n+1
	}
	if n == 0 {
		return math.NaN()
	}
	s := w[:n]
	slices.Sort(s)
	return quantileSorted(s, 0.5)
}

// rrAutocorrelation is the autocorrelation of rr at lag k over pairs in
// one run of successive intervals (NaN with fewer than 4 pairs or no
// variation).
func rrAutocorrelation(rr []float64, next []bool, k int) float64 {
	m, _ := meanStd(rr)
	var num, den float64
	pairs := 0
	for _, r := range rr {
		den += (r - m) * (r - m)
	}
	run := 0 // successive intervals that follow each other, ending at i
	for i := range rr {
		if i > 0 && next[i-1] {
			run++
		} else {
			run = 0
		}
		if run >= k {
			num += (rr[i] - m) * (rr[i-k] - m)
			pairs++
		}
	}
	if pairs < 4 || !(den > 0) {
		return math.NaN()
	}
	// Mean product over pairs over the variance of all intervals: about
	// within [-1, 1] whatever the share of intervals in pairs.
	return num / float64(pairs) / (den / float64(len(rr)))
}
