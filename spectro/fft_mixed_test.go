package spectro

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveDFT is the O(n²) definition, with exact angle reduction (jk mod n)
// and sums in extended precision by pairs, as a reference for cfft.
func naiveDFT(x []complex128) []complex128 {
	n := len(x)
	out := make([]complex128, n)
	for k := range out {
		var sr, si float64
		for j, v := range x {
			s, c := math.Sincos(-2 * math.Pi * float64(j*k%n) / float64(n))
			sr += c*real(v) - s*imag(v)
			si += c*imag(v) + s*real(v)
		}
		out[k] = complex(sr, si)
	}
	return out
}

// TestCFFT checks the complex transform against the definition for every
// length up to 300 (all radices, generic primes, Bluestein) and a few
// larger ones, to 1e-13 of the largest coefficient.
func TestCFFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var ns []int
	for n := 1; n <= 300; n++ {
		ns = append(ns, n)
	}
	ns = append(ns, 509, 512, 1021, 1024, 1155, 2*1009)
	for _, n := range ns {
		x := make([]complex128, n)
		for i := range x {
			x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		want := naiveDFT(x)
		got := make([]complex128, n)
		f := newCFFT(n, n)
		keep := append([]complex128(nil), x...)
		f.transform(got, x)
		peak := 0.0
		for _, c := range want {
			peak = math.Max(peak, math.Hypot(real(c), imag(c)))
		}
		for k := range want {
			d := got[k] - want[k]
			if math.Hypot(real(d), imag(d)) > 1e-13*peak {
				t.Fatalf("n=%d (factors %v, Bluestein %t) bin %d: %v, want %v",
					n, factorize(n), f.blue != nil, k, got[k], want[k])
			}
		}
		for i := range x {
			if x[i] != keep[i] {
				t.Fatalf("n=%d: transform changed its input", n)
			}
		}
	}
}

// TestBluesteinPartial checks Bluestein's algorithm forced on lengths of
// every kind, for a part of the outputs as a real odd-length input uses
// and for all of them.
func TestBluesteinPartial(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100, 127, 255, 257, 360, 545, 747} {
		x := make([]complex128, n)
		for i := range x {
			x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		want := naiveDFT(x)
		peak := 0.0
		for _, c := range want {
			peak = math.Max(peak, math.Hypot(real(c), imag(c)))
		}
		for _, nout := range []int{1, (n + 1) / 2, n} {
			got := make([]complex128, n)
			newCFFTPath(n, nout, true).transform(got, x)
			for k := range nout {
				d := got[k] - want[k]
				if math.Hypot(real(d), imag(d)) > 1e-13*peak {
					t.Fatalf("n=%d nout=%d bin %d: %v, want %v", n, nout, k, got[k], want[k])
				}
			}
		}
	}
}

// TestCFFTPaths checks that the lengths meant for each algorithm take it.
func TestCFFTPaths(t *testing.T) {
	for _, tc := range []struct {
		n    int
		blue bool
	}{
		{180, false}, {255, false}, {250, false}, {17, false},
		{509, true}, {1021, true}, {2 * 509, true}, {4093, true},
	} {
		if got := newCFFT(tc.n, tc.n).blue != nil; got != tc.blue {
			t.Errorf("n=%d (factors %v): Bluestein %t, want %t", tc.n, factorize(tc.n), got, tc.blue)
		}
	}
}

// planSize is the number of complex128 values a cfft holds.
func planSize(f *cfft) int {
	s := len(f.work)
	for _, st := range f.stages {
		s += len(st.tw) + len(st.rot) + len(st.buf)
	}
	if b := f.blue; b != nil {
		s += len(b.chirp) + len(b.kern) + len(b.a) + len(b.b) + planSize(b.fft)
	}
	return s
}

// TestCFFTSize checks that plans hold O(n) values (no n² tables), primes
// included: at most 25·n (Bluestein: six arrays of M < 4n) plus the
// generic radix table of at most (maxRadix-1)²/4 values.
func TestCFFTSize(t *testing.T) {
	bound := (maxRadix - 1) * (maxRadix - 1) / 4
	for _, n := range []int{7, 97, 257, 509, 1021, 1024, 2 * 1021, 3 * 5 * 67, 4093, 65521, 251 * 256, 263 * 4} {
		if s := planSize(newCFFT(n, n)); s > 25*n+bound {
			t.Errorf("n=%d: plan holds %d values, more than 25n + %d", n, s, bound)
		}
	}
}

// TestRealFFTAllocs checks that a transform allocates nothing after
// construction, on every path.
func TestRealFFTAllocs(t *testing.T) {
	for _, n := range []int{250, 256, 360, 361, 510, 1021, 1018} {
		f := newRealFFT(n)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i % 7)
		}
		dst := make([]float64, n/2+1)
		if a := testing.AllocsPerRun(10, func() {
			f.transform(x)
			f.power(dst, 0, len(dst))
		}); a != 0 {
			t.Errorf("n=%d: %v allocations per transform", n, a)
		}
	}
}
