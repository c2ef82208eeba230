package classify

import (
	"math"
	"slices"

	"github.com/ecgkit/ecg/spectro"
)

// Mains interference (SignalFeatures.MainsNotch). A device without a mains
// filter records a line at 50 or 60 Hz (and its harmonics) that the
// features read as noise or as sharp QRS edges: on a held-out fifth of
// CinC 2017 with 0.1 mV of 50 Hz added, a model of ecg train's defaults
// lost 0.039 of Challenge F1 (docs/rhythm.md, session 25). Few training
// recordings have such a line (26 of CinC 2017's 6,823 stand 30 times
// above their neighbours), so the model never learnt to ignore it.
// removeMains finds each line by its power against its neighbours' and
// notches it out; a signal without one is left as it is, bit for bit.
const (
	// MainsRatio is how many times a line's power must exceed the median
	// power of its neighbours (3 to 7 Hz away on either side) to be
	// notched: about 13 dB. Clean CinC 2017 recordings have a median
	// ratio of 1.2 (99th percentile 5.3); 0.1 mV of hum gives thousands.
	MainsRatio = 20
	// mainsQ is the quality factor of each notch: a -3 dB width of
	// f/mainsQ (1.7 Hz at 50 Hz), passed forwards and backwards.
	mainsQ = 30
	// mainsSegmentSeconds is the least length of the Welch segments the
	// lines are looked for with (rounded up to a power of two samples: a
	// bin of 1 Hz or less).
	mainsSegmentSeconds = 1.0
)

// mainsLines returns the frequencies in Hz of the mains lines of x (mV at
// fs Hz): each multiple of 50 or 60 Hz below 0.45 fs whose peak power
// (within 1 Hz) is at least MainsRatio times the median power of the bins
// 3 to 7 Hz from it.
func mainsLines(x []float64, fs float64) []float64 {
	n := 1
	for float64(n) < mainsSegmentSeconds*fs && n < 1<<16 {
		n *= 2
	}
	top := 0.45 * fs
	if len(x) < n || top <= 50 {
		return nil
	}
	s, err := spectro.Compute(x, fs, spectro.Params{Window: "hann", NPerSeg: n, NOverlap: 0, NFFT: n,
		Detrend: spectro.DetrendConstant, Scaling: spectro.ScalingDensity, Mode: spectro.ModePSD, FMin: 40})
	if err != nil {
		return nil
	}
	psd := make([]float64, len(s.Freqs))
	for i, row := range s.Power {
		for _, p := range row {
			psd[i] += p
		}
	}
	var lines []float64
	for _, base := range []float64{50, 60} {
		for f0 := base; f0 < top; f0 += base {
			if !slices.Contains(lines, f0) && lineRatio(s.Freqs, psd, f0) >= MainsRatio {
				lines = append(lines, f0)
			}
		}
	}
	slices.Sort(lines)
	return lines
}

// lineRatio returns the largest of psd within 1 Hz of f0 over the median
// of psd 3 to 7 Hz from f0 (0 when either is empty or the median is 0).
func lineRatio(freqs, psd []float64, f0 float64) float64 {
	peak := 0.0
	var side []float64
	for i, f := range freqs {
		switch d := math.Abs(f - f0); {
		case d <= 1:
			peak = max(peak, psd[i])
		case d >= 3 && d <= 7:
			side = append(side, psd[i])
		}
	}
	if len(side) == 0 {
		return 0
	}
	med := median(side)
	if !(med > 0) {
		return 0
	}
	return peak / med
}

// removeMains returns x with its mains lines (mainsLines) notched out,
// forwards and backwards so that nothing shifts in time; x itself when it
// has none.
func removeMains(x []float64, fs float64) []float64 {
	lines := mainsLines(x, fs)
	if len(lines) == 0 {
		return x
	}
	y := slices.Clone(x)
	for _, f := range lines {
		notchBiquad(f/fs, mainsQ).filtfilt(y)
	}
	return y
}

// notchBiquad designs a notch biquad at f cycles per sample with quality
// factor q by the bilinear transform: unit gain at 0 Hz and far from f,
// zero at f.
func notchBiquad(f, q float64) biquad {
	w := 2 * math.Pi * f
	cw := math.Cos(w)
	alpha := math.Sin(w) / (2 * q)
	a0 := 1 + alpha
	return biquad{b0: 1 / a0, b1: -2 * cw / a0, b2: 1 / a0, a1: -2 * cw / a0, a2: (1 - alpha) / a0}
}

// mainsNotch reports whether s's signal features remove mains lines.
func (s FeatureSpec) mainsNotch() bool {
	return s.Input == InputSignal && s.Signal != nil && s.Signal.MainsNotch
}
