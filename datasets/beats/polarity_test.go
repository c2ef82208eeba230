package beats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/refdata"
)

// Upright and inverted synthetic complexes, and mitdb record 100 (MLII)
// as is and negated.
func TestPolarity(t *testing.T) {
	const fs = 360
	x := make([]float64, 20*fs)
	var bs []Beat
	for b := fs / 2; b+fs/2 < len(x); b += fs {
		bs = append(bs, Beat{Sample: int64(b)})
		for i := -10; i <= 10; i++ {
			// A tall R wave and a smaller S wave after it.
			x[b+i] += 1.2 * math.Exp(-float64(i*i)/8)
			x[b+i+8] -= 0.3 * math.Exp(-float64(i*i)/8)
		}
	}
	if s, a := Polarity(x, fs, bs); s != 1 || a != 1 {
		t.Fatalf("upright: %d %.2f", s, a)
	}
	neg := make([]float64, len(x))
	for i, v := range x {
		neg[i] = -v + 0.5 // and an offset
	}
	if s, a := Polarity(neg, fs, bs); s != -1 || a != 1 {
		t.Fatalf("inverted: %d %.2f", s, a)
	}
	if s, a := Polarity(x, fs, bs[:2]); s != 0 || !math.IsNaN(a) {
		t.Fatalf("two beats: %d %v", s, a)
	}

	rec, err := wfdb.ReadRecord(refdata.MITDB(t) + "/100")
	if err != nil {
		t.Fatal(err)
	}
	mlii := rec.Physical(0)
	found := Detect(mlii, rec.Header.Fs)
	if s, a := Polarity(mlii, rec.Header.Fs, found); s != 1 || a < 0.95 {
		t.Fatalf("record 100: %d %.3f", s, a)
	}
	for i := range mlii {
		mlii[i] = -mlii[i]
	}
	found = Detect(mlii, rec.Header.Fs)
	if s, a := Polarity(mlii, rec.Header.Fs, found); s != -1 || a < 0.95 {
		t.Fatalf("record 100 negated: %d %.3f", s, a)
	}
}

// selectMedian gives sortedMedian's median of random slices of all
// lengths up to 40, with and without repeated values.
func TestSelectMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for n := 1; n <= 40; n++ {
		for trial := range 50 {
			s := make([]float64, n)
			for i := range s {
				if trial%2 == 0 {
					s[i] = rng.NormFloat64()
				} else {
					s[i] = float64(rng.IntN(4)) // many ties
				}
			}
			want := sortedMedian(slices.Clone(s))
			if got := selectMedian(s); got != want {
				t.Fatalf("n %d trial %d: selectMedian %g, sortedMedian %g", n, trial, got, want)
			}
		}
	}
}

// BenchmarkSelectMedian is the median of a 100 ms baseline at 360 Hz, as
// the polarity vote takes it for every beat: samples of a slow wave with
// noise, quantised as a 12-bit ADC of gain 200 gives them (many ties).
func BenchmarkSelectMedian(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 36*64)
	for i := range x {
		x[i] = math.Round(200*(0.05*math.Sin(float64(i)/30)+0.01*rng.NormFloat64())) / 200
	}
	s := make([]float64, 36)
	for i := range b.N {
		k := i % 64
		copy(s, x[36*k:36*k+36])
		selectMedian(s)
	}
}
