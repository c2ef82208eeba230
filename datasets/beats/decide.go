package beats

import "math"

// peak is a local maximum of the combined envelope.
type peak struct {
	at    int64   // envelope index of the maximum
	fid   int64   // fiducial sample (input index)
	value float64 // combined envelope
	slope float64 // largest combined absolute slope in the window
	amp   float64 // largest combined absolute band-passed value in the window
	lv    [MaxLeads]float64
}

// decide decides the next k samples of a one-lead detector (the front
// end has run over them), sink receiving the decisions' beats and emit
// the beats released by the hold. It follows the envelope's rise into the
// candidate peak itself and calls step only where a decision falls due
// (the candidate is final, or due says so): on most samples nothing is
// decided.
func (d *Detector) decide(k int, sink, emit func(Beat)) {
	ring, mask := d.env.ring, d.env.mask
	due := d.due()
	// The envelope's peak tracking in locals, stored back before step.
	n, prevC, has, cv, ca := d.n, d.prevC, d.hasCand, d.cand.value, d.cand.at
	for end := n + int64(k); n < end; n++ {
		c := ring[n&mask].comb
		if c > prevC && (!has || c > cv) {
			has, cv, ca = true, c, n // as step does
		} else if has && (c < cv/2 || n-ca >= d.confirm) {
			due = n
		}
		if n < due {
			prevC = c
			continue
		}
		d.n, d.prevC, d.hasCand, d.cand.value, d.cand.at, d.cand.lv[0] = n, prevC, has, cv, ca, cv
		d.step(sink)
		d.hold.releaseDue(n, emit)
		prevC, has, cv, ca = d.prevC, d.hasCand, d.cand.value, d.cand.at
		due = d.due()
	}
	d.n, d.prevC, d.hasCand, d.cand.value, d.cand.at, d.cand.lv[0] = n, prevC, has, cv, ca, cv
	if n > 0 {
		d.lm = ring[(n-1)&mask].mean
	}
}

// due returns the first sample at which step has more to decide than the
// envelope's peaks: the end of learning, the acceptance of the tentative
// beat, a search-back, or the release of a held beat (MaxInt64 if none).
// It holds until step changes the state.
func (d *Detector) due() int64 {
	t := int64(math.MaxInt64)
	if h := d.hold.held; len(h) > 0 {
		t = h[0].f + d.hold.hold
	}
	switch {
	case d.learning:
		t = min(t, d.learnEnd-1)
	case d.hasTent:
		t = min(t, d.tent.at+d.compete)
	case d.lastBeat >= 0 && len(d.pending) > 0:
		t = min(t, d.lastBeat+min(int64(d.p.searchBackK*d.lv.meanRR(d.fs)), d.maxSearch))
	}
	return t
}

// step decides sample d.n (the front end has run over it): it tracks the
// envelope's local maxima, classifies each once it is final, and accepts
// a tentative beat once no rival can come within competeTime.
func (d *Detector) step(emit func(Beat)) {
	n := d.n
	d.n++
	r := d.env.at(n)
	c := d.env.ring[r].comb
	d.lm = d.env.ring[r].mean
	// Envelope peaks: a local maximum is final once the envelope has
	// fallen to half of it or after confirmLag.
	if c > d.prevC && (!d.hasCand || c > d.cand.value) {
		d.cand.at, d.cand.value = n, c
		if len(d.env.leads) == 1 {
			d.cand.lv[0] = c
		} else {
			for i := range d.env.leads {
				d.cand.lv[i] = d.env.leads[i].m
			}
		}
		d.hasCand = true
	}
	d.prevC = c
	if d.hasCand && (c < d.cand.value/2 || n-d.cand.at >= d.confirm) {
		d.hasCand = false
		d.fillPeak(&d.cand, n)
		d.classify(d.cand, emit)
	}
	if d.learning && n+1 >= d.learnEnd {
		d.endLearning(emit)
	}
	if d.hasTent && n-d.tent.at >= d.compete && !d.competitorRising() {
		d.hasTent = false
		d.accept(d.tent, emit)
	}
	if !d.learning && !d.hasTent && d.lastBeat >= 0 && len(d.pending) > 0 {
		d.searchBack(n, emit)
	}
}

// fillPeak records the slope and fiducial of peak p, the rings holding
// samples up to now (p.at <= now <= p.at+confirm).
func (d *Detector) fillPeak(p *peak, now int64) {
	e := d.env
	n := p.at
	bi, best, sl := windowPeak(e.ring, e.mask, max(n-int64(e.win+e.dk)+1, 0), n)
	p.slope = sl
	p.amp = best
	p.fid = max(bi-d.gd, 0)
}

// windowPeak returns, over the slots of samples lo to hi (lo <= hi) in
// ring (indexed by sample & mask): the first sample of the largest band
// value and that value (hi and -1 if no value exceeds -1), and the
// largest slope by max, from +0. It is the loop
//
//	best, bi, sl := -1.0, hi, 0.0
//	for t := lo; t <= hi; t++ {
//		if band(t) > best { best, bi = band(t), t }
//		sl = max(sl, slope(t))
//	}
//
// run four samples at a time, the band values in two lanes (even and odd
// offsets from lo) and the slopes in four, whose results are then taken
// together (the larger band value, the earlier sample on a tie; max of the
// slopes, whose order max does not change, signed zeros included, but for
// which NaN's bits it returns): the same results, with a quarter of the
// chain of dependent max operations per sample.
func windowPeak(ring []slot, mask, lo, hi int64) (bi int64, best, sl float64) {
	b0, b1 := -1.0, -1.0
	i0, i1 := hi, hi
	s0, s1, s2, s3 := 0.0, 0.0, 0.0, 0.0
	t := lo
	for ; t+3 <= hi; t += 4 {
		q0, q1, q2, q3 := &ring[t&mask], &ring[(t+1)&mask], &ring[(t+2)&mask], &ring[(t+3)&mask]
		if q0.band > b0 {
			b0, i0 = q0.band, t
		}
		if q1.band > b1 {
			b1, i1 = q1.band, t+1
		}
		if q2.band > b0 {
			b0, i0 = q2.band, t+2
		}
		if q3.band > b1 {
			b1, i1 = q3.band, t+3
		}
		s0 = max(s0, q0.slope)
		s1 = max(s1, q1.slope)
		s2 = max(s2, q2.slope)
		s3 = max(s3, q3.slope)
	}
	for ; t <= hi; t++ {
		q := &ring[t&mask]
		if q.band > b0 {
			b0, i0 = q.band, t
		}
		s0 = max(s0, q.slope)
	}
	if b1 > b0 || b1 == b0 && i1 < i0 {
		b0, i0 = b1, i1
	}
	return i0, b0, max(max(s0, s1), max(s2, s3))
}

// classify decides a final envelope peak: stored while learning, else a
// rival of the tentative beat, a new tentative beat, or noise.
func (d *Detector) classify(p peak, emit func(Beat)) {
	if p.value <= 0 {
		return
	}
	if d.learning {
		if len(d.learnPks) == cap(d.learnPks) {
			copy(d.learnPks, d.learnPks[1:])
			d.learnPks = d.learnPks[:len(d.learnPks)-1]
		}
		d.learnPks = append(d.learnPks, p)
		return
	}
	if d.hasTent {
		if p.at-d.tent.at < d.compete {
			// Two candidates closer than a refractory period: the larger
			// is the QRS (the other a P wave, or a second hump).
			if d.wins(p, d.tent) {
				d.noise(d.tent)
				d.tent = p
			} else {
				d.noise(p)
			}
			return
		}
		d.hasTent = false
		d.accept(d.tent, emit)
	}
	if d.isBeat(p) {
		d.tent = p
		d.hasTent = true
		return
	}
	d.noise(p)
}

// competitorRising reports whether the tentative beat must wait for the
// envelope maximum still rising within competeTime of it: that maximum
// is classified (and competes with the tentative beat) only once it is
// confirmed, up to confirmLag later, and accepting the tentative beat
// first would let a tall P wave and its QRS both count as beats. Under
// noise the rhythm decides competitions (compK) and the tentative beat
// does not wait: more competition there costs true beats.
func (d *Detector) competitorRising() bool {
	return d.hasCand && d.cand.at-d.tent.at < d.compete && !d.noisy()
}

// wins reports whether candidate p takes the place of the tentative beat
// t closer than competeTime: the larger wins, unless the smaller is
// nearly as large and clearly sharper (slope for its amplitude).
func (d *Detector) wins(p, t peak) bool {
	if d.p.compK > 0 {
		if e, ok := d.expected(); ok {
			np, nt := abs64(p.fid-e) <= d.insTol, abs64(t.fid-e) <= d.insTol
			if np && !nt && p.value >= d.p.compK*t.value {
				return true
			}
			if nt && !np && t.value >= d.p.compK*p.value {
				return false
			}
		}
	}
	big, small := p, t
	if p.value <= t.value {
		big, small = t, p
	}
	if d.p.sharpK > 0 && small.value >= d.p.sharpV*big.value &&
		small.slope*big.amp >= d.p.sharpK*big.slope*small.amp {
		big = small
	}
	return big.at == p.at
}

// isBeat reports whether peak p is a QRS candidate: above the threshold,
// and past the refractory period and the T-wave test (unless, under
// noise, it falls where the rhythm expects a beat).
func (d *Detector) isBeat(p peak) bool {
	if p.value <= d.lv.threshold() {
		return false
	}
	if d.lastBeat >= 0 {
		gap := p.at - d.lastBeat
		if d.p.compK > 0 {
			if e, ok := d.expected(); ok && abs64(p.fid-e) <= d.insTol && p.fid-d.lastFid >= d.insMin {
				return true
			}
		}
		if gap < d.refract {
			return false
		}
		if gap < d.twave && p.slope < twaveSlope*d.lastSlope {
			return false
		}
	}
	return true
}

// noise takes p as a noise peak, kept for search-back.
func (d *Detector) noise(p peak) {
	d.lv.addNoise(p.value)
	if len(d.env.leads) > 1 {
		for i := range d.env.leads {
			d.env.leads[i].nz.push(p.lv[i])
		}
		d.updateGains()
	}
	d.pending = pushPeak(d.pending, p)
	d.since = pushPeak(d.since, p)
}

// pushPeak appends p to pks (of capacity maxPending), dropping the oldest
// peak when full.
func pushPeak(pks []peak, p peak) []peak {
	if len(pks) == maxPending {
		copy(pks, pks[1:])
		pks = pks[:maxPending-1]
	}
	return append(pks, p)
}

// accept takes p as a beat: the beats the rhythm expects before it are
// inserted first (and a long gap filled), the levels, the template and
// the rhythm tracker learn from it, and it is emitted.
func (d *Detector) accept(p peak, emit func(Beat)) {
	// The signal's noise state while p is accepted: nothing below changes
	// it before the QRS levels learn from p.
	noisyNow := d.noisy()
	noisy := d.noisyBeat(p)
	if d.p.insGate > 0 {
		d.learnRhythm(p, noisyNow, emit)
	}
	d.lv.addBeat(p.value, !noisyNow)
	if d.lastBeat >= 0 {
		d.lv.pushRR(float64(p.at - d.lastBeat))
	}
	d.lastBeat = p.at
	d.lastSlope = p.slope
	d.learnt++
	d.pending, d.since = d.pending[:0], d.since[:0]
	if len(d.env.leads) > 1 {
		for i := range d.env.leads {
			d.env.leads[i].q.push(p.lv[i])
		}
		d.updateGains()
	}
	if p.fid > d.lastFid {
		d.lastFid = p.fid
		// Trustworthy for the two-sided rhythm: accepted while the signal
		// was not noisy, or standing out of it.
		d.two.trustNext = !noisyNow || !noisy
		emit(Beat{Sample: p.fid, Noisy: noisy})
	}
}

// learnRhythm runs the rhythm's part of accepting beat p: the insertion
// and the gap fill before it, then the narrow, wavelet and matched-filter
// levels, the template and the tracker learn from it.
func (d *Detector) learnRhythm(p peak, noisyNow bool, emit func(Beat)) {
	one := len(d.env.leads) == 1
	d.insert(p, emit)
	if one && d.lastFid >= 0 && d.wv.level.len() > 0 && d.wNoisy() {
		d.gapFill(p, emit)
	}
	if v := d.narrowAt(p.fid); v >= 0 {
		d.nq.push(v)
	}
	if one {
		x := d.samples(wPeakWin)
		if v, f := d.wv.max(p.fid-x, p.fid+x, d.n, false); f >= 0 {
			d.wv.level.push(v)
		}
		if !noisyNow {
			d.mf.learn(p.fid, d.n)
		}
	}
	d.track(p.fid)
}

// updateGains sets each lead's weight in the combined envelope: the
// inverse of its QRS level times its quality (Q-N)/(Q+N), normalised so
// that the weights of the qualities sum to one.
func (d *Detector) updateGains() {
	var wsum float64
	var w [MaxLeads]float64
	var q [MaxLeads]float64
	leads := d.env.leads
	for i := range leads {
		l := &leads[i]
		q[i] = l.q.median()
		nz := l.nz.median()
		if q[i] > 0 {
			r := math.Min(q[i]/math.Max(nz, q[i]/maxSNR), maxSNR)
			w[i] = r * r
		}
		wsum += w[i]
	}
	for i := range leads {
		l := &leads[i]
		l.clip = clipLevel * q[i]
		if q[i] <= 0 {
			l.clip = math.Inf(1)
		}
		switch {
		case q[i] <= 0:
			l.gain = 0
		case wsum <= 0:
			l.gain = 1 / (q[i] * float64(len(leads)))
		default:
			l.gain = w[i] / (q[i] * wsum)
		}
		l.root = math.Sqrt(l.gain)
	}
}

// searchBack takes the best pending peak when no beat was found for too
// long.
func (d *Detector) searchBack(n int64, emit func(Beat)) {
	if d.lastBeat < 0 || len(d.pending) == 0 {
		return
	}
	lim := min(int64(d.p.searchBackK*d.lv.meanRR(d.fs)), d.maxSearch)
	if n-d.lastBeat < lim {
		return
	}
	th := d.p.searchBackTh * d.lv.threshold()
	best := -1
	for i, p := range d.pending {
		gap := p.at - d.lastBeat
		if gap < d.refract || (gap < d.twave && p.slope < twaveSlope*d.lastSlope) {
			continue
		}
		if p.value > th && (best < 0 || p.value > d.pending[best].value) {
			best = i
		}
	}
	if best < 0 {
		// Nothing to take: forget the peaks so that the next search starts
		// afresh, after learning the levels again if the detector is lost.
		if d.lost(n) {
			d.relearn(n, emit)
			return
		}
		d.pending = d.pending[:0]
		return
	}
	p := d.pending[best]
	k := copy(d.pending, d.pending[best+1:])
	rest := d.pending[:k]
	// accept empties pending and since; keep the later peaks as candidates
	// (and for a relearn).
	var keep [maxPending]peak
	nk := copy(keep[:], rest)
	d.accept(p, emit)
	d.pending = append(d.pending, keep[:nk]...)
	d.since = append(d.since, keep[:nk]...)
}

// endLearning sets the levels from the peaks of the first seconds and
// decides those peaks.
func (d *Detector) endLearning(emit func(Beat)) {
	d.learning = false
	d.learnLevels(d.learnPks)
	for _, p := range d.learnPks {
		d.classify(p, emit)
	}
	d.learnPks = d.learnPks[:0]
}

// lost reports whether the detector has lost the QRS at sample n, a
// search-back having found nothing to take: no beat for lostLong, or for
// maxSearch while fewer than lostBeats beats were accepted since the
// levels were learnt. A transient many times the QRS in the learning
// period (electrodes settling at the start of a wearable recording) or
// an amplitude that drops several times (a loosening electrode) leaves
// the QRS level where no beat reaches even the search-back's threshold,
// for good, which the levels learnt again from the last seconds' peaks
// undo. The pauses of MIT-BIH's records are at most 5.9 s long.
func (d *Detector) lost(n int64) bool {
	gap := n - d.lastBeat
	return gap >= d.lostLong || gap >= d.maxSearch && d.learnt < lostBeats
}

// relearn learns the levels again, as at the end of the learning period,
// from the noise peaks of the learning period's length before sample n,
// forgets what was learnt from the beats before (the clean QRS level, the
// narrow envelope, the wavelet level, the matched filter's template, the
// rhythm), and decides those peaks again (all less than maxSearch old, so
// within the detector's Delay). With no such peak nothing changes but
// that the pending peaks are forgotten.
func (d *Detector) relearn(n int64, emit func(Beat)) {
	var buf [maxPending]peak
	pks := buf[:0]
	for _, p := range d.since {
		if p.at >= n-d.learnEnd {
			pks = append(pks, p)
		}
	}
	d.pending, d.since = d.pending[:0], d.since[:0]
	if len(pks) == 0 {
		return
	}
	d.learnLevels(pks)
	d.lv.clean.clear()
	d.lv.update()
	d.nq.clear()
	d.wv.level.clear()
	d.mf.reset()
	d.rhythm.reset()
	d.learnt = 0
	for _, p := range pks {
		d.classify(p, emit)
	}
}

// learnLevels sets the QRS level to the largest of the peaks pks (and
// each lead's, and their weights, from the largest of each lead's) and
// the noise level to zero.
func (d *Detector) learnLevels(pks []peak) {
	if leads := d.env.leads; len(leads) > 1 {
		// Each lead's QRS level is its largest peak; the combined values
		// of the stored peaks are recomputed with the new weights.
		for i := range leads {
			var mx float64
			for _, p := range pks {
				mx = math.Max(mx, p.lv[i])
			}
			if mx > 0 {
				leads[i].q.set(mx)
			}
		}
		d.updateGains()
		for k := range pks {
			p := &pks[k]
			var c float64
			for i := range leads {
				c += leads[i].gain * math.Min(p.lv[i], leads[i].clip)
			}
			p.value = c
			p.slope = 0 // the slopes were weighted differently
		}
	}
	var mx float64
	for _, p := range pks {
		mx = math.Max(mx, p.value)
	}
	if mx > 0 {
		d.lv.start(mx)
	}
}

// noisyBeat reports whether the envelope stays at or above noisyFloor of
// peak p's value over the half second before it or over the quarter second
// after it (as much of the half second before as the ring holds; the
// quarter second after only once it has been written). Between the complexes of
// a clean ECG the envelope falls near zero whatever their shape (a half
// second holds such a gap up to about 180 bpm, a quarter second follows the
// end of a complex); noise fills the gaps, and a peak at the onset of noise
// has noise after it.
func (d *Detector) noisyBeat(p peak) bool {
	floor := noisyFloor * p.value
	e := d.env
	oldest := max(e.oldest(d.n), 0)
	// above reports whether the envelope is at least floor over [lo, hi];
	// it stops at the first lower value.
	above := func(lo, hi int64) bool {
		lo, hi = max(lo, oldest), min(hi, d.n-1)
		if lo > hi {
			return false
		}
		for t := lo; t <= hi; t++ {
			if e.ring[e.at(t)].comb < floor {
				return false
			}
		}
		return true
	}
	if above(p.at-d.samples(floorTime), p.at) {
		return true
	}
	// The quarter second after the peak counts only once it has been
	// written: a beat decided sooner (search-back of a recent peak, the
	// end of the signal) would be judged by its own envelope's descent.
	end := p.at + d.samples(floorAfter)
	return end <= d.n-1 && above(p.at+1, end)
}

// noisy reports whether the mean envelope is at least insGate of the
// QRS level, or qOr of the clean QRS level.
func (d *Detector) noisy() bool {
	if d.learning || d.lv.qrs.len() == 0 {
		return false
	}
	if d.lv.clean.len() > 0 && d.lm >= d.p.qOr*d.lv.qcMed {
		return true
	}
	return d.lm >= d.p.insGate*d.lv.qMed
}
