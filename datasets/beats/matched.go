package beats

import "math"

// The matched filter is the one-lead detector's tool under noise: it
// correlates the band-passed signal with a template of the patient's own
// QRS (learnt from clean beats); the insertion on the rhythm, the anchor
// of the rhythm tracker and the two-sided rhythm look for its maxima.

// matchedFilter is a template of the band-passed QRS (2 mw + 1 samples
// centred on it), a running mean over about tmplAvg beats, correlated
// with the band-passed signal held in the envelope's ring.
type matchedFilter struct {
	mw   int       // template half width, samples
	gd   int64     // band-pass group delay: a fiducial f is centred on band-passed sample f+gd
	corr float64   // a beat enters the template only if it correlates with it by at least this
	tmpl []float64 // band-passed samples centred on the QRS
	n    int       // beats learnt into the template
	// level is the output at the last beats learnt (the matched-filter
	// QRS level).
	level recent

	ring []slot // the envelope's ring, whose y is lead 0's band-passed signal
	mask int64
	span int64 // samples the ring holds
}

// newMatchedFilter returns a matched filter of half width mw over the
// band-passed signal in the envelope's ring (indexed by sample & mask, holding the
// newest span samples).
func newMatchedFilter(mw int, gd int64, corr float64, ring []slot, mask, span int64) matchedFilter {
	return matchedFilter{mw: mw, gd: gd, corr: corr, tmpl: make([]float64, 2*mw+1), ring: ring, mask: mask, span: span}
}

// reset forgets the template.
func (m *matchedFilter) reset() {
	clear(m.tmpl)
	m.n = 0
	m.level.clear()
}

// held reports whether the ring holds the band-passed samples of the
// template centred on sample c when now samples have been decided.
func (m *matchedFilter) held(c, now int64) bool {
	w := int64(m.mw)
	return c+w <= now-1 && c-w >= now-m.span+1 && c-w >= 0
}

// at returns the output centred on band-passed sample c, or -Inf when
// the ring does not hold it.
func (m *matchedFilter) at(c, now int64) float64 {
	if !m.held(c, now) {
		return math.Inf(-1)
	}
	t := c - int64(m.mw)
	var s float64
	for k, v := range m.tmpl {
		s += v * m.ring[(t+int64(k))&m.mask].y
	}
	return s
}

// ncc returns the normalised correlation of the template with the
// band-passed signal centred on c (-2 when the ring does not hold it).
func (m *matchedFilter) ncc(c, now int64) float64 {
	if !m.held(c, now) {
		return -2
	}
	t := c - int64(m.mw)
	var s, xx, tt float64
	for k, v := range m.tmpl {
		x := m.ring[(t+int64(k))&m.mask].y
		s += v * x
		xx += x * x
		tt += v * v
	}
	if xx <= 0 || tt <= 0 {
		return 0
	}
	return s / math.Sqrt(xx*tt)
}

// max returns the largest output for fiducials in [lo, hi] and that
// fiducial (-Inf and -1 if none).
func (m *matchedFilter) max(lo, hi, now int64) (float64, int64) {
	best, bf := math.Inf(-1), int64(-1)
	for f := lo; f <= hi; f++ {
		if v := m.at(f+m.gd, now); v > best {
			best, bf = v, f
		}
	}
	return best, bf
}

// slotMax returns the largest output for fiducials in [lo, hi] and its
// fiducial, if it is a local maximum; when it lies at an edge of the
// window on the flank of a larger output outside it, the largest local
// maximum strictly inside the window instead (-1 if none).
func (m *matchedFilter) slotMax(lo, hi, now int64) (float64, int64) {
	v, f := m.max(lo, hi, now)
	if f < 0 || (m.at(f-1+m.gd, now) <= v && m.at(f+1+m.gd, now) <= v) {
		return v, f
	}
	v, f = math.Inf(-1), -1
	for t := lo + 1; t < hi; t++ {
		u := m.at(t+m.gd, now)
		if u > v && u >= m.at(t-1+m.gd, now) && u >= m.at(t+1+m.gd, now) {
			v, f = u, t
		}
	}
	return v, f
}

// learn adds the beat with fiducial f to the template (a running mean
// over about tmplAvg beats) once the template has history beats, only if
// the beat correlates with it by at least corr, and records the output at
// the beat as part of the QRS level.
func (m *matchedFilter) learn(f, now int64) {
	c := f + m.gd
	if !m.held(c, now) {
		return
	}
	if m.n >= history && m.ncc(c, now) < m.corr {
		return
	}
	a := 1.0 / tmplAvg
	if m.n < tmplAvg {
		a = 1 / float64(m.n+1)
	}
	t := c - int64(m.mw)
	for k := range m.tmpl {
		m.tmpl[k] += a * (m.ring[(t+int64(k))&m.mask].y - m.tmpl[k])
	}
	m.n++
	m.level.push(m.at(c, now))
}

// mfReady reports whether the matched filter is used: one lead, a
// template learnt from history beats, and a mean envelope of at least
// mfGate clean QRS levels.
func (d *Detector) mfReady() bool {
	return d.mf.n >= history && len(d.env.leads) == 1 && d.lm >= d.p.mfGate*d.lv.cleanLevel()
}
