//go:build purego || !amd64

package nn

// Without the assembly kernels (other architectures, or the purego build
// tag) every convolution runs the Go reference kernels.
var useAVX2, haveAVX2 = false, false

func corrAVX2(dst, in, w *float64, n, na, ia, wa, nb, ib, wb, nk, ik int) {
	panic("nn: no assembly kernels")
}

func dot8AVX2(res *[8]float64, d, s *float64, n, rows, rs, fs int) {
	panic("nn: no assembly kernels")
}

func dot4AVX2(res *[4]float64, d, s *float64, n, rows, rs, fs int) {
	panic("nn: no assembly kernels")
}

func corrPairAVX2(dst, in, w *float64, n, na, ia, wa, nb, ib, wb, nk, ik, dstride, wstride int) {
	panic("nn: no assembly kernels")
}

func pool2MaxAVX2(out, in *float64, n int) { panic("nn: no assembly kernels") }

func pool2MaxBackAVX2(din, in, dout *float64, n int) { panic("nn: no assembly kernels") }

func pool2x2MaxAVX2(out, in0, in1 *float64, n int) { panic("nn: no assembly kernels") }

func pool2x2MaxBackAVX2(din0, din1, in0, in1, dout *float64, n int) { panic("nn: no assembly kernels") }

func reluAVX2(out, in *float64, n int) { panic("nn: no assembly kernels") }

func reluBackAVX2(din, out, dout *float64, n int) { panic("nn: no assembly kernels") }

func dot4x2AVX2(res *[8]float64, d, s *float64, n, rows, rs, fs, cs int) {
	panic("nn: no assembly kernels")
}
