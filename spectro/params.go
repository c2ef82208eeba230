package spectro

import (
	"errors"
	"fmt"
	"math"
)

// Detrend names how each segment is detrended before windowing, as
// scipy's detrend argument.
type Detrend string

// Detrend types.
const (
	DetrendNone     Detrend = "none"     // scipy detrend=False
	DetrendConstant Detrend = "constant" // subtract the segment mean (scipy default)
	DetrendLinear   Detrend = "linear"   // subtract the least-squares line
)

// Scaling names the unit of the power, as scipy's scaling argument.
type Scaling string

// Scaling types.
const (
	// ScalingDensity is the power spectral density in V²/Hz (mV²/Hz for a
	// signal in mV): |X|² / (fs Σw²). scipy's default.
	ScalingDensity Scaling = "density"
	// ScalingSpectrum is the power spectrum in V²: |X|² / (Σw)².
	ScalingSpectrum Scaling = "spectrum"
)

// Mode names what the spectrogram holds, as scipy's mode argument.
type Mode string

// Modes.
const (
	// ModePSD holds power (the squared magnitude, doubled on the one-sided
	// bins that stand for two), scipy's default.
	ModePSD Mode = "psd"
	// ModeMagnitude holds |X| times sqrt of the scaling factor, not
	// doubled, as scipy's mode="magnitude".
	ModeMagnitude Mode = "magnitude"
)

// Params are the parameters of a spectrogram. The first seven fields carry
// scipy.signal.spectrogram's names and meaning; each documents scipy's
// default and how the zero value is read. Spectra are one-sided (the
// signal is real), as scipy's return_onesided=True.
type Params struct {
	// Window is the window name (see Window): "hann", "hamming",
	// "blackman", "boxcar", "tukey" or "tukey(alpha)", always the periodic
	// form. scipy's default is ('tukey', 0.25); "" means that.
	Window string
	// NPerSeg is the segment length in samples. scipy's default is 256;
	// 0 means that.
	NPerSeg int
	// NOverlap is the number of samples by which segments overlap, less
	// than NPerSeg. scipy's default is NPerSeg/8 (integer division); a
	// negative value means that, 0 means no overlap.
	NOverlap int
	// NFFT is the FFT length (zero padding when larger than NPerSeg).
	// scipy's default is NPerSeg; 0 means that.
	NFFT int
	// Detrend is applied to each segment before windowing. scipy's default
	// is "constant"; "" means that.
	Detrend Detrend
	// Scaling selects density (V²/Hz) or spectrum (V²). scipy's default is
	// "density"; "" means that.
	Scaling Scaling
	// Mode selects power or magnitude. scipy's default is "psd"; "" means
	// that.
	Mode Mode

	// FMin and FMax (Hz) select the band of frequencies kept: bins with
	// FMin <= f <= FMax. Not a scipy parameter (scipy keeps all bins): the
	// zero values keep everything from 0 Hz to the Nyquist frequency
	// (FMax <= 0 means fs/2).
	FMin, FMax float64
}

// ScipyParams returns scipy.signal.spectrogram's defaults, spelled out:
// tukey(0.25), nperseg 256, noverlap 32, nfft 256, constant detrend,
// density scaling, PSD mode, all frequencies.
func ScipyParams() Params {
	return Params{Window: "tukey(0.25)", NPerSeg: 256, NOverlap: 256 / 8, NFFT: 256,
		Detrend: DetrendConstant, Scaling: ScalingDensity, Mode: ModePSD}
}

// DefaultParams returns the parameters used for ECG strides sampled at fs
// Hz: a Hann window of about 0.7 s rounded to a power of two (256 samples
// at 360 Hz, 128 at 250 Hz, 256 at 500 Hz), half
// overlap, no zero padding, constant detrend, density scaling in PSD mode,
// and the ECG band 0.5-40 Hz.
func DefaultParams(fs float64) Params {
	n := segmentLength(fs, 0.7)
	return Params{Window: "hann", NPerSeg: n, NOverlap: n / 2, NFFT: n,
		Detrend: DetrendConstant, Scaling: ScalingDensity, Mode: ModePSD,
		FMin: 0.5, FMax: 40}
}

// BeatParams returns the parameters used for short beat windows (well under
// a second) sampled at fs Hz: a Hann window of about 0.18 s rounded to a
// power of two (64 samples at 360 Hz), 7/8 overlap, the FFT zero-padded to
// four times the segment, constant detrend, density PSD, band 0.5-40 Hz.
func BeatParams(fs float64) Params {
	n := segmentLength(fs, 0.18)
	return Params{Window: "hann", NPerSeg: n, NOverlap: n - n/8, NFFT: 4 * n,
		Detrend: DetrendConstant, Scaling: ScalingDensity, Mode: ModePSD,
		FMin: 0.5, FMax: 40}
}

// segmentLength returns the power of two nearest (in log scale) to sec
// seconds at fs Hz, at least 8.
func segmentLength(fs, sec float64) int {
	if !(fs > 0) || math.IsInf(fs, 0) {
		return 256
	}
	want := fs * sec
	n := 8
	for n < 1<<20 && float64(n)*math.Sqrt2 < want {
		n *= 2
	}
	return n
}

// resolved returns p with the zero values replaced by scipy's defaults, or
// an error naming the first bad field.
func (p Params) resolved() (Params, error) {
	if p.Window == "" {
		p.Window = "tukey(0.25)"
	}
	if p.NPerSeg == 0 {
		p.NPerSeg = 256
	}
	if p.NPerSeg < 1 {
		return p, fmt.Errorf("nperseg %d: must be positive", p.NPerSeg)
	}
	if p.NPerSeg > maxSegment {
		return p, fmt.Errorf("nperseg %d: larger than %d", p.NPerSeg, maxSegment)
	}
	if p.NOverlap < 0 {
		p.NOverlap = p.NPerSeg / 8
	}
	if p.NOverlap >= p.NPerSeg {
		return p, fmt.Errorf("noverlap %d: must be less than nperseg %d", p.NOverlap, p.NPerSeg)
	}
	if p.NFFT == 0 {
		p.NFFT = p.NPerSeg
	}
	if p.NFFT < p.NPerSeg {
		return p, fmt.Errorf("nfft %d: must be at least nperseg %d", p.NFFT, p.NPerSeg)
	}
	if p.NFFT > maxSegment {
		return p, fmt.Errorf("nfft %d: larger than %d", p.NFFT, maxSegment)
	}
	switch p.Detrend {
	case "":
		p.Detrend = DetrendConstant
	case DetrendNone, DetrendConstant, DetrendLinear:
	case "false":
		p.Detrend = DetrendNone
	default:
		return p, fmt.Errorf("detrend %q: want none, constant or linear", p.Detrend)
	}
	switch p.Scaling {
	case "":
		p.Scaling = ScalingDensity
	case ScalingDensity, ScalingSpectrum:
	default:
		return p, fmt.Errorf("scaling %q: want density or spectrum", p.Scaling)
	}
	switch p.Mode {
	case "":
		p.Mode = ModePSD
	case ModePSD, ModeMagnitude:
	default:
		return p, fmt.Errorf("mode %q: want psd or magnitude", p.Mode)
	}
	if math.IsNaN(p.FMin) || math.IsNaN(p.FMax) || math.IsInf(p.FMin, 0) || math.IsInf(p.FMax, 0) {
		return p, errors.New("frequency band: not a number")
	}
	if p.FMax > 0 && p.FMax < p.FMin {
		return p, fmt.Errorf("frequency band %g-%g Hz: empty", p.FMin, p.FMax)
	}
	if _, _, err := parseWindow(p.Window); err != nil {
		return p, err
	}
	return p, nil
}

// maxSegment bounds nperseg and nfft (2^22 samples, 32 MiB of work space).
const maxSegment = 1 << 22
