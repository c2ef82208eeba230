package nn

import (
	"math/rand/v2"
	"testing"
)

// benchStep runs forward and backward passes of batch samples of a on b.N
// iterations, jobs at once.
func benchStep(b *testing.B, a Arch, batch, jobs int) {
	n, err := New(a, 1)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var s []Sample
	var idx []int
	for i := 0; i < batch; i++ {
		s = append(s, Sample{X: randVec(rng, a.In.Size()), Extra: make([]float64, a.Extra), Label: i % a.Classes})
		idx = append(idx, i)
	}
	bt := newBatcher(n, batch, FitOptions{Jobs: jobs})
	opt := NewAdam(1e-3, 0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bt.step(s, idx, 1, opt)
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N*batch), "ms/sample")
}

// The shape of the gorgonia comparison (docs/classify.md): a batch of 32
// inputs of 1x32x128 through two 3x3 convolutions (8 and 16 filters) with
// a 2x2 max pool between them.
func BenchmarkTwoConvBatch32(b *testing.B) {
	benchStep(b, Arch{In: Shape{1, 32, 128}, Filters: []int{8, 16}, Kernel: 3, Pool: 2, Classes: 2}, 32, 1)
}

// The network of classify's cnn learner (its default architecture) on a
// batch of 32, one job and two.
func BenchmarkDefaultBatch32(b *testing.B) {
	a := Arch{In: Shape{1, 32, 128}, Filters: []int{8, 16, 32}, Kernel: 3, Pool: 2, Extra: 0, Hidden: 32, Classes: 6}
	b.Run("jobs=1", func(b *testing.B) { benchStep(b, a, 32, 1) })
	b.Run("jobs=2", func(b *testing.B) { benchStep(b, a, 32, 2) })
}

// BenchmarkPredict is one sample's forward pass through the default
// network.
func BenchmarkPredict(b *testing.B) {
	a := Arch{In: Shape{1, 32, 128}, Filters: []int{8, 16, 32}, Kernel: 3, Pool: 2, Hidden: 32, Classes: 6}
	n, _ := New(a, 1)
	x := randVec(rand.New(rand.NewPCG(1, 1)), a.In.Size())
	dst := make([]float64, 6)
	for i := 0; i < b.N; i++ {
		n.Probs(dst, x, nil)
	}
}

// sig1D is the network of classify's signet (its defaults):
// 16 s at 100 Hz through six blocks.
var sig1D = Arch{In: Shape{1, 1, 1600}, Filters: []int{8, 16, 16, 32, 32, 64}, Kernels: []int{7, 7, 7, 5, 5, 3},
	Strides: []int{2}, Pool: 2, Hidden: 32, Classes: 4, OneD: true}

// BenchmarkSignal1DBatch32 is a training step of sig1D on a batch of 32,
// one job.
func BenchmarkSignal1DBatch32(b *testing.B) { benchStep(b, sig1D, 32, 1) }

// BenchmarkSignal1DPredict is one forward pass of sig1D.
func BenchmarkSignal1DPredict(b *testing.B) {
	n, _ := New(sig1D, 1)
	x := randVec(rand.New(rand.NewPCG(1, 1)), sig1D.In.Size())
	dst := make([]float64, 4)
	for i := 0; i < b.N; i++ {
		n.Logits(dst, x, nil)
	}
}

// benchLayer runs the forward (or forward and backward) pass of one
// layer b.N times and reports the multiply-adds per nanosecond of the
// convolution (macs per pass).
func benchLayer(b *testing.B, l Layer, macs int, backward bool) {
	rng := rand.New(rand.NewPCG(1, 1))
	p, x := randVec(rng, l.NumParams()), randVec(rng, l.In().Size())
	out, dout := make([]float64, l.Out().Size()), randVec(rng, l.Out().Size())
	din, g := make([]float64, len(x)), make([]float64, len(p))
	passes := 1
	if backward {
		passes = 3
	}
	for b.Loop() {
		l.Forward(p, x, out)
		if backward {
			l.Backward(p, x, out, dout, din, g)
		}
	}
	b.ReportMetric(float64(macs*passes*b.N)/float64(b.Elapsed().Nanoseconds()), "GMAC/s")
}

// The second block of sig1D (8 to 16 filters of 7 taps over 400 samples)
// and of the default image network (8 to 16 filters of 3x3 over 16x64).
func BenchmarkConvLayer(b *testing.B) {
	c1 := NewConv1D(Shape{8, 1, 400}, 16, 7, 1)
	c2 := NewConv2D(Shape{8, 16, 64}, 16, 3)
	b.Run("1d/forward", func(b *testing.B) { benchLayer(b, c1, 16*8*7*400, false) })
	b.Run("1d/both", func(b *testing.B) { benchLayer(b, c1, 16*8*7*400, true) })
	b.Run("2d/forward", func(b *testing.B) { benchLayer(b, c2, 16*8*9*16*64, false) })
	b.Run("2d/both", func(b *testing.B) { benchLayer(b, c2, 16*8*9*16*64, true) })
}

// temporal16x512 is the temporal network of classify's cnn learner on
// 16x512 spectrograms, with the manifest's 3 RR values.
var temporal16x512 = Arch{In: Shape{16, 1, 512}, OneD: true, Filters: []int{32, 32, 64, 64}, Kernel: 7, Pool: 2, Extra: 3, Hidden: 32, Classes: 4}

// The temporal network's training step (a batch of 16, one job) with
// global average pooling (avg), with a bidirectional GRU of 32 units a
// direction joined to it (ecg train --cnn-recurrent 32: avg+gru32), with
// the GRU alone (gru32), and with group normalisation of 8 groups in each
// block (ecg train --cnn-norm group: avg+gn8).
func BenchmarkTemporal16x512(b *testing.B) {
	for _, c := range temporalVariants() {
		b.Run(c.name, func(b *testing.B) { benchStep(b, c.a, 16, 1) })
	}
}

// One image's forward pass through the same networks (ecg predict's
// network work).
func BenchmarkTemporal16x512Predict(b *testing.B) {
	for _, c := range temporalVariants() {
		b.Run(c.name, func(b *testing.B) {
			n, _ := New(c.a, 1)
			x := randVec(rand.New(rand.NewPCG(1, 1)), c.a.In.Size())
			dst := make([]float64, c.a.Classes)
			for i := 0; i < b.N; i++ {
				n.Probs(dst, x, make([]float64, 3))
			}
		})
	}
}

type namedArch struct {
	name string
	a    Arch
}

func temporalVariants() []namedArch {
	joined, alone, norm := temporal16x512, temporal16x512, temporal16x512
	joined.Recurrent, joined.RecurrentAvg = 32, true
	alone.Recurrent = 32
	norm.GroupNorm = 8
	return []namedArch{{"avg", temporal16x512}, {"avg+gru32", joined}, {"gru32", alone}, {"avg+gn8", norm}}
}
