package classify

import "math"

// A running median over small integer keys (bins): a count per bin and the
// bin at the median, which moves a few bins per step as the window slides,
// where a sorted window moves a part of its samples. Exact: with values
// that are a strictly monotone function of their keys (physical values of
// digital samples), the median key gives the median value.

// maxKeySpan bounds the bins of a keyed median: 16-bit samples.
const maxKeySpan = 1 << 16

// keyWindow is the window of a running median over keys in [0, len(cnt)).
type keyWindow struct {
	cnt   []int32
	m     int32 // the bin the last rank was found in
	below int32 // keys of the window in bins below m
}

func (h *keyWindow) add(k int32) {
	h.cnt[k]++
	if k < h.m {
		h.below++
	}
}

func (h *keyWindow) remove(k int32) {
	h.cnt[k]--
	if k < h.m {
		h.below--
	}
}

// at returns the bin of the window's key of rank t (0 for the smallest;
// t less than the window's length).
func (h *keyWindow) at(t int32) int32 {
	for t < h.below {
		h.m--
		h.below -= h.cnt[h.m]
	}
	for t >= h.below+h.cnt[h.m] {
		h.below += h.cnt[h.m]
		h.m++
	}
	return h.m
}

// slide moves a window of width 2hw+1 over the bins in, one sample at a
// time, and writes the bin of the median of in[i-hw:i+hw+1] to out[i]
// for i in [from, to). The window holds in[from-hw:from+hw] on entry and
// in[to-hw:to+hw] on return. (keyWindow's steps with its fields in
// registers.)
func (h *keyWindow) slide(in []int32, hw, from, to int, out []int32) {
	cnt, m, below, t := h.cnt, h.m, h.below, int32(hw)
	for i := from; i < to; i++ {
		k := in[i+hw]
		cnt[k]++
		below += int32(uint32(k-m) >> 31) // k < m (bins are below 1<<16)
		for t < below {
			m--
			below -= cnt[m]
		}
		for t >= below+cnt[m] {
			below += cnt[m]
			m++
		}
		out[i] = m
		k = in[i-hw]
		cnt[k]--
		below -= int32(uint32(k-m) >> 31)
	}
	h.m, h.below = m, below
}

// ends finds the medians of the bins over windows of width 2hw+1 that
// shrink at the ends of bins, for the samples i in [from, to): their
// values (two middle values averaged for even lengths) in vals[i-from],
// the median's bin in out[i] (for odd lengths). The window holds
// bins[lo:hi] on entry; ends returns its bounds on return.
func (h *keyWindow) ends(bins []int32, val []float64, hw, lo, hi, from, to int, vals []float64, out []int32) (int, int) {
	n := len(bins)
	for i := from; i < to; i++ {
		for nhi := min(i+hw+1, n); hi < nhi; hi++ {
			h.add(bins[hi])
		}
		for nlo := max(i-hw, 0); lo < nlo; lo++ {
			h.remove(bins[lo])
		}
		t := int32(hi-lo) / 2
		out[i] = h.at(t)
		vals[i-from] = val[out[i]]
		if (hi-lo)%2 == 0 {
			vals[i-from] = (val[h.at(t-1)] + val[h.at(t)]) / 2
		}
	}
	return lo, hi
}

// keyValues turns the keys into bins, in place (the keys minus their
// least), and returns each bin's value, NaN for a bin no sample has; ok
// is false unless every x is a number, equal samples have equal keys and
// the values are a strictly increasing or strictly decreasing function
// of the keys, over at most maxKeySpan bins (the keys may then be part
// turned).
func keyValues(x []float64, key []int32) (val []float64, ok bool) {
	if len(key) != len(x) || len(x) == 0 {
		return nil, false
	}
	lo, hi := key[0], key[0]
	for _, k := range key {
		lo, hi = min(lo, k), max(hi, k)
	}
	if int64(hi)-int64(lo) >= maxKeySpan {
		return nil, false
	}
	val = make([]float64, int(hi-lo)+1)
	for i := range val {
		val[i] = math.NaN()
	}
	for i, k := range key {
		b, v := k-lo, x[i]
		switch {
		case v != v:
			return nil, false
		case val[b] != val[b]:
			val[b] = v
		case math.Float64bits(val[b]) != math.Float64bits(v):
			return nil, false
		}
		key[i] = b
	}
	return val, strictlyMonotone(val)
}

// strictlyMonotone reports whether the numbers of val (NaN skipped) are
// strictly increasing or strictly decreasing.
func strictlyMonotone(val []float64) bool {
	up, down := true, true
	prev := math.NaN()
	for _, v := range val {
		if v != v {
			continue
		}
		if prev == prev {
			up, down = up && v > prev, down && v < prev
		}
		prev = v
	}
	return up || down
}
