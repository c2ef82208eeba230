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
	return newEnvelope(fs, 1, func() cascade { return d.env.leads[0].bp.copy() }, d.env.dk, d.env.win, d.env.nw, d.span, int64(d.wv.wb)+1), d.settle
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

// writeOne's values are, bit for bit, the per-sample arithmetic of the
// multi-lead front end's parts (lead.valid, cascade.step, integrate)
// applied to one lead, at 360 Hz (a derivative lag of 4 samples, a power
// of two) and 250 Hz (lag 3), through invalid samples.
func TestWriteOneArithmetic(t *testing.T) {
	for _, fs := range []float64{360, 250} {
		rng := rand.New(rand.NewPCG(7, 8))
		times, ect := beatTimes(30, rng)
		x := synthECG(fs, times, 30, ect, rng)
		x[1000], x[1001], x[5000] = math.NaN(), math.Inf(1), math.Inf(-1)
		e, settle := newTestEnvelope(fs)
		ref, _ := newTestEnvelope(fs)
		for i := 0; i < len(x); {
			k := min(len(x)-i, 1+rng.IntN(envelopeBlock))
			e.writeOne(x[i:i+k], settle)
			for _, v := range x[i : i+k] {
				stepOneLead(ref, v, settle)
			}
			i += k
			for t0 := max(e.n-int64(k), 0); t0 < e.n; t0++ {
				a, b := e.ring[e.at(t0)], ref.ring[ref.at(t0)]
				if !sameBits(a.y, b.y) || !sameBits(a.cum, b.cum) || !sameBits(a.band, b.band) || !sameBits(a.slope, b.slope) ||
					!sameBits(a.comb, b.comb) || !sameBits(a.mean, b.mean) {
					t.Fatalf("fs %g sample %d: writeOne %+v, per-sample %+v", fs, t0, a, b)
				}
			}
		}
	}
}

// stepOneLead runs the front end's per-sample arithmetic over sample v of
// a one-lead envelope, as writeLeads does for each lead.
func stepOneLead(e *envelope, v float64, settle int64) {
	l := &e.leads[0]
	n := e.n
	v = l.valid(v, n, settle)
	y := l.bp.step(v - l.x0)
	p := &e.ring[n&e.mask]
	p.y, p.cum = y, y
	if n > 0 {
		p.cum += e.ring[(n-1)&e.mask].cum
	}
	var s float64
	p.band, p.slope = 0, 0
	if n >= l.quietTo && n >= int64(e.dk) {
		s = (y - e.ring[(n-int64(e.dk))&e.mask].y) * e.fs / float64(e.dk)
		p.band, p.slope = l.root*math.Abs(y), l.root*math.Abs(s)
	}
	e.integrate(l, s)
	p.comb = e.combine()
	e.lm += (p.comb - e.lm) * e.leak
	p.mean = e.lm
	e.advance()
}

func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// BenchmarkWriteOne runs the one-lead front end over 30 minutes of a
// synthetic ECG at 360 Hz (a MIT-BIH record's length) in blocks, as
// Detector.Write does.
func BenchmarkWriteOne(b *testing.B) {
	const fs = 360
	rng := rand.New(rand.NewPCG(1, 2))
	times, ect := beatTimes(1800, rng)
	x := synthECG(fs, times, 1800, ect, rng)
	e, settle := newTestEnvelope(fs)
	b.SetBytes(int64(len(x)) * 8)
	for range b.N {
		e.reset()
		for i := 0; i < len(x); i += envelopeBlock {
			e.writeOne(x[i:min(i+envelopeBlock, len(x))], settle)
		}
	}
}
