package classify

import (
	"math"
	"slices"

	"github.com/ecgkit/ecg/spectro"
)

// Feature set 8 is set 7 with the atrial activity of the whole record
// after QRST cancellation (the "aa.res." features) and the median beat's
// waves (signalfeat_waves.go) after it: 79 features. Set 2's atrial features look for fibrillatory waves only in
// the TQ intervals, which are short or missing at a fast ventricular
// rate; the best CinC 2017 entries also cancelled the ventricular
// activity beat by beat and read the residual, which covers the whole
// record (after the average-beat subtraction of Slocum et al. 1992,
// "Diagnosis of atrial fibrillation from surface electrocardiograms
// based on computer-detected atrial activity", and the dominant
// frequency and organisation index of Everett et al. 2001, "Assessment
// of global atrial fibrillation organization to optimize timing of
// atrial defibrillation").
//
// The residual: the signal band-passed 0.5-40 Hz less, in every aligned
// beat window of set 5's beat shape features (beatWindows: from 0.25 s
// before the fiducial point to at most 0.45 s after it), the median beat
// (the template) times the beat's least-squares gain (held to 0.5-1.5),
// from the first window's start to the last window's end; a sample two
// windows share is cancelled by the earlier one only. The template
// holds the P wave of a sinus rhythm, so sinus leaves little; it holds
// no fibrillatory wave (they do not repeat with the beat), so AF leaves
// them. The residual is averaged over blocks of floor(fs/100) samples
// (to 100-200 Hz, the same spectra at any rate) and its Welch spectrum
// taken over 2 s Hann segments (half overlap, zero-padded to 4 s):
//
//   - aa.res.df: the dominant frequency in Hz, the peak of the spectrum
//     in 4-9 Hz (where fibrillatory waves are).
//   - aa.res.oi: the organisation index, the power within 1 Hz of that
//     peak over the power in 3-12 Hz (a pure wave about 1, white noise
//     0.2).
//   - aa.res.rel49: the residual's 4-9 Hz power over its 1-40 Hz power.
//   - aa.res.49/hf: the residual's 4-9 Hz power over its 10-30 Hz power
//     (fibrillatory waves against muscle noise).
//   - aa.res.49/signal: the residual's 4-9 Hz power over the band-passed
//     signal's 0.5-40 Hz power.
//   - aa.res.share: the residual's 0.5-40 Hz power over the band-passed
//     signal's, on the same samples: how much of it the beats do not
//     explain.
//   - aa.res.df.iqr: the interquartile range in Hz of the 4-9 Hz peak of
//     each 2 s segment's spectrum (steady waves: small).
//
// Wearable recordings carry more muscle noise than fibrillatory waves
// (on CinC 2017 the residual of sinus rhythm is most of the band-passed
// signal outside the QRS): the ratios of bands are what tell AF from
// it. A band past the Nyquist frequency of the averaged residual gives
// NaN; so does every feature under 3 whole beat windows, for a residual
// shorter than one segment or at 24 Hz or less.
const atrialSet = 8

var atrialFeatureNames = []string{
	"aa.res.df", "aa.res.oi", "aa.res.rel49", "aa.res.49/hf", "aa.res.49/signal", "aa.res.share", "aa.res.df.iqr",
}

// The bands of atrial activity and the spectra's settings (see
// atrialFeatureNames).
const (
	aaLowHz, aaHighHz = 4.0, 9.0 // fibrillatory waves
	aaOILowHz         = 3.0      // the organisation index's band: 3-12 Hz
	aaOIHighHz        = 12.0     //
	aaPeakHz          = 1.0      // the half-width of the dominant peak
	aaRateHz          = 100      // the least rate the residual is averaged to
	aaSegmentSeconds  = 2.0      //
	aaPadSeconds      = 4.0      //
)

// atrialFeatures appends the atrial features of bp (the signal
// band-passed 0.5-40 Hz at fs Hz) whose aligned beat windows wins start
// at starts, with their median tmpl (nil when there are under 3).
func atrialFeatures(v []float64, bp []float64, wins [][]float64, starts []int, tmpl []float64, fs float64) []float64 {
	n0 := len(v)
	for range atrialFeatureNames {
		v = append(v, math.NaN())
	}
	if len(wins) < 3 || len(tmpl) == 0 || fs <= 2*aaOIHighHz {
		return v
	}
	lo, hi := starts[0], starts[len(starts)-1]+len(tmpl)
	res := qrstResidual(bp[lo:hi], wins, starts, lo, tmpl)
	k := max(int(fs/aaRateHz), 1)
	fsd := fs / float64(k)
	rd, bd := blockMeans(res, k), blockMeans(bp[lo:hi], k)
	nseg := int(math.Round(aaSegmentSeconds * fsd))
	if len(rd) < nseg || nseg < 8 {
		return v
	}
	nfft := 1
	for float64(nfft) < aaPadSeconds*fsd {
		nfft *= 2
	}
	p := spectro.Params{Window: "hann", NPerSeg: nseg, NOverlap: nseg / 2, NFFT: nfft,
		Detrend: spectro.DetrendConstant, Scaling: spectro.ScalingDensity, Mode: spectro.ModePSD}
	pl, err := spectro.NewPlan(fsd, p)
	if err != nil {
		return v
	}
	rs, err := pl.Compute(rd)
	if err != nil {
		return v
	}
	bs, err := pl.Compute(bd)
	if err != nil {
		return v
	}
	fr, psd, bpsd := rs.Freqs, meanRows(rs.Power), meanRows(bs.Power)
	band := func(p []float64, a, b float64) float64 { return bandPower(fr, p, a, b, fsd) }
	r := v[n0:]
	r[0], r[1] = spectralPeak(fr, psd)
	r[2] = powerRatio(band(psd, aaLowHz, aaHighHz), band(psd, 1, 40))
	r[3] = powerRatio(band(psd, aaLowHz, aaHighHz), band(psd, 10, 30))
	r[4] = powerRatio(band(psd, aaLowHz, aaHighHz), band(bpsd, 0.5, 40))
	r[5] = powerRatio(band(psd, 0.5, 40), band(bpsd, 0.5, 40))
	r[6] = segmentPeakIQR(rs)
	return v
}

// bandPower returns the sum of psd over the bins of freqs in [a, b), NaN
// when b is past 0.45 fs (the band is not all there).
func bandPower(freqs, psd []float64, a, b, fs float64) float64 {
	if b > 0.45*fs {
		return math.NaN()
	}
	s := 0.0
	for i, f := range freqs {
		if f >= a && f < b {
			s += psd[i]
		}
	}
	return s
}

// powerRatio returns a/b, NaN unless b > 0.
func powerRatio(a, b float64) float64 {
	if !(b > 0) {
		return math.NaN()
	}
	return a / b
}

// qrstResidual returns a copy of span (bp from index lo) less, in each
// window wins[j] starting at starts[j] in bp, tmpl times the window's
// least-squares gain on it (held to 0.5-1.5); samples already cancelled
// by the window before are left to it.
func qrstResidual(span []float64, wins [][]float64, starts []int, lo int, tmpl []float64) []float64 {
	res := slices.Clone(span)
	tt := 0.0
	for _, t := range tmpl {
		tt += t * t
	}
	done := 0 // the first index of res not yet cancelled
	for j, w := range wins {
		g := 1.0
		if tt > 0 {
			wt := 0.0
			for i, t := range tmpl {
				wt += w[i] * t
			}
			g = min(max(wt/tt, 0.5), 1.5)
		}
		s := starts[j] - lo
		for i := max(done-s, 0); i < len(tmpl); i++ {
			res[s+i] -= g * tmpl[i]
		}
		done = max(done, s+len(tmpl))
	}
	return res
}

// blockMeans returns the means of x over successive blocks of k samples
// (a last partial block left out); x itself for k 1.
func blockMeans(x []float64, k int) []float64 {
	if k <= 1 {
		return x
	}
	out := make([]float64, len(x)/k)
	for i := range out {
		s := 0.0
		for _, y := range x[i*k : (i+1)*k] {
			s += y
		}
		out[i] = s / float64(k)
	}
	return out
}

// meanRows returns the mean of each row of a freq-major spectrogram.
func meanRows(power [][]float64) []float64 {
	out := make([]float64, len(power))
	for i, row := range power {
		out[i] = sum(row) / float64(max(len(row), 1))
	}
	return out
}

func sum(x []float64) float64 {
	s := 0.0
	for _, y := range x {
		s += y
	}
	return s
}

// spectralPeak returns the frequency of the largest bin of psd (at
// freqs) in aaLowHz-aaHighHz and the share of the power in
// aaOILowHz-aaOIHighHz within aaPeakHz of it; NaN for no power there.
func spectralPeak(freqs, psd []float64) (df, oi float64) {
	k := peakBin(freqs, func(i int) float64 { return psd[i] })
	if k < 0 {
		return math.NaN(), math.NaN()
	}
	df = freqs[k]
	near, total := 0.0, 0.0
	for i, p := range psd {
		if freqs[i] >= aaOILowHz && freqs[i] <= aaOIHighHz {
			total += p
			if math.Abs(freqs[i]-df) <= aaPeakHz {
				near += p
			}
		}
	}
	return df, powerRatio(near, total)
}

// peakBin returns the bin of freqs in aaLowHz-aaHighHz where p is
// largest and above 0 (-1 for none).
func peakBin(freqs []float64, p func(i int) float64) int {
	k := -1
	for i, f := range freqs {
		if f >= aaLowHz && f <= aaHighHz && p(i) > 0 && (k < 0 || p(i) > p(k)) {
			k = i
		}
	}
	return k
}

// segmentPeakIQR returns the interquartile range in Hz of the peak
// frequency in aaLowHz-aaHighHz of each segment of s (NaN for fewer than
// 2 segments with power there).
func segmentPeakIQR(s *spectro.Spectrogram) float64 {
	if len(s.Power) == 0 || len(s.Power[0]) < 2 {
		return math.NaN()
	}
	peaks := make([]float64, 0, len(s.Power[0]))
	for j := range s.Power[0] {
		if k := peakBin(s.Freqs, func(i int) float64 { return s.Power[i][j] }); k >= 0 {
			peaks = append(peaks, s.Freqs[k])
		}
	}
	if len(peaks) < 2 {
		return math.NaN()
	}
	slices.Sort(peaks)
	return quantileSorted(peaks, 0.75) - quantileSorted(peaks, 0.25)
}
