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

// heldBeat is a beat held back for the two-sided rhythm.
type heldBeat struct {
	f     int64   // fiducial sample
	noisy bool    // Beat.Noisy
	noise float64 // mean envelope over the clean QRS level when queued
}

// queue holds beat b back; a trustworthy beat (trustNext) first
// re-decides the held beats since the last trustworthy one.
func (d *Detector) queue(b Beat) {
	f, tr := b.Sample, d.trustNext
	d.trustNext = false
	if tr {
		last := d.lastEmit
		if len(d.held) > 0 {
			last = d.held[len(d.held)-1].f
		}
		g := float64(f - d.lastTrust)
		if d.lastTrust >= 0 && last == d.lastTrust && g >= float64(d.refract) && g <= maxPeriod*d.fs {
			// Two consecutive trustworthy beats: an interval of the
			// rhythm.
			d.cper, d.cperi = pushRing(d.cper, d.cperi, g)
		} else if d.lastTrust >= 0 {
			d.redecide(f)
		}
		d.lastTrust = f
	}
	if len(d.held) == cap(d.held) {
		d.release(d.held[0].f, d.emitOut)
	}
	d.held = append(d.held, heldBeat{f: f, noisy: b.Noisy, noise: d.noiseRatio()})
}

// release emits the held beats up to sample upTo.
func (d *Detector) release(upTo int64, out func(Beat)) {
	k := 0
	for k < len(d.held) && d.held[k].f <= upTo {
		out(Beat{Sample: d.held[k].f, Noisy: d.held[k].noisy})
		d.lastEmit = d.held[k].f
		k++
	}
	if k > 0 {
		m := copy(d.held, d.held[k:])
		d.held = d.held[:m]
	}
}

// redecide re-decides the held beats between the last trustworthy beat A
// and the trustworthy beat B on the rhythm interpolated between them. It
// acts only when A is still held or was the last beat emitted and the
// mean envelope reached hGate clean QRS levels now or when a beat of the
// stretch was queued. The beats it adds are Noisy, and
// no earlier than hHold before the last sample, so that the delay stays
// within the hold.
func (d *Detector) redecide(B int64) {
	A := d.lastTrust
	if A < 0 || A < d.lastEmit || d.tmplN == 0 || len(d.mfq) == 0 {
		return
	}
	L := B - A
	if len(d.cper) < 3 {
		return
	}
	P := d.median(d.cper)
	i0 := len(d.held)
	for i0 > 0 && d.held[i0-1].f > A {
		i0--
	}
	stretch := d.held[i0:]
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
	lvl := d.p.hK * d.median(d.mfq)
	add := d.scratch[:0] // the new beats, in order
	for j := 1; j < int(k); j++ {
		e := A + int64(math.Round(float64(j)*iv))
		if hasBeatNear(stretch, e, tol) {
			continue
		}
		lo, hi := max(e-tol, A+d.insMin, d.n-d.hold), min(e+tol, B-d.insMin)
		if len(add) > 0 {
			lo = max(lo, add[len(add)-1].f+d.insMin)
		}
		if lo > hi {
			continue
		}
		if v, f := d.slotMax(lo, hi); f >= 0 && v >= lvl {
			add = append(add, heldBeat{f: f, noisy: true})
		}
	}
	// Merge the new beats into the stretch, each at least insMin from
	// the stretch's beats.
	out := d.held[:i0]
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
		if !hasBeatNear(old, nb.f, d.insMin-1) {
			out = append(out, nb)
		}
	}
	d.held = out
	d.scratch = add[:0]
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

// slotMax returns the largest matched-filter output for fiducials in
// [lo, hi] and its fiducial, if it is a local maximum; when it lies at an
// edge of the window on the flank of a larger output outside it, the
// largest local maximum strictly inside the window instead (-1 if none).
func (d *Detector) slotMax(lo, hi int64) (float64, int64) {
	v, f := d.mfMax(lo, hi)
	if f < 0 || (d.mfAt(f-1+d.gd) <= v && d.mfAt(f+1+d.gd) <= v) {
		return v, f
	}
	v, f = math.Inf(-1), -1
	for t := lo + 1; t < hi; t++ {
		u := d.mfAt(t + d.gd)
		if u > v && u >= d.mfAt(t-1+d.gd) && u >= d.mfAt(t+1+d.gd) {
			v, f = u, t
		}
	}
	return v, f
}

// noiseRatio is the mean envelope over the clean QRS level (0 while
// learning).
func (d *Detector) noiseRatio() float64 {
	q := d.cleanLevel()
	if d.learning || q <= 0 {
		return 0
	}
	return d.lm / q
}
