package beats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// recent keeps the last history values, oldest overwritten first, and
// gives their median.
func TestRecent(t *testing.T) {
	var r recent
	if r.median() != 0 || r.len() != 0 {
		t.Fatalf("empty: median %g len %d", r.median(), r.len())
	}
	for i := 1; i <= history+3; i++ {
		r.push(float64(i))
	}
	got := slices.Sorted(slices.Values(r.values()))
	want := []float64{4, 5, 6, 7, 8, 9, 10, 11}
	if !slices.Equal(got, want) {
		t.Fatalf("values %v, want %v", got, want)
	}
	if m := r.median(); m != 7.5 {
		t.Fatalf("median %g, want 7.5", m)
	}
	r.set(2)
	if r.len() != 1 || r.median() != 2 {
		t.Fatalf("set: len %d median %g", r.len(), r.median())
	}
}

// The threshold lies thresholdK of the way from the noise to the QRS
// level; a beat enters the QRS level as at most qRise times it.
func TestLevels(t *testing.T) {
	lv := levels{k: 0.3, qRise: 1.25}
	lv.reset()
	lv.start(10)
	if th := lv.threshold(); th != 3 {
		t.Fatalf("threshold %g, want 3 (0.3 of the way from 0 to 10)", th)
	}
	lv.addBeat(100, true) // capped at 12.5
	if q := lv.qrs.median(); q != 11.25 {
		t.Fatalf("QRS level %g, want the median of 10 and 12.5", q)
	}
	if c := lv.cleanLevel(); c != 12.5 {
		t.Fatalf("clean level %g, want 12.5 (the one clean beat)", c)
	}
	lv.addNoise(2)
	if lv.nMed != 1 {
		t.Fatalf("noise level %g, want the median of 0 and 2", lv.nMed)
	}
	if r := lv.meanRR(360); r != 360 {
		t.Fatalf("mean RR %g before any, want fs", r)
	}
	lv.pushRR(300)
	lv.pushRR(320)
	if r := lv.meanRR(360); r != 310 {
		t.Fatalf("mean RR %g, want 310", r)
	}
}

// recent's median, read from its sorted copy, has the bits of the median
// of its values sorted afresh in storage order (as it was taken before
// the sorted copy), through values that tie, NaN, -0 and infinities
// coming and going, and clear and set.
func TestRecentSortedMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	values := []float64{1, 2, 2.5, 3, 0, 7, math.Inf(1), math.Inf(-1), -4, math.Copysign(0, -1), math.NaN()}
	var r recent
	for trial := range 200000 {
		switch k := rng.IntN(100); {
		case k == 0:
			r.clear()
		case k == 1:
			r.set(values[rng.IntN(len(values))])
		case k < 50:
			r.push(values[rng.IntN(7)]) // ordinary values only, ties among them
		case k < 95:
			r.push(values[rng.IntN(len(values)-2)])
		default:
			r.push(values[rng.IntN(len(values))])
		}
		s := slices.Clone(r.values())
		want := insertionMedian(s)
		if got := r.median(); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("trial %d, values %v: median %v, want %v", trial, r.values(), got, want)
		}
	}
}

// BenchmarkRecentMedian pushes a value and takes the median, as the
// levels do at each peak: from the sorted copy (sorted) or by sorting a
// copy of the values (copy, as before).
func BenchmarkRecentMedian(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 4096)
	for i := range x {
		x[i] = 0.5 + rng.Float64()
	}
	b.Run("sorted", func(b *testing.B) {
		var r recent
		var sink float64
		for i := range b.N {
			r.push(x[i&4095])
			sink += r.median()
		}
		_ = sink
	})
	b.Run("copy", func(b *testing.B) {
		var r recent
		var sink float64
		for i := range b.N {
			r.push(x[i&4095])
			var s [history]float64
			copy(s[:], r.values())
			sink += insertionMedian(s[:r.len()])
		}
		_ = sink
	})
}
