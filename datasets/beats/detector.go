package beats

import (
	"math"
	"sort"
)

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

// Detector parameters in seconds or fractions, independent of the rate.
const (
	derivLag    = 0.010 // s, slope lag
	refractory  = 0.200 // s, no two beats closer than this
	twaveWindow = 0.360 // s, a peak closer than this to a beat must be steep
	twaveSlope  = 0.5   // fraction of the previous beat's slope
	maxSearch   = 3.0   // s, search back no later than this after a beat
	learnTime   = 2.0   // s, initial learning period
	settleTime  = 0.6   // s, a lead is ignored this long after an invalid sample
	history     = 8     // peaks and intervals kept for the thresholds
	maxPending  = 64    // candidate peaks kept for search-back
	maxPeriod   = 1.5   // s, longest rhythm period the tracker learns
	maxLearn    = 256   // peaks kept during the learning period
	clipLevel   = 3     // a lead's envelope counts up to this many QRS levels
	noisyFloor  = 0.1   // a beat is Noisy when the envelope floor is at least this fraction of its peak
	floorTime   = 0.5   // s, the envelope floor is its minimum over this long before a peak
	floorAfter  = 0.25  // s, and over this long after it

	mfHalf     = 0.06 // s, half width of the matched-filter template
	tmplAvg    = 16   // the template is a running mean over about this many beats
	wRatio     = 3    // the wavelet's surround box is this many times wider than its centre
	wPeakWin   = 0.02 // s, a beat's wavelet output is the largest within this of its fiducial
	maxGapFill = 3    // beats the wavelet gap fill adds before one accepted beat
	maxHeld    = 256  // beats held back at most (far more than hHold holds)

	maxSNR = 20 // cap of a lead's weight (QRS to noise level ratio)
	// MaxLeads is the largest number of leads a Detector combines.
	MaxLeads = 4
)

// params are the detector parameters that were selected on data, kept
// in a struct so that the selection harness (TestTuneSplit) can try
// others. They were chosen on the DS1 half of the MIT-BIH inter-patient
// split only, clean and with synthetic noise; DS2 was not looked at
// (docs/beats.md, "Parameter selection").
type params struct {
	hpCutoff     float64 // Hz, band-pass lower edge
	lpCutoff     float64 // Hz, band-pass upper edge
	integWindow  float64 // s, moving-window integration
	confirmLag   float64 // s, a local maximum of the envelope is final after this
	thresholdK   float64 // detection threshold, fraction of the way from the noise to the QRS level
	competeTime  float64 // s, of two QRS candidates closer than this the larger wins
	searchBackK  float64 // search back after this many mean RR intervals
	searchBackTh float64 // fraction of the detection threshold in search-back
	// qRise limits how fast the QRS level can rise: a beat enters the
	// QRS level history as at most qRise times the current level, so a
	// few artifacts taken for beats do not lift the threshold above the
	// real QRS complexes (0: no limit).
	qRise float64
	// Sharpness in competition (0 sharpK: off): of two QRS candidates
	// closer than competeTime the larger wins, unless the smaller is at
	// least sharpV of its value and sharper by sharpK, sharpness being
	// the ratio of the largest slope to the largest band-passed
	// amplitude (a QRS is steeper for its height than an electrode-motion
	// burst or a T wave).
	sharpK, sharpV float64
	// RR-guided insertion under noise (0 insGate: off). A rhythm
	// tracker keeps the last beat on the rhythm (the anchor) and the
	// median of the on-rhythm intervals (beats within rhythmTol of one
	// or two periods after the anchor). When the mean envelope over the
	// last second is at least insGate of the QRS level and a beat is
	// accepted more than insTol after the expected one (anchor plus one
	// period) with none in between on the rhythm, the largest local
	// maximum of a narrow envelope (squared slope over narrowWin) within
	// insTol of the expected time, at least insMin from the beats on
	// either side and at least insK of the narrow QRS level, is taken
	// as a beat first.
	insGate, insTol, insK, insMin, narrowWin, rhythmTol float64
	// refineK (0: off): under noise the anchor of the rhythm tracker is
	// the largest narrow-envelope maximum within insTol of the expected
	// time when it is at least refineK of the beat's own.
	refineK float64
	// compK (0: off): under noise, of two candidates closer than
	// competeTime the one within insTol of the expected time wins if it
	// is at least compK of the other, and such a candidate at least
	// insMin after the last beat is not held back by the refractory
	// period or the T-wave test.
	compK float64
	// maxSlots: expected times (one period apart) at which a beat is
	// looked for before one accepted beat.
	maxSlots float64
	// qOr: the signal is also noisy when the mean envelope is at least
	// qOr times the clean QRS level (that of the beats accepted while not
	// noisy), which noise taken for beats cannot lift.
	qOr float64

	// Matched filter (one lead): a template of the band-passed QRS,
	// averaged over the beats accepted while not noisy, correlated with
	// the band-passed signal.
	mfK      float64 // insertion threshold, fraction of the matched-filter QRS level
	mfRefine float64 // the anchor moves to the matched-filter maximum near the expected time if at least this fraction of the beat's own
	mfCorr   float64 // a beat enters the template only if its normalised correlation with it is at least this
	mfPLL    float64 // fraction of the way the anchor moves from the expected time to the beat found (under noise)
	mfGate   float64 // the matched filter acts when the mean envelope is at least this many clean QRS levels

	// Wavelet gap fill (one lead): the squared output of a difference of
	// two boxcars (a Mexican hat) on the band-passed signal.
	wA    float64 // s, half width of the wavelet's centre box (the surround is wRatio times wider)
	wGate float64 // the gap fill acts when the mean envelope is at least this fraction of the QRS level
	wGap  float64 // a beat this many periods after the last one opens a gap to fill
	wGapT float64 // gap-fill threshold, fraction of the wavelet QRS level

	// Two-sided rhythm (one lead): beats are held back and the stretch
	// between two trustworthy beats is re-decided on the rhythm
	// interpolated between them (hold.go).
	hHold float64 // s, how long beats are held back (0: not held)
	hTol  float64 // s, a slot's beat is looked for within this of its interpolated time
	hK    float64 // a slot's beat needs a matched-filter output at least this fraction of its QRS level
	hGate float64 // a stretch is re-decided only if the mean envelope reached this many clean QRS levels in it
}

// defaultParams are the selected parameters.
var defaultParams = params{
	hpCutoff:     5,
	lpCutoff:     20,
	integWindow:  0.150,
	confirmLag:   0.160,
	thresholdK:   0.30,
	competeTime:  0.250,
	searchBackK:  1.5,
	searchBackTh: 0.3,
	qRise:        1.25,
	sharpK:       1.2,
	sharpV:       0.7,
	insGate:      0.4,
	insTol:       0.1,
	insK:         0.3,
	insMin:       0.15,
	narrowWin:    0.08,
	rhythmTol:    0.2,
	refineK:      0.6,
	compK:        0.5,
	maxSlots:     4,
	qOr:          1.5,
	mfK:          0.4,
	mfRefine:     0.6,
	mfCorr:       0.8,
	mfPLL:        0.5,
	mfGate:       1.3,
	wA:           0.01,
	wGate:        0.6,
	wGap:         1.1,
	wGapT:        0.2,
	hHold:        5,
	hTol:         0.08,
	hK:           0.2,
	hGate:        1,
}

// peak is a local maximum of the combined envelope.
type peak struct {
	at    int64   // envelope index of the maximum
	fid   int64   // fiducial sample (input index)
	value float64 // combined envelope
	slope float64 // largest combined absolute slope in the window
	amp   float64 // largest combined absolute band-passed value in the window
	lv    [MaxLeads]float64
}

// lead is the per-signal state of a Detector.
type lead struct {
	bp       cascade
	started  bool
	x0, last float64
	quietTo  int64     // this lead contributes nothing before this sample
	ring     []float64 // band-passed signal, indexed by n mod ringLen
	eRing    []float64 // squared slope, indexed by n mod win
	eSum     float64
	m        float64 // current integrated squared slope
	q, nz    []float64
	qi, ni   int
	gain     float64 // weight of m in the combined envelope
	clip     float64 // largest m counted in the combined envelope
	root     float64 // sqrt(gain), weight of amplitudes and slopes
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

	gd        int64 // group delay of the band-pass, samples
	dk        int   // derivative lag, samples
	win       int   // integration window, samples
	confirm   int64
	refract   int64
	compete   int64
	twave     int64
	maxSearch int64
	learnEnd  int64
	settle    int64
	ringLen   int
	nw        int   // narrow envelope window, samples
	insTol    int64 // samples
	insMin    int64 // samples
	leak      float64

	n     int64 // samples written so far
	pos   int   // n mod ringLen
	epos  int   // n mod win
	leads []lead

	fRing []float64 // weighted sum over leads of |band-passed|
	dRing []float64 // weighted sum over leads of |slope|
	nRing []float64 // narrow envelope: mean of dRing^2 over nw samples
	nSum  float64
	// samples until the narrow envelope sum is recomputed
	nCount int
	nq     []float64 // narrow envelope at the last beats
	nqi    int
	lm     float64   // mean envelope over about the last second
	cRing  []float64 // combined envelope, indexed like the other rings
	// rhythm tracker
	anchor int64 // fiducial of the last beat on the rhythm, -1 if none
	// the anchor before it, -1 if none, and the distance of the anchor's
	// beat from anchorK periods after that one
	prevAnchor         int64
	anchorK, anchorErr float64
	offRhythm          int       // beats off the rhythm since the last on it
	per                []float64 // on-rhythm intervals, samples
	peri               int

	// envelope peak tracking
	prevC   float64
	cand    peak
	hasCand bool

	// decision state
	learning bool
	learnPks []peak
	qpk, npk []float64 // last history values (ring)
	// medians of qpk, qc and npk, updated when those change (setLevels):
	// the noise gates read them every sample while a beat waits.
	qMed, qcMed, nMed float64
	qi, ni            int
	rr                []float64 // last history RR intervals, samples
	ri                int
	rrMean            float64 // mean of rr
	tent              peak    // a beat that a larger peak within refract may replace
	hasTent           bool
	lastBeat          int64 // envelope index of the last beat, -1 if none
	lastFid           int64
	lastSlope         float64
	pending           []peak // noise peaks since the last beat, for search-back
	sorted            []float64
	qc                []float64 // QRS levels of the last beats accepted while not noisy (ring)
	qci               int

	// matched filter (matched.go; one lead)
	mw    int       // template half width, samples
	tmpl  []float64 // template: band-passed samples centred on the QRS
	tmplN int       // beats learnt into the template
	mfq   []float64 // matched-filter output at the last beats learnt (ring)
	mfqi  int
	// wavelet (matched.go; one lead)
	wa, wb int       // centre and surround half widths, samples
	wSum   []float64 // cumulative sum of the band-passed signal, by sample (ring of ringLen+wb+1)
	wpos   int       // n mod len(wSum)
	wq     []float64 // wavelet output at the last beats (ring)
	wqi    int
	// two-sided rhythm (hold.go; one lead)
	hold      int64      // samples a beat is held back, 0 if not held
	held      []heldBeat // beats held back, in order
	scratch   []heldBeat
	lastEmit  int64     // last beat released, -1 if none
	lastTrust int64     // last trustworthy beat (held or released), -1 if none
	cper      []float64 // intervals between consecutive trustworthy beats (ring)
	cperi     int
	trustNext bool       // the next beat queued is trustworthy
	qEmit     func(Beat) // d.queue, bound once
	emitOut   func(Beat) // the emit of the current Write or Flush
}

// NewDetector returns a detector for one signal sampled at fs Hz (fs > 0;
// designed for 125 Hz to 1 kHz).
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
	d.dk = max(1, int(math.Round(derivLag*fs)))
	d.win = max(1, int(math.Round(p.integWindow*fs)))
	d.confirm = d.samples(p.confirmLag)
	d.refract = d.samples(refractory)
	d.compete = d.samples(p.competeTime)
	d.twave = d.samples(twaveWindow)
	d.maxSearch = d.samples(maxSearch)
	d.learnEnd = d.samples(learnTime)
	d.settle = d.samples(settleTime)
	d.nw = max(1, int(math.Round(p.narrowWin*fs)))
	d.insTol = d.samples(p.insTol)
	d.insMin = d.samples(p.insMin)
	d.leak = 1 / fs // 1 s time constant
	d.ringLen = d.win + d.dk + int(d.confirm) + 4
	if p.insGate > 0 {
		// A beat is accepted compete after its envelope peak; the
		// insertion looks back up to maxSearch + insTol before it.
		d.ringLen += int(d.compete+d.gd+d.insTol) + d.nw + int(d.samples(maxSearch))
	}
	if nleads == 1 {
		d.wa = max(1, int(math.Round(p.wA*fs)))
		d.wb = max(d.wa+1, int(math.Round(wRatio*float64(d.wa))))
		// The wavelet output lags the band-passed signal by wb.
		d.ringLen += 2*d.wb + int(d.gd) + 4
		d.hold = d.samples(p.hHold)
		if d.hold > 0 {
			// The rings hold the beats held back, and the slots'
			// matched-filter windows (hTol, band-pass delay) before them.
			d.ringLen = max(d.ringLen, int(d.hold+d.gd+d.samples(p.hTol))+8)
			d.held = make([]heldBeat, 0, maxHeld)
			d.scratch = make([]heldBeat, 0, maxHeld)
			d.cper = make([]float64, 0, history)
			d.qEmit = d.queue
		}
		d.mw = max(1, int(math.Round(mfHalf*fs)))
		d.tmpl = make([]float64, 2*d.mw+1)
		d.mfq = make([]float64, 0, history)
		// wAt reads the sums from wb+1 samples before the oldest centre
		// the rings hold.
		d.wSum = make([]float64, d.ringLen+d.wb+1)
		d.wq = make([]float64, 0, history)
	}
	d.leads = make([]lead, nleads)
	for i := range d.leads {
		l := &d.leads[i]
		l.bp = mk()
		l.ring = make([]float64, d.ringLen)
		l.eRing = make([]float64, d.win)
		l.q = make([]float64, 0, history)
		l.nz = make([]float64, 0, history)
	}
	d.fRing = make([]float64, d.ringLen)
	d.dRing = make([]float64, d.ringLen)
	d.nRing = make([]float64, d.ringLen)
	d.cRing = make([]float64, d.ringLen)
	d.nq = make([]float64, 0, history)
	d.per = make([]float64, 0, history)
	d.qpk = make([]float64, 0, history)
	d.qc = make([]float64, 0, history)
	d.npk = make([]float64, 0, history)
	d.rr = make([]float64, 0, history)
	d.sorted = make([]float64, history)
	d.pending = make([]peak, 0, maxPending)
	d.learnPks = make([]peak, 0, maxLearn)
	d.reset()
	return d
}

func (d *Detector) samples(sec float64) int64 { return int64(math.Round(sec * d.fs)) }

func (d *Detector) reset() {
	for i := range d.leads {
		l := &d.leads[i]
		l.bp.reset()
		l.started = false
		l.quietTo = 0
		clear(l.ring)
		clear(l.eRing)
		l.eSum, l.m = 0, 0
		l.q, l.nz = l.q[:0], l.nz[:0]
		l.qi, l.ni = 0, 0
		l.gain, l.root, l.clip = 1, 1, math.Inf(1)
	}
	d.n, d.pos, d.epos = 0, 0, 0
	clear(d.fRing)
	clear(d.dRing)
	clear(d.nRing)
	clear(d.cRing)
	d.nSum, d.nCount = 0, 1
	d.nq, d.nqi = d.nq[:0], 0
	d.lm = 0
	d.anchor = -1
	d.prevAnchor = -1
	d.offRhythm = 0
	d.per, d.peri = d.per[:0], 0
	d.prevC = 0
	d.hasCand = false
	d.learning = true
	d.learnPks = d.learnPks[:0]
	d.qpk, d.npk, d.rr = d.qpk[:0], d.npk[:0], d.rr[:0]
	d.qi, d.ni, d.ri = 0, 0, 0
	d.rrMean = 0
	d.hasTent = false
	d.lastBeat = -1
	d.lastFid = -1
	d.lastSlope = 0
	d.pending = d.pending[:0]
	d.qc, d.qci = d.qc[:0], 0
	d.setLevels()
	clear(d.tmpl)
	d.tmplN = 0
	d.mfq, d.mfqi = d.mfq[:0], 0
	clear(d.wSum)
	d.wpos = 0
	d.wq, d.wqi = d.wq[:0], 0
	d.held = d.held[:0]
	d.lastEmit, d.lastTrust = -1, -1
	d.cper, d.cperi = d.cper[:0], 0
	d.trustNext = false
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
	return max(max(d.maxSearch, d.learnEnd)+d.compete+d.confirm+int64(d.win+d.dk)+d.gd+1, int64(d.ringLen), d.hold)
}

// sink returns the function the detector's decisions emit beats to:
// emit itself, or the queue of the two-sided rhythm, which releases them
// to emit.
func (d *Detector) sink(emit func(Beat)) func(Beat) {
	if d.hold == 0 {
		return emit
	}
	d.emitOut = emit
	return d.qEmit
}

// releaseHeld emits the held beats that have been held for hHold.
func (d *Detector) releaseHeld(emit func(Beat)) {
	if len(d.held) > 0 && d.held[0].f <= d.n-1-d.hold {
		d.release(d.n-1-d.hold, emit)
	}
}

// Write processes the samples x (mV) of a one-lead detector and calls
// emit for each beat found. It panics if the detector has several leads.
func (d *Detector) Write(x []float64, emit func(Beat)) {
	if len(d.leads) != 1 {
		panic("beats: Write on a multi-lead Detector; use WriteLeads")
	}
	e := d.sink(emit)
	for _, v := range x {
		d.stepLead(0, v)
		d.step(e)
		d.releaseHeld(emit)
	}
}

// WriteLeads processes len(x[0]) samples of each lead: x[i] holds the
// samples (mV) of lead i, one slice per lead the detector was made for,
// all of the same length. It panics on a mismatch.
func (d *Detector) WriteLeads(x [][]float64, emit func(Beat)) {
	if len(x) != len(d.leads) {
		panic("beats: WriteLeads with the wrong number of leads")
	}
	for i := range x {
		if len(x[i]) != len(x[0]) {
			panic("beats: WriteLeads with leads of different lengths")
		}
	}
	e := d.sink(emit)
	for k := range x[0] {
		for i := range x {
			d.stepLead(i, x[i][k])
		}
		d.step(e)
		d.releaseHeld(emit)
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
	if d.hold > 0 {
		d.release(math.MaxInt64, out)
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

// stepLead filters the next sample v of lead i (the sample index is d.n).
func (d *Detector) stepLead(i int, v float64) {
	n := d.n
	l := &d.leads[i]
	if math.IsNaN(v) || math.IsInf(v, 0) {
		v = l.last
		l.quietTo = n + d.settle
	} else if !l.started {
		l.started = true
		l.x0 = v
		l.last = v
	} else {
		l.last = v
	}
	y := l.bp.step(v - l.x0)
	r := d.pos
	l.ring[r] = y
	if i == 0 && d.wOn() {
		d.stepWavelet(y)
	}
	if i == 0 {
		d.fRing[r], d.dRing[r] = 0, 0
	}
	var s float64
	if n >= l.quietTo && n >= int64(d.dk) {
		j := r - d.dk
		if j < 0 {
			j += d.ringLen
		}
		s = (y - l.ring[j]) * d.fs / float64(d.dk)
		d.fRing[r] += l.root * math.Abs(y)
		d.dRing[r] += l.root * math.Abs(s)
	}
	e := s * s
	k := d.epos
	l.eSum += e - l.eRing[k]
	l.eRing[k] = e
	if k == d.win-1 {
		// Recompute the running sum once per window against drift.
		var t float64
		for _, u := range l.eRing {
			t += u
		}
		l.eSum = t
	}
	// (a comparison: math.Max's NaN and signed-zero cases cost here)
	if l.m = l.eSum / float64(d.win); l.m < 0 {
		l.m = 0
	}
}

func (d *Detector) step(emit func(Beat)) {
	n := d.n
	if d.p.insGate > 0 {
		d.stepNarrow()
	}
	d.n++
	if d.pos++; d.pos == d.ringLen {
		d.pos = 0
	}
	if d.epos++; d.epos == d.win {
		d.epos = 0
	}
	c := d.combine()
	d.lm += (c - d.lm) * d.leak
	// Sample n's slot is the one before d.pos (already advanced).
	if r := d.pos - 1; r >= 0 {
		d.cRing[r] = c
	} else {
		d.cRing[d.ringLen-1] = c
	}
	// Envelope peaks: a local maximum is final once the envelope has
	// fallen to half of it or after confirmLag.
	if c > d.prevC && (!d.hasCand || c > d.cand.value) {
		d.cand.at, d.cand.value = n, c
		for i := range d.leads {
			d.cand.lv[i] = d.leads[i].m
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
	if !d.learning && !d.hasTent {
		d.searchBack(n, emit)
	}
}

// stepNarrow updates the narrow envelope at the current sample (ring
// position d.pos).
func (d *Detector) stepNarrow() {
	r := d.pos
	j := r - d.nw
	if j < 0 {
		j += d.ringLen
	}
	// dRing holds zeros before the first samples.
	v, u := d.dRing[r], d.dRing[j]
	d.nSum += v * v
	d.nSum -= u * u
	if d.nCount--; d.nCount <= 0 {
		// Recompute against drift every nw samples (at sample indices
		// that do not depend on the chunking).
		d.nCount = d.nw
		var t float64
		j := r
		for range d.nw {
			u := d.dRing[j]
			t += u * u
			if j--; j < 0 {
				j = d.ringLen - 1
			}
		}
		d.nSum = t
	}
	m := d.nSum
	if m < 0 {
		m = 0
	}
	d.nRing[r] = m / float64(d.nw)
}

// ringAt returns the ring index of sample t, the rings holding samples
// up to d.n-1.
func (d *Detector) ringAt(t int64) int {
	L := int64(d.ringLen)
	r := (int64(d.pos) - (d.n - t)) % L
	if r < 0 {
		r += L
	}
	return int(r)
}

// narrowAt returns the largest narrow envelope value of a QRS with
// fiducial f (within nw+dk after its band-passed peak), or -1 when
// the rings no longer hold it.
func (d *Detector) narrowAt(f int64) float64 {
	lo := f + d.gd
	hi := min(lo+int64(d.nw+d.dk), d.n-1)
	if lo < d.n-int64(d.ringLen)+1 || lo > hi {
		return -1
	}
	var m float64
	for t := lo; t <= hi; t++ {
		m = math.Max(m, d.nRing[d.ringAt(t)])
	}
	return m
}

// track updates the rhythm tracker with a beat at fiducial f.
func (d *Detector) track(f int64) {
	if d.anchor < 0 {
		d.anchor = f
		return
	}
	gap := float64(f - d.anchor)
	if len(d.per) == 0 {
		if gap >= float64(d.refract) && gap <= maxPeriod*d.fs {
			d.per, d.peri = pushRing(d.per, d.peri, gap)
		}
		d.anchor = f
		return
	}
	r := d.median(d.per)
	if d.prevAnchor >= 0 {
		// A beat closer to the slot the anchor took replaces it.
		g := float64(f - d.prevAnchor)
		k := math.Round(g / r)
		if k == d.anchorK && math.Abs(g-k*r) < d.anchorErr {
			d.anchor = f
			d.anchorErr = math.Abs(g - k*r)
			return
		}
	}
	k := math.Round(gap / r)
	switch {
	case k >= 1 && k <= 2 && math.Abs(gap-k*r) <= d.p.rhythmTol*r:
		a := f
		e := d.anchor + int64(math.Round(k*r))
		if f < e-d.insTol && d.noisy() {
			// Early under noise: the anchor stays, and the slot open for
			// the insertion.
			return
		}
		if d.p.refineK > 0 && d.noisy() {
			// The anchor is the QRS nearest the expected time (matched
			// filter, else narrow envelope), and moves only mfPLL of the
			// way from the expected time to it.
			if d.mfReady() {
				own := d.mfAt(f + d.gd)
				if v, g := d.mfMax(e-d.insTol, e+d.insTol); g >= 0 && v > 0 && v >= d.p.mfRefine*own {
					a = g
				}
			} else {
				own := d.narrowAt(f)
				if v, g := d.narrowMax(e-d.insTol, e+d.insTol); g >= 0 && own >= 0 && v >= d.p.refineK*own {
					a = g
				}
			}
			a = e + int64(math.Round(d.p.mfPLL*float64(a-e)))
		}
		d.per, d.peri = pushRing(d.per, d.peri, float64(a-d.anchor)/k)
		d.prevAnchor, d.anchorK, d.anchorErr = d.anchor, k, math.Abs(gap-k*r)
		d.anchor = a
		d.offRhythm = 0
	case gap > 2.5*r:
		// Lost: start again from this beat, with the same period.
		d.prevAnchor = -1
		d.anchor = f
	default:
		if d.offRhythm++; d.offRhythm >= history {
			// The rhythm changed: start again.
			d.per, d.peri = d.per[:0], 0
			d.prevAnchor = -1
			d.anchor = f
			d.offRhythm = 0
		}
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
	oldest := max(d.n-int64(d.ringLen)+1, 0)
	// above reports whether the envelope is at least floor over [lo, hi];
	// it stops at the first lower value.
	above := func(lo, hi int64) bool {
		lo, hi = max(lo, oldest), min(hi, d.n-1)
		if lo > hi {
			return false
		}
		r := d.ringAt(lo)
		for t := lo; t <= hi; t++ {
			if d.cRing[r] < floor {
				return false
			}
			if r++; r == d.ringLen {
				r = 0
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
	if d.learning || len(d.qpk) == 0 {
		return false
	}
	if len(d.qc) > 0 && d.lm >= d.p.qOr*d.qcMed {
		return true
	}
	return d.lm >= d.p.insGate*d.qMed
}

// cleanLevel is the clean QRS level: the median of the QRS levels of the
// beats accepted while not noisy (that of all beats until there is one).
func (d *Detector) cleanLevel() float64 {
	if len(d.qc) > 0 {
		return d.qcMed
	}
	return d.qMed
}

// wNoisy reports whether the wavelet gap fill acts: the signal is noisy
// and the mean envelope is at least wGate of the QRS level.
func (d *Detector) wNoisy() bool {
	return d.noisy() && d.lm >= d.p.wGate*d.qMed
}

// expected returns the fiducial the rhythm tracker expects next when
// the signal is noisy and the tracker follows a rhythm.
func (d *Detector) expected() (int64, bool) {
	if d.anchor < 0 || len(d.per) < 3 || !d.noisy() {
		return 0, false
	}
	return d.anchor + int64(math.Round(d.median(d.per))), true
}

// insert looks for the beats the rhythm expects before beat p is
// accepted (params.insGate): at up to maxSlots expected times, one period
// apart, more than insTol before p.
func (d *Detector) insert(p peak, emit func(Beat)) {
	e, ok := d.expected()
	if !ok || len(d.nq) == 0 {
		return
	}
	r := int64(math.Round(d.median(d.per)))
	for k := 0; k < int(d.p.maxSlots) && p.fid > e+d.insTol; k++ {
		if d.insertAt(e, p, emit) {
			e = d.anchor + int64(math.Round(d.median(d.per)))
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
		v, f = d.mfMax(lo, hi)
		lvl = d.p.mfK * d.median(d.mfq)
	} else {
		v, f = d.narrowMax(lo, hi)
		lvl = d.p.insK * d.median(d.nq)
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
		d.pushRR(float64(at - d.lastBeat))
	}
	d.lastBeat = at
	d.lastFid = f
	d.track(f)
	emit(Beat{Sample: f, Noisy: true})
}

// narrowMax returns the largest local maximum of the narrow envelope
// whose fiducial lies in [lo, hi], and that fiducial (-1 if none).
func (d *Detector) narrowMax(lo, hi int64) (float64, int64) {
	off := d.gd + int64(d.nw/2)
	lo = max(lo+off, d.n-int64(d.ringLen)+int64(d.nw+d.dk)+1)
	hi = min(hi+off, d.n-2)
	best, bt := -1.0, int64(-1)
	for t := lo; t <= hi; t++ {
		v := d.nRing[d.ringAt(t)]
		if v > best && v >= d.nRing[d.ringAt(t-1)] && v > d.nRing[d.ringAt(t+1)] {
			best, bt = v, t
		}
	}
	if bt < 0 {
		return -1, -1
	}
	fa, fi := -1.0, bt
	for t := bt - int64(d.nw+d.dk) + 1; t <= bt; t++ {
		if a := d.fRing[d.ringAt(t)]; a > fa {
			fa, fi = a, t
		}
	}
	return best, max(fi-d.gd, 0)
}

// combine returns the combined envelope: one lead's own, or the weighted
// sum of the leads' envelopes each clipped at clipLevel times its QRS
// level, so that an artifact in one lead cannot swamp the others.
func (d *Detector) combine() float64 {
	if len(d.leads) == 1 {
		return d.leads[0].m
	}
	var c float64
	for i := range d.leads {
		l := &d.leads[i]
		c += l.gain * math.Min(l.m, l.clip)
	}
	return c
}

// fillPeak records the slope and fiducial of peak p, the rings holding
// samples up to now (p.at <= now <= p.at+confirm).
func (d *Detector) fillPeak(p *peak, now int64) {
	n := p.at
	lo := max(n-int64(d.win+d.dk)+1, 0)
	best, bi := -1.0, n
	sl := 0.0
	L := int64(d.ringLen)
	// ring index of sample t is (pos(now) - (now - t)) mod L, where the
	// current position d.pos already points past now.
	r := (int64(d.pos) - 1 - (now - lo)) % L
	if r < 0 {
		r += L
	}
	for t := lo; t <= n; t++ {
		if a := d.fRing[r]; a > best {
			best, bi = a, t
		}
		if s := d.dRing[r]; s > sl {
			sl = s
		}
		if r++; r == L {
			r = 0
		}
	}
	p.slope = sl
	p.amp = best
	p.fid = max(bi-d.gd, 0)
}

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

func (d *Detector) isBeat(p peak) bool {
	if p.value <= d.threshold() {
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

func (d *Detector) noise(p peak) {
	d.npk, d.ni = pushRing(d.npk, d.ni, p.value)
	d.nMed = d.median(d.npk)
	if len(d.leads) > 1 {
		for i := range d.leads {
			l := &d.leads[i]
			l.nz, l.ni = pushRing(l.nz, l.ni, p.lv[i])
		}
		d.updateGains()
	}
	if len(d.pending) == maxPending {
		copy(d.pending, d.pending[1:])
		d.pending = d.pending[:maxPending-1]
	}
	d.pending = append(d.pending, p)
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
		d.insert(p, emit)
		if d.wOn() && d.lastFid >= 0 && len(d.wq) > 0 && d.wNoisy() {
			d.gapFill(p, emit)
		}
		if v := d.narrowAt(p.fid); v >= 0 {
			d.nq, d.nqi = pushRing(d.nq, d.nqi, v)
		}
		if d.wOn() {
			x := d.samples(wPeakWin)
			if v, f := d.wMax(p.fid-x, p.fid+x, false); f >= 0 {
				d.wq, d.wqi = pushRing(d.wq, d.wqi, v)
			}
		}
		if len(d.leads) == 1 && !noisyNow {
			d.learnTemplate(p.fid)
		}
		d.track(p.fid)
	}
	v := p.value
	if d.p.qRise > 0 && len(d.qpk) > 0 {
		v = math.Min(v, d.p.qRise*d.qMed)
	}
	if !noisyNow {
		d.qc, d.qci = pushRing(d.qc, d.qci, v)
	}
	d.qpk, d.qi = pushRing(d.qpk, d.qi, v)
	d.setLevels()
	if d.lastBeat >= 0 {
		d.pushRR(float64(p.at - d.lastBeat))
	}
	d.lastBeat = p.at
	d.lastSlope = p.slope
	d.pending = d.pending[:0]
	if len(d.leads) > 1 {
		for i := range d.leads {
			l := &d.leads[i]
			l.q, l.qi = pushRing(l.q, l.qi, p.lv[i])
		}
		d.updateGains()
	}
	if p.fid > d.lastFid {
		d.lastFid = p.fid
		// Trustworthy for the two-sided rhythm: accepted while the signal
		// was not noisy, or standing out of it.
		d.trustNext = !noisyNow || !noisy
		emit(Beat{Sample: p.fid, Noisy: noisy})
	}
}

// updateGains sets each lead's weight in the combined envelope: the
// inverse of its QRS level times its quality (Q-N)/(Q+N), normalised so
// that the weights of the qualities sum to one.
func (d *Detector) updateGains() {
	var wsum float64
	var w [MaxLeads]float64
	var q [MaxLeads]float64
	for i := range d.leads {
		l := &d.leads[i]
		q[i] = d.median(l.q)
		nz := d.median(l.nz)
		if q[i] > 0 {
			r := math.Min(q[i]/math.Max(nz, q[i]/maxSNR), maxSNR)
			w[i] = r * r
		}
		wsum += w[i]
	}
	for i := range d.leads {
		l := &d.leads[i]
		l.clip = clipLevel * q[i]
		if q[i] <= 0 {
			l.clip = math.Inf(1)
		}
		switch {
		case q[i] <= 0:
			l.gain = 0
		case wsum <= 0:
			l.gain = 1 / (q[i] * float64(len(d.leads)))
		default:
			l.gain = w[i] / (q[i] * wsum)
		}
		l.root = math.Sqrt(l.gain)
	}
}

func pushRing(r []float64, i int, v float64) ([]float64, int) {
	if len(r) < cap(r) {
		return append(r, v), 0
	}
	r[i] = v
	return r, (i + 1) % len(r)
}

// setLevels updates the medians of the QRS and noise levels.
func (d *Detector) setLevels() {
	d.qMed, d.qcMed, d.nMed = d.median(d.qpk), d.median(d.qc), d.median(d.npk)
}

// median returns the median of r (0 when empty), sorting a copy in the
// detector's scratch buffer.
func (d *Detector) median(r []float64) float64 {
	s := d.sorted[:len(r)]
	copy(s, r)
	return sortedMedian(s)
}

// sortedMedian sorts s in place and returns its median, 0 when s is empty.
// Short slices (the level histories, Polarity's baseline) are sorted by
// insertion with plain comparisons, several times faster than sort's
// generic path for them; s must not hold NaN.
func sortedMedian(s []float64) float64 {
	if len(s) == 0 {
		return 0
	}
	if len(s) <= 64 {
		for i := 1; i < len(s); i++ {
			v, j := s[i], i
			for ; j > 0 && s[j-1] > v; j-- {
				s[j] = s[j-1]
			}
			s[j] = v
		}
	} else {
		sort.Float64s(s)
	}
	h := len(s) / 2
	if len(s)%2 == 1 {
		return s[h]
	}
	return (s[h-1] + s[h]) / 2
}

func (d *Detector) threshold() float64 {
	q := d.qMed
	nz := d.nMed
	return nz + d.p.thresholdK*(q-nz)
}

// pushRR adds an RR interval (samples) to the history and updates its
// mean.
func (d *Detector) pushRR(v float64) {
	d.rr, d.ri = pushRing(d.rr, d.ri, v)
	var s float64
	for _, v := range d.rr {
		s += v
	}
	d.rrMean = s / float64(len(d.rr))
}

// meanRR returns the mean of the RR history in samples (1 s until
// known).
func (d *Detector) meanRR() float64 {
	if len(d.rr) == 0 {
		return d.fs
	}
	return d.rrMean
}

// searchBack takes the best pending peak when no beat was found for too
// long.
func (d *Detector) searchBack(n int64, emit func(Beat)) {
	if d.lastBeat < 0 || len(d.pending) == 0 {
		return
	}
	lim := min(int64(d.p.searchBackK*d.meanRR()), d.maxSearch)
	if n-d.lastBeat < lim {
		return
	}
	th := d.p.searchBackTh * d.threshold()
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
		// afresh.
		d.pending = d.pending[:0]
		return
	}
	p := d.pending[best]
	k := copy(d.pending, d.pending[best+1:])
	rest := d.pending[:k]
	// accept empties pending; keep the later peaks as candidates.
	var keep [maxPending]peak
	nk := copy(keep[:], rest)
	d.accept(p, emit)
	d.pending = append(d.pending, keep[:nk]...)
}

// endLearning sets the levels from the peaks of the first seconds and
// decides those peaks.
func (d *Detector) endLearning(emit func(Beat)) {
	d.learning = false
	if len(d.leads) > 1 {
		// Each lead's QRS level is its largest peak; the combined values
		// of the stored peaks are recomputed with the new weights.
		for i := range d.leads {
			var mx float64
			for _, p := range d.learnPks {
				mx = math.Max(mx, p.lv[i])
			}
			l := &d.leads[i]
			if mx > 0 {
				l.q = append(l.q[:0], mx)
			}
		}
		d.updateGains()
		for k := range d.learnPks {
			p := &d.learnPks[k]
			var c float64
			for i := range d.leads {
				c += d.leads[i].gain * math.Min(p.lv[i], d.leads[i].clip)
			}
			p.value = c
			p.slope = 0 // the slopes were weighted differently
		}
	}
	var mx float64
	for _, p := range d.learnPks {
		mx = math.Max(mx, p.value)
	}
	if mx > 0 {
		d.qpk = append(d.qpk[:0], mx)
		d.npk = append(d.npk[:0], 0)
		d.setLevels()
	}
	for _, p := range d.learnPks {
		d.classify(p, emit)
	}
	d.learnPks = d.learnPks[:0]
}
