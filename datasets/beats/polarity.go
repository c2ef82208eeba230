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
	v := newPolarityVote(fs, 0)
	if v.ok {
		v.x = x // whole: nothing to keep or drop
	}
	for _, b := range beats {
		v.add(b.Sample)
	}
	return v.result()
}

// PolarityName names a Polarity sign: "positive", "negative", or "" for
// unknown.
func PolarityName(sign int) string {
	switch sign {
	case 1:
		return "positive"
	case -1:
		return "negative"
	}
	return ""
}

// polarityVote counts Polarity's votes over a signal written in chunks
// and beats added in order as they are found: it keeps the samples that
// the beats still to come may need (keep samples, at most a detector's
// Delay, before the newest, and those of the beats waiting for the 60 ms
// after them).
type polarityVote struct {
	ok            bool // fs > 0
	half, baseLen int
	keep          int64
	x             []float64 // samples [off, off+len(x))
	off           int64
	wait          []int64 // beats waiting for the samples after them
	base          []float64
	up, down      int
}

// newPolarityVote returns a vote for a signal at fs Hz whose beats come
// at most keep samples after their own.
func newPolarityVote(fs float64, keep int64) *polarityVote {
	v := &polarityVote{ok: fs > 0, keep: keep}
	if v.ok {
		v.half = int(math.Round(0.060 * fs))
		v.baseLen = max(1, int(math.Round(0.100*fs)))
		v.base = make([]float64, 0, v.baseLen)
	}
	return v
}

// write appends samples (mV) and votes for the waiting beats they
// complete.
func (v *polarityVote) write(x []float64) {
	if !v.ok {
		return
	}
	v.x = append(v.room(len(x)), x...)
	v.written()
}

// room drops the samples that no beat to come can need and returns the
// samples kept, with room for n more (its length is that of the kept).
func (v *polarityVote) room(n int) []float64 {
	if v.keep > 0 {
		// Drop what no beat to come can need.
		need := v.off + int64(len(v.x)) - v.keep - int64(v.half+v.baseLen)
		if len(v.wait) > 0 {
			need = min(need, v.wait[0]-int64(v.half+v.baseLen))
		}
		if drop := need - v.off; drop > int64(len(v.x))/2 {
			v.x = v.x[:copy(v.x, v.x[drop:])]
			v.off += drop
		}
	}
	if v.x == nil && v.keep > 0 {
		// Room for what is kept and two writes of this size, so that the
		// samples are not copied as they grow.
		v.x = make([]float64, 0, int(v.keep)+v.half+v.baseLen+2*n)
	}
	return v.x
}

// written votes for the waiting beats that the samples written so far
// (v.x, grown since room) complete.
func (v *polarityVote) written() {
	k := 0
	for k < len(v.wait) && v.wait[k]+int64(v.half) < v.end() {
		v.vote(v.wait[k])
		k++
	}
	v.wait = v.wait[:copy(v.wait, v.wait[k:])]
}

// end returns the number of samples written.
func (v *polarityVote) end() int64 { return v.off + int64(len(v.x)) }

// add takes the beat at sample f (beats in order).
func (v *polarityVote) add(f int64) {
	if !v.ok {
		return
	}
	if len(v.wait) == 0 && f+int64(v.half) < v.end() {
		v.vote(f)
		return
	}
	v.wait = append(v.wait, f)
}

// vote counts the beat at sample f, if its window lies in the signal
// written so far and holds no NaN.
func (v *polarityVote) vote(f int64) {
	lo := f - int64(v.half+v.baseLen)
	if lo < 0 || f+int64(v.half) >= v.end() || v.half < 1 || lo < v.off {
		return
	}
	i, j := int(lo-v.off), int(f-v.off)
	v.base = append(v.base[:0], v.x[i:i+v.baseLen]...)
	if slices.ContainsFunc(v.base, math.IsNaN) {
		return
	}
	base := selectMedian(v.base)
	hi, dn := 0.0, 0.0
	for _, u := range v.x[j-v.half : j+v.half+1] {
		if d := u - base; d > hi {
			hi = d
		} else if -d > dn {
			dn = -d
		}
	}
	switch {
	case hi > dn:
		v.up++
	case dn > hi:
		v.down++
	}
}

// result votes for the beats still waiting (those too near the end of
// the signal are left out) and returns the polarity and the share of
// beats that agree.
func (v *polarityVote) result() (sign int, agreement float64) {
	for _, f := range v.wait {
		v.vote(f)
	}
	v.wait = v.wait[:0]
	n := v.up + v.down
	if n < 3 {
		return 0, math.NaN()
	}
	if v.up >= v.down {
		return 1, float64(v.up) / float64(n)
	}
	return -1, float64(v.down) / float64(n)
}

// selectMedian returns the median of s (not empty, no NaN) as
// sortedMedian does, reordering s: the middle values are found by
// selection (quickselect), not by sorting.
func selectMedian(s []float64) float64 {
	h := len(s) / 2
	hi := selectRank(s, h)
	if len(s)%2 == 1 {
		return hi
	}
	lo := s[0]
	for _, v := range s[1:h] {
		lo = max(lo, v)
	}
	return (lo + hi) / 2
}

// selectRank reorders s so that s[k] holds the value of rank k (0: the
// smallest), s[:k] the values not above it and s[k+1:] those not below,
// and returns s[k].
func selectRank(s []float64, k int) float64 {
	lo, hi := 0, len(s)-1
	for lo < hi {
		// median of three as pivot, moved to s[hi]
		m := lo + (hi-lo)/2
		if s[m] < s[lo] {
			s[m], s[lo] = s[lo], s[m]
		}
		if s[hi] < s[lo] {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if s[m] < s[hi] {
			s[m], s[hi] = s[hi], s[m]
		}
		p := s[hi]
		// Lomuto's partition without a branch: each value is swapped to
		// s[i], and i moves past it when it is below p (s[lo:i] < p <=
		// s[i:j] holds throughout; a compare-and-branch per value would
		// be mispredicted about half the time).
		i := lo
		for j := lo; j < hi; j++ {
			v := s[j]
			s[j], s[i] = s[i], v
			below := 0
			if v < p {
				below = 1
			}
			i += below
		}
		s[i], s[hi] = s[hi], s[i]
		switch {
		case k < i:
			hi = i - 1
		case k > i:
			lo = i + 1
		default:
			return s[k]
		}
	}
	return s[k]
}
