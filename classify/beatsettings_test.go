package classify

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// decimatedReference is removeBaselineDecimated written plainly: the
// baseline of every d-th sample by the sorted windows (RemoveBaseline at
// fs/d), interpolated linearly, held after the last.
func decimatedReference(x []float64, fs float64, d int) []float64 {
	x = fillInvalid(x)
	var xd []float64
	for i := 0; i < len(x); i += d {
		xd = append(xd, x[i])
	}
	yd := RemoveBaseline(xd, fs/float64(d))
	out := make([]float64, len(x))
	for i := range x {
		j, f := i/d, float64(i%d)
		b := xd[j] - yd[j]
		step := 0.0
		if j+1 < len(xd) {
			step = ((xd[j+1] - yd[j+1]) - b) / float64(d)
		}
		out[i] = x[i] - (b + step*f)
	}
	return out
}

// TestRemoveBaselineDecimated compares the decimated baseline (keyed
// medians where the keys qualify) with decimatedReference bit for bit on
// random walks of digital samples: rates, steps, lengths from shorter than
// the filters to a few seconds, gains that make the keys rise or fall,
// invalid samples (NaN, then filled) and keys that do not fit.
func TestRemoveBaselineDecimated(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for trial := range 80 {
		fs := []float64{128, 250, 360, 500, 1000}[trial%5]
		d := []int{2, 3, 8, 12}[trial%4]
		n := []int{1, 40, 700, 3000, 9000}[trial%5]
		gain := []float64{200, -200, 0.37}[trial%3]
		key := make([]int32, n)
		x := make([]float64, n)
		k := int32(rng.IntN(1000))
		for i := range key {
			k += int32(rng.IntN(9) - 4)
			key[i] = k
			x[i] = float64(k) / gain
			switch {
			case trial%7 == 3 && rng.IntN(100) == 0:
				x[i] = math.NaN() // an invalid sample
			case trial%7 == 5 && i == n/2:
				key[i] += 70000 // keys that do not fit
			}
		}
		want := decimatedReference(append([]float64(nil), x...), fs, d)
		buf := append(make([]int32, keyRoom(fs)), key...)
		got := removeBaselineDecimated(fillInvalid(append([]float64(nil), x...)), buf[keyRoom(fs):], fs, d)
		if i := sameBits(got, want); i >= 0 {
			t.Fatalf("trial %d (fs %v, d %d, n %d): sample %d %v, want %v", trial, fs, d, n, i, got[i], want[i])
		}
	}
}

// TestBeatSettings checks the settings' range, the step they give at a
// rate, and that the settings of beat models before them (none, or a
// rate of 0) are stored as none: such a model file's header is what it
// was.
func TestBeatSettings(t *testing.T) {
	for _, hz := range []float64{-1, math.NaN(), math.Inf(1), 2e5} {
		if err := (&BeatSettings{BaselineHz: hz}).check(); err == nil {
			t.Errorf("baseline %v Hz: no error", hz)
		}
	}
	for _, c := range []struct {
		b    *BeatSettings
		fs   float64
		want int
	}{{nil, 360, 1}, {&BeatSettings{}, 360, 1}, {&BeatSettings{BaselineHz: 45}, 360, 8}, {&BeatSettings{BaselineHz: 45}, 250, 5},
		{&BeatSettings{BaselineHz: 45}, 128, 2}, {&BeatSettings{BaselineHz: 45}, 40, 1}, {&BeatSettings{BaselineHz: 45}, 1000, 22}} {
		if got := c.b.baselineStep(c.fs); got != c.want {
			t.Errorf("%+v at %v Hz: step %d, want %d", c.b, c.fs, got, c.want)
		}
	}
	for _, c := range []struct {
		x    []float64
		want bool
	}{{nil, true}, {[]float64{1, -2, 0}, true}, {[]float64{1, math.NaN()}, false}, {[]float64{math.Inf(1)}, false}, {[]float64{0, math.Inf(-1)}, false}} {
		if got := finite(c.x); got != c.want {
			t.Errorf("finite(%v) = %v", c.x, got)
		}
	}
	if s := beatSpec(&BeatSettings{}); s.Beats != nil {
		t.Errorf("rate 0: spec %+v, want no beat settings", s)
	}
	if s := BeatSpec(); s.Beats == nil || s.Beats.BaselineHz != BeatBaselineHz {
		t.Errorf("BeatSpec %+v: want the baseline at %v Hz", s, BeatBaselineHz)
	}
	if err := (FeatureSpec{Input: InputSignal, Signal: &SignalFeatures{}, Beats: &BeatSettings{}}).check(); err == nil {
		t.Error("beat settings on signal input: no error")
	}
}

// TestBeatModelSettings trains beat models at the signal's rate (the
// settings of models before session 20) and at BeatBaselineHz on the
// embedded excerpts: the first's file header names no beat settings, the
// second's its rate, both load back with them, and each classifies a
// record from the signal its settings read (ClassifyRecordBeats against
// ClassifyBeats on ReadBeatSignal with them).
func TestBeatModelSettings(t *testing.T) {
	ctx := context.Background()
	_, paths := demoBeats(t, "")
	for _, set := range []*BeatSettings{{}, DefaultBeatSettings()} {
		ds, err := ReadBeats(ctx, paths[:3], BeatOptions{Jobs: 2, Settings: set})
		if err != nil {
			t.Fatal(err)
		}
		res, err := TrainBeats(ctx, ds, BeatTrainOptions{Split: 0.5, Forest: ForestOptions{Trees: 5, MinLeaf: BeatMinLeaf, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := res.Model.Save(&buf); err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(buf.String(), `"baseline_hz"`); has != (set.BaselineHz > 0) {
			t.Errorf("%+v: header names the baseline rate: %v", set, has)
		}
		m, err := LoadModel(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Info.Features.Beats; (got == nil) != (set.BaselineHz == 0) || got != nil && *got != *set {
			t.Errorf("%+v: loaded with %+v", set, got)
		}
		a, err := m.ClassifyRecordBeats(paths[3], []int64{400, 700, 1000, 1300, 1600})
		if err != nil {
			t.Fatal(err)
		}
		x, fs, err := ReadBeatSignal(paths[3], m.Info.Features.Beats)
		if err != nil {
			t.Fatal(err)
		}
		b, err := m.ClassifyBeats(x, fs, []int64{400, 700, 1000, 1300, 1600})
		if err != nil {
			t.Fatal(err)
		}
		if sameBits(a.Score, b.Score) >= 0 {
			t.Errorf("%+v: scores %v from the record, %v from its signal", set, a.Score, b.Score)
		}
	}
}
