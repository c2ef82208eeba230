package classify

import (
	"math"
	"testing"
)

// syntheticBeat returns a median beat at fs Hz (the fiducial point at
// 0.25 s) of Gaussian waves: P of pAmp mV at pr s before the QRS (1 mV,
// 15 ms wide), T of tAmp mV at rt s after it, lasting 0.45 s after it.
func syntheticBeat(fs, pr, pAmp, rt, tAmp float64) ([]float64, int) {
	pre := int(math.Round(0.25 * fs))
	n := pre + int(math.Round(0.45*fs)) + 1
	b := make([]float64, n)
	g := func(t, c, w float64) float64 { return math.Exp(-0.5 * (t - c) * (t - c) / (w * w)) }
	for i := range b {
		t := float64(i-pre) / fs
		b[i] = pAmp*g(t, -pr, 0.02) + g(t, 0, 0.015) + tAmp*g(t, rt, 0.04)
	}
	return b, pre
}

// The waves of a synthetic beat of known PR and RT: the times within one
// sample, RTc by Bazett, amplitudes over the peak-to-peak signed by the
// QRS's polarity (an inverted T negative; the whole beat inverted the
// same); a flat or missing template gives NaN.
func TestWaveFeaturesKnownBeat(t *testing.T) {
	for _, fs := range []float64{250, 360, 500} {
		for _, c := range []struct{ pr, rt, tAmp, sign float64 }{{0.16, 0.3, 0.3, 1}, {0.22, 0.36, -0.2, 1}, {0.16, 0.3, 0.3, -1}} {
			b, pre := syntheticBeat(fs, c.pr, 0.12, c.rt, c.tAmp)
			for i := range b {
				b[i] *= c.sign
			}
			v := waveFeatures(nil, b, pre, fs, 0.81)
			got := map[string]float64{}
			for i, n := range waveFeatureNames {
				got[n] = v[i]
			}
			tol := 1.01 / fs
			if math.Abs(got["wave.pr"]-c.pr) > tol || math.Abs(got["wave.rt"]-c.rt) > tol {
				t.Errorf("%v Hz %+v: PR %v, RT %v", fs, c, got["wave.pr"], got["wave.rt"])
			}
			if math.Abs(got["wave.rtc"]-got["wave.rt"]/0.9) > 1e-12 {
				t.Errorf("%v Hz %+v: RTc %v for RT %v and RR 0.81 s", fs, c, got["wave.rtc"], got["wave.rt"])
			}
			// The peak-to-peak is about 1 mV (a little more with an inverted T).
			if want := c.tAmp; math.Abs(got["wave.t/qrs"]-want) > 0.05 {
				t.Errorf("%v Hz %+v: T %v, want about %v", fs, c, got["wave.t/qrs"], want)
			}
			if math.Abs(got["wave.p/qrs"]-0.12) > 0.03 || math.Abs(got["wave.st/qrs"]) > 0.05 {
				t.Errorf("%v Hz %+v: P %v, ST %v", fs, c, got["wave.p/qrs"], got["wave.st/qrs"])
			}
		}
	}
	for _, tmpl := range [][]float64{nil, make([]float64, 400)} {
		for i, x := range waveFeatures(nil, tmpl, 100, 360, 1) {
			if !math.IsNaN(x) {
				t.Errorf("template of %d samples: %s = %v, want NaN", len(tmpl), waveFeatureNames[i], x)
			}
		}
	}
}
