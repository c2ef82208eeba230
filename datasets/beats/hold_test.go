package beats

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestChunkInvarianceHold: with the two-sided rhythm (beats held back
// and re-decided) on a record with electrode-motion bursts, whole,
// 1-sample and random chunks give the same beats and Noisy flags, in
// order, within Delay(); the re-decision adds beats, all of them Noisy,
// and leaves the others as they were without the hold.
func TestChunkInvarianceHold(t *testing.T) {
	off := defaultParams
	off.hHold = 0
	for _, fs := range []float64{125, 360, 1000} {
		rng := rand.New(rand.NewPCG(21, 22))
		dur := 420.0 // the noise starts at 300 s
		times, ect := beatTimes(dur, rng)
		x := synthECG(fs, times, dur, ect, rng)
		addNoise(x, fs, "em", 0, toSamples(times, fs), 3)
		run := func(p params, sizes func() int) []Beat { return runChunkedParams(t, fs, p, x, sizes) }
		whole := run(defaultParams, func() int { return len(x) })
		without := run(off, func() int { return len(x) })
		added := 0
		i := 0
		for _, b := range whole {
			if i < len(without) && without[i] == b {
				i++
				continue
			}
			if !b.Noisy {
				t.Errorf("%g Hz: beat %d placed by the re-decision is not Noisy", fs, b.Sample)
			}
			added++
		}
		if i < len(without) {
			t.Errorf("%g Hz: the re-decision dropped or changed beat %+v", fs, without[i])
		}
		if added == 0 {
			t.Fatalf("%g Hz: the re-decision changed nothing (%d beats)", fs, len(whole))
		}
		if one := run(off, func() int { return 1 }); !slices.Equal(one, without) {
			t.Errorf("%g Hz, live (no hold), 1-sample chunks: %d beats, whole: %d", fs, len(one), len(without))
		}
		if one := run(defaultParams, func() int { return 1 }); !slices.Equal(one, whole) {
			t.Errorf("%g Hz, 1-sample chunks: %d beats, whole: %d", fs, len(one), len(whole))
		}
		for seed := range uint64(3) {
			r := rand.New(rand.NewPCG(seed, 99))
			if got := run(defaultParams, func() int { return 1 + r.IntN(5000) }); !slices.Equal(got, whole) {
				t.Errorf("%g Hz, random chunks (seed %d): %d beats, whole: %d", fs, seed, len(got), len(whole))
			}
		}
		t.Logf("%g Hz: %d beats (%d added by the re-decision), %d true, Delay %.2f s", fs, len(whole), added, len(times), float64(NewDetector(fs).Delay())/fs)
	}
}

// TestDelayLeads: one lead holds its beats back hHold for the two-sided
// rhythm; several leads (no matched filter, no re-decision) and the live
// detector do not.
func TestDelayLeads(t *testing.T) {
	for _, fs := range []float64{125, 360, 1000} {
		one := float64(NewDetector(fs).Delay()) / fs
		two := float64(NewMultiDetector(fs, 2).Delay()) / fs
		live := float64(NewLiveDetector(fs).Delay()) / fs
		if live < 3.5 || live > 4.2 {
			t.Errorf("%g Hz: live Delay %.2f s, want about 3.8 s", fs, live)
		}
		if one < defaultParams.hHold || one > defaultParams.hHold+0.3 {
			t.Errorf("%g Hz: one-lead Delay %.2f s, want a little over %g s", fs, one, defaultParams.hHold)
		}
		if two < 3.5 || two > 4.2 {
			t.Errorf("%g Hz: two-lead Delay %.2f s, want about 3.8 s", fs, two)
		}
	}
}
