package beats

import "math"

// Beat is one detected heartbeat.
type Beat struct {
	// Sample is the fiducial point (near the R peak: the largest absolute
	// deflection of the band-passed QRS complex), in samples from the
	// first sample written to the detector.
	Sample int64
	// Noisy marks a beat that does not stand out of the signal around
	// it: the smallest envelope value over the half second before its
	// peak, or over the quarter second after it, is at least 0.1 of the
	// peak (noise fills the gaps between complexes); and every beat
	// placed on the rhythm (the RR-guided insertion, the gap fill and the
	// two-sided rhythm's re-decision). Such a beat may be a noise peak
	// or sit off its QRS; SummarizeBeats leaves the intervals that touch
	// it out of the heart rate variability.
	Noisy bool
}

// Detector is an incremental QRS detector. Feed it samples (mV) with
// Write (or WriteLeads) in chunks of any size; it calls emit for each
// beat, in order of Sample, at most Delay samples after the beat's sample
// has been written: with one lead every beat is held back 5 s (about 5.1
// s at most), with several leads usually 0.5 s (about 3.8 s at most).
// The beats do not depend
// on how the input is split into chunks: the detector is a state machine
// advanced one sample at a time, with buffers sized once.
//
// Each lead is band-passed (5-20 Hz, Butterworth sections designed for
// the sampling rate by the bilinear transform), differentiated over 10 ms,
// squared and integrated over 150 ms. Local maxima of that envelope are
// classified as QRS or noise against an adaptive threshold 0.3 of
// the way from the median of the last 8 noise peaks to the median of the
// last 8 QRS peaks (after Hamilton and Tompkins, 1986); a beat enters the
// QRS history as at most 1.25 times the current QRS level, so artifacts
// taken for beats cannot quickly lift the threshold. Of two QRS
// candidates closer than 250 ms (240 bpm) the larger wins, so a tall P
// wave or a second hump does not take a beat's place, unless the smaller
// is at least 0.7 of its size and 1.2 times sharper (largest slope over
// largest band-passed amplitude: a QRS is steeper for its height than an
// electrode-motion burst). A peak within 360
// ms of a beat whose slope is less than half the beat's is taken for a T
// wave. If no beat is found for 1.5 mean RR intervals (3 s at most), the
// largest noise peak above 0.3 times the threshold since the last beat is
// taken (search-back; the peaks kept for it are bounded, so the cost is
// linear in the signal length).
//
// Under noise (the mean envelope over the last second at least 0.4 of
// the QRS level, or 1.5 times the clean QRS level, that of the beats
// accepted while not noisy) the RR intervals help. A rhythm tracker
// follows the beats that fall within 20 % of one or two periods (the
// median of its last 8 intervals) after the last such beat; a beat more
// than 100 ms early leaves the anchor where it was, and the new anchor is
// the QRS nearest the expected time (within 100 ms of it), moved half of
// the way from the expected time. A candidate within 100 ms of the
// expected time wins a competition against one at most twice its size
// and is not held back by the refractory period or the T-wave test. When
// a beat is accepted more than 100 ms after the expected time with none
// on the rhythm in between, the QRS nearest the expected time (within
// 100 ms, 150 ms from the neighbouring beats) is taken as a beat first,
// and so on for up to 4 expected times, one period apart (an empty one is
// skipped). With one lead, "the QRS" is the largest output of a matched
// filter, the band-passed signal correlated with a template of the
// patient's QRS learnt from clean beats (at least 0.4 of its level at the
// template's beats; used while the mean envelope is at least 1.3 clean
// QRS levels); otherwise the largest maximum of a narrow envelope, the
// squared slope over 80 ms (at least 0.3 of its level at the beats). With
// one lead too, a beat more than 1.1 periods after the last one (and the
// mean envelope at least 0.6 of the QRS level) first fills the gap with
// the largest maximum of a QRS-shaped wavelet around one period after the
// last beat, if at least 0.2 of its level at the beats; and the beats are
// held back 5 s so that a two-sided rhythm can re-decide a noisy stretch
// between two trustworthy beats (hold.go). Under muscle and
// electrode-motion noise this trades false beats for sensitivity; on
// clean signals it rarely acts. The fiducial point is the largest
// absolute value of the band-passed signal within the integration window,
// corrected for the band-pass group delay; squaring and the absolute value
// make the detector blind to polarity.
//
// With several leads (NewMultiDetector), each lead's envelope is divided
// by its own QRS level, clipped at 3 QRS levels, and weighted by the
// square of its QRS-to-noise ratio (capped), so that a noisy or flat
// lead fades out and a clean one carries the detection.
//
// Invalid samples (NaN or infinite: lead off, gaps) are replaced by the
// last valid value, and the lead contributes nothing until 0.6 s after
// the last invalid sample, so a gap gives no beats and no burst when the
// signal returns. A flat or saturated signal has a zero envelope and
// gives no peaks; the edges of a saturated stretch give at most one. The
// first 2 s are used to learn the levels and are then decided like the
// rest.
type Detector struct {
	fs float64
	p  params
	// the parts
	env    *envelope
	lv     levels
	rhythm rhythm
	mf     matchedFilter // one lead
	wv     wavelet       // one lead
	hold   holdQueue     // one lead, when beats are held back
	two    twoSided      // one lead, when beats are held back

	// durations, samples
	gd        int64 // group delay of the band-pass
	confirm   int64
	refract   int64
	compete   int64
	twave     int64
	maxSearch int64
	learnEnd  int64
	lostLong  int64
	settle    int64
	span      int64 // samples the rings hold
	insTol    int64
	insMin    int64

	n  int64   // samples decided so far
	lm float64 // mean envelope over about the last second at sample n-1
	nq recent  // narrow envelope at the last beats

	scratch []float64 // narrow envelope values (narrowAt, narrowMax)

	// envelope peak tracking
	prevC   float64
	cand    peak
	hasCand bool

	// decision state
	learning  bool
	learnPks  []peak
	learnt    int  // beats accepted since the levels were last learnt (relearn)
	tent      peak // a beat that a larger peak within refract may replace
	hasTent   bool
	lastBeat  int64 // envelope index of the last beat, -1 if none
	lastFid   int64
	lastSlope float64
	pending   []peak     // noise peaks since the last beat, for search-back
	since     []peak     // the same, kept when a search-back forgets them (relearn)
	emitOut   func(Beat) // the emit of the current Write or Flush
	qEmit     func(Beat) // d.queue, bound once
}

// NewDetector returns a detector for one signal sampled at fs Hz (fs > 0;
// measured from MinFs to MaxFs, 50 Hz to 8 kHz).
func NewDetector(fs float64) *Detector { return NewMultiDetector(fs, 1) }

// NewLiveDetector returns a one-lead detector that does not hold beats
// back for the two-sided rhythm: it emits a beat usually 0.5 s after its
// sample (Delay about 3.8 s) instead of 5 s, for a live display or a
// stream, and under heavy noise finds fewer beats than NewDetector's
// (docs/beats.md, "Live detector"); on a clean signal the beats are the
// same but for rare exceptions.
func NewLiveDetector(fs float64) *Detector {
	p := defaultParams
	p.hHold = 0
	return newDetector(fs, 1, p)
}

// NewMultiDetector returns a detector for nleads (1 to MaxLeads)
// simultaneous signals (leads of one ECG) sampled at fs Hz, fed with
// WriteLeads.
func NewMultiDetector(fs float64, nleads int) *Detector {
	return newDetector(fs, nleads, defaultParams)
}

func newDetector(fs float64, nleads int, p params) *Detector {
	nleads = min(max(nleads, 1), MaxLeads)
	d := &Detector{fs: fs, p: p}
	lp := math.Min(p.lpCutoff, 0.4*fs)
	mk := func() cascade {
		return cascade{highpass2(p.hpCutoff, math.Sqrt2/2, fs), lowpass2(lp, math.Sqrt2/2, fs)}
	}
	d.gd = int64(math.Round(mk().groupDelay(10, fs)))
	dk := max(1, int(math.Round(derivLag*fs)))
	win := max(1, int(math.Round(p.integWindow*fs)))
	d.confirm = d.samples(p.confirmLag)
	d.refract = d.samples(refractory)
	d.compete = d.samples(p.competeTime)
	d.twave = d.samples(twaveWindow)
	d.maxSearch = d.samples(maxSearch)
	d.learnEnd = d.samples(learnTime)
	d.lostLong = d.samples(lostLong)
	d.settle = d.samples(settleTime)
	nw := max(1, int(math.Round(p.narrowWin*fs)))
	d.insTol = d.samples(p.insTol)
	d.insMin = d.samples(p.insMin)
	d.lv = levels{k: p.thresholdK, qRise: p.qRise}
	span := win + dk + int(d.confirm) + 4
	if p.insGate > 0 {
		// A beat is accepted compete after its envelope peak; the
		// insertion looks back up to maxSearch + insTol before it.
		span += int(d.compete+d.gd+d.insTol) + nw + int(d.samples(maxSearch))
	} else {
		nw = 0
	}
	reach := int64(0)
	if nleads == 1 {
		d.wv = newWavelet(fs, p.wA)
		// The wavelet output lags the band-passed signal by wb.
		span += 2*d.wv.wb + int(d.gd) + 4
		if hold := d.samples(p.hHold); hold > 0 {
			// The rings hold the beats held back, and the slots'
			// matched-filter windows (hTol, band-pass delay) before them.
			span = max(span, int(hold+d.gd+d.samples(p.hTol))+8)
			d.hold = newHoldQueue(hold)
			d.qEmit = d.queue
		}
		// The wavelet reads the sums from wb+1 samples before the oldest
		// centre the rings hold.
		reach = int64(d.wv.wb) + 1
	}
	d.span = int64(span)
	d.env = newEnvelope(fs, nleads, mk, dk, win, nw, d.span, reach)
	if nleads == 1 {
		e := d.env
		d.mf = newMatchedFilter(max(1, int(math.Round(mfHalf*fs))), d.gd, p.mfCorr, e.ring, e.mask, e.span)
		d.wv.gd, d.wv.ring, d.wv.mask, d.wv.span = d.gd, e.ring, e.mask, e.span
	}
	d.rhythm = rhythm{tol: p.rhythmTol, maxPeriod: maxPeriod * fs, refract: d.refract, insTol: d.insTol, refine: p.refineK > 0, pll: p.mfPLL}
	d.pending = make([]peak, 0, maxPending)
	d.since = make([]peak, 0, maxPending)
	d.learnPks = make([]peak, 0, maxLearn)
	d.reset()
	return d
}

func (d *Detector) samples(sec float64) int64 { return int64(math.Round(sec * d.fs)) }

func (d *Detector) reset() {
	d.env.reset()
	d.n = 0
	d.nq.clear()
	d.lm = 0
	d.rhythm.reset()
	d.prevC = 0
	d.hasCand = false
	d.learning = true
	d.learnPks = d.learnPks[:0]
	d.learnt = 0
	d.lv.reset()
	d.hasTent = false
	d.lastBeat = -1
	d.lastFid = -1
	d.lastSlope = 0
	d.pending = d.pending[:0]
	d.since = d.since[:0]
	d.mf.reset()
	d.wv.reset()
	d.hold.reset()
	d.two.reset()
}

// Fs returns the sampling rate the detector was made for, in Hz.
func (d *Detector) Fs() float64 { return d.fs }

// Delay returns the largest number of samples between a beat's Sample and
// the last sample written when it is emitted: about 5.1 s with one lead
// (beats are held back 5 s for the two-sided rhythm, and the rings hold a
// little more), about 3.8 s with several (the search-back, or a beat
// inserted on the rhythm under noise, which looks back no further than
// the rings hold).
func (d *Detector) Delay() int64 {
	return max(max(d.maxSearch, d.learnEnd)+d.compete+d.confirm+int64(d.env.win+d.env.dk)+d.gd+1, d.span, d.hold.hold)
}

// sink returns the function the detector's decisions emit beats to:
// emit itself, or the queue of the two-sided rhythm, which releases them
// to emit.
func (d *Detector) sink(emit func(Beat)) func(Beat) {
	if d.hold.hold == 0 {
		return emit
	}
	d.emitOut = emit
	return d.qEmit
}

// Write processes the samples x (mV) of a one-lead detector and calls
// emit for each beat found. It panics if the detector has several leads.
func (d *Detector) Write(x []float64, emit func(Beat)) {
	if len(d.env.leads) != 1 {
		panic("beats: Write on a multi-lead Detector; use WriteLeads")
	}
	e := d.sink(emit)
	for len(x) > 0 {
		k := min(len(x), envelopeBlock)
		d.env.writeOne(x[:k], d.settle)
		d.decide(k, e, emit)
		x = x[k:]
	}
}

// WriteLeads processes len(x[0]) samples of each lead: x[i] holds the
// samples (mV) of lead i, one slice per lead the detector was made for,
// all of the same length. It panics on a mismatch.
func (d *Detector) WriteLeads(x [][]float64, emit func(Beat)) {
	if len(x) != len(d.env.leads) {
		panic("beats: WriteLeads with the wrong number of leads")
	}
	for i := range x {
		if len(x[i]) != len(x[0]) {
			panic("beats: WriteLeads with leads of different lengths")
		}
	}
	if len(x) == 1 {
		d.Write(x[0], emit)
		return
	}
	e := d.sink(emit)
	for k := range x[0] {
		d.env.writeLeads(x, k, d.settle)
		d.step(e)
	}
}

// Flush ends the signal: it decides the last pending peak, emits any
// remaining beat, and resets the detector for a new signal.
func (d *Detector) Flush(out func(Beat)) {
	emit := d.sink(out)
	if d.hasCand {
		d.hasCand = false
		d.fillPeak(&d.cand, d.n-1)
		d.classify(d.cand, emit)
	}
	if d.learning {
		d.endLearning(emit)
	}
	if d.hasTent {
		d.hasTent = false
		d.accept(d.tent, emit)
	}
	if d.hold.hold > 0 {
		d.hold.release(math.MaxInt64, out)
	}
	d.reset()
}

// Detect returns the beats of the whole signal x (mV) sampled at fs Hz.
func Detect(x []float64, fs float64) []Beat {
	d := NewDetector(fs)
	var out []Beat
	emit := func(b Beat) { out = append(out, b) }
	d.Write(x, emit)
	d.Flush(emit)
	return out
}

// DetectLeads returns the beats found in the simultaneous signals x (mV,
// x[i] is lead i, all of the same length) sampled at fs Hz.
func DetectLeads(x [][]float64, fs float64) []Beat {
	d := NewMultiDetector(fs, len(x))
	var out []Beat
	emit := func(b Beat) { out = append(out, b) }
	d.WriteLeads(x, emit)
	d.Flush(emit)
	return out
}
