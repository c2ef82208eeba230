package beats

import "math"

// HRV summarises heart rate and its variability over a beat series. All
// intervals between consecutive beats are used as they are (no ectopic or
// artifact editing), so the values describe the detected series.
type HRV struct {
	Beats     int     // number of beats
	Intervals int     // number of RR intervals (Beats-1)
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
	h := HRV{Beats: len(beatSamples)}
	nan := math.NaN()
	h.MeanRR, h.MeanHR, h.MinHR, h.MaxHR = nan, nan, nan, nan
	h.SDNN, h.RMSSD, h.PNN50 = nan, nan, nan
	if len(beatSamples) < 2 || fs <= 0 {
		return h
	}
	n := len(beatSamples) - 1
	h.Intervals = n
	var sum float64
	minRR, maxRR := math.Inf(1), math.Inf(-1)
	for i := 1; i <= n; i++ {
		rr := float64(beatSamples[i]-beatSamples[i-1]) / fs
		sum += rr
		minRR = math.Min(minRR, rr)
		maxRR = math.Max(maxRR, rr)
	}
	h.MeanRR = sum / float64(n)
	h.MeanHR = 60 / h.MeanRR
	h.MinHR = 60 / maxRR
	h.MaxHR = 60 / minRR
	if n < 2 {
		return h
	}
	var ss, sd float64
	nn50 := 0
	prev := float64(beatSamples[1]-beatSamples[0]) / fs
	ss = (prev - h.MeanRR) * (prev - h.MeanRR)
	for i := 2; i <= n; i++ {
		rr := float64(beatSamples[i]-beatSamples[i-1]) / fs
		ss += (rr - h.MeanRR) * (rr - h.MeanRR)
		diff := (rr - prev) * 1000
		sd += diff * diff
		if math.Abs(diff) > 50 {
			nn50++
		}
		prev = rr
	}
	h.SDNN = 1000 * math.Sqrt(ss/float64(n-1))
	h.RMSSD = math.Sqrt(sd / float64(n-1))
	h.PNN50 = 100 * float64(nn50) / float64(n-1)
	return h
}
