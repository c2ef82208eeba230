package beats

import (
	"math"
	"sort"
)

// recent holds the last history values of a level (a ring, filled in
// order of arrival until full) and gives their median, kept until the
// values change.
//
// The values are also kept sorted, each push moving one value out of the
// sorted copy and one in, so that the median is read there instead of
// sorting a copy of the ring (about 10,000 medians of a half-hour
// record). While a value held is NaN or -0, which compare equal to other
// values with other bits or not at all, the sorted copy is given up and
// the median taken as before, by sorting a copy of the ring in its
// storage order; it is rebuilt once they have gone. Either way the median
// has the same bits.
type recent struct {
	v    [history]float64
	n, i int // values held; next slot to overwrite once full
	med  float64
	ok   bool // med is the median of the values held

	s      [history]float64 // the values held, sorted, when sorted is true
	sorted bool
	odd    int // values held that are NaN or -0
}

// oddValue reports whether x is NaN or -0.
func oddValue(x float64) bool { return x != x || x == 0 && math.Signbit(x) }

// push adds x, dropping the oldest value once history values are held.
func (r *recent) push(x float64) {
	r.ok = false
	var old float64
	full := r.n == history
	if full {
		old = r.v[r.i]
		r.v[r.i] = x
		r.i = (r.i + 1) % history
		if oddValue(old) {
			r.odd--
		}
	} else {
		r.v[r.n] = x
		r.n++
	}
	if oddValue(x) {
		r.odd++
	}
	switch {
	case r.odd > 0:
		r.sorted = false
	case !r.sorted:
		copy(r.s[:], r.v[:r.n])
		insertionMedian(r.s[:r.n])
		r.sorted = true
	default:
		m := r.n // values in s once x is in
		if full {
			j := 0
			for r.s[j] != old {
				j++
			}
			copy(r.s[j:m-1], r.s[j+1:m])
		}
		j := m - 1
		for ; j > 0 && r.s[j-1] > x; j-- {
			r.s[j] = r.s[j-1]
		}
		r.s[j] = x
	}
}

// set makes x the only value.
func (r *recent) set(x float64) { r.clear(); r.push(x) }

// clear drops all values.
func (r *recent) clear() { r.n, r.i, r.ok, r.sorted, r.odd = 0, 0, false, true, 0 }

// len returns the number of values held.
func (r *recent) len() int { return r.n }

// values returns the values held, in storage order.
func (r *recent) values() []float64 { return r.v[:r.n] }

// median returns the median of the values (0 when empty).
func (r *recent) median() float64 {
	if !r.ok {
		if r.sorted {
			r.med = middle(r.s[:r.n])
		} else {
			var s [history]float64
			copy(s[:], r.v[:r.n])
			r.med = insertionMedian(s[:r.n])
		}
		r.ok = true
	}
	return r.med
}

// sortedMedian sorts s in place and returns its median, 0 when s is empty.
// Short slices (the level histories, Polarity's baseline) are sorted by
// insertion with plain comparisons, several times faster than sort's
// generic path for them; s must not hold NaN.
func sortedMedian(s []float64) float64 {
	if len(s) > 64 {
		sort.Float64s(s)
	}
	return insertionMedian(s)
}

// insertionMedian sorts s in place by insertion and returns its median,
// 0 when s is empty (it does not keep s, which may so live on the stack).
func insertionMedian(s []float64) float64 {
	for i := 1; i < len(s); i++ {
		v, j := s[i], i
		for ; j > 0 && s[j-1] > v; j-- {
			s[j] = s[j-1]
		}
		s[j] = v
	}
	return middle(s)
}

// middle returns the median of s, sorted, 0 when s is empty.
func middle(s []float64) float64 {
	if len(s) == 0 {
		return 0
	}
	h := len(s) / 2
	if len(s)%2 == 1 {
		return s[h]
	}
	return (s[h-1] + s[h]) / 2
}

// levels are the adaptive detection levels (after Hamilton and Tompkins,
// 1986): the QRS level (the median of the last history beats' envelope
// peaks, each at most qRise times the level before it), the noise level
// (the same over noise peaks), the clean QRS level (over the beats
// accepted while the signal was not noisy), the threshold a fraction k of
// the way from the noise to the QRS level, and the mean of the last RR
// intervals.
type levels struct {
	k     float64 // threshold fraction
	qRise float64 // a beat enters the QRS level as at most this times the level (0: no limit)

	qrs, noise, clean recent
	// medians of qrs, clean and noise, updated when those change: the
	// noise gates read them every sample while a beat waits.
	qMed, qcMed, nMed float64
	rr                recent // RR intervals, samples
	rrMean            float64
}

// reset forgets all levels.
func (lv *levels) reset() {
	lv.qrs.clear()
	lv.noise.clear()
	lv.clean.clear()
	lv.rr.clear()
	lv.rrMean = 0
	lv.update()
}

// update recomputes the medians.
func (lv *levels) update() {
	lv.qMed, lv.qcMed, lv.nMed = lv.qrs.median(), lv.clean.median(), lv.noise.median()
}

// start sets the QRS level to v and the noise level to 0, at the end of
// the learning period.
func (lv *levels) start(v float64) {
	lv.qrs.set(v)
	lv.noise.set(0)
	lv.update()
}

// addNoise takes v as a noise peak.
func (lv *levels) addNoise(v float64) {
	lv.noise.push(v)
	lv.nMed = lv.noise.median()
}

// addBeat takes v as a beat's peak, clean when the signal was not noisy.
func (lv *levels) addBeat(v float64, clean bool) {
	if lv.qRise > 0 && lv.qrs.len() > 0 {
		v = min(v, lv.qRise*lv.qMed)
	}
	if clean {
		lv.clean.push(v)
	}
	lv.qrs.push(v)
	lv.update()
}

// threshold returns the detection threshold.
func (lv *levels) threshold() float64 {
	return lv.nMed + lv.k*(lv.qMed-lv.nMed)
}

// cleanLevel is the clean QRS level: the median of the QRS levels of the
// beats accepted while not noisy (that of all beats until there is one).
func (lv *levels) cleanLevel() float64 {
	if lv.clean.len() > 0 {
		return lv.qcMed
	}
	return lv.qMed
}

// pushRR adds an RR interval (samples) and updates their mean.
func (lv *levels) pushRR(v float64) {
	lv.rr.push(v)
	var s float64
	for _, v := range lv.rr.values() {
		s += v
	}
	lv.rrMean = s / float64(lv.rr.len())
}

// meanRR returns the mean RR interval in samples (fs, 1 s, until known).
func (lv *levels) meanRR(fs float64) float64 {
	if lv.rr.len() == 0 {
		return fs
	}
	return lv.rrMean
}
