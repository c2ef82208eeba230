package classify

import (
	"fmt"
	"math"
	"slices"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/spectro"
)

// SignalFeatures are the settings of the features computed from a
// single-lead signal segment of any length and sampling rate: rhythm
// features from the RR intervals of the beats our detector finds
// (datasets/beats), QRS morphology features from those beats, and band
// powers of the signal's spectrogram. Every duration is in seconds and
// every frequency in Hz, so the features mean the same at any rate.
type SignalFeatures struct {
	// FeatureSet is the version of the feature list: 1 (written as 0 or
	// left out by models made before versions existed) is the original 56
	// features; 2 adds the atrial-fibrillation and pacing features of
	// signalfeat_rhythm.go after them (69); 3 is set 2 without the
	// features that describe the recording more than the rhythm (the QRS
	// template samples, the spectrogram band powers, the signal's
	// amplitude: 37 features), which grouped cross-validation on mitdb
	// preferred (docs/rhythm.md) and which depend less on the device's
	// filters, gain and electrode placement; 4 is set 3 with the interval
	// features taken only from intervals between two clean beats (not
	// beats.Beat.Noisy), so that beats found in noise do not make a
	// regular rhythm look irregular (docs/rhythm.md); 5 is set 4 with
	// features for the other rhythms and noisy recordings of wearables
	// after it (ectopy and rate extremes, signalfeat_ectopy.go; beat shape,
	// signalfeat_beatshape.go; signal quality, signalfeat_quality.go: 68
	// features); 6 is set 5 with the median beat's samples after it
	// (signalfeat_template.go); 7 is set 5 without its two pacing features
	// (signalfeat_set7.go: 66). A model predicts with the set it was trained
	// with; a set this build does not know is refused.
	FeatureSet int `json:"feature_set,omitempty"`
	// QRSHalfWidth is the half-width in seconds of the window around each
	// detected beat whose shape is compared with the median beat (default
	// 0.1).
	QRSHalfWidth float64 `json:"qrs_half_width"`
	// Bands are the edges in Hz of the spectrogram bands whose relative
	// power are features (default 0.5 3 6 10 15 25 40).
	Bands []float64 `json:"bands"`
	// Window, SegmentSeconds and Overlap are the spectrogram settings
	// (see SpectroParams): default "hann", 0.7 s (256 samples at 360 Hz),
	// 0.5.
	Window         string  `json:"window"`
	SegmentSeconds float64 `json:"segment_seconds"`
	Overlap        float64 `json:"overlap"`
	// Crops, when more than 0, makes a signal's vector hold 1+Crops
	// views of it, one after the other: the features of the whole signal,
	// then those of Crops windows of CropShare of its length spread evenly
	// from its start to its end (a window shorter than MinCropSeconds is
	// the whole signal again). A model trains on each view as a row of its
	// own and scores a signal by the normalised geometric mean of its
	// views' probabilities (signalfeat_views.go; docs/rhythm.md, session
	// 24); gbdt, or the forest (whose bootstrap then draws records:
	// TrainForestGrouped). 0 (models before crops): the whole signal only.
	Crops int `json:"crops,omitempty"`
	// CropShare is the crops' share of the signal's length, 0.3 to 0.95
	// (0 without crops).
	CropShare float64 `json:"crop_share,omitempty"`
	// MainsNotch removes mains interference before any feature (and
	// before the crops are cut): each line at a multiple of 50 or 60 Hz
	// that stands MainsRatio times above its neighbours is notched out
	// (signalfeat_mains.go); a signal without one is read bit for bit as
	// without the setting. false (models before session 25): the signal
	// as it is.
	MainsNotch bool `json:"mains_notch,omitempty"`
}

// DefaultSignalFeatures returns the default signal feature settings, of
// feature set DefaultSignalFeatureSet.
func DefaultSignalFeatures() SignalFeatures {
	return SignalFeatures{FeatureSet: DefaultSignalFeatureSet, QRSHalfWidth: 0.1, Bands: []float64{0.5, 3, 6, 10, 15, 25, 40}, Window: "hann", SegmentSeconds: 0.7, Overlap: 0.5}
}

// LatestSignalFeatureSet is the newest signal feature set this build
// computes (see SignalFeatures.FeatureSet).
const LatestSignalFeatureSet = 7

// DefaultSignalFeatureSet is the feature set of DefaultSignalFeatures
// (the library's default, ecg train's for the forest and make model's).
const DefaultSignalFeatureSet = 5

// TrainSignalFeatureSet is the feature set ecg train gives records it
// trains gbdt on when --feature-set is not given (since session 25; 5
// before). The forest keeps DefaultSignalFeatureSet: without the pacing
// features it found MIT-BIH's AF less well (docs/rhythm.md).
const TrainSignalFeatureSet = pacingFreeSet

// set returns the feature set, 1 for models written before sets existed.
func (o SignalFeatures) set() int { return max(o.FeatureSet, 1) }

// SignalSpec returns the feature settings for signals.
func SignalSpec(o SignalFeatures) FeatureSpec { return FeatureSpec{Input: InputSignal, Signal: &o} }

const (
	qrsPoints = 16
	// MaxSignalSamples bounds the length of a signal PredictSignal takes
	// (24 hours at 1 kHz).
	MaxSignalSamples = 24 * 3600 * 1000
)

func (o SignalFeatures) check() error {
	if o.FeatureSet < 0 || o.FeatureSet > LatestSignalFeatureSet {
		return fmt.Errorf("signal features: feature set %d is unknown to this build (it knows 1 to %d): use a newer ecg", o.FeatureSet, LatestSignalFeatureSet)
	}
	if !(o.QRSHalfWidth >= 0.02 && o.QRSHalfWidth <= 0.5) {
		return fmt.Errorf("signal features: QRS half-width %v s out of 0.02-0.5", o.QRSHalfWidth)
	}
	if len(o.Bands) < 2 || len(o.Bands) > 64 {
		return fmt.Errorf("signal features: %d band edges (want 2 to 64)", len(o.Bands))
	}
	for i, b := range o.Bands {
		if !(b >= 0 && b <= 1000) || (i > 0 && b <= o.Bands[i-1]) {
			return fmt.Errorf("signal features: band edges must increase within 0-1000 Hz")
		}
	}
	if !(o.SegmentSeconds >= 0.05 && o.SegmentSeconds <= 30) || !(o.Overlap >= 0 && o.Overlap < 1) {
		return fmt.Errorf("signal features: segment %v s, overlap %v out of range", o.SegmentSeconds, o.Overlap)
	}
	if _, err := spectro.Window(o.Window, 16); err != nil {
		return fmt.Errorf("signal features: %w", err)
	}
	return o.checkCrops()
}

var rrFeatureNames = []string{
	"beats.per.s", "hr.mean", "rr.median", "rr.min/median", "rr.max/median", "rr.cv", "rr.rmssd/mean",
	"rr.pnn50", "rr.pdiff12", "rr.sd1/sd2", "rr.dmad/median", "rr.turning", "rr.alternation",
	"rr.premature", "rr.entropy", "rr.iqr/median",
}

var morphFeatureNames = []string{
	"qrs.corr.mean", "qrs.corr.min", "qrs.corr.p10", "qrs.low.corr", "qrs.amp.cv", "qrs.width.median", "qrs.width.max/median",
	"qrs.energy.cv",
}

// Names returns the names of the signal features in order.
func (o SignalFeatures) Names() []string {
	if drop := o.leftOut(); drop != nil {
		return withoutIndices(o.computedAs().Names(), drop)
	}
	n := slices.Clone(rrFeatureNames)
	n = append(n, morphFeatureNames...)
	if o.set() >= 3 {
		n = append(n, rhythmFeatureNames...)
		if o.set() >= 5 {
			n = append(n, ectopyFeatureNames...)
			n = append(n, beatShapeFeatureNames...)
			n = append(n, qualityFeatureNames...)
		}
		if o.set() >= 6 {
			n = append(n, templateFeatureNames...)
		}
		return n
	}
	for i := 0; i < qrsPoints; i++ {
		n = append(n, fmt.Sprintf("qrs.template.%d", i))
	}
	for i := 0; i+1 < len(o.Bands); i++ {
		n = append(n, fmt.Sprintf("spec.%g-%gHz.rel", o.Bands[i], o.Bands[i+1]))
	}
	for i := 0; i+1 < len(o.Bands); i++ {
		n = append(n, fmt.Sprintf("spec.%g-%gHz.cv", o.Bands[i], o.Bands[i+1]))
	}
	n = append(n, "spec.entropy", "spec.peak.hz", "signal.std", "signal.range")
	if o.set() >= 2 {
		n = append(n, rhythmFeatureNames...)
	}
	return n
}

// SignalVector returns the feature vector of a single-lead signal x in mV
// sampled at fs Hz. NaN samples (invalid) are replaced by the previous
// valid value.
func (s FeatureSpec) SignalVector(x []float64, fs float64) ([]float64, error) {
	if s.Input != InputSignal || s.Signal == nil {
		return nil, fmt.Errorf("classify: the model takes %s input, not signals", s.Input)
	}
	if !(fs > 0 && fs <= 1e6) {
		return nil, fmt.Errorf("classify: sampling frequency %v Hz", fs)
	}
	if len(x) > MaxSignalSamples {
		return nil, fmt.Errorf("classify: %d samples is more than %d", len(x), MaxSignalSamples)
	}
	if float64(len(x)) < 2*fs {
		return nil, fmt.Errorf("classify: signal of %.2f s is shorter than 2 s", float64(len(x))/fs)
	}
	x = fillInvalid(x)
	if s.Signal.MainsNotch {
		x = removeMains(x, fs)
	}
	if s.Signal.Crops > 0 {
		return s.Signal.viewsVector(x, fs), nil
	}
	return s.Signal.vector(x, fs), nil
}

// vector returns the features of the whole of x (mV at fs Hz, no NaN,
// at least 2 s): one view.
func (o SignalFeatures) vector(x []float64, fs float64) []float64 {
	if drop := o.leftOut(); drop != nil {
		return withoutIndices(o.computedAs().vector(x, fs), drop)
	}
	bs := beats.Detect(x, fs)
	at := make([]int64, len(bs))
	var clean []bool // set 4: intervals between clean beats only
	if o.set() >= 4 {
		clean = make([]bool, len(bs))
	}
	for i, b := range bs {
		at[i] = b.Sample
		if clean != nil {
			clean[i] = !b.Noisy
		}
	}
	v := make([]float64, 0, 128)
	v = rrFeatures(v, at, clean, fs, float64(len(x))/fs)
	v = morphFeatures(v, x, at, fs, o.QRSHalfWidth)
	if o.set() >= 3 {
		// Without the template samples and the spectrogram.
		var bp []float64
		if o.set() >= 5 {
			bp = bandpass(x, fs, 0.5, 40)
		}
		v = append(v[:len(rrFeatureNames)+len(morphFeatureNames)], rhythmFeatures(nil, x, bp, at, fs)...)
		if o.set() >= 5 {
			v = wearableFeatures(v, o.set(), x, bp, bs, at, clean, fs)
		}
		return v
	}
	v = o.spectralFeatures(v, x, fs)
	if o.set() >= 2 {
		v = rhythmFeatures(v, x, nil, at, fs)
	}
	return v
}

// wearableFeatures appends the features set 5 adds to set 4 (ectopy and
// rate extremes, beat shape, signal quality), and set 6's template
// features after them when set is 6 or more, of x (mV at fs Hz),
// band-passed 0.5-40 Hz as bp, with beats bs at (samples) and clean as
// set 4 takes them; an Inf becomes NaN.
func wearableFeatures(v []float64, set int, x, bp []float64, bs []beats.Beat, at []int64, clean []bool, fs float64) []float64 {
	n0 := len(v)
	rr, next := rrIntervals(at, clean, fs)
	all, nextAll := rrIntervals(at, nil, fs)
	v = ectopyFeatures(v, rr, next, all, nextAll, float64(len(x))/fs)
	wins, pre := beatWindows(bp, at, fs)
	var tmpl []float64
	if len(wins) >= 3 {
		tmpl = medianTemplate(wins)
	}
	v = beatShapeFeatures(v, wins, tmpl, pre, fs)
	v = qualityFeatures(v, x, bp, bs, fs)
	if set >= 6 {
		v = templateFeatures(v, tmpl, pre, fs)
	}
	for i := n0; i < len(v); i++ {
		if math.IsInf(v[i], 0) {
			v[i] = math.NaN()
		}
	}
	return v
}

// fillInvalid returns x with NaN samples replaced by the last valid value
// (0 before the first); x itself is returned when it has none.
func fillInvalid(x []float64) []float64 {
	bad := false
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			bad = true
			break
		}
	}
	if !bad {
		return x
	}
	y := make([]float64, len(x))
	last := 0.0
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = last
		}
		y[i], last = v, v
	}
	return y
}

// rrFeatures appends the rhythm features of beats at (samples). With
// clean (feature set 4), only the intervals between two consecutive clean
// beats count, and the features of successive intervals (differences,
// turning points, alternation, premature beats) only pairs and triples of
// intervals that follow each other; with clean nil every interval counts.
func rrFeatures(v []float64, at []int64, clean []bool, fs, dur float64) []float64 {
	nan := math.NaN()
	rr, next := rrIntervals(at, clean, fs)
	v = append(v, float64(len(at))/dur)
	if len(rr) < 2 {
		for range rrFeatureNames[1:] {
			v = append(v, nan)
		}
		return v
	}
	sorted := slices.Clone(rr)
	slices.Sort(sorted)
	med := quantileSorted(sorted, 0.5)
	mu, sd := meanStd(rr)
	diffs := successiveDiffs(rr, next)
	d := diffs.d
	if len(d) == 0 {
		v = append(v, 60/mu, med, sorted[0]/med, sorted[len(sorted)-1]/med, sd/mu)
		for range rrFeatureNames[6:] {
			v = append(v, nan)
		}
		return v
	}
	nd := float64(len(d))
	rmssd := math.Sqrt(diffs.sq / nd)
	// Poincaré: SD1 from successive differences, SD2 from sums.
	_, sdd := meanStd(d)
	sd1 := sdd / math.Sqrt2
	sd2sq := 2*sd*sd - sd1*sd1
	ratio := 0.0
	if sd2sq > 1e-12 {
		ratio = sd1 / math.Sqrt(sd2sq)
	}
	ad := make([]float64, len(d))
	for i, x := range d {
		ad[i] = math.Abs(x)
	}
	slices.Sort(ad)
	turning, triples, alt, pairs := rrTurns(rr, next, d, diffs.dnext)
	v = append(v, 60/mu, med, sorted[0]/med, sorted[len(sorted)-1]/med, sd/mu, rmssd/mu,
		diffs.nn50/nd, diffs.d12/nd, ratio, quantileSorted(ad, 0.5)/med, turning/math.Max(triples, 1), alt/math.Max(pairs, 1),
		prematureBeats(rr, next, med)/float64(len(rr)), rrEntropy(rr, med), (quantileSorted(sorted, 0.75)-quantileSorted(sorted, 0.25))/med)
	return v
}

// rrIntervals returns the RR intervals in seconds of beats at (samples),
// only those between two clean beats when clean is not nil, and for each
// whether the next interval directly follows it (they share a beat).
func rrIntervals(at []int64, clean []bool, fs float64) (rr []float64, next []bool) {
	rr = make([]float64, 0, len(at))
	next = make([]bool, 0, len(at))
	for i := 1; i < len(at); i++ {
		if clean != nil && (!clean[i-1] || !clean[i]) {
			if len(next) > 0 {
				next[len(next)-1] = false
			}
			continue
		}
		rr = append(rr, float64(at[i]-at[i-1])/fs)
		next = append(next, true)
	}
	if len(next) > 0 {
		next[len(next)-1] = false
	}
	return rr, next
}

// rrDiffs are the differences of pairs of successive intervals.
type rrDiffs struct {
	// d[k] is the difference of a pair of successive intervals; dnext[k]:
	// the pair after it shares its second interval.
	d     []float64
	dnext []bool
	// sq sums the squared differences; nn50 counts those over 50 ms, d12
	// those over 12.5 % of the first interval of the pair.
	sq, nn50, d12 float64
}

// successiveDiffs returns the differences of the pairs of intervals that
// follow each other.
func successiveDiffs(rr []float64, next []bool) rrDiffs {
	var s rrDiffs
	s.d = make([]float64, 0, len(rr))
	s.dnext = make([]bool, 0, len(rr))
	for i := 1; i < len(rr); i++ {
		if !next[i-1] {
			continue
		}
		dd := rr[i] - rr[i-1]
		s.d = append(s.d, dd)
		s.dnext = append(s.dnext, i+1 < len(rr) && next[i])
		s.sq += dd * dd
		if math.Abs(dd) > 0.05 {
			s.nn50++
		}
		if math.Abs(dd) > 0.125*rr[i-1] {
			s.d12++
		}
	}
	return s
}

// rrTurns counts the triples of successive intervals and those whose
// middle one is a turning point (longer or shorter than both
// neighbours), and the pairs of successive differences and those that
// alternate in sign.
func rrTurns(rr []float64, next []bool, d []float64, dnext []bool) (turning, triples, alt, pairs float64) {
	for i := 1; i+1 < len(rr); i++ {
		if !next[i-1] || !next[i] {
			continue
		}
		triples++
		if (rr[i] > rr[i-1] && rr[i] > rr[i+1]) || (rr[i] < rr[i-1] && rr[i] < rr[i+1]) {
			turning++
		}
	}
	for k := 1; k < len(d); k++ {
		if !dnext[k-1] {
			continue
		}
		pairs++
		if d[k]*d[k-1] < 0 {
			alt++
		}
	}
	return turning, triples, alt, pairs
}

// prematureBeats counts premature beats: an interval < 85 % of the
// median med followed by one > 110 % of it (the compensatory pause of an
// ectopic beat).
func prematureBeats(rr []float64, next []bool, med float64) float64 {
	prem := 0.0
	for i := 0; i+1 < len(rr); i++ {
		if next[i] && rr[i] < 0.85*med && rr[i+1] > 1.1*med {
			prem++
		}
	}
	return prem
}

// rrEntropy is the entropy in bits of RR / median in 16 bins over
// 0.4-1.6.
func rrEntropy(rr []float64, med float64) float64 {
	var hist [16]float64
	for _, r := range rr {
		b := int((r/med - 0.4) / 1.2 * 16)
		hist[min(max(b, 0), 15)]++
	}
	ent := 0.0
	for _, h := range hist {
		if h > 0 {
			p := h / float64(len(rr))
			ent -= p * math.Log2(p)
		}
	}
	return ent
}

// morphFeatures appends QRS shape features: every beat's window of
// +-half seconds, resampled to qrsPoints points and centred, is correlated
// with the median beat.
func morphFeatures(v []float64, x []float64, at []int64, fs, half float64) []float64 {
	h := int(math.Round(half * fs))
	var wins [][]float64
	var amps, widths, energies []float64
	for _, a := range at {
		lo, hi := int(a)-h, int(a)+h
		if lo < 0 || hi >= len(x) || h < 2 {
			continue
		}
		seg := x[lo : hi+1]
		mu, _ := meanStd(seg)
		w := make([]float64, qrsPoints)
		for i := range w {
			pos := float64(i) * float64(len(seg)-1) / float64(qrsPoints-1)
			j := int(pos)
			f := pos - float64(j)
			if j+1 < len(seg) {
				w[i] = seg[j]*(1-f) + seg[j+1]*f - mu
			} else {
				w[i] = seg[j] - mu
			}
		}
		wins = append(wins, w)
		// amplitude: peak-to-peak; width: samples above half the largest
		// deviation from the window mean; energy: sum of squares.
		lo2, hi2, peak, e := seg[0], seg[0], 0.0, 0.0
		for _, s := range seg {
			lo2, hi2 = math.Min(lo2, s), math.Max(hi2, s)
			peak = math.Max(peak, math.Abs(s-mu))
			e += (s - mu) * (s - mu)
		}
		n := 0
		for _, s := range seg {
			if math.Abs(s-mu) >= peak/2 {
				n++
			}
		}
		amps = append(amps, hi2-lo2)
		widths = append(widths, float64(n)/fs)
		energies = append(energies, e/fs)
	}
	nan := math.NaN()
	if len(wins) < 2 {
		for range morphFeatureNames {
			v = append(v, nan)
		}
		for i := 0; i < qrsPoints; i++ {
			v = append(v, nan)
		}
		return v
	}
	tmpl := make([]float64, qrsPoints)
	col := make([]float64, len(wins))
	for i := range tmpl {
		for j, w := range wins {
			col[j] = w[i]
		}
		slices.Sort(col)
		tmpl[i] = quantileSorted(col, 0.5)
	}
	corr := make([]float64, len(wins))
	low := 0.0
	for j, w := range wins {
		corr[j] = pearson(w, tmpl)
		if corr[j] < 0.8 {
			low++
		}
	}
	cm, _ := meanStd(corr)
	slices.Sort(corr)
	am, asd := meanStd(amps)
	slices.Sort(widths)
	wm := quantileSorted(widths, 0.5)
	em, esd := meanStd(energies)
	v = append(v, cm, corr[0], quantileSorted(corr, 0.1), low/float64(len(wins)),
		safeDiv(asd, am), wm, safeDiv(widths[len(widths)-1], wm), safeDiv(esd, em))
	// The template, scaled to unit peak so that gain does not matter.
	peak := 0.0
	for _, t := range tmpl {
		peak = math.Max(peak, math.Abs(t))
	}
	for _, t := range tmpl {
		v = append(v, safeDiv(t, peak))
	}
	return v
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func pearson(a, b []float64) float64 {
	ma, sa := meanStd(a)
	mb, sb := meanStd(b)
	if sa == 0 || sb == 0 {
		return 0
	}
	s := 0.0
	for i := range a {
		s += (a[i] - ma) * (b[i] - mb)
	}
	return s / float64(len(a)) / (sa * sb)
}
