// Package spectro computes spectrograms of ECG signals and renders them as
// images for models.
//
// The short-time Fourier transform agrees with scipy.signal.spectrogram
// (scipy 1.10) for the same parameters to 1e-9 relative: Params carries
// scipy's names (window, nperseg, noverlap, nfft, detrend, scaling, mode),
// one-sided spectra of real signals, PSD or magnitude mode. A Plan holds
// the window, the FFT and the work buffers, so that computing the
// spectrograms of many strides allocates nothing per stride.
//
// A StrideRenderer renders the strides and beat windows of records at any
// sampling rate (DefaultParams or BeatParams at each rate, with the
// user's Overrides): their raw PNG images and CSV matrices, safe for
// concurrent use; its PNG and CSV methods are datasets.Archive outputs.
//
// RawImage turns a spectrogram into a fixed-size image (224x224 by
// default, bilinear resampling) on a fixed decibel scale, in grayscale or
// viridis, so that images of different strides and records compare; the
// PNGEncoder writes them quickly. Figures for people (axes, colour bar,
// ECG trace) are drawn by the subpackage spectro/figure.
//
// The FFT is our own (fft.go: radix-2/4 for powers of two, mixed radix
// and Bluestein for other lengths), chosen by measurement over gonum's
// dsp/fourier and github.com/mjibson/go-dsp (BenchmarkFFT and
// BenchmarkRealFFT in this package; numbers in docs/spectro.md).
package spectro
