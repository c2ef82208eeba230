package beats

import (
	"math"
	"math/bits"
)

// envelope is the detector's front end. Each lead is band-passed,
// differentiated over dk samples, squared and integrated over win samples
// (the lead's envelope m); the leads are combined into one envelope (one
// lead's own, or the weighted sum of the leads' envelopes clipped at their
// QRS levels), and a narrow envelope (the combined slope squared over nw
// samples) is kept for the insertion on the rhythm. The values the
// decisions look back into are kept in rings indexed by sample number:
// the newest span samples are always held, and with one lead the front
// end may run up to block samples ahead of the decisions (the rings are
// that much longer), which lets it process a block in tight loops. With
// several leads the weights depend on the decisions, so the front end
// advances one sample at a time.
type envelope struct {
	fs   float64
	dk   int   // derivative lag, samples
	win  int   // integration window, samples
	nw   int   // narrow envelope window, samples (0: no narrow envelope)
	span int64 // samples the rings hold for the decisions
	mask int64 // ring length - 1 (a power of two above span, block and the wavelet's reach)

	n     int64 // samples processed
	epos  int   // n mod win
	leads []lead

	ring  []slot  // the newest samples' values, indexed by sample & mask
	leak  float64 // 1/fs: the mean's time constant is 1 s
	lm    float64 // the mean at the newest sample
	dkInv float64 // 1/dk when dk is a power of two (the division is then exact as a product), else 0
}

// slot holds what the rings keep of one sample.
type slot struct {
	y     float64 // lead 0's band-passed signal (one lead)
	band  float64 // weighted sum over leads of |band-passed|
	slope float64 // weighted sum over leads of |slope|
	comb  float64 // combined envelope
	mean  float64 // mean combined envelope over about the last second
	cum   float64 // cumulative sum of lead 0's band-passed signal (wavelet; one lead)
}

// lead is one signal's state in the envelope.
type lead struct {
	bp       cascade
	started  bool
	x0, last float64
	quietTo  int64     // this lead contributes nothing before this sample
	ring     []float64 // band-passed signal, indexed by sample & mask (several leads; one lead's is in the slots)
	eRing    []float64 // squared slope, indexed by n mod win
	eSum     float64
	m        float64 // current integrated squared slope
	q, nz    recent  // the lead's QRS and noise levels (several leads)
	gain     float64 // weight of m in the combined envelope
	clip     float64 // largest m counted in the combined envelope
	root     float64 // sqrt(gain), weight of amplitudes and slopes
}

// envelopeBlock is the most samples the one-lead front end runs ahead of
// the decisions.
const envelopeBlock = 512

// newEnvelope makes the front end for nleads leads: bp designs a lead's
// band-pass; span is the number of samples the decisions look back;
// reach, how much further back the wavelet's sums are read.
func newEnvelope(fs float64, nleads int, bp func() cascade, dk, win, nw int, span, reach int64) *envelope {
	e := &envelope{fs: fs, dk: dk, win: win, nw: nw, span: span, leak: 1 / fs}
	if dk&(dk-1) == 0 {
		e.dkInv = 1 / float64(dk)
	}
	// The narrow envelope is computed from the slopes of up to 2 nw
	// samples before the oldest held.
	reach += 2 * int64(nw)
	size := span + reach + 2
	if nleads == 1 {
		size += envelopeBlock
	}
	e.mask = int64(1)<<bits.Len64(uint64(size)) - 1
	L := e.mask + 1
	e.leads = make([]lead, nleads)
	for i := range e.leads {
		l := &e.leads[i]
		l.bp = bp()
		if nleads > 1 {
			l.ring = make([]float64, L)
		}
		l.eRing = make([]float64, win)
	}
	e.ring = make([]slot, L)
	e.reset()
	return e
}

// reset clears the front end for a new signal.
func (e *envelope) reset() {
	for i := range e.leads {
		l := &e.leads[i]
		l.bp.reset()
		l.started = false
		l.quietTo = 0
		clear(l.ring)
		clear(l.eRing)
		l.eSum, l.m = 0, 0
		l.q.clear()
		l.nz.clear()
		l.gain, l.root, l.clip = 1, 1, math.Inf(1)
	}
	e.n, e.epos = 0, 0
	clear(e.ring)
	e.lm = 0
}

// at returns the ring index of sample t.
func (e *envelope) at(t int64) int { return int(t & e.mask) }

// oldest returns the oldest sample the rings hold for decisions made
// when now samples have been decided.
func (e *envelope) oldest(now int64) int64 { return now - e.span + 1 }

// writeOne runs the one-lead front end over x (mV), at most
// envelopeBlock samples ahead of the decisions. It is the per-sample
// arithmetic of writeLeads for one lead (band-pass, the wavelet's
// cumulative sum, the slope, nothing of it for settle samples after an
// invalid sample, the integrated squared slope and its mean), with the
// state in local variables: the detector's hot loop. Its time is set by
// two chains of dependent operations from one sample to the next, the
// band-pass sections' states and the envelope's mean; in one loop the
// processor overlaps them (two passes, one for the band-pass and one for
// the rest, cost their sum). The coefficients and constants are read
// through pointers so that the chains' values keep the registers.
func (e *envelope) writeOne(x []float64, settle int64) {
	l := &e.leads[0]
	hp, lp := &l.bp[0], &l.bp[1]
	hs1, hs2, ls1, ls2 := hp.s1, hp.s2, lp.s1, lp.s2
	mask, dk := e.mask, int64(e.dk)
	ring := e.ring
	eRing, eSum, epos, win := l.eRing, l.eSum, e.epos, e.win
	lm := e.lm
	m, n, quietTo := l.m, e.n, l.quietTo
	var cprev float64 // the cumulative sum at sample n-1
	if n > 0 {
		cprev = ring[(n-1)&mask].cum
	}
	active := max(quietTo, dk) // the slope counts from this sample on
	for _, v := range x {
		// as lead.valid does (v-v is 0 unless v is NaN or infinite)
		if v-v != 0 {
			v = l.last
			quietTo = n + settle
			active = max(quietTo, dk)
		} else {
			if !l.started {
				l.started, l.x0 = true, v
			}
			l.last = v
		}
		// two biquads in transposed direct form II, as cascade.step
		u := v - l.x0
		y := hp.b0*u + hs1
		hs1 = hp.b1*u - hp.a1*y + hs2
		hs2 = hp.b2*u - hp.a2*y
		u = y
		y = lp.b0*u + ls1
		ls1 = lp.b1*u - lp.a1*y + ls2
		ls2 = lp.b2*u - lp.a2*y
		p := &ring[n&mask]
		p.y = y
		// The wavelet's cumulative sum (a one-lead envelope keeps it).
		// At sample 0, cprev is +0 and y + cprev is y: y is never -0
		// there, being a sum with the section's zero state.
		cprev += y
		p.cum = cprev
		var s, b, d float64
		if n >= active {
			if s = (y - ring[(n-dk)&mask].y) * e.fs; e.dkInv > 0 {
				s *= e.dkInv
			} else {
				s /= float64(dk)
			}
			b, d = l.root*math.Abs(y), l.root*math.Abs(s)
		}
		p.band, p.slope = b, d
		// integrate the squared slope over win samples, as integrate
		sq := s * s
		eSum += sq - eRing[epos]
		eRing[epos] = sq
		if epos == win-1 {
			// Recompute the running sum once per window against drift.
			var t float64
			for _, u := range eRing {
				t += u
			}
			eSum = t
		}
		if m = eSum / float64(win); m < 0 {
			m = 0
		}
		p.comb = m
		lm += (m - lm) * e.leak
		p.mean = lm
		n++
		if epos++; epos == win {
			epos = 0
		}
	}
	hp.s1, hp.s2, lp.s1, lp.s2 = hs1, hs2, ls1, ls2
	l.quietTo, l.m, l.eSum = quietTo, m, eSum
	e.n, e.epos, e.lm = n, epos, lm
}

// writeLeads runs the front end over sample k of each lead (x[i] holds
// lead i's samples, mV).
func (e *envelope) writeLeads(x [][]float64, k int, settle int64) {
	n := e.n
	p := &e.ring[n&e.mask]
	p.band, p.slope = 0, 0
	for i := range e.leads {
		l := &e.leads[i]
		v := l.valid(x[i][k], n, settle)
		y := l.bp.step(v - l.x0)
		l.ring[n&e.mask] = y
		var s float64
		if n >= l.quietTo && n >= int64(e.dk) {
			s = (y - l.ring[(n-int64(e.dk))&e.mask]) * e.fs / float64(e.dk)
			p.band += l.root * math.Abs(y)
			p.slope += l.root * math.Abs(s)
		}
		e.integrate(l, s)
	}
	c := e.combine()
	p.comb = c
	e.lm += (c - e.lm) * e.leak
	p.mean = e.lm
	e.advance()
}

// valid returns v, or the lead's last valid value when v is NaN or
// infinite (the lead then stays quiet for settle samples).
func (l *lead) valid(v float64, n, settle int64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		l.quietTo = n + settle
		return l.last
	}
	if !l.started {
		l.started = true
		l.x0 = v
	}
	l.last = v
	return v
}

// integrate adds slope s of the current sample to the lead's moving
// integral of the squared slope.
func (e *envelope) integrate(l *lead, s float64) {
	sq := s * s
	k := e.epos
	l.eSum += sq - l.eRing[k]
	l.eRing[k] = sq
	if k == e.win-1 {
		// Recompute the running sum once per window against drift.
		var t float64
		for _, u := range l.eRing {
			t += u
		}
		l.eSum = t
	}
	// (a comparison: math.Max's NaN and signed-zero cases cost here)
	if l.m = l.eSum / float64(e.win); l.m < 0 {
		l.m = 0
	}
}

// advance moves to the next sample.
func (e *envelope) advance() {
	e.n++
	if e.epos++; e.epos == e.win {
		e.epos = 0
	}
}

// narrowSpan appends to dst the narrow envelope at samples lo to hi:
// the mean of the squared slope over the nw samples up to each (0 before
// the first sample), a running sum advanced sample by sample and
// recomputed at the multiples of nw against drift. It is computed from
// the slope ring when asked, as stepping it at every sample would give it.
func (e *envelope) narrowSpan(dst []float64, lo, hi int64) []float64 {
	nw := int64(e.nw)
	for ; lo <= hi && (lo < 0 || nw == 0); lo++ {
		dst = append(dst, 0)
	}
	var sum float64
	for t, k := lo-lo%nw, int64(0); t <= hi; t, k = t+1, k+1 {
		if k == nw {
			k = 0
		}
		if k == 0 {
			sum = 0
			for j := t; j > t-nw; j-- {
				u := e.slopeAt(j)
				sum += u * u
			}
		} else {
			v, u := e.slopeAt(t), e.slopeAt(t-nw)
			sum += v * v
			sum -= u * u
		}
		if t >= lo {
			dst = append(dst, max(sum, 0)/float64(nw))
		}
	}
	return dst
}

// slopeAt returns the combined slope at sample t (0 before the first).
func (e *envelope) slopeAt(t int64) float64 {
	if t < 0 {
		return 0
	}
	return e.ring[t&e.mask].slope
}

// combine returns the combined envelope: one lead's own, or the weighted
// sum of the leads' envelopes each clipped at clipLevel times its QRS
// level, so that an artifact in one lead cannot swamp the others.
func (e *envelope) combine() float64 {
	if len(e.leads) == 1 {
		return e.leads[0].m
	}
	var c float64
	for i := range e.leads {
		l := &e.leads[i]
		c += l.gain * math.Min(l.m, l.clip)
	}
	return c
}
