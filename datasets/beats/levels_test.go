package beats

import (
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
