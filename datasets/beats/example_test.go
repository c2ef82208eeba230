package beats_test

import (
	"fmt"
	"math"

	"github.com/ecgkit/ecg/datasets/beats"
)

// A synthetic ECG at 250 Hz: a 1 mV R wave every 0.8 s (75 bpm) from
// sample 125; the fiducial lands within a few samples (12 ms) of the peak.
func ExampleDetect() {
	const fs = 250
	x := make([]float64, 20*fs)
	for t := 0.5; t < 20; t += 0.8 {
		for i := range x {
			d := (float64(i)/fs - t) / 0.012
			x[i] += math.Exp(-d * d / 2)
		}
	}
	found := beats.Detect(x, fs)
	samples := make([]int64, len(found))
	for i, b := range found {
		samples[i] = b.Sample
	}
	h := beats.SummarizeHRV(samples, fs)
	fmt.Printf("%d beats, first at %d, mean HR %.0f bpm\n", h.Beats, samples[0], h.MeanHR)
	// Output: 25 beats, first at 128, mean HR 75 bpm
}
