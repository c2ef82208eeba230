package beats

import "math"

// The matched filter and the wavelet are the one-lead detector's tools
// under noise. The matched filter correlates the band-passed signal with
// a template of the patient's own QRS (learnt from clean beats); the
// insertion on the rhythm, the anchor of the rhythm tracker and the
// two-sided rhythm look for its maxima. The wavelet, a generic QRS shape,
// fills long gaps between beats.

// mfReady reports whether the matched filter is used: one lead, a
// template learnt from history beats, and a mean envelope of at least
// mfGate clean QRS levels.
func (d *Detector) mfReady() bool {
	return d.tmplN >= history && len(d.leads) == 1 && d.lm >= d.p.mfGate*d.cleanLevel()
}

// mfHeld reports whether the ring holds the band-passed samples of the
// template centred on sample c.
func (d *Detector) mfHeld(c int64) bool {
	w := int64(d.mw)
	return c+w <= d.n-1 && c-w >= d.n-int64(d.ringLen)+1 && c-w >= 0
}

// mfAt returns the matched-filter output centred on band-passed sample c,
// or -Inf when the ring does not hold it.
func (d *Detector) mfAt(c int64) float64 {
	if !d.mfHeld(c) {
		return math.Inf(-1)
	}
	ring := d.leads[0].ring
	r := d.ringAt(c - int64(d.mw))
	var s float64
	for _, t := range d.tmpl {
		s += t * ring[r]
		if r++; r == d.ringLen {
			r = 0
		}
	}
	return s
}

// mfNcc returns the normalised correlation of the template with the
// band-passed signal centred on c (-2 when the ring does not hold it).
func (d *Detector) mfNcc(c int64) float64 {
	if !d.mfHeld(c) {
		return -2
	}
	ring := d.leads[0].ring
	r := d.ringAt(c - int64(d.mw))
	var s, xx, tt float64
	for _, t := range d.tmpl {
		x := ring[r]
		s += t * x
		xx += x * x
		tt += t * t
		if r++; r == d.ringLen {
			r = 0
		}
	}
	if xx <= 0 || tt <= 0 {
		return 0
	}
	return s / math.Sqrt(xx*tt)
}

// mfMax returns the largest matched-filter output for fiducials in
// [lo, hi] and that fiducial (-Inf and -1 if none).
func (d *Detector) mfMax(lo, hi int64) (float64, int64) {
	best, bf := math.Inf(-1), int64(-1)
	for f := lo; f <= hi; f++ {
		if v := d.mfAt(f + d.gd); v > best {
			best, bf = v, f
		}
	}
	return best, bf
}

// learnTemplate adds the beat with fiducial f to the template (a running
// mean over about tmplAvg beats) once the template has history beats,
// only if the beat correlates with it by at least mfCorr, and records the
// matched-filter output at the beat as part of the matched-filter QRS
// level.
func (d *Detector) learnTemplate(f int64) {
	c := f + d.gd
	if !d.mfHeld(c) {
		return
	}
	if d.tmplN >= history && d.mfNcc(c) < d.p.mfCorr {
		return
	}
	a := 1.0 / tmplAvg
	if d.tmplN < tmplAvg {
		a = 1 / float64(d.tmplN+1)
	}
	ring := d.leads[0].ring
	r := d.ringAt(c - int64(d.mw))
	for k := range d.tmpl {
		d.tmpl[k] += a * (ring[r] - d.tmpl[k])
		if r++; r == d.ringLen {
			r = 0
		}
	}
	d.tmplN++
	d.mfq, d.mfqi = pushRing(d.mfq, d.mfqi, d.mfAt(c))
}

// wOn reports whether the wavelet is computed (one lead only).
func (d *Detector) wOn() bool { return len(d.leads) == 1 }

// stepWavelet adds band-passed sample y (index d.n) to the cumulative
// sum, from which wAt computes the wavelet where it is needed.
func (d *Detector) stepWavelet(y float64) {
	if d.n > 0 {
		j := d.wpos - 1
		if j < 0 {
			j += len(d.wSum)
		}
		y += d.wSum[j]
	}
	d.wSum[d.wpos] = y
	if d.wpos++; d.wpos == len(d.wSum) {
		d.wpos = 0
	}
}

// wAt returns the squared wavelet output for fiducial f: at the
// band-passed sample c under it, the mean over the centre box (half width
// wa) less the mean over the surround (half width wb), from the
// cumulative sums. It is -1 when c is not yet wb samples old or older
// than the rings hold, and 0 within wb of the first sample.
func (d *Detector) wAt(f int64) float64 {
	c := f + d.gd
	if c > d.n-1-int64(d.wb) || c < d.n-int64(d.ringLen)+1 || c < 0 {
		return -1
	}
	a, b := int64(d.wa), int64(d.wb)
	if c <= b {
		return 0
	}
	L := int64(len(d.wSum))
	inner := (d.wSum[(c+a)%L] - d.wSum[(c-a-1)%L]) / float64(2*a+1)
	outer := (d.wSum[(c+b)%L] - d.wSum[(c-b-1)%L]) / float64(2*b+1)
	w := inner - outer
	return w * w
}

// wMax returns the largest squared wavelet output for fiducials in
// [lo, hi] and its fiducial (-1 if none); with local, only local maxima
// count.
func (d *Detector) wMax(lo, hi int64, local bool) (float64, int64) {
	best, bf := -1.0, int64(-1)
	for f := lo; f <= hi; f++ {
		v := d.wAt(f)
		if v <= best {
			continue
		}
		if local {
			u, w := d.wAt(f-1), d.wAt(f+1)
			if u < 0 || w < 0 || v < u || v <= w {
				continue
			}
		}
		best, bf = v, f
	}
	return best, bf
}

// gapFill fills a long gap before beat p under noise: while p is at
// least wGap periods (the tracker's, else the mean RR interval) after the
// last beat, the largest local wavelet maximum at least insMin from both
// (around one period after the last beat when the gap is longer than
// that), if at least wGapT of the wavelet QRS level, is taken as a beat;
// up to maxGapFill beats.
func (d *Detector) gapFill(p peak, emit func(Beat)) {
	ref := d.meanRR()
	if len(d.per) >= 3 {
		ref = d.median(d.per)
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
		v, f := d.wMax(lo, hi, true)
		if f < 0 || v < d.p.wGapT*d.median(d.wq) || f <= d.lastFid || f >= p.fid {
			return
		}
		d.place(f, p, emit)
	}
}
