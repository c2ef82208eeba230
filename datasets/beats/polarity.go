package beats

import (
	"math"
	"slices"
)

// Polarity tells whether the QRS complexes of x (mV at fs Hz) at the
// detected beats deflect mainly upwards (+1) or downwards (-1), and the
// share of beats that agree (0.5-1). It returns 0 and NaN with fewer than
// 3 beats away from the ends of x.
//
// The detector itself is blind to polarity (it squares the slope and
// takes the largest absolute deflection as fiducial point), so an
// inverted lead loses no beats; Polarity says whether the lead looks
// inverted: in lead II (MLII) and most limb and lateral chest leads the
// QRS is mainly positive, so a negative result there suggests swapped
// electrodes or an inverted signal. For each beat, the largest deviation
// above and below the baseline (the median of the 100 ms that end 60 ms
// before the fiducial point, in the PR segment) within 60 ms of the
// fiducial point is compared; the beat votes for the larger.
func Polarity(x []float64, fs float64, beats []Beat) (sign int, agreement float64) {
	if !(fs > 0) {
		return 0, math.NaN()
	}
	half := int(math.Round(0.060 * fs))
	baseLen := max(1, int(math.Round(0.100*fs)))
	buf := make([]float64, 0, baseLen)
	up, down := 0, 0
	for _, b := range beats {
		f := int(b.Sample)
		lo := f - half - baseLen
		if lo < 0 || f+half >= len(x) || half < 1 {
			continue
		}
		buf = append(buf[:0], x[lo:lo+baseLen]...)
		if slices.ContainsFunc(buf, math.IsNaN) {
			continue
		}
		base := sortedMedian(buf)
		hi, dn := 0.0, 0.0
		for _, v := range x[f-half : f+half+1] {
			if d := v - base; d > hi {
				hi = d
			} else if -d > dn {
				dn = -d
			}
		}
		switch {
		case hi > dn:
			up++
		case dn > hi:
			down++
		}
	}
	n := up + down
	if n < 3 {
		return 0, math.NaN()
	}
	if up >= down {
		return 1, float64(up) / float64(n)
	}
	return -1, float64(down) / float64(n)
}
