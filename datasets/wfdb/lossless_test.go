package wfdb

import (
	"math"
	"strconv"
	"testing"
)

func TestLosslessDecimals(t *testing.T) {
	for _, tc := range []struct {
		gain float64
		want int
	}{{200, 3}, {1000, 3}, {400, 3}, {2000, 4}, {1310.72, 4}, {10, 3}, {65536, 6}, {0, 17}} {
		if got := LosslessDecimals(tc.gain); got != tc.want {
			t.Errorf("LosslessDecimals(%v) = %d, want %d", tc.gain, got, tc.want)
		}
	}
	// Every digital value reads back, for gains of every shape.
	for _, gain := range []float64{200, 1000, 400, 2000, 1310.72, 3.3, 65536, 12345.678} {
		d := LosslessDecimals(gain)
		for v := int32(-40000); v <= 40000; v += 7 {
			x, _ := strconv.ParseFloat(strconv.FormatFloat(float64(v-11)/gain, 'f', d, 64), 64)
			if back := int32(math.Round(x*gain)) + 11; back != v {
				t.Fatalf("gain %v, %d decimals: %d reads back as %d", gain, d, v, back)
			}
		}
	}
}
