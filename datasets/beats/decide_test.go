package beats

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/refdata"
)

// windowPeakOne is windowPeak's loop as fillPeak ran it, one sample at a
// time: the reference for the two lanes.
func windowPeakOne(ring []slot, mask, lo, hi int64) (bi int64, best, sl float64) {
	best, bi = -1.0, hi
	for t := lo; t <= hi; t++ {
		q := &ring[t&mask]
		if q.band > best {
			best, bi = q.band, t
		}
		sl = max(sl, q.slope)
	}
	return bi, best, sl
}

// windowPeak gives, bit for bit, what the one-lane loop gives (a NaN as a
// NaN: max does not promise which NaN's bits it returns, and a peak's slope
// is only compared and multiplied, where every NaN acts alike): on rings of
// few distinct values (ties), with NaN, -0 and infinities among them, over
// windows of every length up to 70 that wrap around the ring or not.
func TestWindowPeak(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	values := []float64{0, math.Copysign(0, -1), 1, 2, 2.5, 3, math.NaN(), math.Inf(1), -1, -2}
	ring := make([]slot, 64)
	mask := int64(len(ring) - 1)
	for trial := range 20000 {
		nv := 3 + rng.IntN(len(values)-2)
		if trial%2 == 0 {
			nv = 4 // only the non-negative values, as the front end stores them
		}
		for i := range ring {
			ring[i].band = values[rng.IntN(nv)]
			ring[i].slope = values[rng.IntN(nv)]
		}
		lo := rng.Int64N(200)
		hi := lo + rng.Int64N(min(70, int64(len(ring))))
		bi, best, sl := windowPeak(ring, mask, lo, hi)
		wbi, wbest, wsl := windowPeakOne(ring, mask, lo, hi)
		if bi != wbi || !sameBits(best, wbest) || !sameBits(sl, wsl) && !(math.IsNaN(sl) && math.IsNaN(wsl)) {
			t.Fatalf("window [%d, %d]: got %d %v %v, want %d %v %v", lo, hi, bi, best, sl, wbi, wbest, wsl)
		}
	}
}

// BenchmarkWindowPeak scans fillPeak's window (win+dk samples) ending at
// local maxima of the envelope of MIT-BIH record 100's first lead (where
// the detector's candidate peaks are; about one in 197, copied out of the
// ring as the front end runs, so that they are all different, as a
// record's are, and fit in the cache, as a detector's window does), in
// lanes (windowPeak) or one (the loop before it).
func BenchmarkWindowPeak(b *testing.B) {
	rec, err := wfdb.ReadRecord(filepath.Join(refdata.MITDB(b), "100"))
	if err != nil {
		b.Fatal(err)
	}
	x := rec.Physical(0)
	e, settle := newTestEnvelope(rec.Header.Fs)
	w := int64(e.win + e.dk)
	const size = 64 // a ring of its own for each window
	var wins []slot
	for i := 0; i < len(x); i += envelopeBlock {
		e.writeOne(x[i:min(i+envelopeBlock, len(x))], settle)
		for n := max(e.n-envelopeBlock, w+1); n < e.n-1; n++ {
			c := e.ring[e.at(n)].comb
			if c > e.ring[e.at(n-1)].comb && c >= e.ring[e.at(n+1)].comb && n%197 == 0 {
				for t := n - size + 1; t <= n; t++ {
					wins = append(wins, e.ring[e.at(t)])
				}
			}
		}
	}
	b.Logf("%d windows", len(wins)/size)
	var sink float64
	for _, c := range []struct {
		name string
		f    func([]slot, int64, int64, int64) (int64, float64, float64)
	}{{"lanes", windowPeak}, {"one", windowPeakOne}} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				for k := 0; k < len(wins); k += size {
					_, best, sl := c.f(wins[k:k+size], size-1, size-w, size-1)
					sink += best + sl
				}
			}
		})
	}
	_ = sink
}
