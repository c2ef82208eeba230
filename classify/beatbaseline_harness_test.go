//go:build harness

package classify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// TestBeatBaselineRateDS1 chooses the rate of a beat model's baseline
// (BeatSettings.BaselineHz) on de Chazal's DS1 alone: for each rate in
// ECG_BEAT_BASELINE_HZ (default 0,45,90; 0 is the signal's rate, the
// setting of beat models before session 20), 5-fold CV grouped by record
// at the reference beats for the seeds in ECG_BEAT_SEEDS (default 1,2,3),
// the mean F1 of S and V (the criterion that chose the beat features), and
// a 2-fold split of DS1 by record (odd lines of its list against even)
// scored at the detected beats with EC57's gross VEB and SVEB statistics.
// ECG_BEAT_TREES and ECG_BEAT_DEPTH set the forest's trees and depth
// (default 100 and 32).
//
//	ECG_SHARED=../shared go test -tags harness -run BeatBaselineRateDS1 -v -timeout 2h ./classify
func TestBeatBaselineRateDS1(t *testing.T) {
	dir := refdata.MITDB(t)
	ctx := context.Background()
	var paths, odd, even []string
	for i, r := range aamiDS1 {
		p := filepath.Join(dir, r)
		paths = append(paths, p)
		if i%2 == 0 {
			odd = append(odd, p)
		} else {
			even = append(even, p)
		}
	}
	forest := ForestOptions{MinLeaf: BeatMinLeaf, Trees: int(envFloats(t, "ECG_BEAT_TREES", "100")[0]), MaxDepth: int(envFloats(t, "ECG_BEAT_DEPTH", "32")[0])}
	for _, hz := range envFloats(t, "ECG_BEAT_BASELINE_HZ", "0,45,90") {
		set := &BeatSettings{BaselineHz: hz}
		ds, err := ReadBeats(ctx, paths, BeatOptions{Jobs: 2, Settings: set})
		if err != nil {
			t.Fatal(err)
		}
		var mean float64
		seeds := envFloats(t, "ECG_BEAT_SEEDS", "1,2,3")
		for _, s := range seeds {
			seed := uint64(s)
			fo := forest
			fo.Seed = seed
			cv, err := CrossValidateBeats(ctx, ds, CVOptions{Folds: 5, Seed: seed, Forest: fo})
			if err != nil {
				t.Fatal(err)
			}
			f := (labelF1(cv.Report, "S") + labelF1(cv.Report, "V")) / 2
			mean += f / float64(len(seeds))
			t.Logf("%g Hz seed %d: %s  S,V F1 mean %.4f", hz, seed, perLabelLine(cv.Report), f)
		}
		t.Logf("%g Hz: DS1 CV mean F1 of S and V over the seeds %.4f", hz, mean)
		for h, pair := range [][2][]string{{odd, even}, {even, odd}} {
			tr, err := ReadBeats(ctx, pair[0], BeatOptions{Jobs: 2, Settings: set})
			if err != nil {
				t.Fatal(err)
			}
			fo := forest
			fo.Seed = 1
			to := learnerOptions(LearnerForest, fo, GBDTOptions{}, nil, len(tr.Spec.Names()), len(tr.Labels), 1)
			m, err := Train(tr.Labels, tr.Spec, tr.X, tr.Y, to)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := EvaluateBeats(ctx, m, pair[1], BeatEvalOptions{Jobs: 2})
			if err != nil {
				t.Fatal(err)
			}
			_, veb, sveb := ev.Gross()
			t.Logf("%g Hz 2-fold half %d at detected beats: VEB TP %d FN %d FP %d, SVEB TP %d FN %d FP %d", hz, h, veb.TP, veb.FN, veb.FP, sveb.TP, sveb.FN, sveb.FP)
		}
	}
}

func envFloats(t *testing.T, name, def string) []float64 {
	v := os.Getenv(name)
	if v == "" {
		v = def
	}
	var out []float64
	for _, f := range strings.Split(v, ",") {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, x)
	}
	return out
}

func labelF1(r *Report, l string) float64 {
	for _, p := range r.PerLabel {
		if p.Label == l {
			return p.F1
		}
	}
	return 0
}

func perLabelLine(r *Report) string {
	var b strings.Builder
	for _, p := range r.PerLabel {
		fmt.Fprintf(&b, " %s %.1f/%.1f", p.Label, 100*p.Recall, 100*p.Precision)
	}
	return b.String()
}
