package spectro_test

import (
	"fmt"
	"math"

	"github.com/ecgkit/ecg/spectro"
)

// A 10 Hz tone sampled at 360 Hz peaks in the bin of 10 Hz; with a boxcar
// window, density scaling and no detrending the PSD integrates to the
// tone's power, A²/2.
func ExampleCompute() {
	const fs = 360.0
	x := make([]float64, 3600) // 10 s
	for i := range x {
		x[i] = 2 * math.Sin(2*math.Pi*10*float64(i)/fs)
	}
	p := spectro.Params{Window: "boxcar", NPerSeg: 360, NOverlap: 180,
		Detrend: spectro.DetrendNone, Scaling: spectro.ScalingDensity}
	s, err := spectro.Compute(x, fs, p)
	if err != nil {
		panic(err)
	}
	peak, total := 0, 0.0
	for i := range s.Freqs {
		if s.Power[i][0] > s.Power[peak][0] {
			peak = i
		}
		total += s.Power[i][0] * (s.Freqs[1] - s.Freqs[0])
	}
	fmt.Printf("%d bins x %d segments, first at %.2f s\n", len(s.Freqs), len(s.Times), s.Times[0])
	fmt.Printf("peak at %.1f Hz, power %.6f\n", s.Freqs[peak], total)
	// Output:
	// 181 bins x 19 segments, first at 0.50 s
	// peak at 10.0 Hz, power 2.000000
}

// Raw images for models: the ECG band of a one-minute stride on a fixed
// decibel scale, resampled to 224x224.
func ExampleRawImage() {
	const fs = 360.0
	x := make([]float64, 60*fs)
	for i := range x {
		x[i] = math.Sin(2 * math.Pi * 8 * float64(i) / fs)
	}
	s, err := spectro.Compute(x, fs, spectro.DefaultParams(fs))
	if err != nil {
		panic(err)
	}
	img := spectro.RawImage(s, spectro.ImageOptions{Colormap: spectro.Viridis})
	fmt.Println(len(s.Freqs), "bins from", s.Freqs[0], "Hz;", img.Bounds().Dx(), "x", img.Bounds().Dy(), "pixels")
	// Output:
	// 28 bins from 1.40625 Hz; 224 x 224 pixels
}
