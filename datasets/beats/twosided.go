package beats

import "math"

// The two-sided rhythm (one lead, params.hHold). Under noise the rhythm
// tracker only knows the beats before the one being decided; holding the
// beats back lets the next trustworthy beat correct them. A beat is
// trustworthy when it stands out of the signal (not Noisy) or was
// accepted while the signal was not noisy. When a trustworthy beat B
// follows the last trustworthy one A with untrustworthy beats between
// them, or after more than 1.5 periods, the held beats between A and B
// are re-decided: B-A is divided into k = round((B-A)/P) intervals (P:
// the median interval between consecutive trustworthy beats), and each
// division with no beat within hTol gets one at the largest local
// matched-filter maximum within hTol of it, if at least hK of the
// matched-filter QRS level and insMin from the stretch's beats.

// twoSided is the state of the two-sided rhythm: the last trustworthy
// beat and the intervals between consecutive trustworthy beats.
type twoSided struct {
	lastTrust int64  // last trustworthy beat (held or released), -1 if none
	per       recent // intervals between consecutive trustworthy beats, samples
	trustNext bool   // the next beat queued is trustworthy
}

// reset forgets the trustworthy beats.
func (s *twoSided) reset() {
	s.lastTrust = -1
	s.per.clear()
	s.trustNext = false
}

// queue holds beat b back; a trustworthy beat (trustNext) first
// re-decides the held beats since the last trustworthy one.
func (d *Detector) queue(b Beat) {
	s := &d.two
	f, tr := b.Sample, s.trustNext
	s.trustNext = false
	if tr {
		g := float64(f - s.lastTrust)
		if s.lastTrust >= 0 && d.hold.last() == s.lastTrust && g >= float64(d.refract) && g <= maxPeriod*d.fs {
			// Two consecutive trustworthy beats: an interval of the
			// rhythm.
			s.per.push(g)
		} else if s.lastTrust >= 0 {
			d.redecide(f)
		}
		s.lastTrust = f
	}
	d.hold.push(heldBeat{f: f, noisy: b.Noisy, noise: d.noiseRatio()}, d.emitOut)
}

// redecide re-decides the held beats between the last trustworthy beat A
// and the trustworthy beat B on the rhythm interpolated between them. It
// acts only when A is still held or was the last beat emitted and the
// mean envelope reached hGate clean QRS levels now or when a beat of the
// stretch was queued. The beats it adds are Noisy, and
// no earlier than hHold before the last sample, so that the delay stays
// within the hold.
func (d *Detector) redecide(B int64) {
	A, q := d.two.lastTrust, &d.hold
	if A < 0 || A < q.lastEmit || d.mf.n == 0 || d.mf.level.len() == 0 || d.two.per.len() < 3 {
		return
	}
	L := B - A
	P := d.two.per.median()
	i0 := len(q.held)
	for i0 > 0 && q.held[i0-1].f > A {
		i0--
	}
	stretch := q.held[i0:]
	if len(stretch) == 0 && float64(L) <= 1.5*P {
		return
	}
	nz := d.noiseRatio()
	for _, h := range stretch {
		nz = math.Max(nz, h.noise)
	}
	if nz < d.p.hGate {
		return
	}
	k := math.Max(math.Round(float64(L)/P), 1)
	iv := float64(L) / k
	tol := d.samples(d.p.hTol)
	lvl := d.p.hK * d.mf.level.median()
	add := q.scratch[:0] // the new beats, in order
	for j := 1; j < int(k); j++ {
		e := A + int64(math.Round(float64(j)*iv))
		if hasBeatNear(stretch, e, tol) {
			continue
		}
		lo, hi := max(e-tol, A+d.insMin, d.n-q.hold), min(e+tol, B-d.insMin)
		if len(add) > 0 {
			lo = max(lo, add[len(add)-1].f+d.insMin)
		}
		if lo > hi {
			continue
		}
		if v, f := d.mf.slotMax(lo, hi, d.n); f >= 0 && v >= lvl {
			add = append(add, heldBeat{f: f, noisy: true})
		}
	}
	q.held, q.scratch = mergeHeld(q.held[:i0], add, stretch, d.insMin)
}

// mergeHeld appends to out the beats of stretch and those of add (both in
// order) that are at least insMin from the stretch's beats, in order, and
// returns out and add emptied for reuse. add must have room for the
// stretch after its beats (it is used to keep a copy of the stretch,
// which out may overwrite).
func mergeHeld(out, add, stretch []heldBeat, insMin int64) (merged, scratch []heldBeat) {
	n0 := len(add)
	add = append(add, stretch...)
	old := add[n0:]
	a, b := 0, 0
	for a < n0 || b < len(old) {
		if b < len(old) && (a >= n0 || old[b].f < add[a].f) {
			out = append(out, old[b])
			b++
			continue
		}
		nb := add[a]
		a++
		if !hasBeatNear(old, nb.f, insMin-1) {
			out = append(out, nb)
		}
	}
	return out, add[:0]
}

// hasBeatNear reports whether one of beats hb is within tol of sample e.
func hasBeatNear(hb []heldBeat, e, tol int64) bool {
	for _, h := range hb {
		if abs64(h.f-e) <= tol {
			return true
		}
	}
	return false
}

// noiseRatio is the mean envelope over the clean QRS level (0 while
// learning).
func (d *Detector) noiseRatio() float64 {
	q := d.lv.cleanLevel()
	if d.learning || q <= 0 {
		return 0
	}
	return d.lm / q
}
