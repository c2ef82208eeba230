package spectro

import (
	"fmt"
	"math"
	"testing"

	dspfft "github.com/mjibson/go-dsp/fft"
	"gonum.org/v1/gonum/dsp/fourier"
)

// BenchmarkFFT compares the real FFTs the STFT could use: gonum's
// dsp/fourier with a reused plan (what Plan uses) and
// github.com/mjibson/go-dsp/fft, which the design named. go-dsp is a test
// dependency only (this file), kept so that `make bench` re-measures the
// choice.
func BenchmarkFFT(b *testing.B) {
	for _, n := range []int{64, 256, 1024, 4096} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i)*0.1) + 0.01*float64(i%7)
		}
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			f := fourier.NewFFT(n)
			dst := make([]complex128, n/2+1)
			b.ReportAllocs()
			for b.Loop() {
				f.Coefficients(dst, x)
			}
		})
		b.Run(fmt.Sprintf("go-dsp/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = dspfft.FFTReal(x)
			}
		})
	}
}

// TestFFTsAgree checks that both FFTs compute the same transform (so that
// the benchmark compares like with like).
func TestFFTsAgree(t *testing.T) {
	const n = 256
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Sin(float64(i)*0.3) + float64(i%5)
	}
	g := fourier.NewFFT(n).Coefficients(nil, x)
	d := dspfft.FFTReal(x)
	for k := range g {
		if diff := g[k] - d[k]; math.Hypot(real(diff), imag(diff)) > 1e-9 {
			t.Fatalf("bin %d: gonum %v, go-dsp %v", k, g[k], d[k])
		}
	}
}

func BenchmarkRealFFT(b *testing.B) {
	for _, n := range []int{64, 256, 1024, 4096} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i)*0.1) + 0.01*float64(i%7)
		}
		b.Run(fmt.Sprintf("ours/n=%d", n), func(b *testing.B) {
			f := newRealFFT(n)
			b.ReportAllocs()
			for b.Loop() {
				f.transform(x)
				for k := 0; k <= n/2; k++ {
					_ = f.coef(k)
				}
			}
		})
	}
}

// TestRealFFT compares our transform with gonum's for lengths that take
// each path (power of two, fallback), to 1e-12 of the largest coefficient.
func TestRealFFT(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 16, 32, 63, 64, 100, 128, 256, 512, 1024, 4096} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i)*0.37) + 0.3*math.Cos(float64(i*i)*0.01) + float64(i%3)
		}
		want := fourier.NewFFT(n).Coefficients(nil, x)
		f := newRealFFT(n)
		f.transform(x)
		peak := 0.0
		for _, c := range want {
			peak = math.Max(peak, math.Hypot(real(c), imag(c)))
		}
		for k := range want {
			d := f.coef(k) - want[k]
			if math.Hypot(real(d), imag(d)) > 1e-13*peak {
				t.Fatalf("n=%d bin %d: %v, gonum %v", n, k, f.coef(k), want[k])
			}
		}
	}
}
