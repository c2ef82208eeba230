package spectro

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ecgkit/ecg/internal/refdata"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// sharedMitdb returns the MIT-BIH database folder ($ECG_SHARED/data/mitdb,
// else ../shared/data/mitdb next to the repository) or skips the test.
func writeF64(t *testing.T, path string, x []float64) {
	b := make([]byte, 8*len(x))
	for i, v := range x {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readF64(t *testing.T, path string) []float64 {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x := make([]float64, len(b)/8)
	for i := range x {
		x[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return x
}

type scipyRun struct {
	Scipy      string  `json:"scipy"`
	Seconds    float64 `json:"seconds"`
	CPUSeconds float64 `json:"cpu_seconds"`
}

// cpuTime returns the CPU time (user and system) of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// bestOf5 runs f five times and returns its best wall and CPU times.
func bestOf5(t *testing.T, f func() error) (wall, cpu time.Duration) {
	wall, cpu = time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	for range 5 {
		c0, w0 := cpuTime(), time.Now()
		if err := f(); err != nil {
			t.Fatal(err)
		}
		wall, cpu = min(wall, time.Since(w0)), min(cpu, cpuTime()-c0)
	}
	return wall, cpu
}

// runScipy computes scipy's spectrogram of x with p (all bins) and returns
// it with scipy's best-of-5 time (of the strides when stride > 0).
func runScipy(t *testing.T, x []float64, fs float64, p Params, stride int) (f, tm []float64, power [][]float64, run scipyRun) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "x.f64")
	writeF64(t, in, x)
	args, _ := json.Marshal(map[string]any{"fs": fs, "window": p.Window, "nperseg": p.NPerSeg,
		"noverlap": p.NOverlap, "nfft": p.NFFT, "detrend": string(p.Detrend), "scaling": string(p.Scaling),
		"mode": string(p.Mode), "stride": stride})
	out := filepath.Join(dir, "out")
	cmd := exec.Command("/usr/bin/python3", "testdata/conformance.py", string(args), in, out)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("scipy: %v", err)
	}
	if err := json.Unmarshal(b, &run); err != nil {
		t.Fatalf("scipy output %q: %v", b, err)
	}
	f, tm = readF64(t, out+".f"), readF64(t, out+".t")
	flat := readF64(t, out+".s")
	if len(flat) != len(f)*len(tm) {
		t.Fatalf("scipy: %d values for %dx%d", len(flat), len(f), len(tm))
	}
	for i := range f {
		power = append(power, flat[i*len(tm):(i+1)*len(tm)])
	}
	return f, tm, power, run
}

// TestConformanceScipy compares Compute with scipy.signal.spectrogram on
// whole mitdb records (30 minutes, 650,000 samples) for parameter sets
// that cover every window, detrend, scaling and mode, and logs the time of
// each side for the two speed cases of docs/spectro.md. Runs with
// ECG_CONFORMANCE=1 (make conformance).
func TestConformanceScipy(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") == "" {
		t.Skip("set ECG_CONFORMANCE=1 to compare with scipy")
	}
	if _, err := exec.Command("/usr/bin/python3", "-c", "import scipy.signal").CombinedOutput(); err != nil {
		t.Skip("no scipy: /usr/bin/python3 -c 'import scipy.signal' failed")
	}
	dir := refdata.MITDB(t)
	cases := []struct {
		record string
		sig    int
		p      Params
	}{
		{"100", 0, Params{Window: "hann", NPerSeg: 256, NOverlap: 128, Detrend: DetrendConstant, Scaling: ScalingDensity, Mode: ModePSD}},
		{"208", 1, Params{Window: "hamming", NPerSeg: 512, NOverlap: 384, NFFT: 1024, Detrend: DetrendLinear, Scaling: ScalingSpectrum, Mode: ModePSD}},
		{"201", 0, Params{Window: "blackman", NPerSeg: 360, NOverlap: 180, Detrend: DetrendNone, Scaling: ScalingDensity, Mode: ModePSD}},
		{"232", 0, Params{Window: "boxcar", NPerSeg: 128, NOverlap: 0, NFFT: 200, Detrend: DetrendConstant, Scaling: ScalingSpectrum, Mode: ModeMagnitude}},
		{"119", 1, Params{Window: "tukey(0.25)", NPerSeg: 256, NOverlap: 32, Detrend: DetrendLinear, Scaling: ScalingDensity, Mode: ModePSD}},
		{"105", 0, Params{Window: "hann", NPerSeg: 255, NOverlap: 200, NFFT: 511, Detrend: DetrendLinear, Scaling: ScalingDensity, Mode: ModeMagnitude}},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s_%d_%s_%s_%s_%s", c.record, c.sig, c.p.Window, c.p.Detrend, c.p.Scaling, c.p.Mode)
		t.Run(name, func(t *testing.T) {
			rec, err := wfdb.ReadRecord(filepath.Join(dir, c.record))
			if err != nil {
				t.Fatal(err)
			}
			x := rec.Physical(c.sig)
			fs := rec.Header.Fs
			f, tm, want, run := runScipy(t, x, fs, c.p, 0)
			pl, err := NewPlan(fs, c.p)
			if err != nil {
				t.Fatal(err)
			}
			var s Spectrogram
			best, cpu := bestOf5(t, func() error { return pl.ComputeInto(&s, x) })
			if len(s.Freqs) != len(f) || len(s.Times) != len(tm) {
				t.Fatalf("%dx%d, scipy %dx%d", len(s.Freqs), len(s.Times), len(f), len(tm))
			}
			for i := range f {
				if s.Freqs[i] != f[i] {
					t.Fatalf("freq[%d] %.17g, scipy %.17g", i, s.Freqs[i], f[i])
				}
			}
			for j := range tm {
				if s.Times[j] != tm[j] {
					t.Fatalf("time[%d] %.17g, scipy %.17g", j, s.Times[j], tm[j])
				}
			}
			// Values below 1e-12 of the peak power are rounding noise
			// (the 0 Hz bin after the mean is removed, say): compared
			// with that floor. Magnitudes are square roots of powers, so
			// their floor is 1e-6 of the peak magnitude.
			floor := 1e-12
			if c.p.Mode == ModeMagnitude {
				floor = 1e-6
			}
			worst, wi, wj := relErr(s.Power, want, floor)
			t.Logf("%d samples, %dx%d: max relative difference %.2g; wall: ours %.1f ms, scipy %s %.1f ms; CPU: ours %.1f ms, scipy %.1f ms (best of 5)",
				len(x), len(f), len(tm), worst, best.Seconds()*1e3, run.Scipy, run.Seconds*1e3, cpu.Seconds()*1e3, run.CPUSeconds*1e3)
			if worst > 1e-9 {
				t.Errorf("power[%d][%d] = %.17g, scipy %.17g (relative %.3g)", wi, wj, s.Power[wi][wj], want[wi][wj], worst)
			}
		})
	}
	// The 60 one-minute strides of record 100 (30 per signal).
	t.Run("strides_100", func(t *testing.T) {
		rec, err := wfdb.ReadRecord(filepath.Join(dir, "100"))
		if err != nil {
			t.Fatal(err)
		}
		fs := rec.Header.Fs
		stride := int(60 * fs)
		n := rec.NumFrames() / stride * stride
		x := append(append([]float64(nil), rec.Physical(0)[:n]...), rec.Physical(1)[:n]...)
		p := Params{Window: "hann", NPerSeg: 256, NOverlap: 128, Detrend: DetrendConstant, Scaling: ScalingDensity, Mode: ModePSD}
		_, _, _, run := runScipy(t, x, fs, p, stride)
		pl, _ := NewPlan(fs, p)
		var s Spectrogram
		best, cpu := bestOf5(t, func() error {
			for k := 0; k+stride <= len(x); k += stride {
				if err := pl.ComputeInto(&s, x[k:k+stride]); err != nil {
					return err
				}
			}
			return nil
		})
		t.Logf("%d strides of %d samples: wall: ours %.1f ms, scipy %.1f ms; CPU: ours %.1f ms, scipy %.1f ms (best of 5)",
			len(x)/stride, stride, best.Seconds()*1e3, run.Seconds*1e3, cpu.Seconds()*1e3, run.CPUSeconds*1e3)
	})
}
