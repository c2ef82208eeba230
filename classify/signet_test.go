package classify

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets/synth"
)

// The input is the same whatever the gain, close whatever the rate, and
// any rate works (also one that is no ratio of small integers).
func TestSignetInput(t *testing.T) {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: 360, Duration: 20, Seed: 3, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	base, err := SignetInput(rec.MV, 360, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(base) != 2000 {
		t.Fatalf("%d samples at 100 Hz from 20 s", len(base))
	}
	gained := slices.Clone(rec.MV)
	for i := range gained {
		gained[i] *= 7.5
	}
	g, _ := SignetInput(gained, 360, 100)
	for i := range g {
		if math.Abs(g[i]-base[i]) > 1e-9 {
			t.Fatalf("sample %d: %v with gain 7.5, %v without", i, g[i], base[i])
		}
	}
	for _, fs := range []float64{250, 300, 257.3} {
		r, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: fs, Duration: 20, Seed: 3, Noise: 0.02})
		if err != nil {
			t.Fatal(err)
		}
		in, err := SignetInput(r.MV, fs, 100)
		if err != nil {
			t.Fatalf("%v Hz: %v", fs, err)
		}
		if len(in) < 1999 || len(in) > 2001 {
			t.Errorf("%v Hz: %d samples", fs, len(in))
		}
		if p := medianPeakToPeak(in, 100); math.Abs(p-1) > 0.05 {
			t.Errorf("%v Hz: median peak-to-peak %v, want 1", fs, p)
		}
	}
	nan := slices.Clone(rec.MV)
	nan[100], nan[101] = math.NaN(), math.Inf(1)
	in, _ := SignetInput(nan, 360, 100)
	for _, v := range in {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 10 {
			t.Fatalf("value %v", v)
		}
	}
	if _, err := SignetInput(rec.MV[:500], 360, 100); err == nil {
		t.Error("a signal under 2 s was taken")
	}
}

func TestCropOffsets(t *testing.T) {
	for _, c := range []struct {
		n, l int
		want []int
	}{{3000, 1600, []int{0, 1400}}, {1600, 1600, []int{0}}, {900, 1600, []int{0}}, {6100, 1600, []int{0, 1500, 3000, 4500}}} {
		if got := cropOffsets(c.n, c.l); !slices.Equal(got, c.want) {
			t.Errorf("cropOffsets(%d, %d) = %v, want %v", c.n, c.l, got, c.want)
		}
	}
	dst := make([]float64, 6)
	crop(dst, []float64{1, 2}, 0)
	if !slices.Equal(dst, []float64{0, 0, 1, 2, 0, 0}) {
		t.Errorf("short crop %v", dst)
	}
	crop(dst, []float64{1, 2, 3, 4, 5, 6, 7, 8}, 2)
	if !slices.Equal(dst, []float64{3, 4, 5, 6, 7, 8}) {
		t.Errorf("crop %v", dst)
	}
}

// signetToy is a small network for the unit tests: 8 s at 50 Hz.
var signetToy = SignetOptions{Rate: 50, Crop: 8, Filters: []int{8, 8, 16, 16}, Kernels: []int{7, 5, 5, 3}, Hidden: 8, Epochs: 20,
	Batch: 8, LR: 0.005, Seed: 1}

// synthSignetInputs returns the network inputs (at signetToy's rate),
// labels and groups of n synthetic 20 s recordings of sinus rhythm and
// AF each.
func synthSignetInputs(t *testing.T, n int) ([][]float64, []int, []string) {
	sig, fs, y, groups := synthSegments(t, []string{synth.Normal, synth.AFib}, n, 1, 20, 1)
	var in [][]float64
	for i := range sig {
		v, err := SignetInput(sig[i], fs[i], signetToy.Rate)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, v)
	}
	return in, y, groups
}

// A small network tells synthetic AF from sinus rhythm on recordings it
// did not see, and the same seed gives the same network with 1 and 2
// jobs.
func TestTrainSignetSynthetic(t *testing.T) {
	in, y, groups := synthSignetInputs(t, 40)
	test := func(i int) bool { return i%5 == 0 }
	var trIn [][]float64
	var trY []int
	var trG []string
	for i := range in {
		if !test(i) {
			trIn, trY, trG = append(trIn, in[i]), append(trY, y[i]), append(trG, groups[i])
		}
	}
	var params [][]float64
	for _, jobs := range []int{1, 2} {
		o := signetToy
		o.Jobs = jobs
		s, info, err := TrainSignet(context.Background(), trIn, trY, trG, 2, o)
		if err != nil {
			t.Fatal(err)
		}
		ok, n := 0, 0
		for i := range in {
			if test(i) {
				p := s.Probs(nil, in[i])
				if (p[1] > p[0]) == (y[i] == 1) {
					ok++
				}
				n++
			}
		}
		if float64(ok) < 0.8*float64(n) {
			t.Errorf("jobs %d: %d of %d held-out recordings right (%+v)", jobs, ok, n, info)
		}
		params = append(params, s.Net.Params)
	}
	if !slices.Equal(params[0], params[1]) {
		t.Error("1 and 2 jobs gave different networks")
	}
}

func TestSignetOptionsValidate(t *testing.T) {
	for _, o := range []SignetOptions{{Rate: 10}, {Crop: 1}, {Crop: 200}, {LR: 2}, {ClassWeight: "x"}} {
		if err := o.withDefaults().Validate(); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if _, _, err := TrainSignet(context.Background(), nil, nil, nil, 2, SignetOptions{}); err == nil {
		t.Error("no recordings accepted")
	}
}

// BenchmarkSignetPredict30s is the probabilities of a 30 s recording at
// 300 Hz from the default network (untrained weights: the cost does not
// depend on them), input preparation included.
func BenchmarkSignetPredict30s(b *testing.B) {
	o := SignetOptions{}.withDefaults()
	net, err := nnNew(o.arch(4))
	if err != nil {
		b.Fatal(err)
	}
	s := &Signet{Net: net, Rate: o.Rate}
	rng := rand.New(rand.NewPCG(1, 1))
	x := make([]float64, 9000)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.PredictSignal(x, 300); err != nil {
			b.Fatal(err)
		}
	}
}

func nnNew(a nn.Arch) (*nn.Net, error) { return nn.New(a, 1) }

// The second stage (Anneal) starts from the first stage's best weights,
// numbers its epochs after the first stage's, and keeps its own weights
// only when their validation loss is lower. With labels at random the
// first stage's weights are kept (each of these settings takes the
// branch it names, so both are tested).
func TestTrainSignetAnneal(t *testing.T) {
	in, y, groups := synthSignetInputs(t, 30)
	random := slices.Clone(y)
	rand.New(rand.NewPCG(5, 5)).Shuffle(len(random), func(i, j int) { random[i], random[j] = random[j], random[i] })
	for _, c := range []struct {
		name      string
		y         []int
		keepFirst bool
	}{{"labels", y, false}, {"labels at random", random, true}} {
		o := signetToy
		o.Epochs = 4
		first, fi, err := TrainSignet(context.Background(), in, c.y, groups, 2, o)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Anneal != 0 {
			t.Errorf("%s: no second stage asked, info %+v", c.name, fi)
		}
		o.Anneal = 3
		var seen []int
		o.Progress = func(e nn.EpochResult) { seen = append(seen, e.Epoch) }
		s, info, err := TrainSignet(context.Background(), in, c.y, groups, 2, o)
		if err != nil {
			t.Fatal(err)
		}
		if info.Anneal != 3 || info.Ran <= fi.Ran || info.Ran > fi.Ran+3 || len(seen) != info.Ran || seen[len(seen)-1] != info.Ran {
			t.Fatalf("%s: first stage %+v, both %+v, epochs seen %v", c.name, fi, info, seen)
		}
		checkAnnealed(t, c.name, stageResult{fi.Ran, fi.BestEpoch, fi.ValLoss}, stageResult{info.Ran, info.BestEpoch, info.ValLoss},
			c.keepFirst, slices.Equal(s.Net.Params, first.Net.Params))
	}
}
