package beats

import (
	"slices"
	"testing"
)

// The hold queue releases beats in order once held long enough, and the
// oldest early when full.
func TestHoldQueue(t *testing.T) {
	q := newHoldQueue(100)
	q.reset()
	var out []int64
	emit := func(b Beat) { out = append(out, b.Sample) }
	for _, f := range []int64{10, 50, 90} {
		q.push(heldBeat{f: f}, emit)
	}
	q.releaseDue(149, emit)
	if !slices.Equal(out, []int64{10}) || q.last() != 90 {
		t.Fatalf("released %v at 149 (last held %d), want [10]", out, q.last())
	}
	q.release(1<<62, emit)
	if !slices.Equal(out, []int64{10, 50, 90}) || q.lastEmit != 90 || q.last() != 90 {
		t.Fatalf("released %v, last emitted %d", out, q.lastEmit)
	}
	out = out[:0]
	for f := range int64(maxHeld + 1) {
		q.push(heldBeat{f: 1000 + f}, emit)
	}
	if !slices.Equal(out, []int64{1000}) {
		t.Fatalf("a full queue released %v, want its oldest beat", out)
	}
}

// The beats the re-decision adds join the stretch in order, unless one
// of the stretch's beats is closer than insMin.
func TestMergeHeld(t *testing.T) {
	stretch := []heldBeat{{f: 100}, {f: 400}}
	add := make([]heldBeat, 0, 8)
	add = append(add, heldBeat{f: 250, noisy: true}, heldBeat{f: 420, noisy: true})
	merged, scratch := mergeHeld(nil, add, stretch, 54)
	var got []int64
	for _, h := range merged {
		got = append(got, h.f)
	}
	if !slices.Equal(got, []int64{100, 250, 400}) || len(scratch) != 0 {
		t.Fatalf("merged %v (scratch %d), want [100 250 400]", got, len(scratch))
	}
}
