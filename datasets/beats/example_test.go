package beats_test

import (
	"fmt"
	"math"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
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

// A record in memory (as wfdb.NewRecord makes it from a CSV or EDF file):
// a respiration signal and an ECG lead at 250 Hz, 60 s at 75 bpm. Analyze
// picks the ECG lead, detects the beats and summarises them; with a WFDB
// record on disk, beats.AnalyzeRecord(path, opt) does the same, reading it
// a chunk at a time, and Options.Compare scores the beats.
func ExampleAnalyze() {
	const fs = 250
	n := 60 * fs
	ecg, resp := make([]int32, n), make([]int32, n)
	for i := range n {
		t := float64(i) / fs
		d := (math.Mod(t+0.3, 0.8) - 0.4) / 0.012 // R waves at 0.1 s + k 0.8 s
		ecg[i] = int32(math.Round(200 * math.Exp(-d*d/2)))
		resp[i] = int32(math.Round(100 * math.Sin(2*math.Pi*0.25*t)))
	}
	h := &wfdb.Header{Name: "demo", Fs: fs, Signals: []wfdb.SignalSpec{
		{Format: wfdb.Format16, Gain: 100, Units: "mV", Description: "RESP"},
		{Format: wfdb.Format16, Gain: 200, Units: "mV", Description: "II"},
	}}
	rec, err := wfdb.NewRecord(h, [][]int32{resp, ecg})
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := beats.Analyze(rec, beats.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("signals %v: %d beats, first at %d; QRS %s\n", a.Signals, len(a.Beats), a.Beats[0].Sample, beats.PolarityName(a.Polarity))
	fmt.Printf("mean HR %.1f bpm, SDNN %.1f ms\n", a.HRV.MeanHR, a.HRV.SDNN)
	// Output:
	// signals [1]: 75 beats, first at 28; QRS positive
	// mean HR 75.0 bpm, SDNN 0.0 ms
}
