package signal

import "math"

// ToDigital converts a physical value v (in the signal's units, e.g. mV) to
// ADC units: round(v*gain) + baseline, with gain in ADC units per physical
// unit, rounded half away from zero and clamped to the int32 range. A NaN v
// gives the baseline.
func ToDigital(v, gain, baseline float64) int32 {
	if math.IsNaN(v) {
		v = 0
	}
	d := math.Round(v*gain) + baseline
	switch {
	case d > math.MaxInt32:
		return math.MaxInt32
	case d < math.MinInt32:
		return math.MinInt32
	}
	return int32(d)
}
