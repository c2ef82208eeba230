package classify

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/refdata"
)

// BenchmarkBeatFeaturesRecord: the features of every reference beat of
// mitdb 100 (30 min at 360 Hz), from the signal as read: baseline removal
// and BeatFeatures, what ecg beats --classify adds to the detector.
func BenchmarkBeatFeaturesRecord(b *testing.B) {
	path := filepath.Join(refdata.MITDB(b), "100")
	x, fs, err := ReadSignal(path)
	if err != nil {
		b.Fatal(err)
	}
	anns, err := wfdb.ReadAnnotations(path, "atr")
	if err != nil {
		b.Fatal(err)
	}
	var r []int64
	for _, a := range anns {
		if a.Type.IsBeat() {
			r = append(r, a.Sample)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		beatVectors(RemoveBaseline(fillInvalid(x), fs), fs, r)
	}
}

// TestMedianFilter compares the running median with a sort of every
// window, on values with ties and NaNs.
func TestMedianFilter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 5, 40, 300} {
		for _, w := range []int{1, 3, 7, 21} {
			x := make([]float64, n)
			for i := range x {
				x[i] = float64(rng.IntN(9)) / 4
				if rng.IntN(30) == 0 {
					x[i] = math.NaN()
				}
			}
			got := medianFilter(x, w)
			for i := range x {
				win := slices.Clone(x[max(i-w/2, 0):min(i+w/2+1, n)])
				slices.Sort(win)
				m := len(win)
				want := win[m/2]
				if m%2 == 0 {
					want = (win[m/2-1] + win[m/2]) / 2
				}
				if got[i] != want && !(math.IsNaN(got[i]) && math.IsNaN(want)) {
					t.Fatalf("n %d w %d: median at %d is %v, want %v", n, w, i, got[i], want)
				}
			}
		}
	}
}
