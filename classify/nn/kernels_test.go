package nn

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// sameBits reports whether a and b are the same float64 values bit for
// bit (any two NaNs count as the same: their payloads may differ).
func sameBits(a, b []float64) (int, bool) {
	if len(a) != len(b) {
		return -1, false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return i, false
		}
	}
	return 0, true
}

// kernelValue draws a value for the kernel tests: mostly ordinary ones,
// sometimes signed zeros, tiny and huge values (whose sums round hard or
// overflow), so that a change of order or a fused multiply-add shows.
func kernelValue(rng *rand.Rand) float64 {
	switch rng.IntN(16) {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return (rng.Float64() - 0.5) * 1e-300
	case 3:
		return (rng.Float64() - 0.5) * 1e300
	case 4:
		return float64(rng.IntN(5)-2) * 0.1
	}
	return rng.NormFloat64()
}

func kernelVec(rng *rand.Rand, n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = kernelValue(rng)
	}
	return v
}

// withAVX2 runs f with the assembly kernels on (when this machine has
// them) and then off, and returns both results.
func withAVX2(t testing.TB, f func() []float64) (asm, ref []float64) {
	t.Helper()
	defer func(old bool) { useAVX2 = old }(useAVX2)
	useAVX2 = true
	asm = f()
	useAVX2 = false
	ref = f()
	return asm, ref
}

func skipWithoutAVX2(t testing.TB) {
	t.Helper()
	if !haveAVX2 {
		t.Skip("no assembly kernels on this machine or build")
	}
}

// corrCase runs one correlation on fresh buffers with the assembly and
// the Go kernel and reports a difference.
func corrCase(t testing.TB, rng *rand.Rand, c corrArgs, dstOff, margin int) {
	t.Helper()
	lo, hi := c.span()
	in := kernelVec(rng, hi-lo+1+2*margin)
	i0 := margin - lo
	w0 := rng.IntN(3)
	w := kernelVec(rng, w0+(c.na-1)*c.wa+(c.nb-1)*c.wb+c.nk+rng.IntN(3))
	dst0 := kernelVec(rng, dstOff+c.n+2)
	run := func() []float64 {
		dst := append([]float64(nil), dst0...)
		corr(dst[dstOff:dstOff+c.n], in, i0, w, w0, c)
		return dst
	}
	asm, ref := withAVX2(t, run)
	if i, ok := sameBits(asm, ref); !ok {
		t.Fatalf("corr %+v (dst at %d): value %d: assembly %v, Go %v", c, dstOff, i, asm[i], ref[i])
	}
}

// The assembly correlation gives the Go one's bits on random shapes:
// every length from 0 to 70 (all tile sizes and remainders), rows of
// either direction, and dst and in at every alignment.
func TestCorrKernelBits(t *testing.T) {
	skipWithoutAVX2(t)
	rng := rand.New(rand.NewPCG(7, 1))
	for n := 0; n <= 70; n++ {
		for trial := 0; trial < 6; trial++ {
			c := corrArgs{n: n, na: 1 + rng.IntN(4), nb: 1 + rng.IntN(3), nk: 1 + rng.IntN(9)}
			c.ia = rng.IntN(2*n+40) - n - 20
			c.ib = rng.IntN(2*n+20) - n - 10
			c.ik = 1 - 2*rng.IntN(2)
			c.wb = c.nk + rng.IntN(3)
			c.wa = c.nb*c.wb + rng.IntN(4)
			corrCase(t, rng, c, rng.IntN(5), rng.IntN(5))
		}
	}
}

// The paired correlation gives the bits of two single ones: lengths 0 to
// 70 (the 16-wide pairs and the single remainders), both orders of the
// two outputs and of their weights.
func TestCorrPairKernelBits(t *testing.T) {
	skipWithoutAVX2(t)
	rng := rand.New(rand.NewPCG(9, 1))
	for n := 0; n <= 70; n++ {
		for trial := 0; trial < 4; trial++ {
			c := corrArgs{n: n, na: 1 + rng.IntN(4), nb: 1 + rng.IntN(3), nk: 1 + rng.IntN(9), ik: 1 - 2*rng.IntN(2)}
			c.ia = rng.IntN(2*n+40) - n - 20
			c.ib = rng.IntN(2*n+20) - n - 10
			c.wb = c.nk + rng.IntN(3)
			c.wa = c.nb*c.wb + rng.IntN(4)
			corrPairCase(t, rng, c)
		}
	}
}

func corrPairCase(t testing.TB, rng *rand.Rand, c corrArgs) {
	t.Helper()
	lo, hi := c.span()
	in := kernelVec(rng, hi-lo+1)
	wn := (c.na-1)*c.wa + (c.nb-1)*c.wb + c.nk
	w := kernelVec(rng, 2*wn+rng.IntN(3))
	w0, w1 := 0, wn+rng.IntN(len(w)-2*wn+1)
	d0, d1 := rng.IntN(3), 0
	d1 = d0 + c.n + rng.IntN(3)
	if rng.IntN(2) == 0 {
		w0, w1 = w1, w0
	}
	if rng.IntN(2) == 0 {
		d0, d1 = d1, d0
	}
	dst0 := kernelVec(rng, max(d0, d1)+c.n+1)
	pair := func() []float64 {
		dst := append([]float64(nil), dst0...)
		corrPair(dst, d0, d1, in, -lo, w, w0, w1, c)
		return dst
	}
	asm, ref := withAVX2(t, pair)
	single := append([]float64(nil), dst0...)
	corr(single[d0:], in, -lo, w, w0, c)
	corr(single[d1:], in, -lo, w, w1, c)
	for _, got := range [][]float64{asm, ref} {
		if i, ok := sameBits(got, single); !ok {
			t.Fatalf("corrPair %+v (outputs %d, %d; weights %d, %d): value %d: %v, single %v", c, d0, d1, w0, w1, i, got[i], single[i])
		}
	}
}

// dotCase runs one dot call with the assembly and the Go kernel.
func dotCase(t testing.TB, rng *rand.Rand, nf int, a dotArgs, d0, s0 int) {
	t.Helper()
	last := max(0, (a.rows-1)*a.rs+a.n)
	d := kernelVec(rng, d0+(nf-1)*a.fs+last+rng.IntN(3))
	s := kernelVec(rng, s0+last+rng.IntN(3))
	run := func() []float64 {
		res := make([]float64, nf)
		dot(res, d, d0, s, s0, nf, a)
		return res
	}
	asm, ref := withAVX2(t, run)
	if i, ok := sameBits(asm, ref); !ok {
		t.Fatalf("dot %+v of %d at %d, %d: run %d: assembly %v, Go %v", a, nf, d0, s0, i, asm[i], ref[i])
	}
}

// The assembly dot products give the Go one's bits: every row length
// from 0 to 40 (the four partial sums and the remainders into the first),
// several rows, 4 and 8 runs at every alignment.
func TestDotKernelBits(t *testing.T) {
	skipWithoutAVX2(t)
	rng := rand.New(rand.NewPCG(8, 1))
	for n := 0; n <= 40; n++ {
		for trial := 0; trial < 8; trial++ {
			a := dotArgs{n: n, rows: 1 + rng.IntN(4)}
			a.rs = n + rng.IntN(5)
			a.fs = rng.IntN(3*n + 10)
			nf := []int{1, 3, 4, 8}[rng.IntN(4)]
			dotCase(t, rng, nf, a, rng.IntN(5), rng.IntN(5))
		}
	}
}

// The 4x2 dot products give the Go one's bits at every row length from
// 0 to 40, several rows, any channel distance.
func TestDot4x2KernelBits(t *testing.T) {
	skipWithoutAVX2(t)
	rng := rand.New(rand.NewPCG(11, 1))
	for n := 0; n <= 40; n++ {
		for trial := 0; trial < 8; trial++ {
			a := dotArgs{n: n, rows: 1 + rng.IntN(4)}
			a.rs = n + rng.IntN(5)
			a.fs = rng.IntN(3*n + 10)
			dot4x2Case(t, rng, a, rng.IntN(3*n+10), rng.IntN(5), rng.IntN(5))
		}
	}
}

func dot4x2Case(t testing.TB, rng *rand.Rand, a dotArgs, cs, d0, s0 int) {
	t.Helper()
	last := max(0, (a.rows-1)*a.rs+a.n)
	d := kernelVec(rng, d0+3*a.fs+last+rng.IntN(3))
	s := kernelVec(rng, s0+cs+last+rng.IntN(3))
	run := func() []float64 {
		res := make([]float64, 8)
		dot4x2(res, d, d0, s, s0, cs, a)
		return res
	}
	asm, ref := withAVX2(t, run)
	if i, ok := sameBits(asm, ref); !ok {
		t.Fatalf("dot4x2 %+v channels %d apart at %d, %d: product %d: assembly %v, Go %v", a, cs, d0, s0, i, asm[i], ref[i])
	}
}

// The kernels refuse shapes that reach outside their slices.
func TestKernelBounds(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s: no panic", name)
			}
		}()
		f()
	}
	in, w, dst := make([]float64, 10), make([]float64, 6), make([]float64, 4)
	mustPanic("corr past in", func() { corr(dst, in, 0, w, 0, corrArgs{n: 4, na: 1, nb: 1, nk: 8, ik: 1}) })
	mustPanic("corr past w", func() { corr(dst, in, 0, w, 0, corrArgs{n: 1, na: 1, nb: 2, wb: 4, nk: 3, ik: 1}) })
	mustPanic("corr before in", func() { corr(dst, in, 2, w, 0, corrArgs{n: 4, na: 1, nb: 1, nk: 4, ik: -1}) })
	mustPanic("corr past w", func() { corr(dst, in, 0, w, 3, corrArgs{n: 4, na: 1, nb: 1, nk: 4, ik: 1}) })
	mustPanic("corr past dst", func() { corr(dst, in, 0, w, 0, corrArgs{n: 5, na: 1, nb: 1, nk: 1, ik: 1}) })
	mustPanic("dot past d", func() { dot(make([]float64, 4), in, 0, in, 0, 4, dotArgs{n: 4, rows: 1, fs: 3}) })
	corr(dst, in, 3, w, 0, corrArgs{n: 4, na: 1, nb: 1, nk: 4, ik: -1}) // exactly fits
}

// FuzzKernels compares the assembly kernels with the Go ones on shapes
// and values from the fuzzer's bytes.
func FuzzKernels(f *testing.F) {
	f.Add([]byte{5, 2, 1, 3, 4, 1, 0, 0})
	f.Add([]byte{17, 1, 2, 7, 200, 0, 3, 1, 0x80, 0, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{33, 3, 3, 9, 100, 130, 5, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		if !haveAVX2 || len(b) < 8 {
			return
		}
		seed := binary.LittleEndian.Uint64(append(b[8:min(len(b), 16)], make([]byte, 8)...))
		rng := rand.New(rand.NewPCG(seed, uint64(len(b))))
		n, na, nb, nk := int(b[0])%80, 1+int(b[1])%4, 1+int(b[2])%3, 1+int(b[3])%9
		c := corrArgs{n: n, na: na, nb: nb, nk: nk, ia: int(int8(b[4])), ib: int(int8(b[5])), ik: 1 - 2*int(b[6]&1)}
		c.wb = nk + int(b[7]>>4)%3
		c.wa = nb*c.wb + int(b[7])%3
		corrCase(t, rng, c, int(b[6]>>1)%5, int(b[7]>>2)%5)
		corrPairCase(t, rng, c)
		a := dotArgs{n: n, rows: na, rs: n + int(b[5])%5, fs: int(b[4])}
		dotCase(t, rng, []int{1, 4, 8}[int(b[2])%3], a, int(b[6]>>1)%5, int(b[7]>>2)%5)
		dot4x2Case(t, rng, a, int(b[3]), int(b[6]>>1)%5, int(b[7]>>2)%5)
	})
}
