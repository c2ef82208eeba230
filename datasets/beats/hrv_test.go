package beats

import (
	"math"
	"testing"
)

func TestSummarizeHRV(t *testing.T) {
	// fs 1000 Hz; RR = 0.8, 1.0, 0.9, 0.7 s.
	h := SummarizeHRV([]int64{0, 800, 1800, 2700, 3400}, 1000)
	// mean RR 0.85 s -> 70.588 bpm; min HR 60 (1.0 s), max HR 85.714 (0.7 s).
	// deviations -50, 150, 50, -150 ms: SDNN = sqrt(50000/3) = 129.099 ms.
	// successive differences 200, -100, -200 ms: RMSSD = sqrt(90000/3)
	// = 173.205 ms; all three exceed 50 ms: pNN50 = 100.
	want := HRV{Beats: 5, Intervals: 4, MeanRR: 0.85, MeanHR: 60 / 0.85, MinHR: 60, MaxHR: 60 / 0.7,
		SDNN: math.Sqrt(50000.0 / 3), RMSSD: math.Sqrt(30000), PNN50: 100}
	check(t, h, want)
	// One small difference: RR 1.0, 1.04, 1.0 -> diffs 40, -40 ms: pNN50 0.
	h = SummarizeHRV([]int64{0, 250, 510, 760}, 250)
	want = HRV{Beats: 4, Intervals: 3, MeanRR: 1.04 / 1.0 * 0, MinHR: 60 / 1.04, MaxHR: 60}
	want.MeanRR = 3.04 / 3
	want.MeanHR = 60 / want.MeanRR
	m := want.MeanRR
	want.SDNN = 1000 * math.Sqrt(((1-m)*(1-m)+(1.04-m)*(1.04-m)+(1-m)*(1-m))/2)
	want.RMSSD = 40
	want.PNN50 = 0
	check(t, h, want)
	// Too few beats: NaN.
	h = SummarizeHRV([]int64{10}, 360)
	if h.Beats != 1 || !math.IsNaN(h.MeanHR) || !math.IsNaN(h.SDNN) {
		t.Errorf("one beat: %+v", h)
	}
	h = SummarizeHRV([]int64{0, 360}, 360)
	if h.MeanHR != 60 || !math.IsNaN(h.SDNN) || !math.IsNaN(h.RMSSD) {
		t.Errorf("two beats: %+v", h)
	}
}

func check(t *testing.T, got, want HRV) {
	t.Helper()
	if got.Beats != want.Beats || got.Intervals != want.Intervals {
		t.Errorf("counts %d/%d, want %d/%d", got.Beats, got.Intervals, want.Beats, want.Intervals)
	}
	for _, c := range []struct {
		name string
		g, w float64
	}{{"MeanRR", got.MeanRR, want.MeanRR}, {"MeanHR", got.MeanHR, want.MeanHR}, {"MinHR", got.MinHR, want.MinHR},
		{"MaxHR", got.MaxHR, want.MaxHR}, {"SDNN", got.SDNN, want.SDNN}, {"RMSSD", got.RMSSD, want.RMSSD}, {"PNN50", got.PNN50, want.PNN50}} {
		if math.Abs(c.g-c.w) > 1e-9*math.Max(1, math.Abs(c.w)) {
			t.Errorf("%s = %v, want %v", c.name, c.g, c.w)
		}
	}
}

func TestSummarizeBeatsLeavesNoisyOut(t *testing.T) {
	// fs 1000 Hz; the beat at 1800 is noisy, and a false beat at 3050
	// (noisy) splits the 700 ms interval 2700-3400. Intervals touching
	// either are left out.
	bs := []Beat{{Sample: 0}, {Sample: 800}, {Sample: 1800, Noisy: true}, {Sample: 2700},
		{Sample: 3050, Noisy: true}, {Sample: 3400}, {Sample: 4400}, {Sample: 5100}}
	h := SummarizeBeats(bs, 1000)
	// Clean intervals: 0.8, 1.0, 0.7 (4400-5100); successive pairs of
	// clean intervals: (1.0, 0.7) only -> one difference of -300 ms.
	m := 2.5 / 3
	want := HRV{Beats: 8, Intervals: 3, MeanRR: m, MeanHR: 60 / m, MinHR: 60, MaxHR: 60 / 0.7,
		SDNN:  1000 * math.Sqrt(((0.8-m)*(0.8-m)+(1-m)*(1-m)+(0.7-m)*(0.7-m))/2),
		RMSSD: 300, PNN50: 100}
	check(t, h, want)
	if h.Noisy != 2 {
		t.Errorf("Noisy = %d, want 2", h.Noisy)
	}
	// The false beat would have given a maximum of 171 bpm (350 ms).
	if all := SummarizeHRV([]int64{0, 800, 1800, 2700, 3050, 3400, 4400, 5100}, 1000); math.Abs(all.MaxHR-60/0.35) > 1e-9 {
		t.Errorf("SummarizeHRV MaxHR = %v, want %v", all.MaxHR, 60/0.35)
	}
	// No beat marked: the same as SummarizeHRV.
	clean := []Beat{{Sample: 0}, {Sample: 800}, {Sample: 1800}, {Sample: 2700}, {Sample: 3400}}
	check(t, SummarizeBeats(clean, 1000), SummarizeHRV([]int64{0, 800, 1800, 2700, 3400}, 1000))
	// Every interval touches a noisy beat: NaN, no intervals.
	h = SummarizeBeats([]Beat{{Sample: 0}, {Sample: 800, Noisy: true}, {Sample: 1600}}, 1000)
	if h.Intervals != 0 || !math.IsNaN(h.MeanHR) || !math.IsNaN(h.SDNN) || !math.IsNaN(h.RMSSD) || h.Noisy != 1 {
		t.Errorf("all noisy: %+v", h)
	}
}
