package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// mulAdd is x*y + z as this build compiles it (not inlined, so that the
// compiler cannot fold it).
//
//go:noinline
func mulAdd(x, y, z float64) float64 { return x*y + z }

// compilerFuses reports whether this build turns x*y + z into a fused
// multiply-add (as Go may on arm64, or on amd64 with GOAMD64=v3): the
// rounded product gives 0 here, the fused one 2^-60.
func compilerFuses() bool { return mulAdd(1+0x1p-30, 1+0x1p-30, -(1+0x1p-29)) != 0 }

// convPass is one forward and backward pass of a layer: its output, the
// parameter gradient (added to a random start) and the input gradient.
type convPass struct{ out, g, din []float64 }

func runConv(l Layer, forward func(p, in, out []float64), backward func(p, in, out, dout, din, g []float64),
	p, x, dout, g0 []float64, withDin bool) convPass {
	r := convPass{out: make([]float64, l.Out().Size()), g: append([]float64(nil), g0...)}
	forward(p, x, r.out)
	if withDin {
		r.din = make([]float64, len(x))
		for i := range r.din {
			r.din[i] = 7 // overwritten
		}
	}
	backward(p, x, r.out, dout, r.din, r.g)
	return r
}

// compareConv runs l's passes with the assembly kernels, with the Go
// kernels and with the code before the kernels (oldconv_test.go) on the
// same random values, and reports any value whose bits differ.
func compareConv(t *testing.T, name string, l Layer, oldF func(p, in, out []float64),
	oldB func(p, in, out, dout, din, g []float64), rng *rand.Rand) {
	t.Helper()
	p := kernelVec(rng, l.NumParams())
	x := kernelVec(rng, l.In().Size())
	dout := kernelVec(rng, l.Out().Size())
	g0 := kernelVec(rng, l.NumParams())
	withDin := rng.IntN(4) > 0
	old := runConv(l, oldF, oldB, p, x, dout, g0, withDin)
	check := func(kind string, got convPass) {
		for _, c := range []struct {
			what      string
			got, want []float64
		}{{"output", got.out, old.out}, {"parameter gradient", got.g, old.g}, {"input gradient", got.din, old.din}} {
			if i, ok := sameBits(c.got, c.want); !ok {
				t.Fatalf("%s, %s kernels: %s %d: %v, before %v", name, kind, c.what, i, c.got[i], c.want[i])
			}
		}
	}
	defer func(v bool) { useAVX2 = v }(useAVX2)
	for _, asm := range []bool{false, true} {
		if asm && !haveAVX2 {
			continue
		}
		useAVX2 = asm
		kind := map[bool]string{false: "Go", true: "assembly"}[asm]
		check(kind, runConv(l, l.Forward, l.Backward, p, x, dout, g0, withDin))
	}
}

// The convolutions give the same bits as before the kernels, with the
// Go and the assembly kernels, on random shapes (every filter count to 17
// for the 8-, 4- and 1-filter dot products, signals shorter than the
// kernel, strides, edges) and values (signed zeros, tiny and huge ones).
func TestConvSameBitsAsBefore(t *testing.T) {
	if compilerFuses() {
		t.Skip("this build fuses x*y+z (GOAMD64=v3, arm64...): the code before the kernels had other bits here")
	}
	rng := rand.New(rand.NewPCG(11, 3))
	for i := 0; i < 400; i++ {
		in := Shape{1 + rng.IntN(4), 1, 1 + rng.IntN(45)}
		k := 1 + 2*rng.IntN(8)
		l := NewConv1D(in, 1+rng.IntN(17), k, 1+rng.IntN(3)*rng.IntN(2))
		compareConv(t, "conv1d "+in.String(), l, l.oldForward, l.oldBackward, rng)
	}
	for i := 0; i < 200; i++ {
		in := Shape{1 + rng.IntN(3), 1 + rng.IntN(9), 1 + rng.IntN(40)}
		l := NewConv2D(in, 1+rng.IntN(17), 1+2*rng.IntN(3))
		compareConv(t, "conv2d "+in.String(), l, l.oldForward, l.oldBackward, rng)
	}
}

// withAVX2Pass runs f with the assembly kernels (when this machine has
// them) and with the Go ones.
func withAVX2Pass(f func() convPass) (asm, ref convPass) {
	defer func(v bool) { useAVX2 = v }(useAVX2)
	useAVX2 = haveAVX2
	asm = f()
	useAVX2 = false
	return asm, f()
}

// The poolings and the ReLU gradient give the same bits as before the
// branch-free argmax, on values with ties, signed zeros and NaNs (the
// first maximum in row order wins; a NaN never does).
func TestPoolSameBitsAsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 3))
	value := func() float64 {
		if rng.IntN(10) == 0 {
			return math.NaN()
		}
		return kernelValue(rng)
	}
	for i := 0; i < 300; i++ {
		in := Shape{1 + rng.IntN(3), 1 + rng.IntN(9), 1 + rng.IntN(24)}
		size, isMax := 1+rng.IntN(3), rng.IntN(4) > 0
		var l Layer
		var sy, sx int
		switch rng.IntN(3) {
		case 0:
			size = min(size, in.H, in.W)
			l, sy, sx = NewPool(in, size, isMax), size, size
		case 1:
			in.H = 1
			size = min(size, in.W)
			l, sy, sx = NewPool1D(in, size, isMax), 1, size
		default:
			l = NewReLU(in)
		}
		r := refPool{in: in, sy: sy, sx: sx, max: isMax}
		oldF, oldB := r.forward, r.backward
		if sy == 0 {
			rl := l.(*ReLU)
			oldF, oldB = rl.oldForward, rl.oldBackward
		}
		x := make([]float64, l.In().Size())
		for j := range x {
			x[j] = value()
		}
		dout := kernelVec(rng, l.Out().Size())
		want := runConv(l, oldF, oldB, nil, x, dout, nil, true)
		got, goRef := withAVX2Pass(func() convPass { return runConv(l, l.Forward, l.Backward, nil, x, dout, nil, true) })
		for _, c := range [][2][]float64{{got.out, want.out}, {got.din, want.din}, {goRef.out, want.out}, {goRef.din, want.din}} {
			if j, ok := sameBits(c[0], c[1]); !ok {
				t.Fatalf("%T %v size %d max %v: value %d: %v, before %v", l, in, size, isMax, j, c[0][j], c[1][j])
			}
		}
	}
}

// refPool is the definition of the poolings as they were written before
// the branch-free argmax: windows of sy x sx with stride sy, sx, their
// values in row order, the maximum replaced only by a greater value (a
// NaN never is), the mean as the sum times 1/(sy*sx).
type refPool struct {
	in     Shape
	sy, sx int
	max    bool
}

// windows calls f for every output j with the input indexes of its
// window in row order.
func (r refPool) windows(f func(j int, idx []int)) {
	oh, ow := r.in.H/r.sy, r.in.W/r.sx
	idx := make([]int, 0, r.sy*r.sx)
	for c := 0; c < r.in.C; c++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				idx = idx[:0]
				for y := 0; y < r.sy; y++ {
					for x := 0; x < r.sx; x++ {
						idx = append(idx, (c*r.in.H+oy*r.sy+y)*r.in.W+ox*r.sx+x)
					}
				}
				f((c*oh+oy)*ow+ox, idx)
			}
		}
	}
}

func (r refPool) argmax(in []float64, idx []int) int {
	best := idx[0]
	for _, i := range idx {
		if in[i] > in[best] {
			best = i
		}
	}
	return best
}

func (r refPool) forward(_, in, out []float64) {
	inv := 1 / float64(r.sy*r.sx)
	r.windows(func(j int, idx []int) {
		if r.max {
			out[j] = in[r.argmax(in, idx)]
			return
		}
		s := 0.0
		for _, i := range idx {
			s += in[i]
		}
		out[j] = s * inv
	})
}

func (r refPool) backward(_, in, _, dout, din, _ []float64) {
	clear(din)
	inv := 1 / float64(r.sy*r.sx)
	r.windows(func(j int, idx []int) {
		if r.max {
			din[r.argmax(in, idx)] += dout[j]
			return
		}
		for _, i := range idx {
			din[i] += dout[j] * inv
		}
	})
}
