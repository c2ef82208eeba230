package spectro

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
)

type scipyCase struct {
	Window       string      `json:"window"`
	NPerSeg      int         `json:"nperseg"`
	NOverlap     int         `json:"noverlap"`
	NFFT         int         `json:"nfft"`
	Detrend      string      `json:"detrend"`
	Scaling      string      `json:"scaling"`
	Mode         string      `json:"mode"`
	Freqs        []float64   `json:"freqs"`
	Times        []float64   `json:"times"`
	Power        [][]float64 `json:"power"`
	WindowValues []float64   `json:"window_values"`
}

type scipyVectors struct {
	Scipy string      `json:"scipy"`
	Fs    float64     `json:"fs"`
	X     []float64   `json:"x"`
	Cases []scipyCase `json:"cases"`
}

func loadVectors(t testing.TB) *scipyVectors {
	b, err := os.ReadFile("testdata/scipy_vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v scipyVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func (c *scipyCase) params() Params {
	return Params{Window: c.Window, NPerSeg: c.NPerSeg, NOverlap: c.NOverlap, NFFT: c.NFFT,
		Detrend: Detrend(c.Detrend), Scaling: Scaling(c.Scaling), Mode: Mode(c.Mode)}
}

// relErr returns the largest relative difference between got and want,
// each element measured against max(|want|, floor·max|want|): bins whose
// values are rounding noise (the 0 Hz bin after detrending, about 1e-32 of
// the peak) are compared against a small fraction of the largest value
// instead of themselves.
func relErr(got, want [][]float64, floor float64) (worst float64, wi, wj int) {
	peak := 0.0
	for _, row := range want {
		for _, v := range row {
			peak = math.Max(peak, math.Abs(v))
		}
	}
	for i := range want {
		for j := range want[i] {
			d := math.Abs(got[i][j] - want[i][j])
			den := math.Max(math.Abs(want[i][j]), floor*peak)
			if d == 0 {
				continue
			}
			if e := d / den; !(e <= worst) {
				worst, wi, wj = e, i, j
			}
		}
	}
	return worst, wi, wj
}

func TestScipyVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Cases {
		name := c.Window + "/" + c.Detrend + "/" + c.Scaling + "/" + c.Mode
		w, err := Window(c.Window, c.NPerSeg)
		if err != nil {
			t.Fatal(err)
		}
		for i := range w {
			if math.Abs(w[i]-c.WindowValues[i]) > 4e-16 {
				t.Errorf("%s: window[%d] = %.17g, scipy %.17g", name, i, w[i], c.WindowValues[i])
			}
		}
		s, err := Compute(v.X, v.Fs, c.params())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(s.Freqs) != len(c.Freqs) || len(s.Times) != len(c.Times) {
			t.Fatalf("%s: %dx%d, scipy %dx%d", name, len(s.Freqs), len(s.Times), len(c.Freqs), len(c.Times))
		}
		for i := range c.Freqs {
			if s.Freqs[i] != c.Freqs[i] {
				t.Errorf("%s: freq[%d] = %.17g, scipy %.17g", name, i, s.Freqs[i], c.Freqs[i])
			}
		}
		for j := range c.Times {
			if s.Times[j] != c.Times[j] {
				t.Errorf("%s: time[%d] = %.17g, scipy %.17g", name, j, s.Times[j], c.Times[j])
			}
		}
		worst, wi, wj := relErr(s.Power, c.Power, 1e-12)
		t.Logf("%s nperseg %d noverlap %d nfft %d: max relative difference %.2g", name, c.NPerSeg, c.NOverlap, c.NFFT, worst)
		if worst > 1e-9 {
			t.Errorf("%s: power[%d][%d] = %.17g, scipy %.17g (relative %.3g)", name, wi, wj, s.Power[wi][wj], c.Power[wi][wj], worst)
		}
	}
}

// TestPureTone checks that a sine at f Hz peaks in the bin of f and that
// the spectrum obeys Parseval: with a boxcar window, density scaling and
// no detrend, the PSD summed over frequency (times the bin width) equals
// the mean square of each segment.
func TestPureTone(t *testing.T) {
	const fs = 360.0
	for _, f0 := range []float64{5.625, 10, 17.3, 42.1875} {
		x := make([]float64, 3600)
		for i := range x {
			x[i] = 2 * math.Sin(2*math.Pi*f0*float64(i)/fs+0.3)
		}
		p := Params{Window: "boxcar", NPerSeg: 256, NOverlap: 128, Detrend: DetrendNone, Scaling: ScalingDensity}
		s, err := Compute(x, fs, p)
		if err != nil {
			t.Fatal(err)
		}
		df := s.Freqs[1] - s.Freqs[0]
		for j := range s.Times {
			peak := 0
			energy := 0.0
			for i := range s.Freqs {
				if s.Power[i][j] > s.Power[peak][j] {
					peak = i
				}
				energy += s.Power[i][j] * df
			}
			if want := int(math.Round(f0 / df)); peak != want {
				t.Fatalf("%g Hz, segment %d: peak in bin %d (%g Hz), want bin %d", f0, j, peak, s.Freqs[peak], want)
			}
			ms := 0.0
			for _, v := range x[j*128 : j*128+256] {
				ms += v * v
			}
			ms /= 256
			if math.Abs(energy-ms) > 1e-12*ms {
				t.Fatalf("%g Hz, segment %d: Σ PSD·df = %.15g, mean square %.15g", f0, j, energy, ms)
			}
		}
		// On a bin centre the tone's whole power, amplitude²/2 = 2, is in
		// one bin: PSD·df = 2.
		if k := f0 / df; k == math.Trunc(k) {
			if got := s.Power[int(k)][0] * df; math.Abs(got-2) > 1e-12 {
				t.Errorf("%g Hz on bin centre: power %.15g, want 2", f0, got)
			}
		}
	}
}

// TestSpectrumScaling: with spectrum scaling a sine of amplitude A on a bin
// centre reads A²/2 in its bin whatever the window (the window's coherent
// gain is divided out).
func TestSpectrumScaling(t *testing.T) {
	const fs = 256.0
	x := make([]float64, 1024)
	for i := range x {
		x[i] = 3 * math.Cos(2*math.Pi*16*float64(i)/fs)
	}
	for _, w := range []string{"hann", "hamming", "blackman", "boxcar", "tukey"} {
		s, err := Compute(x, fs, Params{Window: w, NPerSeg: 256, NOverlap: 0, Scaling: ScalingSpectrum})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Power[16][0]; math.Abs(got-4.5) > 1e-12 {
			t.Errorf("%s: power at 16 Hz %.15g, want 4.5", w, got)
		}
	}
}

func TestBand(t *testing.T) {
	x := make([]float64, 2000)
	for i := range x {
		x[i] = math.Sin(float64(i))
	}
	full, err := Compute(x, 360, Params{Window: "hann", NPerSeg: 256, NOverlap: 128})
	if err != nil {
		t.Fatal(err)
	}
	band, err := Compute(x, 360, Params{Window: "hann", NPerSeg: 256, NOverlap: 128, FMin: 0.5, FMax: 40})
	if err != nil {
		t.Fatal(err)
	}
	// Bins of 1.40625 Hz: 0.5-40 Hz keeps bins 1..28.
	if len(band.Freqs) != 28 || band.Freqs[0] != full.Freqs[1] || band.Freqs[27] != full.Freqs[28] {
		t.Fatalf("band freqs %v", band.Freqs)
	}
	for i := range band.Power {
		for j := range band.Power[i] {
			if band.Power[i][j] != full.Power[i+1][j] {
				t.Fatalf("band power [%d][%d] differs from full [%d][%d]", i, j, i+1, j)
			}
		}
	}
}

func TestComputeIntoNoAlloc(t *testing.T) {
	x := make([]float64, 21600)
	for i := range x {
		x[i] = math.Sin(float64(i) / 7)
	}
	pl, err := NewPlan(360, DefaultParams(360))
	if err != nil {
		t.Fatal(err)
	}
	var s Spectrogram
	if err := pl.ComputeInto(&s, x); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(10, func() {
		if err := pl.ComputeInto(&s, x); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("ComputeInto: %v allocations per call, want 0", allocs)
	}
}

func TestParamErrors(t *testing.T) {
	x := make([]float64, 100)
	for _, tc := range []struct {
		p    Params
		want string
	}{
		{Params{NPerSeg: -1}, "nperseg -1: must be positive"},
		{Params{NPerSeg: 64, NOverlap: 64}, "noverlap 64: must be less than nperseg 64"},
		{Params{NPerSeg: 64, NFFT: 32}, "nfft 32: must be at least nperseg 64"},
		{Params{NPerSeg: 64, Window: "kaiser"}, `window "kaiser": unknown (want hann, hamming, blackman, boxcar or tukey(alpha))`},
		{Params{NPerSeg: 64, Detrend: "quadratic"}, `detrend "quadratic": want none, constant or linear`},
		{Params{NPerSeg: 64, Scaling: "dB"}, `scaling "dB": want density or spectrum`},
		{Params{NPerSeg: 64, Mode: "phase"}, `mode "phase": want psd or magnitude`},
		{Params{NPerSeg: 64, FMin: 50, FMax: 40}, "frequency band 50-40 Hz: empty"},
		{Params{NPerSeg: 64, FMin: 0.1, FMax: 0.2}, "frequency band 0.1-0.2 Hz holds no bin (resolution 5.625 Hz, Nyquist 180 Hz)"},
	} {
		_, err := Compute(x, 360, tc.p)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %s", tc.p, err, tc.want)
		}
	}
	if _, err := Compute(x, 360, Params{NPerSeg: 128}); !errors.Is(err, ErrShortSignal) {
		t.Errorf("short signal: %v", err)
	}
	if _, err := Compute(x, 0, Params{NPerSeg: 64}); err == nil {
		t.Error("fs 0: no error")
	}
}

func TestDefaultParams(t *testing.T) {
	for _, tc := range []struct {
		fs          float64
		stride, bet int
	}{{360, 256, 64}, {250, 128, 32}, {500, 256, 64}, {128, 64, 32}, {1000, 512, 128}} {
		if got := DefaultParams(tc.fs).NPerSeg; got != tc.stride {
			t.Errorf("DefaultParams(%g).NPerSeg = %d, want %d", tc.fs, got, tc.stride)
		}
		if got := BeatParams(tc.fs).NPerSeg; got != tc.bet {
			t.Errorf("BeatParams(%g).NPerSeg = %d, want %d", tc.fs, got, tc.bet)
		}
		for _, p := range []Params{DefaultParams(tc.fs), BeatParams(tc.fs)} {
			if _, err := NewPlan(tc.fs, p); err != nil {
				t.Errorf("fs %g: %v", tc.fs, err)
			}
		}
	}
}

func TestToDB(t *testing.T) {
	x := make([]float64, 512)
	for i := range x {
		x[i] = math.Sin(float64(i))
	}
	s, _ := Compute(x, 100, Params{NPerSeg: 64, NOverlap: 0})
	m, _ := Compute(x, 100, Params{NPerSeg: 64, NOverlap: 0, Mode: ModeMagnitude})
	p0 := s.Power[3][2]
	s.ToDB(1e-3)
	if got, want := s.Power[3][2], 10*math.Log10(p0/1e-3); got != want || !s.DB {
		t.Fatalf("psd dB %g, want %g", got, want)
	}
	m0 := m.Power[3][2]
	m.ToDB(1)
	if got, want := m.Power[3][2], 20*math.Log10(m0); got != want {
		t.Fatalf("magnitude dB %g, want %g", got, want)
	}
}
