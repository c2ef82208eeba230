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
	fs      float64
	dk      int   // derivative lag, samples
	win     int   // integration window, samples
	nw      int   // narrow envelope window, samples (0: no narrow envelope)
	wavelet bool  // keep the cumulative sum of lead 0's band-passed signal
	span    int64 // samples the rings hold for the decisions
	mask    int64 // ring length - 1 (a power of two above span, block and the wavelet's reach)

	n     int64 // samples processed
	epos  int   // n mod win
	leads []lead

	band   []float64 // weighted sum over leads of |band-passed|
	slope  []float64 // weighted sum over leads of |slope|
	narrow []float64 // narrow envelope: mean of slope^2 over nw samples
	comb   []float64 // combined envelope
	mean   []float64 // mean combined envelope over about the last second
	leak   float64   // 1/fs: the mean's time constant is 1 s
	lm     float64   // the mean at the newest sample
	cum    []float64 // cumulative sum of lead 0's band-passed signal (wavelet)
	nSum   float64
	nCount int // samples until the narrow envelope sum is recomputed
}

// lead is one signal's state in the envelope.
type lead struct {
	bp       cascade
	started  bool
	x0, last float64
	quietTo  int64     // this lead contributes nothing before this sample
	ring     []float64 // band-passed signal, indexed by sample & mask
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
func newEnvelope(fs float64, nleads int, bp func() cascade, dk, win, nw int, wavelet bool, span, reach int64) *envelope {
	e := &envelope{fs: fs, dk: dk, win: win, nw: nw, wavelet: wavelet, span: span, leak: 1 / fs}
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
		l.ring = make([]float64, L)
		l.eRing = make([]float64, win)
	}
	e.band = make([]float64, L)
	e.slope = make([]float64, L)
	e.narrow = make([]float64, L)
	e.comb = make([]float64, L)
	e.mean = make([]float64, L)
	if wavelet {
		e.cum = make([]float64, L)
	}
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
	clear(e.band)
	clear(e.slope)
	clear(e.narrow)
	clear(e.comb)
	clear(e.mean)
	e.lm = 0
	clear(e.cum)
	e.nSum, e.nCount = 0, 1
}

// at returns the ring index of sample t.
func (e *envelope) at(t int64) int { return int(t & e.mask) }

// oldest returns the oldest sample the rings hold for decisions made
// when now samples have been decided.
func (e *envelope) oldest(now int64) int64 { return now - e.span + 1 }

// writeOne runs the one-lead front end over x (mV), at most
// envelopeBlock samples ahead of the decisions. It is the per-sample
// arithmetic of writeLeads for one lead, with the state in local
// variables (the detector's hot loop).
func (e *envelope) writeOne(x []float64, settle int64) {
	l := &e.leads[0]
	hp, lp := l.bp[0], l.bp[1] // the band-pass is a high-pass and a low-pass section
	mask, dk, fs, root := e.mask, int64(e.dk), e.fs, l.root
	ring, band, slope, comb := l.ring, e.band, e.slope, e.comb
	eRing, eSum, epos, win := l.eRing, l.eSum, e.epos, e.win
	nar, nSum, nCount, nw := e.narrow, e.nSum, e.nCount, int64(e.nw)
	cum, mean, lm, leak := e.cum, e.mean, e.lm, e.leak
	m, n := l.m, e.n
	for _, v := range x {
		v = l.valid(v, n, settle)
		// band-pass: two biquads in transposed direct form II
		u := v - l.x0
		y := hp.b0*u + hp.s1
		hp.s1 = hp.b1*u - hp.a1*y + hp.s2
		hp.s2 = hp.b2*u - hp.a2*y
		u = y
		y = lp.b0*u + lp.s1
		lp.s1 = lp.b1*u - lp.a1*y + lp.s2
		lp.s2 = lp.b2*u - lp.a2*y
		t := n & mask
		ring[t] = y
		if cum != nil {
			c := y
			if n > 0 {
				c += cum[(n-1)&mask]
			}
			cum[t] = c
		}
		var s, b, d float64
		if n >= l.quietTo && n >= dk {
			s = (y - ring[(n-dk)&mask]) * fs / float64(dk)
			b, d = root*math.Abs(y), root*math.Abs(s)
		}
		band[t], slope[t] = b, d
		// integrate the squared slope over win samples
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
		comb[t] = m
		lm += (m - lm) * leak
		mean[t] = lm
		if nw > 0 {
			// the narrow envelope (see stepNarrow)
			w := slope[(n-nw)&mask]
			nSum += d * d
			nSum -= w * w
			if nCount--; nCount <= 0 {
				nCount = int(nw)
				var t float64
				for j := n; j > n-nw; j-- {
					u := slope[j&mask]
					t += u * u
				}
				nSum = t
			}
			mm := nSum
			if mm < 0 {
				mm = 0
			}
			nar[t] = mm / float64(nw)
		}
		n++
		if epos++; epos == win {
			epos = 0
		}
	}
	l.bp[0], l.bp[1] = hp, lp
	l.m, l.eSum = m, eSum
	e.n, e.epos, e.nSum, e.nCount, e.lm = n, epos, nSum, nCount, lm
}

// writeLeads runs the front end over sample k of each lead (x[i] holds
// lead i's samples, mV).
func (e *envelope) writeLeads(x [][]float64, k int, settle int64) {
	n := e.n
	t := n & e.mask
	e.band[t], e.slope[t] = 0, 0
	for i := range e.leads {
		l := &e.leads[i]
		v := l.valid(x[i][k], n, settle)
		y := l.bp.step(v - l.x0)
		l.ring[t] = y
		if i == 0 && e.wavelet {
			e.addCum(n, y)
		}
		var s float64
		if n >= l.quietTo && n >= int64(e.dk) {
			s = (y - l.ring[(n-int64(e.dk))&e.mask]) * e.fs / float64(e.dk)
			e.band[t] += l.root * math.Abs(y)
			e.slope[t] += l.root * math.Abs(s)
		}
		e.integrate(l, s)
	}
	e.stepNarrow(n)
	c := e.combine()
	e.comb[t] = c
	e.lm += (c - e.lm) * e.leak
	e.mean[t] = e.lm
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

// addCum adds band-passed sample y of lead 0 at sample n to the
// cumulative sum.
func (e *envelope) addCum(n int64, y float64) {
	if n > 0 {
		y += e.cum[(n-1)&e.mask]
	}
	e.cum[n&e.mask] = y
}

// stepNarrow updates the narrow envelope at sample n.
func (e *envelope) stepNarrow(n int64) {
	if e.nw == 0 {
		return
	}
	// The slope ring holds zeros before the first samples.
	v, u := e.slope[n&e.mask], e.slope[(n-int64(e.nw))&e.mask]
	e.nSum += v * v
	e.nSum -= u * u
	if e.nCount--; e.nCount <= 0 {
		// Recompute against drift every nw samples (at sample indices
		// that do not depend on the chunking).
		e.nCount = e.nw
		var t float64
		for j := n; j > n-int64(e.nw); j-- {
			u := e.slope[j&e.mask]
			t += u * u
		}
		e.nSum = t
	}
	m := e.nSum
	if m < 0 {
		m = 0
	}
	e.narrow[n&e.mask] = m / float64(e.nw)
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
