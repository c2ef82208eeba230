package spectro

import (
	"fmt"
	"math"
	"math/cmplx"
	"testing"

	dspfft "github.com/mjibson/go-dsp/fft"
	"gonum.org/v1/gonum/dsp/fourier"
)

// BenchmarkFFT compares the library real FFTs the STFT could use: gonum's
// dsp/fourier with a reused plan (what Plan used before realFFT and cfft)
// and
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

// BenchmarkRealFFT measures one forward transform and the power of all
// its bins, as Plan does per segment: ours (the radix-2/4 transform for
// 256 and 1024, cfft for the rest) against gonum's dsp/fourier with a
// reused plan.
func BenchmarkRealFFT(b *testing.B) {
	for _, n := range []int{250, 256, 360, 500, 510, 720, 1000, 1021, 1024} {
		x := make([]float64, n)
		for i := range x {
			x[i] = math.Sin(float64(i)*0.1) + 0.01*float64(i%7)
		}
		dst := make([]float64, n/2+1)
		b.Run(fmt.Sprintf("ours/n=%d", n), func(b *testing.B) {
			f := newRealFFT(n)
			b.ReportAllocs()
			for b.Loop() {
				f.transform(x)
				f.power(dst, 0, len(dst))
			}
		})
		b.Run(fmt.Sprintf("gonum/n=%d", n), func(b *testing.B) {
			f := fourier.NewFFT(n)
			c := make([]complex128, n/2+1)
			b.ReportAllocs()
			for b.Loop() {
				f.Coefficients(c, x)
				for k, v := range c {
					dst[k] = real(v)*real(v) + imag(v)*imag(v)
				}
			}
		})
	}
}

// TestRealFFT compares our transform with gonum's, to 1e-13 of the
// largest coefficient, for every length up to 1100 (each path: powers of
// two, mixed radix, Bluestein, and gonum itself where it is kept) and a
// sample of lengths up to 4096.
//
// gonum's FFTPACK radix for a large prime factor rotates by recurrence and
// is itself off by more than that for some lengths (2.5e-12 of the peak at
// n=1019, 1.2e-13 at n=173, against the O(n²) definition). Where the two
// disagree, the test decides by the definition: ours must then be within
// 1e-14 of the peak of it, and gonum's own error must explain the gap.
func TestRealFFT(t *testing.T) {
	var ns []int
	for n := 1; n <= 1100; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 1152, 1201, 1250, 1440, 1500, 1536, 1800, 2000, 2003, 2047,
		2048, 2500, 2880, 3000, 3600, 4000, 4093, 4095, 4096)
	if testing.Short() {
		ns = []int{1, 2, 3, 4, 5, 7, 8, 16, 63, 64, 100, 250, 256, 360, 510, 1021, 4096}
	}
	var offGonum []int
	worst := 0.0
	for _, n := range ns {
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
		pow := make([]float64, len(want))
		f.power(pow, 0, len(want))
		if d := maxDiff(f, want); d > 1e-13*peak {
			xc := make([]complex128, n)
			for i, v := range x {
				xc[i] = complex(v, 0)
			}
			exact := naiveDFT(xc)[:len(want)]
			ours, theirs := maxDiff(f, exact), 0.0
			for k, c := range want {
				theirs = math.Max(theirs, cmplx.Abs(c-exact[k]))
			}
			if ours > 1e-14*peak || theirs < d/2 {
				t.Fatalf("n=%d: differs from gonum by %.2g of the peak; from the definition by %.2g (gonum %.2g)",
					n, d/peak, ours/peak, theirs/peak)
			}
			offGonum = append(offGonum, n)
			worst = math.Max(worst, theirs/peak)
		}
		for k := range want {
			c := f.coef(k)
			if w := real(c)*real(c) + imag(c)*imag(c); math.Abs(pow[k]-w) > 1e-13*peak*peak {
				t.Fatalf("n=%d bin %d: power %v, |coef|² %v", n, k, pow[k], w)
			}
		}
	}
	if len(offGonum) > 0 {
		t.Logf("%d lengths where gonum is off the definition by more than 1e-13 of the peak (worst %.2g), ours within 1e-14: %v",
			len(offGonum), worst, offGonum)
	}
}

// maxDiff is the largest |f.coef(k) - want[k]|.
func maxDiff(f *realFFT, want []complex128) float64 {
	d := 0.0
	for k, c := range want {
		d = math.Max(d, cmplx.Abs(f.coef(k)-c))
	}
	return d
}
