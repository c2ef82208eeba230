package classify

import (
	"math"
	"slices"

	"github.com/ecgkit/ecg/spectro"
)

// Feature set 8 is set 7 with the atrial activity of the whole record
// after QRST cancellation (the "aa.res." features) after it: 72
// features. Set 2's atrial features look for fibrillatory waves only in
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
//     in 3-12 Hz (fibrillatory waves: 4-9 Hz).
//   - aa.res.oi: the organisation index, the power within 1 Hz of the
//     peak over that in 3-12 Hz (a pure wave about 1, white noise 0.2).
//   - aa.res.entropy: the spectral entropy over 3-12 Hz over its largest
//     value (0 a single line, 1 flat).
//   - aa.res.share: the residual's 3-12 Hz power over the band-passed
//     signal's, on the same samples: how much of it the beats do not
//     explain.
//   - aa.res.rms/qrs: the residual's RMS over the template's
//     peak-to-peak.
//   - aa.res.df.iqr: the interquartile range in Hz of the peak of each
//     2 s segment's spectrum in 3-12 Hz (steady waves: small).
//
// Under 3 whole beat windows, a residual shorter than one segment or a
// sampling rate of 24 Hz or less, every feature is NaN.
const atrialSet = 8

var atrialFeatureNames = []string{
	"aa.res.df", "aa.res.oi", "aa.res.entropy", "aa.res.share", "aa.res.rms/qrs", "aa.res.df.iqr",
}

// The band of atrial activity and the spectra's settings (see
// atrialFeatureNames).
const (
	aaLowHz, aaHighHz = 3.0, 12.0
	aaPeakHz          = 1.0 // the half-width of the dominant peak
	aaRateHz          = 100 // the least rate the residual is averaged to
	aaSegmentSeconds  = 2.0
	aaPadSeconds      = 4.0
)

// atrialFeatures appends the atrial features of bp (the signal
// band-passed 0.5-40 Hz at fs Hz) whose aligned beat windows wins start
// at starts, with their median tmpl (nil when there are under 3).
func atrialFeatures(v []float64, bp []float64, wins [][]float64, starts []int, tmpl []float64, fs float64) []float64 {
	n0 := len(v)
	for range atrialFeatureNames {
		v = append(v, math.NaN())
	}
	if len(wins) < 3 || len(tmpl) == 0 || fs <= 2*aaHighHz {
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
		Detrend: spectro.DetrendConstant, Scaling: spectro.ScalingDensity, Mode: spectro.ModePSD, FMin: aaLowHz, FMax: aaHighHz}
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
	r := v[n0:]
	psd := meanRows(rs.Power)
	df, oi, ent := spectralPeak(rs.Freqs, psd)
	r[0], r[1], r[2] = df, oi, ent
	if pb := sum(meanRows(bs.Power)); pb > 0 {
		r[3] = sum(psd) / pb
	}
	if pp := slices.Max(tmpl) - slices.Min(tmpl); pp > 0 {
		r[4] = math.Sqrt(energy(rd)/float64(len(rd))) / pp
	}
	r[5] = segmentPeakIQR(rs)
	return v
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
// freqs), the share of the power within aaPeakHz of it, and the
// normalised spectral entropy; NaN for no power.
func spectralPeak(freqs, psd []float64) (df, oi, ent float64) {
	total := sum(psd)
	if !(total > 0) || len(psd) < 2 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	k := 0
	for i, p := range psd {
		if p > psd[k] {
			k = i
		}
	}
	df = freqs[k]
	near := 0.0
	for i, p := range psd {
		if math.Abs(freqs[i]-df) <= aaPeakHz {
			near += p
		}
		if p > 0 {
			q := p / total
			ent -= q * math.Log(q)
		}
	}
	return df, near / total, ent / math.Log(float64(len(psd)))
}

// segmentPeakIQR returns the interquartile range in Hz of the peak
// frequency of each segment of s (NaN for fewer than 2 segments).
func segmentPeakIQR(s *spectro.Spectrogram) float64 {
	if len(s.Power) == 0 || len(s.Power[0]) < 2 {
		return math.NaN()
	}
	peaks := make([]float64, len(s.Power[0]))
	for j := range peaks {
		k := 0
		for i := range s.Power {
			if s.Power[i][j] > s.Power[k][j] {
				k = i
			}
		}
		peaks[j] = s.Freqs[k]
	}
	slices.Sort(peaks)
	return quantileSorted(peaks, 0.75) - quantileSorted(peaks, 0.25)
}
