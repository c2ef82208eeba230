package classify

import (
	"math"
	"slices"

	"github.com/ecgkit/ecg/spectro"
)

func sortFloats(x []float64) { slices.Sort(x) }

// SpectroParams returns the spectrogram parameters the signal features
// use at fs Hz: Window, segments of SegmentSeconds rounded to the nearest
// power of two in samples (in log scale, at least 8), Overlap of them
// shared, constant detrend, PSD density, every frequency kept (the bands
// select).
func (o SignalFeatures) SpectroParams(fs float64) spectro.Params {
	want := fs * o.SegmentSeconds
	n := 8
	for n < 1<<20 && float64(n)*math.Sqrt2 < want {
		n *= 2
	}
	return spectro.Params{Window: o.Window, NPerSeg: n, NOverlap: int(float64(n) * o.Overlap), NFFT: n,
		Detrend: spectro.DetrendConstant, Scaling: spectro.ScalingDensity, Mode: spectro.ModePSD}
}

// spectrogram returns the frequencies and the power (freq-major) of x's
// spectrogram computed by spectro.Compute; a signal shorter than one
// segment is zero-padded to one.
func (o SignalFeatures) spectrogram(x []float64, fs float64) ([]float64, [][]float64) {
	p := o.SpectroParams(fs)
	if len(x) < p.NPerSeg {
		x = append(slices.Clone(x), make([]float64, p.NPerSeg-len(x))...)
	}
	s, err := spectro.Compute(x, fs, p)
	if err != nil {
		// The parameters are checked when the model is built; a failure
		// here leaves the spectral features unknown.
		return nil, nil
	}
	return s.Freqs, s.Power
}
