package beats

import "testing"

// The tracker learns the period of regular beats and expects the next
// one period after the last; beats off the rhythm in a row make it start
// again.
func TestRhythmTracker(t *testing.T) {
	r := rhythm{tol: 0.2, maxPeriod: 540, refract: 72, insTol: 36, pll: 0.5}
	r.reset()
	none := func(f, e int64) int64 { t.Fatal("refine called on a clean signal"); return f }
	for k := range 6 {
		r.track(int64(100+300*k), false, none)
	}
	if p := r.period(); p != 300 {
		t.Fatalf("period %g, want 300", p)
	}
	if e, ok := r.next(); !ok || e != 100+300*6 {
		t.Fatalf("next %d %v, want %d", e, ok, 100+300*6)
	}
	// A missed beat: two periods later is still on the rhythm.
	r.track(100+300*7, false, none)
	if r.anchor != 100+300*7 {
		t.Fatalf("anchor %d after a beat two periods on", r.anchor)
	}
	// Under noise with refinement the anchor moves half of the way from
	// the expected time to the QRS refine finds.
	r.refine = true
	r.track(100+300*8+20, true, func(f, e int64) int64 { return e + 10 })
	if want := int64(100 + 300*8 + 5); r.anchor != want {
		t.Fatalf("refined anchor %d, want %d", r.anchor, want)
	}
	// Off the rhythm history times in a row (1.2 to 1.7 periods after
	// the anchor, which stays): the period is forgotten.
	a, f := r.anchor, int64(0)
	for k := range int64(history) {
		f = a + 370 + 20*k
		r.track(f, false, none)
	}
	if r.per.len() != 0 || r.anchor != f {
		t.Fatalf("after %d beats off the rhythm: %d intervals, anchor %d (want %d)", history, r.per.len(), r.anchor, f)
	}
}
