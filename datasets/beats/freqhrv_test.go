package beats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/refdata"
)

// beatsFromRR places beats at the cumulative sums of rr (ms) at fs Hz.
func beatsFromRR(rr []float64, fs float64) []Beat {
	bs := []Beat{{Sample: 0}}
	var t float64
	for _, v := range rr {
		t += v / 1000
		bs = append(bs, Beat{Sample: int64(math.Round(t * fs))})
	}
	return bs
}

// TestFrequencyHRVKnownModulation: RR intervals modulated at 0.1 Hz
// (amplitude 30 ms) and 0.25 Hz (20 ms) have LF = 30²/2 = 450 ms² and
// HF = 20²/2 = 200 ms² (the variance of each sinusoid), LF/HF 2.25; the
// beats' own uneven spacing is what Lomb-Scargle is for. Over 20 minutes
// the four 5-minute segments are averaged. With 5 % of the beats noisy
// (10 % of the intervals left out) the powers hold within 20 %.
func TestFrequencyHRVKnownModulation(t *testing.T) {
	const fs = 1000.0
	for _, minutes := range []float64{5, 20} {
		var rr []float64
		var tm float64
		for tm < minutes*60 {
			v := 800 + 30*math.Sin(2*math.Pi*0.1*tm) + 20*math.Sin(2*math.Pi*0.25*tm)
			rr = append(rr, v)
			tm += v / 1000
		}
		bs := beatsFromRR(rr, fs)
		check := func(name string, h FreqHRV, segs int, tol float64) {
			t.Helper()
			t.Logf("%g min %s: LF %.1f HF %.1f LF/HF %.2f", minutes, name, h.LF, h.HF, h.LFHF)
			if math.Abs(h.LF-450) > tol*450 || math.Abs(h.HF-200) > tol*200 || math.Abs(h.LFHF-2.25) > 2*tol*2.25 || h.Segments != segs {
				t.Errorf("%g min %s: LF %.1f HF %.1f LF/HF %.2f in %d segments; want 450, 200, 2.25 in %d", minutes, name, h.LF, h.HF, h.LFHF, h.Segments, segs)
			}
		}
		segs := int(minutes / 5)
		check("clean", FrequencyHRV(bs, fs), segs, 0.05)
		rng := rand.New(rand.NewPCG(1, 1))
		noisy := append([]Beat(nil), bs...)
		for i := range noisy {
			if rng.Float64() < 0.05 {
				noisy[i].Noisy = true
			}
		}
		// Gaps widen the spectral window: power leaks into the wider HF
		// band (measured +11 to +15 %).
		check("5 % noisy", FrequencyHRV(noisy, fs), segs, 0.2)
	}
	// Too short for LF (90 s), long enough for HF.
	var rr []float64
	for range 110 {
		rr = append(rr, 800)
	}
	h := FrequencyHRV(beatsFromRR(rr, fs), fs)
	if !math.IsNaN(h.LF) || math.IsNaN(h.HF) || !math.IsNaN(h.LFHF) {
		t.Errorf("90 s: %+v, want LF NaN, HF a number", h)
	}
	if h := FrequencyHRV(beatsFromRR(rr[:40], fs), fs); !math.IsNaN(h.HF) {
		t.Errorf("32 s: %+v, want NaN", h)
	}
}

// TestConformanceLombScargle compares lombScargle with
// scipy.signal.lombscargle (precenter=False, normalize=False: the
// classical periodogram) on the clean RR intervals of mitdb record 100
// (detected beats, signal 0) at 200 frequencies from 0.005 to 0.4 Hz.
// Runs with ECG_CONFORMANCE=1 (make conformance) when scipy is there.
func TestConformanceLombScargle(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") == "" {
		t.Skip("set ECG_CONFORMANCE=1 to compare with scipy")
	}
	if _, err := exec.Command("/usr/bin/python3", "-c", "import scipy.signal").CombinedOutput(); err != nil {
		t.Skip("no scipy: /usr/bin/python3 -c 'import scipy.signal' failed")
	}
	db := refdata.MITDB(t)
	rec, err := wfdb.ReadRecord(filepath.Join(db, "100"))
	if err != nil {
		t.Fatal(err)
	}
	fs := rec.Header.Fs
	bs := Detect(rec.Physical(0), fs)
	tm, rr := cleanSeries(bs, fs)
	var mean float64
	for _, v := range rr {
		mean += v
	}
	mean /= float64(len(rr))
	var in strings.Builder
	for i := range tm {
		rr[i] -= mean
		fmt.Fprintf(&in, "%.17g %.17g\n", tm[i], rr[i])
	}
	script := `import sys, numpy as np
from scipy.signal import lombscargle
a = np.loadtxt(sys.stdin)
w = 2*np.pi*np.linspace(0.005, 0.4, 200)
for v in lombscargle(a[:,0], a[:,1], w, precenter=False, normalize=False):
    print(repr(float(v)))`
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scipy: %v", err)
	}
	lines := strings.Fields(string(out))
	if len(lines) != 200 {
		t.Fatalf("scipy printed %d values", len(lines))
	}
	var worst float64
	grid := lombScargleGrid(tm, rr, 0.005, (0.4-0.005)/199, 200, &lombScratch{})
	for k, line := range lines {
		want, err := strconv.ParseFloat(line, 64)
		if err != nil {
			t.Fatal(err)
		}
		f := 0.005 + (0.4-0.005)*float64(k)/199
		got := grid[k]
		rel := math.Abs(got-want) / math.Max(math.Abs(want), 1e-300)
		worst = math.Max(worst, rel)
		if rel > 1e-9 {
			t.Errorf("%.4f Hz: ours %g, scipy %g", f, got, want)
		}
	}
	t.Logf("%d intervals, 200 frequencies: largest relative difference %.2g", len(tm), worst)
}

// lombScargle is the periodogram at one angular frequency w, straight from
// its definition (sines and cosines of every point): the reference the
// stepped grid is checked against.
func lombScargle(t, y []float64, w float64) float64 {
	var s2, c2 float64
	for _, ti := range t {
		s, c := math.Sincos(2 * w * ti)
		s2 += s
		c2 += c
	}
	tau := math.Atan2(s2, c2) / (2 * w)
	var yc, ys, cc, ss float64
	for i, ti := range t {
		s, c := math.Sincos(w * (ti - tau))
		yc += y[i] * c
		ys += y[i] * s
		cc += c * c
		ss += s * s
	}
	var p float64
	if cc > 0 {
		p += yc * yc / cc
	}
	if ss > 0 {
		p += ys * ys / ss
	}
	return p / 2
}

// TestLombScargleGridMatchesDefinition: the stepped grid (rotations,
// expanded sums) gives the periodogram of the definition on 2 hours of
// irregular intervals at 1000 frequencies.
func TestLombScargleGridMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	var tm, y []float64
	var at float64
	for at < 7200 {
		at += 0.5 + rng.Float64()
		tm = append(tm, at)
		y = append(y, 40*math.Sin(2*math.Pi*0.09*at)+15*rng.NormFloat64())
	}
	const f0, df, n = 0.001, 0.0004, 1000
	grid := lombScargleGrid(tm, y, f0, df, n, &lombScratch{})
	for k := 0; k < n; k += 37 {
		want := lombScargle(tm, y, 2*math.Pi*(f0+float64(k)*df))
		if math.Abs(grid[k]-want) > 1e-8*math.Max(want, 1) {
			t.Errorf("%.4f Hz: grid %g, definition %g", f0+float64(k)*df, grid[k], want)
		}
	}
}

// NoFreqHRV leaves the frequency HRV NaN and changes nothing else.
func TestAnalyzeNoFreqHRV(t *testing.T) {
	path, _, _ := testRecord(t, 360, 400)
	with, err := AnalyzeRecord(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.IsNaN(with.Freq.LF) || math.IsNaN(with.Freq.HF) {
		t.Fatalf("400 s: frequency HRV %+v, want LF and HF", with.Freq)
	}
	without, err := AnalyzeRecord(path, Options{NoFreqHRV: true})
	if err != nil {
		t.Fatal(err)
	}
	if f := without.Freq; !math.IsNaN(f.LF) || !math.IsNaN(f.HF) || !math.IsNaN(f.LFHF) || f.Segments != 0 {
		t.Errorf("NoFreqHRV: frequency HRV %+v, want NaN", f)
	}
	without.Freq = with.Freq
	if !reflect.DeepEqual(with, without) {
		t.Errorf("NoFreqHRV changed more than Freq")
	}
}
