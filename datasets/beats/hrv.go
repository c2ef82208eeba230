package beats

import "math"

// HRV summarises heart rate and its variability over a beat series. The
// intervals between consecutive beats are used as they are (no ectopic
// editing), so the values describe the detected series; SummarizeBeats
// leaves out the intervals that touch a noisy beat.
type HRV struct {
	Beats     int     // number of beats
	Noisy     int     // beats marked noisy (SummarizeBeats; 0 from SummarizeHRV)
	Intervals int     // number of RR intervals used (Beats-1 for SummarizeHRV)
	MeanRR    float64 // mean RR interval, seconds
	MeanHR    float64 // 60 / MeanRR, beats per minute
	MinHR     float64 // 60 / longest RR interval, bpm
	MaxHR     float64 // 60 / shortest RR interval, bpm
	SDNN      float64 // sample standard deviation of RR intervals, ms
	RMSSD     float64 // root mean square of successive RR differences, ms
	PNN50     float64 // percentage of successive RR differences above 50 ms
}

// SummarizeHRV computes the HRV summary of beat samples (ascending) at fs
// Hz. Values that need more intervals than given are NaN: the heart
// rates need one interval, SDNN two, RMSSD and PNN50 two (one difference).
func SummarizeHRV(beatSamples []int64, fs float64) HRV {
	return summarize(len(beatSamples), func(i int) (int64, bool) { return beatSamples[i], false }, fs)
}

// SummarizeBeats is SummarizeHRV over detected beats, leaving out every
// interval with a noisy beat (Beat.Noisy) at either end: the heart rates,
// SDNN, RMSSD and pNN50 come from the intervals between clean beats, and
// successive differences only from two such intervals in a row. Noisy
// counts the noisy beats.
func SummarizeBeats(bs []Beat, fs float64) HRV {
	h := summarize(len(bs), beatAt(bs), fs)
	for _, b := range bs {
		if b.Noisy {
			h.Noisy++
		}
	}
	return h
}

// beatAt gives detected beats to summarize and intervals.
func beatAt(bs []Beat) func(i int) (int64, bool) {
	return func(i int) (int64, bool) { return bs[i].Sample, bs[i].Noisy }
}

// intervals returns the n-1 intervals in seconds between consecutive beats
// given by at (sample, noisy): rr[i] ends at beat i+1, and is NaN when a
// noisy beat is at either end.
func intervals(n int, at func(i int) (int64, bool), fs float64) []float64 {
	if n < 2 {
		return nil
	}
	rr := make([]float64, n-1)
	s0, noisy0 := at(0)
	for i := 1; i < n; i++ {
		s1, noisy1 := at(i)
		rr[i-1] = math.NaN()
		if !noisy0 && !noisy1 {
			rr[i-1] = float64(s1-s0) / fs
		}
		s0, noisy0 = s1, noisy1
	}
	return rr
}

// summarize computes the HRV of n beats given by at (sample, noisy).
func summarize(n int, at func(i int) (int64, bool), fs float64) HRV {
	h := HRV{Beats: n}
	nan := math.NaN()
	h.MeanRR, h.MeanHR, h.MinHR, h.MaxHR = nan, nan, nan, nan
	h.SDNN, h.RMSSD, h.PNN50 = nan, nan, nan
	if n < 2 || fs <= 0 {
		return h
	}
	rr := intervals(n, at, fs)
	var sum float64
	var used int
	minRR, maxRR := math.Inf(1), math.Inf(-1)
	for _, v := range rr {
		if !math.IsNaN(v) {
			sum += v
			used++
			minRR = math.Min(minRR, v)
			maxRR = math.Max(maxRR, v)
		}
	}
	h.Intervals = used
	if used == 0 {
		return h
	}
	h.MeanRR = sum / float64(used)
	h.MeanHR = 60 / h.MeanRR
	h.MinHR = 60 / maxRR
	h.MaxHR = 60 / minRR
	if used >= 2 {
		var ss float64
		for _, v := range rr {
			if !math.IsNaN(v) {
				ss += (v - h.MeanRR) * (v - h.MeanRR)
			}
		}
		h.SDNN = 1000 * math.Sqrt(ss/float64(used-1))
	}
	var sd float64
	var nd, nn50 int
	for i := 1; i < len(rr); i++ {
		if math.IsNaN(rr[i]) || math.IsNaN(rr[i-1]) {
			continue
		}
		diff := (rr[i] - rr[i-1]) * 1000
		sd += diff * diff
		nd++
		if math.Abs(diff) > 50 {
			nn50++
		}
	}
	if nd > 0 {
		h.RMSSD = math.Sqrt(sd / float64(nd))
		h.PNN50 = 100 * float64(nn50) / float64(nd)
	}
	return h
}
