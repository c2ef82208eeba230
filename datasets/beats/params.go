package beats

// Detector parameters in seconds or fractions, independent of the rate.
const (
	derivLag    = 0.010 // s, slope lag
	refractory  = 0.200 // s, no two beats closer than this
	twaveWindow = 0.360 // s, a peak closer than this to a beat must be steep
	twaveSlope  = 0.5   // fraction of the previous beat's slope
	maxSearch   = 3.0   // s, search back no later than this after a beat
	learnTime   = 2.0   // s, initial learning period
	lostLong    = 8.0   // s, no beat for this long: the levels are learnt again (relearn)
	lostBeats   = 3     // fewer beats than this since the levels were learnt: after maxSearch already
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
