package stream

import (
	"fmt"
	"math"
)

// RateFromTimestamps returns the sampling rate in Hz of n sample intervals
// whose timestamps span span units: units "s", "ms", "us", or "" to infer
// them (ECG is sampled at 50 Hz or more: fewer than 5 samples per unit are
// taken as milliseconds, then microseconds). A rate within 0.5% of a whole
// number of Hz is rounded to it. Timestamps that give no positive, finite
// rate are an error wrapping ErrNoRate. This is the rule of streams whose
// Config.Fs is 0; classify/fleet applies it to messages.
func RateFromTimestamps(n int64, span float64, units string) (float64, error) {
	r := float64(n) / span // samples per time unit
	switch units {
	case "ms":
		r *= 1e3
	case "us":
		r *= 1e6
	case "":
		for k := 0; k < 2 && r > 0 && r < 5; k++ {
			r *= 1e3
		}
	}
	if !(r > 0) || math.IsInf(r, 0) {
		return 0, fmt.Errorf("%w (timestamps give %g samples per second)", ErrNoRate, r)
	}
	if k := math.Round(r); math.Abs(r-k) <= 0.005*k {
		r = k
	}
	return r, nil
}
