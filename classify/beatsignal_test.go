package classify

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// A model's BeatSignal, keeping only the keys its decimated baseline
// reads, gives the zero BeatSignal's signal bit for bit, whatever the
// chunks' sizes; given other settings it says so.
func TestModelBeatSignal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial, fs := range []float64{360, 250, 128, 1000, 360} {
		n := 20000 + rng.IntN(9000)
		data := [][]int32{make([]int32, n)}
		k := int32(1024)
		for i := range data[0] {
			k += int32(rng.IntN(9) - 4)
			data[0][i] = k
			if trial == 4 && rng.IntN(500) == 0 {
				data[0][i] = wfdb.InvalidSample
			}
		}
		h := &wfdb.Header{Name: "r", Fs: fs, NSamples: int64(n), Signals: []wfdb.SignalSpec{
			{FileName: "r.dat", Format: wfdb.Format212, Gain: 200, Baseline: 1024, Units: "mV", ADCResolution: 11, Description: "MLII"}}}
		for _, set := range []*BeatSettings{nil, {}, {BaselineHz: 45}, {BaselineHz: 30}} {
			m := &Model{}
			m.Info.Features.Beats = set
			var all BeatSignal
			mine := m.BeatSignal()
			for i := 0; i < n; {
				j := min(n, i+1+rng.IntN(3000))
				c, err := wfdb.NewRecord(h, [][]int32{data[0][i:j]})
				if err != nil {
					t.Fatal(err)
				}
				all.Add(c)
				mine.Add(c)
				i = j
			}
			if d := set.baselineStep(fs); len(mine.key) != keyRoom(fs/float64(d))+(n+d-1)/d {
				t.Errorf("fs %v, step %d: %d keys kept of %d samples", fs, d, len(mine.key), n)
			}
			want, _, err1 := all.Signal("r", set)
			got, _, err2 := mine.Signal("r", set)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			if i := sameBits(got, want); i >= 0 {
				t.Fatalf("trial %d, fs %v, settings %+v: sample %d %v, want %v", trial, fs, set, i, got[i], want[i])
			}
		}
	}
	m := &Model{}
	m.Info.Features.Beats = &BeatSettings{BaselineHz: 45}
	s := m.BeatSignal()
	h := &wfdb.Header{Name: "r", Fs: 360, Signals: []wfdb.SignalSpec{{FileName: "r.dat", Format: wfdb.Format16, Gain: 200, Units: "mV", Description: "MLII"}}}
	c, err := wfdb.NewRecord(h, [][]int32{make([]int32, 5000)})
	if err != nil {
		t.Fatal(err)
	}
	s.Add(c)
	if _, _, err := s.Signal("r", nil); err == nil || !strings.Contains(err.Error(), "baseline step") {
		t.Errorf("a model's BeatSignal given other settings: %v", err)
	}
}
