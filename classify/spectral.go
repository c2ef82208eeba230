package classify

import (
	"math"
)

// spectralFeatures appends band-power features of x's spectrogram: the
// share of each band in the total power (bands of o.Bands), the
// coefficient of variation of each band's power over time, the spectral
// entropy of the mean spectrum and its peak frequency, and the signal's
// standard deviation and 1-99 % range.
func (o SignalFeatures) spectralFeatures(v []float64, x []float64, fs float64) []float64 {
	freqs, power := o.spectrogram(x, fs)
	nb := len(o.Bands) - 1
	nt := 0
	if len(power) > 0 {
		nt = len(power[0])
	}
	band := make([][]float64, nb) // band power per time
	for b := range band {
		band[b] = make([]float64, nt)
	}
	mean := make([]float64, len(freqs))
	for fi, f := range freqs {
		for t := 0; t < nt; t++ {
			mean[fi] += power[fi][t]
		}
		if nt > 0 {
			mean[fi] /= float64(nt)
		}
		for b := 0; b < nb; b++ {
			if f >= o.Bands[b] && f < o.Bands[b+1] {
				for t := 0; t < nt; t++ {
					band[b][t] += power[fi][t]
				}
			}
		}
	}
	tot := 0.0
	bm := make([]float64, nb)
	for b := range band {
		bm[b], _ = meanStd(band[b])
		tot += bm[b]
	}
	for b := range band {
		v = append(v, safeDiv(bm[b], tot))
	}
	for b := range band {
		mu, sd := meanStd(band[b])
		v = append(v, safeDiv(sd, mu))
	}
	// Entropy and peak of the mean spectrum within the band range.
	lo, hi := o.Bands[0], o.Bands[nb]
	var st float64
	peak, peakF := -1.0, math.NaN()
	for fi, f := range freqs {
		if f >= lo && f < hi {
			st += mean[fi]
			if mean[fi] > peak {
				peak, peakF = mean[fi], f
			}
		}
	}
	ent := 0.0
	if st > 0 {
		for fi, f := range freqs {
			if f >= lo && f < hi && mean[fi] > 0 {
				p := mean[fi] / st
				ent -= p * math.Log2(p)
			}
		}
	}
	_, sd := meanStd(x)
	// The 1 % and 99 % quantiles from at most 4096 evenly spaced samples
	// (a full sort of a long window dominated the cost of a prediction).
	step := max(len(x)/4096, 1)
	sorted := make([]float64, 0, len(x)/step+1)
	for i := 0; i < len(x); i += step {
		sorted = append(sorted, x[i])
	}
	sortFloats(sorted)
	v = append(v, ent, peakF, sd, quantileSorted(sorted, 0.99)-quantileSorted(sorted, 0.01))
	return v
}
