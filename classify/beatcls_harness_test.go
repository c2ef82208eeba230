//go:build harness

package classify

// Lead prototype (session 21): do the embedded MIT-BIH beat model's
// classes of a recording's beats, as features, help the CinC rhythm
// model? go test -tags harness -run TestBeatClassFeatHarness -v ./classify

import (
	"context"
	"encoding/gob"
	"math"
	"os"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/internal/pool"
)

func beatClassFeatures(m *Model, path string) []float64 {
	nan := math.NaN()
	out := []float64{nan, nan, nan, nan, nan, nan, nan, nan}
	raw, fs, err := ReadSignal(path)
	if err != nil {
		return out
	}
	bs := beats.Detect(raw, fs)
	if len(bs) < 3 {
		return out
	}
	r := make([]int64, len(bs))
	for i, b := range bs {
		r[i] = b.Sample
	}
	bc, err := m.ClassifyRecordBeats(path, r)
	if err != nil {
		return out
	}
	dur := float64(len(raw)) / fs / 60
	cnt := map[string]float64{}
	conf, low := 0.0, 0.0
	run, maxRun := 0, 0
	for i := range bc.Class {
		l := bc.Label(i)
		cnt[l]++
		conf += bc.Score[i]
		if bc.Score[i] < 0.7 {
			low++
		}
		if l == "V" {
			run++
			maxRun = max(maxRun, run)
		} else {
			run = 0
		}
	}
	n := float64(len(bc.Class))
	return []float64{cnt["V"] / n, cnt["S"] / n, cnt["F"] / n, cnt["V"] / dur, cnt["S"] / dur, conf / n, low / n, float64(maxRun)}
}

func TestBeatClassFeatHarness(t *testing.T) {
	d := harnessLoad(t)
	ds, _ := harnessCinC(t)
	cache := "/tmp/beatcls-feat.gob"
	var B [][]float64
	if f, err := os.Open(cache); err == nil {
		gob.NewDecoder(f).Decode(&B)
		f.Close()
	}
	if len(B) != len(ds.Files) {
		f, err := os.Open("../internal/defaultmodel/beats.model")
		if err != nil {
			t.Fatal(err)
		}
		m, err := LoadModel(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		B, _ = pool.Map(context.Background(), ds.Files, 2, func(f datasets.LabeledFile) []float64 {
			return beatClassFeatures(m, f.Path)
		}, nil)
		t.Logf("beat classes of %d files: %v", len(B), time.Since(start))
		if f, err := os.Create(cache); err == nil {
			gob.NewEncoder(f).Encode(B)
			f.Close()
		}
	}
	fold, err := datasets.GroupKFold(d.Y, d.Groups, len(d.Labels), 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	score, _ := labelIndexes(d.Labels, []string{"N", "AF", "Other"})
	both := &harnessData{Labels: d.Labels, Y: d.Y, Groups: d.Groups}
	for i := range d.X {
		both.X = append(both.X, append(append([]float64(nil), d.X[i]...), B[i]...))
	}
	for seed := uint64(1); seed <= 3; seed++ {
		for _, v := range []struct {
			name string
			d    *harnessData
		}{{"set5", d}, {"set5+beatcls", both}} {
			start := time.Now()
			o := GBDTOptions{Seed: seed}.withDefaults()
			sc := make([][]float64, len(v.d.X))
			for f := 0; f < 5; f++ {
				trX, trY, _ := foldRows(v.d, fold, f)
				g, _, err := TrainGBDT(trX, trY, len(v.d.Labels), o)
				if err != nil {
					t.Fatal(err)
				}
				for i := range v.d.X {
					if fold[i] == f {
						sc[i] = g.PredictProba(nil, v.d.X[i])
					}
				}
			}
			harnessReport(t, v.name, v.d, fold, score, sc, time.Since(start))
		}
	}
}
