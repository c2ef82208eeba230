//go:build harness

package beats

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// TestRatesNoise scores the detector on the DS1 records resampled to
// 125-1000 Hz, clean and with the stress test's noise added at the new
// rate (ECG_BEATS_RATES=1; a measurement for docs/beats.md, not a
// parameter selection): the noise tools work in seconds, so the noisy
// rows should not depend on the rate.
func TestRatesNoise(t *testing.T) {
	rates := []float64{125, 250, 360, 500, 1000}
	switch env := os.Getenv("ECG_BEATS_RATES"); env {
	case "":
		t.Skip("set ECG_BEATS_RATES=1 (or a list of rates: 50,2000,8000) to score DS1 resampled, with noise")
	case "1":
	default:
		rates = nil
		for _, f := range strings.Split(env, ",") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || !(v > 0) {
				t.Fatalf("ECG_BEATS_RATES %q: want 1 or a comma-separated list of rates in Hz", env)
			}
			rates = append(rates, v)
		}
	}
	db := refdata.MITDB(t)
	type key struct {
		fs   float64
		cond string
	}
	res := map[key]*MatchResult{}
	var mu sync.Mutex
	conds := []struct {
		kind string
		snr  float64
	}{{"", 0}, {"em", 6}, {"em", 0}, {"ma", 0}}
	parallel(len(splitDS1), func(i int) {
		r, err := readTuneRecord(db, splitDS1[i])
		if err != nil {
			t.Error(err)
			return
		}
		x0 := r.rec.Physical(0)
		for _, fs := range rates {
			x := resample(x0, r.fs, fs)
			// The annotations at the new rate, as TestStressTables writes them.
			scaled := slices.Clone(r.ann)
			for k := range scaled {
				scaled[k].Sample = int64(math.Round(float64(scaled[k].Sample) * fs / r.fs))
			}
			ref, vf := Reference(scaled, int64(len(x)))
			for _, c := range conds {
				y := append([]float64(nil), x...)
				if c.kind != "" {
					addNoise(y, fs, c.kind, c.snr, ref, hashName(r.name))
				}
				var test []int64
				for _, b := range Detect(y, fs) {
					test = append(test, b.Sample)
				}
				opt := DefaultMatchOptions()
				opt.Exclude = vf
				m := Match(ref, test, fs, opt)
				k := key{fs, fmt.Sprintf("%s%g", c.kind, c.snr)}
				mu.Lock()
				if res[k] == nil {
					res[k] = &MatchResult{}
				}
				res[k].Add(m)
				mu.Unlock()
			}
		}
	})
	for _, c := range conds {
		name := fmt.Sprintf("%s%g", c.kind, c.snr)
		line := name
		for _, fs := range rates {
			m := res[key{fs, name}]
			line += fmt.Sprintf(" | %g: %.3f/%.3f", fs, m.Sensitivity(), m.PositivePredictivity())
		}
		t.Log(line)
	}
}
