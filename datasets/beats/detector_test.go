package beats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// synthECG returns a synthetic ECG at fs Hz with beats at the given times
// (seconds): each beat is a Q-R-S triplet of Gaussians (R 1 mV, 10 ms wide)
// followed by a T wave (0.3 mV, 40 ms wide, 250 ms later), plus a P wave,
// baseline wander and a little noise. ectopic beats (index set) are wide
// (30 ms, 1.6 mV) and inverted.
func synthECG(fs float64, times []float64, dur float64, ectopic map[int]bool, rng *rand.Rand) []float64 {
	n := int(dur * fs)
	x := make([]float64, n)
	g := func(t0, amp, w float64) {
		lo := max(0, int((t0-5*w)*fs))
		hi := min(n, int((t0+5*w)*fs)+1)
		for i := lo; i < hi; i++ {
			d := (float64(i)/fs - t0) / w
			x[i] += amp * math.Exp(-d*d/2)
		}
	}
	for k, t := range times {
		if ectopic[k] {
			g(t, -1.6, 0.03)
			g(t+0.3, 0.4, 0.06)
			continue
		}
		g(t-0.16, 0.15, 0.025)
		g(t-0.025, -0.1, 0.008)
		g(t, 1.0, 0.010)
		g(t+0.025, -0.2, 0.008)
		g(t+0.25, 0.3, 0.04)
	}
	for i := range x {
		t := float64(i) / fs
		x[i] += 0.3*math.Sin(2*math.Pi*0.3*t) + 0.01*rng.NormFloat64()
	}
	return x
}

// beatTimes returns an irregular RR series from 0.5 s to dur-0.5 s with
// premature beats every seventh beat.
func beatTimes(dur float64, rng *rand.Rand) (times []float64, ectopic map[int]bool) {
	ectopic = map[int]bool{}
	t := 0.6
	for t < dur-0.6 {
		k := len(times)
		times = append(times, t)
		rr := 0.6 + 0.4*rng.Float64()
		if k%7 == 6 {
			ectopic[k+1] = true
			rr = 0.45
		}
		t += rr
	}
	return times, ectopic
}

func toSamples(times []float64, fs float64) []int64 {
	s := make([]int64, len(times))
	for i, t := range times {
		s[i] = int64(math.Round(t * fs))
	}
	return s
}

func beatSamples(b []Beat) []int64 {
	s := make([]int64, len(b))
	for i := range b {
		s[i] = b[i].Sample
	}
	return s
}

func TestDetectSynthetic(t *testing.T) {
	for _, fs := range []float64{125, 250, 360, 500, 1000} {
		for _, invert := range []bool{false, true} {
			rng := rand.New(rand.NewPCG(1, uint64(fs)))
			times, ect := beatTimes(60, rng)
			x := synthECG(fs, times, 60, ect, rng)
			if invert {
				for i := range x {
					x[i] = -x[i]
				}
			}
			got := beatSamples(Detect(x, fs))
			opt := MatchOptions{Window: 0.05}
			m := Match(toSamples(times, fs), got, fs, opt)
			if m.FN != 0 || m.FP != 0 {
				t.Errorf("fs %v invert %v: %d beats, TP %d FN %d FP %d (missed %v extra %v)",
					fs, invert, len(times), m.TP, m.FN, m.FP, m.Missed, m.Extra)
			}
			// The fiducial is within 20 ms of the R peak for normal beats.
			for _, p := range m.Matches {
				if d := math.Abs(float64(got[p[1]])/fs - times[p[0]]); !ect[p[0]] && d > 0.02 {
					t.Errorf("fs %v: beat %d at %.3f s, detected %.3f s", fs, p[0], times[p[0]], float64(got[p[1]])/fs)
					break
				}
			}
		}
	}
}

// runChunked feeds x to a new Detector at fs in chunks of sizes()
// samples and returns the beats, failing t when a beat comes out of order
// or later than Delay() after its sample.
func runChunked(t *testing.T, fs float64, x []float64, sizes func() int) []int64 {
	t.Helper()
	return beatSamples(runChunkedBeats(t, fs, x, sizes))
}

// runChunkedBeats feeds x to a detector in chunks of sizes() samples and
// checks the order and delay of the beats.
func runChunkedBeats(t *testing.T, fs float64, x []float64, sizes func() int) []Beat {
	t.Helper()
	return runChunkedParams(t, fs, defaultParams, x, sizes)
}

// runChunkedParams is runChunkedBeats for a detector with parameters p.
func runChunkedParams(t *testing.T, fs float64, p params, x []float64, sizes func() int) []Beat {
	t.Helper()
	d := newDetector(fs, 1, p)
	var out []Beat
	emit := func(b Beat) {
		if len(out) > 0 && b.Sample <= out[len(out)-1].Sample {
			t.Fatalf("%g Hz: beats out of order: %d after %d", fs, b.Sample, out[len(out)-1].Sample)
		}
		if d.n-1-b.Sample > d.Delay() {
			t.Fatalf("%g Hz: beat %d emitted at %d: delay %d > %d", fs, b.Sample, d.n-1, d.n-1-b.Sample, d.Delay())
		}
		out = append(out, b)
	}
	for i := 0; i < len(x); {
		k := min(len(x)-i, sizes())
		d.Write(x[i:i+k], emit)
		i += k
	}
	d.Flush(emit)
	return out
}

// TestChunkInvariance feeds the same signal whole, one sample at a time
// and in random chunks: the beats must be identical.
func TestChunkInvariance(t *testing.T) {
	const fs = 360
	rng := rand.New(rand.NewPCG(7, 8))
	times, ect := beatTimes(30, rng)
	x := synthECG(fs, times, 30, ect, rng)
	// a gap and a flat stretch make the state machine work harder
	for i := 4000; i < 4500; i++ {
		x[i] = math.NaN()
	}
	whole := beatSamples(Detect(x, fs))
	if len(whole) < len(times)-3 {
		t.Fatalf("only %d beats of %d", len(whole), len(times))
	}
	run := func(sizes func() int) []int64 { return runChunked(t, fs, x, sizes) }
	if one := run(func() int { return 1 }); !slices.Equal(one, whole) {
		t.Errorf("1-sample chunks: %d beats, whole: %d", len(one), len(whole))
	}
	for seed := range uint64(5) {
		r := rand.New(rand.NewPCG(seed, 99))
		if got := run(func() int { return 1 + r.IntN(3000) }); !slices.Equal(got, whole) {
			t.Errorf("random chunks (seed %d): %d beats, whole: %d", seed, len(got), len(whole))
		}
	}
	// Multi-lead detector: same invariance.
	y := make([]float64, len(x))
	for i := range y {
		y[i] = -0.5 * x[i]
	}
	mwhole := beatSamples(DetectLeads([][]float64{x, y}, fs))
	d := NewMultiDetector(fs, 2)
	var got []int64
	emit := func(b Beat) { got = append(got, b.Sample) }
	for i := range x {
		d.WriteLeads([][]float64{x[i : i+1], y[i : i+1]}, emit)
	}
	d.Flush(emit)
	if !slices.Equal(got, mwhole) {
		t.Errorf("two leads, 1-sample chunks: %d beats, whole: %d", len(got), len(mwhole))
	}
}

func TestFlatInvalidSaturated(t *testing.T) {
	const fs = 250
	rng := rand.New(rand.NewPCG(3, 4))
	times, ect := beatTimes(40, rng)
	x := synthECG(fs, times, 40, ect, rng)
	// 10-20 s: lead off (NaN); 25-30 s: flat; 33-36 s: saturated at +5 mV.
	for i := 10 * fs; i < 20*fs; i++ {
		x[i] = math.NaN()
	}
	for i := 25 * fs; i < 30*fs; i++ {
		x[i] = 0.2
	}
	for i := 33 * fs; i < 36*fs; i++ {
		x[i] = 5
	}
	got := beatSamples(Detect(x, fs))
	count := func(a, b float64) int {
		c := 0
		for _, s := range got {
			if t := float64(s) / fs; t >= a && t < b {
				c++
			}
		}
		return c
	}
	for _, span := range [][2]float64{{10.7, 20}, {25.3, 30}, {33.3, 36}} {
		// At most one beat (a step edge) in each bad stretch.
		if c := count(span[0], span[1]); c > 1 {
			t.Errorf("%v s: %d beats in a bad stretch", span, c)
		}
	}
	// Beats resume after each stretch.
	if c := count(21, 25); c < 3 {
		t.Errorf("21-25 s: %d beats after the gap", c)
	}
	if c := count(37, 39.5); c < 2 {
		t.Errorf("37-39.5 s: %d beats after saturation", c)
	}
	// All flat or all NaN: no beats, no panic.
	if b := Detect(make([]float64, 10*fs), fs); len(b) != 0 {
		t.Errorf("flat line: %d beats", len(b))
	}
	nan := make([]float64, 10*fs)
	for i := range nan {
		nan[i] = math.NaN()
	}
	if b := Detect(nan, fs); len(b) != 0 {
		t.Errorf("NaN: %d beats", len(b))
	}
	if b := Detect(nil, fs); len(b) != 0 {
		t.Errorf("empty: %d beats", len(b))
	}
}

// TestShortAndNoisy: a 10 s record finds its beats; white noise alone
// gives no burst of beats.
func TestShortAndNoisy(t *testing.T) {
	const fs = 500
	rng := rand.New(rand.NewPCG(5, 6))
	times, ect := beatTimes(10, rng)
	x := synthECG(fs, times, 10, ect, rng)
	m := Match(toSamples(times, fs), beatSamples(Detect(x, fs)), fs, MatchOptions{Window: 0.05})
	if m.FN > 0 || m.FP > 0 {
		t.Errorf("10 s: TP %d FN %d FP %d", m.TP, m.FN, m.FP)
	}
}

func BenchmarkDetect(b *testing.B) {
	const fs = 360
	rng := rand.New(rand.NewPCG(1, 2))
	times, ect := beatTimes(600, rng)
	x := synthECG(fs, times, 600, ect, rng)
	b.SetBytes(int64(len(x)) * 8)
	b.ResetTimer()
	for range b.N {
		Detect(x, fs)
	}
	b.ReportMetric(float64(len(x))*float64(b.N)/b.Elapsed().Seconds()/fs, "x-realtime")
}

// TestLongRunBounded: an hour at 360 Hz in 1 s chunks allocates nothing
// per chunk once running (buffers are sized once; the cost is linear).
func TestLongRunBounded(t *testing.T) {
	const fs = 360
	rng := rand.New(rand.NewPCG(11, 12))
	times, ect := beatTimes(60, rng)
	x := synthECG(fs, times, 60, ect, rng)
	d := NewDetector(fs)
	count := 0
	emit := func(Beat) { count++ }
	k := 0
	allocs := testing.AllocsPerRun(3600, func() {
		d.Write(x[k*fs:(k+1)*fs], emit)
		k = (k + 1) % 59
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per 1 s chunk", allocs)
	}
	if count < 3600*len(times)/60*9/10 {
		t.Errorf("%d beats in an hour of %d-per-minute signal", count, len(times))
	}
}

// TestChunkInvarianceNoisy checks chunk invariance and the delay bound
// where the RR-guided insertion (params.insGate) acts: a synthetic
// record with electrode-motion and muscle noise at 0 dB (the stress
// test's generator), in which the insertion must add beats.
func TestChunkInvarianceNoisy(t *testing.T) {
	for _, fs := range []float64{125, 360, 1000} {
		rng := rand.New(rand.NewPCG(11, 12))
		dur := 420.0
		times, _ := beatTimes(dur, rng)
		// a regular rhythm, where the insertion can follow it
		for i := range times {
			times[i] = 0.6 + 0.8*float64(i)
		}
		times = slices.DeleteFunc(times, func(v float64) bool { return v > dur-0.6 })
		x := synthECG(fs, times, dur, nil, rng)
		ref := toSamples(times, fs)
		addNoise(x, fs, "em", 0, ref, 1)
		addNoise(x, fs, "ma", 0, ref, 2)
		wholeBeats := Detect(x, fs)
		whole := beatSamples(wholeBeats)
		off := defaultParams
		off.insGate = 0
		d0 := newDetector(fs, 1, off)
		var without []int64
		e0 := func(b Beat) { without = append(without, b.Sample) }
		d0.Write(x, e0)
		d0.Flush(e0)
		if slices.Equal(without, whole) {
			t.Fatalf("%g Hz: the insertion changed nothing (%d beats)", fs, len(whole))
		}
		// The Noisy flags too do not depend on the chunking.
		run := func(sizes func() int) []Beat { return runChunkedBeats(t, fs, x, sizes) }
		if one := run(func() int { return 1 }); !slices.Equal(one, wholeBeats) {
			t.Errorf("%g Hz, 1-sample chunks: %d beats, whole: %d", fs, len(one), len(whole))
		}
		for seed := range uint64(3) {
			r := rand.New(rand.NewPCG(seed, 99))
			if got := run(func() int { return 1 + r.IntN(5000) }); !slices.Equal(got, wholeBeats) {
				t.Errorf("%g Hz, random chunks (seed %d): %d beats, whole: %d", fs, seed, len(got), len(whole))
			}
		}
		noisy := 0
		for _, b := range wholeBeats {
			if b.Noisy {
				noisy++
			}
		}
		if noisy == 0 || noisy == len(wholeBeats) {
			t.Errorf("%g Hz: %d of %d beats noisy: the flag does not tell the noisy segments", fs, noisy, len(wholeBeats))
		}
		t.Logf("%g Hz: %d beats with the insertion, %d without, %d true", fs, len(whole), len(without), len(times))
	}
}

// TestNoisyFlag replaces 20 s of a synthetic ECG with white noise (no ECG
// at all, as from a loose electrode picking up interference): the beats
// found in the noise are marked Noisy, those of the clean parts are not,
// and SummarizeBeats keeps the false beats out of the heart rates.
func TestNoisyFlag(t *testing.T) {
	for _, fs := range []float64{125, 250, 360, 1000} {
		rng := rand.New(rand.NewPCG(5, 6))
		const dur = 60.0
		var times []float64
		for v := 0.6; v < dur-0.6; v += 0.8 { // 75 bpm
			times = append(times, v)
		}
		x := synthECG(fs, times, dur, nil, rng)
		for i := int(20 * fs); i < int(40*fs); i++ {
			x[i] = 0.3 * rng.NormFloat64()
		}
		bs := Detect(x, fs)
		var inNoise, inNoiseFlagged, clean, cleanFlagged int
		for _, b := range bs {
			tm := float64(b.Sample) / fs
			switch {
			case tm >= 21 && tm < 40:
				inNoise++
				if b.Noisy {
					inNoiseFlagged++
				}
			case (tm >= 3 && tm < 20) || tm >= 45:
				clean++
				if b.Noisy {
					cleanFlagged++
				}
			}
		}
		if inNoise == 0 || float64(inNoiseFlagged) < 0.9*float64(inNoise) {
			t.Errorf("%g Hz: %d of %d beats in the noise marked Noisy", fs, inNoiseFlagged, inNoise)
		}
		if cleanFlagged != 0 || clean < 35 {
			t.Errorf("%g Hz: %d of %d beats in the clean parts marked Noisy", fs, cleanFlagged, clean)
		}
		all := SummarizeHRV(beatSamples(bs), fs)
		h := SummarizeBeats(bs, fs)
		if h.MinHR < 70 || h.MaxHR > 80 || h.Noisy < inNoiseFlagged {
			t.Errorf("%g Hz: clean-beat heart rates %.1f-%.1f bpm (%d noisy beats), want 75 +- 5", fs, h.MinHR, h.MaxHR, h.Noisy)
		}
		t.Logf("%g Hz: %d beats in 19 s of noise, %d marked; clean %d, %d marked; HR range all %.0f-%.0f, clean %.1f-%.1f; RMSSD all %.0f, clean %.1f ms",
			fs, inNoise, inNoiseFlagged, clean, cleanFlagged, all.MinHR, all.MaxHR, h.MinHR, h.MaxHR, all.RMSSD, h.RMSSD)
	}
}
