package beats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// addNoise adds synthetic noise to x (mV, rate fs) in alternate 2-minute
// segments from 5:00 on, as the MIT-BIH Noise Stress Test does, scaled so
// that the signal-to-noise ratio is snr dB. The signal power is that of a
// sine wave with the median peak-to-peak QRS amplitude (A^2/8, as nst
// defines it), measured within 50 ms of the reference beats; the noise
// power is its variance. Kinds (all Gaussian noise shaped by filters):
//   - bw: baseline wander, low-passed at 0.5 Hz (2nd-order Butterworth);
//   - ma: muscle (EMG-like), band-passed 10-100 Hz (capped at 0.45 fs);
//   - em: electrode motion, band-passed 1-15 Hz and gated by bursts of
//     0.5-3 s with smooth edges, with random steps at burst starts.
func addNoise(x []float64, fs float64, kind string, snr float64, ref []int64, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := int(0.05 * fs)
	var amps []float64
	for _, s := range ref {
		lo, hi := int(s)-w, int(s)+w
		if lo < 0 || hi >= len(x) {
			continue
		}
		mn, mx := math.Inf(1), math.Inf(-1)
		for _, v := range x[lo:hi] {
			if !math.IsNaN(v) {
				mn, mx = math.Min(mn, v), math.Max(mx, v)
			}
		}
		if mx > mn {
			amps = append(amps, mx-mn)
		}
	}
	if len(amps) == 0 {
		return
	}
	slices.Sort(amps)
	a := amps[len(amps)/2]
	ps := a * a / 8
	pn := ps / math.Pow(10, snr/10)

	n := make([]float64, len(x))
	var c cascade
	switch kind {
	case "bw":
		c = cascade{lowpass2(0.5, math.Sqrt2/2, fs)}
	case "ma":
		c = cascade{highpass2(10, math.Sqrt2/2, fs), lowpass2(math.Min(100, 0.45*fs), math.Sqrt2/2, fs)}
	case "em":
		c = cascade{highpass2(1, math.Sqrt2/2, fs), lowpass2(15, math.Sqrt2/2, fs)}
	}
	for i := range n {
		n[i] = c.step(rng.NormFloat64())
	}
	if kind == "em" {
		// Bursts: on for 0.5-3 s, off for 0.5-3 s, raised-cosine edges of
		// 0.1 s, a step (0.5 to 2 noise units) at each start.
		i := 0
		on := false
		step := 0.0
		for i < len(n) {
			dur := int((0.5 + 2.5*rng.Float64()) * fs)
			edge := int(0.1 * fs)
			if on {
				step = (0.5 + 1.5*rng.Float64()) * float64(1-2*rng.IntN(2))
			}
			for k := 0; k < dur && i < len(n); k, i = k+1, i+1 {
				g := 0.0
				if on {
					g = 1
					if k < edge {
						g = 0.5 - 0.5*math.Cos(math.Pi*float64(k)/float64(edge))
					} else if dur-k < edge {
						g = 0.5 - 0.5*math.Cos(math.Pi*float64(dur-k)/float64(edge))
					}
				}
				n[i] = g * (n[i] + step*0.02)
			}
			on = !on
		}
	}
	// Scale to the target power over the noisy segments.
	seg := int(120 * fs)
	start := int(300 * fs)
	noisy := func(i int) bool { return i >= start && ((i-start)/seg)%2 == 0 }
	var mean, cnt float64
	for i := range n {
		if noisy(i) {
			mean += n[i]
			cnt++
		}
	}
	if cnt == 0 {
		return
	}
	mean /= cnt
	var v float64
	for i := range n {
		if noisy(i) {
			v += (n[i] - mean) * (n[i] - mean)
		}
	}
	v /= cnt
	if v == 0 {
		return
	}
	k := math.Sqrt(pn / v)
	for i := range x {
		if noisy(i) {
			x[i] += k * (n[i] - mean)
		}
	}
}
