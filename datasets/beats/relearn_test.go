package beats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRelearnAfterStartArtifact: a wearable recording that opens with an
// electrode-settling transient many times the QRS (as a sixth of CinC
// 2017's recordings do) must not leave the detector's levels up there for
// the rest of the recording. The transient of 8 mV, a few hundred ms
// long, fills the 2 s learning period's largest peak; once the detector
// has seen no beat for 3 s it learns its levels again from the peaks of
// the last 2 s and finds the beats from there on, at every rate and
// polarity, with no extra beat but the transient. An amplitude that drops tenfold in mid-recording (a loose
// electrode) is found again within 8 s.
func TestRelearnAfterStartArtifact(t *testing.T) {
	for _, fs := range []float64{250, 300, 500} {
		for _, invert := range []bool{false, true} {
			rng := rand.New(rand.NewPCG(7, uint64(fs)))
			times, ect := beatTimes(30, rng)
			x := synthECG(fs, times, 30, ect, rng)
			for i := 0; i < int(0.4*fs); i++ {
				tt := float64(i) / fs
				x[i] += 8 * math.Sin(math.Pi*tt/0.4) * math.Sin(2*math.Pi*6*tt)
			}
			if invert {
				for i := range x {
					x[i] = -x[i]
				}
			}
			got := beatSamples(Detect(x, fs))
			// Fed in chunks, held back or live, the beats come in order
			// and within the detector's Delay (runChunkedParams fails
			// otherwise), the same beats for the held-back detector.
			cr := rand.New(rand.NewPCG(9, 9))
			sizes := func() int { return 1 + cr.IntN(700) }
			if c := runChunked(t, fs, x, sizes); !slices.Equal(c, got) {
				t.Errorf("fs %v invert %v: %d beats in chunks, %d whole", fs, invert, len(c), len(got))
			}
			live := defaultParams
			live.hHold = 0
			runChunkedParams(t, fs, live, x, sizes)
			m := Match(toSamples(times, fs), got, fs, MatchOptions{Window: 0.05})
			// The beats from 2 s on: the levels are learnt again 3 s
			// after the last beat (the transient), from the peaks of the
			// 2 s before, which are decided again.
			late, found := foundAfter(times, m, 2)
			if found < late || m.FP > 1 {
				t.Errorf("fs %v invert %v: %d of the %d beats after 2 s found, %d extra", fs, invert, found, late, m.FP)
			}
		}
	}
	fs := 300.0
	rng := rand.New(rand.NewPCG(8, 1))
	times, ect := beatTimes(40, rng)
	x := synthECG(fs, times, 40, ect, rng)
	for i := int(10 * fs); i < len(x); i++ {
		x[i] /= 10
	}
	m := Match(toSamples(times, fs), beatSamples(Detect(x, fs)), fs, MatchOptions{Window: 0.05})
	late, found := foundAfter(times, m, 19)
	if found < late || m.FP > 1 {
		t.Errorf("amplitude drop at 10 s: %d of the %d beats after 19 s found, %d extra", found, late, m.FP)
	}
}

// foundAfter counts the reference beats at or after from seconds, and
// those of them m matched.
func foundAfter(times []float64, m MatchResult, from float64) (late, found int) {
	missed := map[int]bool{}
	for _, i := range m.Missed {
		missed[i] = true
	}
	for i, tt := range times {
		if tt >= from {
			late++
			if !missed[i] {
				found++
			}
		}
	}
	return late, found
}

// TestRelearnLeads: the multi-lead detector learns its levels again as
// well, each lead's from its own peaks: two leads that open with the
// transient (the second at half the gain) give every beat from 2.5 s on
// (the peaks decided again lose their slopes to the new weights, as at
// the end of learning, so the first one or two may be wrong) with at
// most one false beat besides the transient.
func TestRelearnLeads(t *testing.T) {
	fs := 360.0
	rng := rand.New(rand.NewPCG(5, 5))
	times, ect := beatTimes(30, rng)
	x := synthECG(fs, times, 30, ect, rng)
	for i := 0; i < int(0.4*fs); i++ {
		tt := float64(i) / fs
		x[i] += 8 * math.Sin(math.Pi*tt/0.4) * math.Sin(2*math.Pi*6*tt)
	}
	y := make([]float64, len(x))
	for i := range x {
		y[i] = x[i] / 2
	}
	m := Match(toSamples(times, fs), beatSamples(DetectLeads([][]float64{x, y}, fs)), fs, MatchOptions{Window: 0.05})
	late, found := foundAfter(times, m, 2.5)
	if found < late || m.FP > 2 {
		got := DetectLeads([][]float64{x, y}, fs)
		for _, i := range m.Missed {
			t.Logf("missed %.3f", times[i])
		}
		for _, i := range m.Extra {
			t.Logf("extra %.3f", float64(got[i].Sample)/fs)
		}
		t.Errorf("two leads: %d of the %d beats after 2.5 s found, %d extra", found, late, m.FP)
	}
}

// TestSearchBackKeepsSinceForRelearn: the peaks after the one a
// search-back takes stay candidates for the next search-back and stay
// among the peaks a relearn would learn from; before, accept emptied
// since and only pending got them back, so a relearn soon after a
// successful search-back learnt from fewer peaks than it had seen.
func TestSearchBackKeepsSinceForRelearn(t *testing.T) {
	fs := 300.0
	rng := rand.New(rand.NewPCG(3, 3))
	times, ect := beatTimes(10, rng)
	x := synthECG(fs, times, 10, ect, rng)
	d := NewDetector(fs)
	var got []Beat
	emit := func(b Beat) { got = append(got, b) }
	d.Write(x, emit)
	if d.lastBeat < 0 {
		t.Fatal("no beat in 10 s of synthetic ECG")
	}
	th := d.p.searchBackTh * d.lv.threshold()
	at := d.lastBeat + d.samples(0.5)
	pks := []peak{
		{at: at, fid: at, value: 2 * th, slope: math.Inf(1)},
		{at: at + d.samples(0.4), fid: at + d.samples(0.4), value: 1.5 * th, slope: math.Inf(1)},
		{at: at + d.samples(0.8), fid: at + d.samples(0.8), value: 0.5 * th, slope: math.Inf(1)},
	}
	d.pending = append(d.pending[:0], pks...)
	d.since = append(d.since[:0], pks...)
	d.searchBack(d.lastBeat+d.maxSearch, emit)
	if d.lastBeat != pks[0].at {
		t.Fatalf("search-back took the beat at %d, want the largest peak at %d", d.lastBeat, pks[0].at)
	}
	for name, got := range map[string][]peak{"pending": d.pending, "since": d.since} {
		if len(got) != 2 || got[0].at != pks[1].at || got[1].at != pks[2].at {
			t.Errorf("%s after the search-back: %d peaks %v, want the 2 after the beat taken", name, len(got), got)
		}
	}
}
