package spectro

import (
	"math"
	"testing"
)

// benchSignal returns n samples of an ECG-like test signal (sines and a
// sawtooth of QRS-like spikes) at 360 Hz.
func benchSignal(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		t := float64(i) / 360
		x[i] = 0.2*math.Sin(2*math.Pi*1.1*t) + 0.05*math.Sin(2*math.Pi*23*t)
		if i%300 < 8 {
			x[i] += 1.2
		}
	}
	return x
}

// BenchmarkSTFT measures the two cases of the issue: a 30-minute record
// (650,000 samples at 360 Hz) at nperseg 256, noverlap 128, hann, all
// bins; and 60 one-minute strides (21,600 samples each) with the same
// parameters, through one reused Plan.
func BenchmarkSTFT(b *testing.B) {
	p := Params{Window: "hann", NPerSeg: 256, NOverlap: 128, Detrend: DetrendConstant, Scaling: ScalingDensity}
	b.Run("record30min", func(b *testing.B) {
		x := benchSignal(650000)
		pl, err := NewPlan(360, p)
		if err != nil {
			b.Fatal(err)
		}
		var s Spectrogram
		b.ReportAllocs()
		for b.Loop() {
			if err := pl.ComputeInto(&s, x); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("strides60x1min", func(b *testing.B) {
		x := benchSignal(60 * 21600)
		pl, err := NewPlan(360, p)
		if err != nil {
			b.Fatal(err)
		}
		var s Spectrogram
		b.ReportAllocs()
		for b.Loop() {
			for k := 0; k < 60; k++ {
				if err := pl.ComputeInto(&s, x[k*21600:(k+1)*21600]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
