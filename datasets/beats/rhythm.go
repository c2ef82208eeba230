package beats

import "math"

// rhythm is the rhythm tracker used under noise (params.insGate): it
// keeps the last beat on the rhythm (the anchor) and the median of the
// last on-rhythm intervals (the period). A beat within rhythmTol of one
// or two periods after the anchor is on the rhythm and becomes the anchor
// (under noise refined towards the QRS nearest the expected time, and
// moved only pll of the way from the expected time to it); a beat more
// than insTol early under noise leaves the anchor where it was; a beat
// more than 2.5 periods late restarts from it; history beats off the
// rhythm in a row forget the period.
type rhythm struct {
	tol       float64 // on the rhythm within this fraction of a period
	maxPeriod float64 // longest period learnt, samples
	refract   int64   // shortest interval learnt, samples
	insTol    int64   // samples
	refine    bool    // under noise, refine the anchor (params.refineK > 0)
	pll       float64 // fraction of the way the anchor moves from the expected time to the refined QRS

	anchor int64 // fiducial of the last beat on the rhythm, -1 if none
	// the anchor before it, -1 if none, and the distance of the anchor's
	// beat from anchorK periods after that one
	prevAnchor         int64
	anchorK, anchorErr float64
	offRhythm          int    // beats off the rhythm since the last on it
	per                recent // on-rhythm intervals, samples
}

// reset forgets the rhythm.
func (r *rhythm) reset() {
	r.anchor, r.prevAnchor = -1, -1
	r.offRhythm = 0
	r.per.clear()
}

// period returns the median on-rhythm interval in samples (0 if none).
func (r *rhythm) period() float64 { return r.per.median() }

// next returns the fiducial expected next, when the tracker follows a
// rhythm (an anchor and at least 3 intervals).
func (r *rhythm) next() (int64, bool) {
	if r.anchor < 0 || r.per.len() < 3 {
		return 0, false
	}
	return r.anchor + int64(math.Round(r.period())), true
}

// track updates the tracker with a beat at fiducial f. noisy tells
// whether the signal is noisy; then, with r.refine, refine(f, e) returns
// the QRS nearest the expected fiducial e (f itself if none is better).
func (r *rhythm) track(f int64, noisy bool, refine func(f, e int64) int64) {
	if r.anchor < 0 {
		r.anchor = f
		return
	}
	gap := float64(f - r.anchor)
	if r.per.len() == 0 {
		if gap >= float64(r.refract) && gap <= r.maxPeriod {
			r.per.push(gap)
		}
		r.anchor = f
		return
	}
	p := r.period()
	if r.prevAnchor >= 0 {
		// A beat closer to the slot the anchor took replaces it.
		g := float64(f - r.prevAnchor)
		k := math.Round(g / p)
		if k == r.anchorK && math.Abs(g-k*p) < r.anchorErr {
			r.anchor = f
			r.anchorErr = math.Abs(g - k*p)
			return
		}
	}
	k := math.Round(gap / p)
	switch {
	case k >= 1 && k <= 2 && math.Abs(gap-k*p) <= r.tol*p:
		a := f
		e := r.anchor + int64(math.Round(k*p))
		if f < e-r.insTol && noisy {
			// Early under noise: the anchor stays, and the slot open for
			// the insertion.
			return
		}
		if r.refine && noisy {
			a = refine(f, e)
			a = e + int64(math.Round(r.pll*float64(a-e)))
		}
		r.per.push(float64(a-r.anchor) / k)
		r.prevAnchor, r.anchorK, r.anchorErr = r.anchor, k, math.Abs(gap-k*p)
		r.anchor = a
		r.offRhythm = 0
	case gap > 2.5*p:
		// Lost: start again from this beat, with the same period.
		r.prevAnchor = -1
		r.anchor = f
	default:
		if r.offRhythm++; r.offRhythm >= history {
			// The rhythm changed: start again.
			r.per.clear()
			r.prevAnchor = -1
			r.anchor = f
			r.offRhythm = 0
		}
	}
}

// expected returns the fiducial the rhythm tracker expects next when
// the signal is noisy and the tracker follows a rhythm.
func (d *Detector) expected() (int64, bool) {
	if !d.noisy() {
		return 0, false
	}
	return d.rhythm.next()
}

// track updates the rhythm tracker with a beat at fiducial f; under noise
// its anchor is the QRS nearest the expected time (matched filter, else
// narrow envelope) within insTol.
func (d *Detector) track(f int64) {
	d.rhythm.track(f, d.noisy(), d.refineAnchor)
}

// refineAnchor returns the QRS nearest the expected fiducial e for the
// anchor of a beat at f: the largest matched-filter output within insTol
// of e if at least mfRefine of the beat's own (else the largest narrow
// envelope maximum if at least refineK of the beat's), else f.
func (d *Detector) refineAnchor(f, e int64) int64 {
	if d.mfReady() {
		own := d.mf.at(f+d.gd, d.n)
		if v, g := d.mf.max(e-d.insTol, e+d.insTol, d.n); g >= 0 && v > 0 && v >= d.p.mfRefine*own {
			return g
		}
		return f
	}
	own := d.narrowAt(f)
	if v, g := d.narrowMax(e-d.insTol, e+d.insTol); g >= 0 && own >= 0 && v >= d.p.refineK*own {
		return g
	}
	return f
}

// insert looks for the beats the rhythm expects before beat p is
// accepted (params.insGate): at up to maxSlots expected times, one period
// apart, more than insTol before p.
func (d *Detector) insert(p peak, emit func(Beat)) {
	e, ok := d.expected()
	if !ok || d.nq.len() == 0 {
		return
	}
	r := int64(math.Round(d.rhythm.period()))
	for k := 0; k < int(d.p.maxSlots) && p.fid > e+d.insTol; k++ {
		if d.insertAt(e, p, emit) {
			e = d.rhythm.anchor + int64(math.Round(d.rhythm.period()))
		} else {
			e += r
		}
	}
}

// insertAt takes the largest matched-filter output (mfReady; else the
// largest narrow-envelope maximum) within insTol of the expected fiducial
// e as a beat before beat p, if it is at least mfK of the matched-filter
// QRS level (insK of the narrow one) and insMin from the beats on either
// side.
func (d *Detector) insertAt(e int64, p peak, emit func(Beat)) bool {
	lo, hi := max(e-d.insTol, d.lastFid+d.insMin), min(e+d.insTol, p.fid-d.insMin)
	var v, lvl float64
	var f int64
	if d.mfReady() {
		v, f = d.mf.max(lo, hi, d.n)
		lvl = d.p.mfK * d.mf.level.median()
	} else {
		v, f = d.narrowMax(lo, hi)
		lvl = d.p.insK * d.nq.median()
	}
	if f < 0 || v < lvl || f <= d.lastFid || f >= p.fid {
		return false
	}
	d.place(f, p, emit)
	return true
}

// place emits a beat at fiducial f, placed on the rhythm before beat p is
// accepted (insertion, gap fill): Noisy, on the tracker, and with p's
// envelope lag for the RR history.
func (d *Detector) place(f int64, p peak, emit func(Beat)) {
	at := f + (p.at - p.fid)
	if d.lastBeat >= 0 {
		d.lv.pushRR(float64(at - d.lastBeat))
	}
	d.lastBeat = at
	d.lastFid = f
	d.track(f)
	emit(Beat{Sample: f, Noisy: true})
}

// narrowAt returns the largest narrow envelope value of a QRS with
// fiducial f (within nw+dk after its band-passed peak), or -1 when
// the rings no longer hold it.
func (d *Detector) narrowAt(f int64) float64 {
	e := d.env
	lo := f + d.gd
	hi := min(lo+int64(e.nw+e.dk), d.n-1)
	if lo < e.oldest(d.n) || lo > hi {
		return -1
	}
	d.scratch = e.narrowSpan(d.scratch[:0], lo, hi)
	var m float64
	for _, v := range d.scratch {
		m = max(m, v) // as math.Max, inlined
	}
	return m
}

// narrowMax returns the largest local maximum of the narrow envelope
// whose fiducial lies in [lo, hi], and that fiducial (-1 if none).
func (d *Detector) narrowMax(lo, hi int64) (float64, int64) {
	e := d.env
	off := d.gd + int64(e.nw/2)
	lo = max(lo+off, e.oldest(d.n)+int64(e.nw+e.dk))
	hi = min(hi+off, d.n-2)
	if lo > hi {
		return -1, -1
	}
	// nar[i] is the narrow envelope at sample lo-1+i.
	nar := e.narrowSpan(d.scratch[:0], lo-1, hi+1)
	d.scratch = nar
	best, bt := -1.0, int64(-1)
	for t := lo; t <= hi; t++ {
		i := t - lo + 1
		if v := nar[i]; v > best && v >= nar[i-1] && v > nar[i+1] {
			best, bt = v, t
		}
	}
	if bt < 0 {
		return -1, -1
	}
	fa, fi := -1.0, bt
	for t := bt - int64(e.nw+e.dk) + 1; t <= bt; t++ {
		if a := e.ring[e.at(t)].band; a > fa {
			fa, fi = a, t
		}
	}
	return best, max(fi-d.gd, 0)
}
