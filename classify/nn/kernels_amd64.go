//go:build !purego

package nn

// useAVX2 selects the assembly kernels (kernels_amd64.s): on when the
// CPU and the operating system support AVX2.
var useAVX2 = cpuAVX2()

// haveAVX2 is whether the assembly kernels can run here (tests compare
// them with the Go ones).
var haveAVX2 = useAVX2

// cpuAVX2 reports whether the CPU has AVX2 and the operating system saves
// the YMM registers (CPUID leaf 1: OSXSAVE and AVX; XCR0: SSE and AVX
// state; leaf 7: AVX2).
func cpuAVX2() bool {
	if maxLeaf, _, _, _ := cpuid(0, 0); maxLeaf < 7 {
		return false
	}
	const osxsave, avx = 1 << 27, 1 << 28
	if _, _, c, _ := cpuid(1, 0); c&(osxsave|avx) != osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, b, _, _ := cpuid(7, 0)
	return b&(1<<5) != 0
}

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

func xgetbv() (eax, edx uint32)

//go:noescape
func corrAVX2(dst, in, w *float64, n, na, ia, wa, nb, ib, wb, nk, ik int)

//go:noescape
func dot8AVX2(res *[8]float64, d, s *float64, n, rows, rs, fs int)

//go:noescape
func dot4AVX2(res *[4]float64, d, s *float64, n, rows, rs, fs int)

//go:noescape
func corrPairAVX2(dst, in, w *float64, n, na, ia, wa, nb, ib, wb, nk, ik, dstride, wstride int)

//go:noescape
func pool2MaxAVX2(out, in *float64, n int)

//go:noescape
func pool2MaxBackAVX2(din, in, dout *float64, n int)

//go:noescape
func pool2x2MaxAVX2(out, in0, in1 *float64, n int)

//go:noescape
func pool2x2MaxBackAVX2(din0, din1, in0, in1, dout *float64, n int)

//go:noescape
func reluAVX2(out, in *float64, n int)

//go:noescape
func reluBackAVX2(din, out, dout *float64, n int)

//go:noescape
func dot4x2AVX2(res *[8]float64, d, s *float64, n, rows, rs, fs, cs int)
