package beats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// newTestEnvelope is the one-lead front end of a detector at fs.
func newTestEnvelope(fs float64) (*envelope, int64) {
	d := NewDetector(fs)
	return newEnvelope(fs, 1, func() cascade { return d.env.leads[0].bp.copy() }, d.env.dk, d.env.win, d.env.nw, true, d.span, int64(d.wv.wb)+1), d.settle
}

// The front end's rings do not depend on how the signal is split into
// blocks, its envelope rises on each QRS of a synthetic ECG, and an
// invalid sample silences the slope for settleTime.
func TestEnvelope(t *testing.T) {
	const fs = 360
	rng := rand.New(rand.NewPCG(1, 2))
	times, ect := beatTimes(20, rng)
	x := synthECG(fs, times, 20, ect, rng)
	x[3000] = math.NaN()
	run := func(sizes func() int) []slot {
		e, settle := newTestEnvelope(fs)
		for i := 0; i < len(x); {
			k := min(len(x)-i, sizes(), envelopeBlock)
			e.writeOne(x[i:i+k], settle)
			i += k
		}
		out := make([]slot, e.span)
		for i := range out {
			out[i] = e.ring[e.at(int64(len(x))-e.span+int64(i))]
		}
		return out
	}
	whole := run(func() int { return len(x) })
	r := rand.New(rand.NewPCG(3, 4))
	if got := run(func() int { return 1 + r.IntN(700) }); !slices.Equal(got, whole) {
		t.Fatal("random blocks give other rings than whole blocks")
	}
	e, settle := newTestEnvelope(fs)
	e.writeOne(x[:11*fs], settle) // the ring holds them all
	peak := func(c float64) float64 {
		var m float64
		for t := int64(c*fs) - 20; t < int64(c*fs)+80; t++ {
			m = max(m, e.ring[e.at(t)].comb)
		}
		return m
	}
	for k, c := range times[:len(times)-1] {
		if c > 10 || c < 2 || ect[k] || times[k+1]-c < 0.6 {
			continue
		}
		// Between the T wave and the next QRS the envelope falls low.
		q := math.Inf(1)
		for t := int64((c + 0.3) * fs); t < int64((c+0.4)*fs); t++ {
			q = min(q, e.ring[e.at(t)].comb)
		}
		if p := peak(c); p < 10*q {
			t.Errorf("beat at %.2f s: envelope %g, %g 0.3-0.4 s later", c, p, q)
		}
	}
	if s := e.ring[e.at(3100)].slope; s != 0 {
		t.Errorf("slope %g 100 samples after an invalid sample, want 0", s)
	}
}

// narrowSpan gives the running sum of the squared slope over nw samples
// as it is stepped sample by sample (recomputed at the multiples of nw).
func TestNarrowSpan(t *testing.T) {
	e, settle := newTestEnvelope(360)
	rng := rand.New(rand.NewPCG(5, 6))
	x := make([]float64, 2000)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	e.writeOne(x, settle)
	nw := int64(e.nw)
	var sum float64
	var want []float64
	for n := range int64(len(x)) {
		v, u := e.slopeAt(n), e.slopeAt(n-nw)
		sum += v * v
		sum -= u * u
		if n%nw == 0 {
			sum = 0
			for j := n; j > n-nw; j-- {
				sum += e.slopeAt(j) * e.slopeAt(j)
			}
		}
		want = append(want, max(sum, 0)/float64(nw))
	}
	for _, span := range [][2]int64{{0, 40}, {100, 170}, {1500, 1999}, {29, 29}} {
		got := e.narrowSpan(nil, span[0], span[1])
		if !slices.Equal(got, want[span[0]:span[1]+1]) {
			t.Errorf("narrowSpan %v differs from the stepped sums", span)
		}
	}
}
