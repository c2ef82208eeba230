package beats

import (
	"math"
	"slices"
)

// FreqHRV is the frequency-domain heart rate variability of a beat series
// (Task Force of the ESC and NASPE, 1996): the power of the normal-to-normal
// interval series in the low (0.04-0.15 Hz) and high (0.15-0.4 Hz)
// frequency bands, in ms², and their ratio.
type FreqHRV struct {
	LF, HF float64 // band powers, ms²; NaN when the series is too short
	LFHF   float64 // LF / HF
	// Segments is the number of 5-minute segments (or one shorter, for a
	// shorter series) averaged: those whose clean intervals span at least
	// a minute.
	Segments int
}

// Frequency bands and segmenting, after the Task Force (1996): short-term
// analysis over 5 minutes, averaged over the segments of a longer record.
const (
	lfLow, lfHigh = 0.04, 0.15 // Hz
	hfHigh        = 0.40       // Hz
	segmentTime   = 300.0      // s
	minSpanLF     = 120.0      // s of clean intervals a segment needs for LF (ten cycles of 0.08 Hz)
	minSpanHF     = 60.0       // s for HF
	oversample    = 2          // frequency grid: 1/(2 T)
)

// FrequencyHRV computes FreqHRV over the intervals between clean beats
// (neither end Noisy) with the Lomb-Scargle periodogram, which takes the
// unevenly spaced intervals as they are (no resampling; the intervals left
// out are gaps). A series longer than 5 minutes is cut into 5-minute
// segments whose band powers are averaged; a segment counts when its clean
// intervals span at least 2 minutes (LF) or 1 minute (HF).
//
// The periodogram P(f) (Lomb 1976, Scargle 1982) of the N mean-removed
// intervals spanning T seconds is scaled to a one-sided density 2 P(f) T/N
// (ms²/Hz), which for evenly spaced data is the ordinary periodogram and
// integrates to the variance; band powers are its sum over a grid of step
// 1/(2T).
func FrequencyHRV(bs []Beat, fs float64) FreqHRV {
	out := FreqHRV{LF: math.NaN(), HF: math.NaN(), LFHF: math.NaN()}
	if fs <= 0 || len(bs) < 3 {
		return out
	}
	t, rr := cleanSeries(bs, fs)
	if len(t) < 3 {
		return out
	}
	var lfSum, hfSum float64
	var nLF, nHF int
	var sc lombScratch // reused by the segments
	for lo := 0; lo < len(t); {
		hi := lo
		for hi < len(t) && t[hi]-t[lo] < segmentTime {
			hi++
		}
		lf, hf := bandPowers(t[lo:hi], rr[lo:hi], &sc)
		if !math.IsNaN(lf) {
			lfSum += lf
			nLF++
		}
		if !math.IsNaN(hf) {
			hfSum += hf
			nHF++
			out.Segments++
		}
		lo = hi
	}
	if nLF > 0 {
		out.LF = lfSum / float64(nLF)
	}
	if nHF > 0 {
		out.HF = hfSum / float64(nHF)
	}
	if nLF > 0 && nHF > 0 && out.HF > 0 {
		out.LFHF = out.LF / out.HF
	}
	return out
}

// cleanSeries returns the intervals between clean beats (intervals) as a
// series: each one's end time (s) and length (ms); non-positive intervals
// (beats out of order) are left out.
func cleanSeries(bs []Beat, fs float64) (t, rr []float64) {
	iv := intervals(len(bs), beatAt(bs), fs)
	t, rr = make([]float64, 0, len(iv)), make([]float64, 0, len(iv))
	for i, v := range iv {
		if v > 0 { // false for NaN
			t = append(t, float64(bs[i+1].Sample)/fs)
			rr = append(rr, 1000*v)
		}
	}
	return t, rr
}

// bandPowers returns the LF and HF powers (ms²) of one segment, NaN for a
// band whose span requirement it does not meet; sc holds its buffers.
func bandPowers(t, y []float64, sc *lombScratch) (lf, hf float64) {
	lf, hf = math.NaN(), math.NaN()
	n := len(t)
	if n < 3 {
		return
	}
	span := t[n-1] - t[0]
	if span < minSpanHF {
		return
	}
	var mean float64
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	sc.d = slices.Grow(sc.d[:0], n)[:n]
	d := sc.d
	for i, v := range y {
		d[i] = v - mean
	}
	df := 1 / (oversample * span)
	scale := 2 * span / float64(n)
	k0 := int(math.Ceil(lfLow / df))
	k1 := int(math.Floor(hfHigh / df))
	if k1 < k0 {
		return
	}
	var lfP, hfP float64
	for k, p := range lombScargleGrid(t, d, float64(k0)*df, df, k1-k0+1, sc) {
		p *= scale * df
		if float64(k0+k)*df < lfHigh {
			lfP += p
		} else {
			hfP += p
		}
	}
	hf = hfP
	if span >= minSpanLF {
		lf = lfP
	}
	return
}

// lombScargleGrid returns the classical Lomb-Scargle periodogram of the
// mean-removed series y at times t at the n frequencies f0 + k df (Hz):
//
//	P(w) = ((sum y cos w(t-tau))^2 / sum cos^2 w(t-tau)
//	      + (sum y sin w(t-tau))^2 / sum sin^2 w(t-tau)) / 2,
//
// tau such that tan(2 w tau) = sum sin 2wt / sum cos 2wt (Lomb 1976;
// Scargle 1982; scipy.signal.lombscargle without normalisation). The sums
// over the shifted times are expanded into sums of y cos wt, y sin wt,
// cos 2wt and sin 2wt, and cos wt, sin wt are stepped from one frequency to
// the next by a rotation, so each frequency costs a few multiplications
// per point instead of sines and cosines.
func lombScargleGrid(t, y []float64, f0, df float64, n int, sc *lombScratch) []float64 {
	sc.pts = slices.Grow(sc.pts[:0], len(t))[:len(t)]
	pts := sc.pts
	for i, ti := range t {
		p := &pts[i]
		p.s, p.c = math.Sincos(2 * math.Pi * f0 * ti)
		p.rs, p.rc = math.Sincos(2 * math.Pi * df * ti)
		p.y = y[i]
	}
	sc.out = slices.Grow(sc.out[:0], n)[:n]
	out := sc.out
	nf := float64(len(t))
	for k := range out {
		var yc, ys, c2, s2 float64
		for i := range pts {
			p := &pts[i]
			ci, si := p.c, p.s
			yc += p.y * ci
			ys += p.y * si
			c2 += ci*ci - si*si
			s2 += 2 * si * ci
			p.c, p.s = ci*p.rc-si*p.rs, si*p.rc+ci*p.rs
		}
		out[k] = lombScargleAt(nf, yc, ys, c2, s2)
	}
	return out
}

// lombScratch holds the buffers of bandPowers and lombScargleGrid, reused
// from one segment to the next (the zero value grows them as needed; the
// slice lombScargleGrid returns is out, valid until the next call).
type lombScratch struct {
	d, out []float64
	pts    []lombPoint
}

// lombPoint is a point's cos and sin at the current frequency, its
// rotation to the next frequency and its value, side by side.
type lombPoint struct{ c, s, rc, rs, y float64 }

// lombScargleAt returns the periodogram at one frequency w from the sums
// over the m points of y cos wt, y sin wt, cos 2wt and sin 2wt.
func lombScargleAt(nf, yc, ys, c2, s2 float64) float64 {
	a := math.Atan2(s2, c2) // 2 w tau
	sinT, cosT := math.Sincos(a / 2)
	sin2T, cos2T := math.Sincos(a)
	yct := cosT*yc + sinT*ys // sum y cos w(t-tau)
	yst := cosT*ys - sinT*yc // sum y sin w(t-tau)
	cc := (nf + cos2T*c2 + sin2T*s2) / 2
	ss := (nf - cos2T*c2 - sin2T*s2) / 2
	var p float64
	if cc > 0 {
		p += yct * yct / cc
	}
	if ss > 0 {
		p += yst * yst / ss
	}
	return p / 2
}
