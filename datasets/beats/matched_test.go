package beats

import (
	"math"
	"testing"
)

// pulseRing returns a ring of slots whose band-passed signal y holds a
// Gaussian pulse (sd w samples) at each of centres.
func pulseRing(size int, w float64, centres ...int) []slot {
	ring := make([]slot, size)
	for i := range ring {
		for _, c := range centres {
			d := float64(i-c) / w
			ring[i].y += math.Exp(-d * d / 2)
		}
	}
	var c float64
	for i := range ring {
		c += ring[i].y
		ring[i].cum = c
	}
	return ring
}

// A template learnt from pulses correlates fully with another pulse and
// its output peaks at that pulse's centre.
func TestMatchedFilter(t *testing.T) {
	ring := pulseRing(1024, 4, 100, 300, 500, 700)
	m := newMatchedFilter(20, 0, 0.8, ring, 1023, 1024)
	now := int64(1000)
	for _, c := range []int64{100, 300, 500} {
		m.learn(c, now)
	}
	if m.n != 3 || m.level.len() != 3 {
		t.Fatalf("learnt %d beats, %d levels", m.n, m.level.len())
	}
	if c := m.ncc(700, now); math.Abs(c-1) > 1e-12 {
		t.Fatalf("normalised correlation %g with the same shape, want 1", c)
	}
	if v, f := m.max(650, 750, now); f != 700 || v <= 0 {
		t.Fatalf("largest output %g at %d, want at 700", v, f)
	}
	if v := m.at(990, now); !math.IsInf(v, -1) {
		t.Fatalf("output %g past the newest sample, want -Inf", v)
	}
}

// The wavelet's output peaks on a QRS-wide pulse.
func TestWavelet(t *testing.T) {
	ring := pulseRing(1024, 3, 400)
	w := newWavelet(360, 0.01)
	w.ring, w.mask, w.span = ring, 1023, 1024
	v, f := w.max(350, 450, 1000, true)
	if f < 398 || f > 402 || v <= 0 {
		t.Fatalf("largest local output %g at %d, want at 400", v, f)
	}
	if v := w.at(995, 1000); v != -1 {
		t.Fatalf("output %g within wb of the newest sample, want -1", v)
	}
}
