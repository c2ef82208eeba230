package pool

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

func TestMapOrderAndBound(t *testing.T) {
	items := []int{5, 1, 4, 2, 3, 0, 6, 7}
	var running, peak, dones atomic.Int32
	got, err := Map(context.Background(), items, 3, func(v int) int {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Duration(v) * time.Millisecond)
		running.Add(-1)
		return v * v
	}, func() { dones.Add(1) })
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{25, 1, 16, 4, 9, 0, 36, 49}; !slices.Equal(got, want) {
		t.Errorf("Map = %v, want %v (input order)", got, want)
	}
	if peak.Load() > 3 {
		t.Errorf("%d calls at once, want at most 3", peak.Load())
	}
	if dones.Load() != int32(len(items)) {
		t.Errorf("done called %d times, want %d", dones.Load(), len(items))
	}
}

func TestMapStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	_, err := Map(ctx, make([]int, 100), 1, func(int) int {
		if calls.Add(1) == 2 {
			cancel()
		}
		return 0
	}, nil)
	if err == nil {
		t.Fatal("no error after cancel")
	}
	if n := calls.Load(); n > 3 {
		t.Errorf("%d calls after cancel at the second, want at most 3", n)
	}
}
