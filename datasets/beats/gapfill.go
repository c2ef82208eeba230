package beats

import "math"

// The wavelet gap fill (one lead): a generic QRS shape, a difference of
// two boxcars (a Mexican hat) on the band-passed signal, fills long gaps
// between beats under noise.

// wavelet computes the squared output of the difference of a centre box
// (half width wa) and a surround box (half width wb) from the cumulative
// sum of the band-passed signal held in a ring.
type wavelet struct {
	wa, wb int   // centre and surround half widths, samples
	gd     int64 // band-pass group delay: a fiducial f is centred on band-passed sample f+gd
	// level is the output at the last beats (the wavelet QRS level).
	level recent

	ring []slot // the envelope's ring, whose cum is the cumulative sum of the band-passed signal
	mask int64
	span int64 // samples the rings hold
}

// newWavelet returns a wavelet with a centre half width of wA s at fs Hz
// (the surround wRatio times wider).
func newWavelet(fs, wA float64) wavelet {
	wa := max(1, int(math.Round(wA*fs)))
	return wavelet{wa: wa, wb: max(wa+1, int(math.Round(wRatio*float64(wa))))}
}

// reset forgets the QRS level.
func (w *wavelet) reset() { w.level.clear() }

// at returns the squared output for fiducial f: at the band-passed
// sample c under it, the mean over the centre box less the mean over the
// surround, from the cumulative sums. It is -1 when c is not yet wb
// samples old or older than the rings hold, and 0 within wb of the first
// sample.
func (w *wavelet) at(f, now int64) float64 {
	c := f + w.gd
	if c > now-1-int64(w.wb) || c < now-w.span+1 || c < 0 {
		return -1
	}
	a, b := int64(w.wa), int64(w.wb)
	if c <= b {
		return 0
	}
	inner := (w.ring[(c+a)&w.mask].cum - w.ring[(c-a-1)&w.mask].cum) / float64(2*a+1)
	outer := (w.ring[(c+b)&w.mask].cum - w.ring[(c-b-1)&w.mask].cum) / float64(2*b+1)
	v := inner - outer
	return v * v
}

// max returns the largest squared output for fiducials in [lo, hi] and
// its fiducial (-1 if none); with local, only local maxima count.
func (w *wavelet) max(lo, hi, now int64, local bool) (float64, int64) {
	best, bf := -1.0, int64(-1)
	for f := lo; f <= hi; f++ {
		v := w.at(f, now)
		if v <= best {
			continue
		}
		if local {
			u, x := w.at(f-1, now), w.at(f+1, now)
			if u < 0 || x < 0 || v < u || v <= x {
				continue
			}
		}
		best, bf = v, f
	}
	return best, bf
}

// wNoisy reports whether the wavelet gap fill acts: the signal is noisy
// and the mean envelope is at least wGate of the QRS level.
func (d *Detector) wNoisy() bool {
	return d.noisy() && d.lm >= d.p.wGate*d.lv.qMed
}

// gapFill fills a long gap before beat p under noise: while p is at
// least wGap periods (the tracker's, else the mean RR interval) after the
// last beat, the largest local wavelet maximum at least insMin from both
// (around one period after the last beat when the gap is longer than
// that), if at least wGapT of the wavelet QRS level, is taken as a beat;
// up to maxGapFill beats.
func (d *Detector) gapFill(p peak, emit func(Beat)) {
	ref := d.lv.meanRR(d.fs)
	if d.rhythm.per.len() >= 3 {
		ref = d.rhythm.period()
	}
	for range maxGapFill {
		g := float64(p.fid - d.lastFid)
		if g < d.p.wGap*ref {
			return
		}
		lo, hi := d.lastFid+d.insMin, p.fid-d.insMin
		if hi-lo > int64(ref) {
			c := d.lastFid + int64(ref)
			lo, hi = max(lo, c-int64(ref/4)), min(hi, c+int64(ref/4))
		}
		v, f := d.wv.max(lo, hi, d.n, true)
		if f < 0 || v < d.p.wGapT*d.wv.level.median() || f <= d.lastFid || f >= p.fid {
			return
		}
		d.place(f, p, emit)
	}
}
