package beats

// holdQueue holds beats back (one lead, params.hHold) so that the
// two-sided rhythm (twosided.go) can re-decide them once the next
// trustworthy beat is known, and releases them in order once they have
// been held long enough.
type holdQueue struct {
	hold     int64      // samples a beat is held back, 0 if not held
	held     []heldBeat // beats held back, in order
	scratch  []heldBeat
	lastEmit int64 // last beat released, -1 if none
}

// heldBeat is a beat held back for the two-sided rhythm.
type heldBeat struct {
	f     int64   // fiducial sample
	noisy bool    // Beat.Noisy
	noise float64 // mean envelope over the clean QRS level when queued
}

// newHoldQueue returns a queue that holds beats back hold samples.
func newHoldQueue(hold int64) holdQueue {
	return holdQueue{hold: hold, held: make([]heldBeat, 0, maxHeld), scratch: make([]heldBeat, 0, maxHeld)}
}

// reset drops the beats held.
func (q *holdQueue) reset() {
	q.held = q.held[:0]
	q.lastEmit = -1
}

// push holds b back, first releasing the oldest beat to out when the
// queue is full.
func (q *holdQueue) push(b heldBeat, out func(Beat)) {
	if len(q.held) == cap(q.held) {
		q.release(q.held[0].f, out)
	}
	q.held = append(q.held, b)
}

// last returns the last beat held, else the last released (-1 if none).
func (q *holdQueue) last() int64 {
	if len(q.held) > 0 {
		return q.held[len(q.held)-1].f
	}
	return q.lastEmit
}

// releaseDue releases the beats held for hold samples when sample now is
// the last written.
func (q *holdQueue) releaseDue(now int64, out func(Beat)) {
	if len(q.held) > 0 && q.held[0].f <= now-q.hold {
		q.release(now-q.hold, out)
	}
}

// release emits the held beats up to sample upTo.
func (q *holdQueue) release(upTo int64, out func(Beat)) {
	k := 0
	for k < len(q.held) && q.held[k].f <= upTo {
		out(Beat{Sample: q.held[k].f, Noisy: q.held[k].noisy})
		q.lastEmit = q.held[k].f
		k++
	}
	if k > 0 {
		m := copy(q.held, q.held[k:])
		q.held = q.held[:m]
	}
}
