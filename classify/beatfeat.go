package classify

import (
	"fmt"
	"math"
	"slices"

	"github.com/ecgkit/ecg/datasets/beats"
)

// Beat features in the manner of de Chazal et al. (2004): the RR context
// of each beat (previous, next, local and record-average RR), the RR
// intervals normalised by the record's average (what makes supraventricular
// beats separable between patients, whose heart rates differ), and the
// shape of the beat sampled at fixed times around its R peak after the
// baseline is removed with 200 ms and 600 ms median filters.

// BeatFeatureNames are the names of the columns BeatFeatures returns.
var BeatFeatureNames = func() []string {
	n := []string{"rr.prev", "rr.next", "rr.local", "rr.avg", "rr.prev/avg", "rr.next/avg", "rr.local/avg",
		"rr.prev/next", "rr.prev/local", "rr.next/local"}
	for i := range qrsOffsets {
		n = append(n, fmt.Sprintf("qrs.%+dms", int(qrsOffsets[i]*1000)))
	}
	for i := range tOffsets {
		n = append(n, fmt.Sprintf("t.%+dms", int(tOffsets[i]*1000)))
	}
	for i := range qrsOffsets {
		n = append(n, fmt.Sprintf("qrs.%+dms/amp", int(qrsOffsets[i]*1000)))
	}
	return append(n, "qrs.width", "qrs.energy", "qrs.amp", "qrs.amp/record", "qrs.corr.record")
}()

// Sample times of the QRS and T-wave shape, seconds from the R peak.
var (
	qrsOffsets = []float64{-0.05, -0.0389, -0.0278, -0.0167, -0.0056, 0.0056, 0.0167, 0.0278, 0.0389, 0.05, 0.075, 0.1}
	tOffsets   = []float64{0.15, 0.19, 0.23, 0.27, 0.31, 0.35, 0.39, 0.43, 0.47}
)

// localBeats is the number of preceding intervals averaged for the local
// RR.
const localBeats = 10

// RemoveBaseline returns x minus its baseline, estimated with a 200 ms
// median filter followed by a 600 ms median filter (de Chazal 2004).
func RemoveBaseline(x []float64, fs float64) []float64 {
	w1, w2 := baselineWidths(fs)
	b := medianFilter(x, w1)
	b = medianFilter(b, w2)
	out := make([]float64, len(x))
	for i := range x {
		out[i] = x[i] - b[i]
	}
	return out
}

// BeatSettings are the settings of a beat model's features, stored in
// the model (FeatureSpec.Beats) so that classifying computes them as
// training did. A model without them (nil: beat models before session
// 20) runs the baseline's filters at the signal's rate.
type BeatSettings struct {
	// BaselineHz is the rate, in Hz, the baseline's two median filters
	// (RemoveBaseline's 200 and 600 ms) run at: on every D-th sample,
	// D = floor(fs / BaselineHz) (at least 1; 1 is the signal's rate),
	// the baseline between those samples interpolated linearly. 0 runs
	// them at the signal's rate.
	BaselineHz float64 `json:"baseline_hz,omitempty"`
}

// maxBaselineHz bounds BeatSettings.BaselineHz: no rate beats.CheckRate
// accepts is higher.
const maxBaselineHz = beats.MaxFs

func (b *BeatSettings) check() error {
	if b != nil && !(b.BaselineHz >= 0 && b.BaselineHz <= maxBaselineHz) {
		return fmt.Errorf("features: beat baseline rate %v Hz (want 0 to %g)", b.BaselineHz, float64(maxBaselineHz))
	}
	return nil
}

// baselineStep returns D, the step between the samples the baseline's
// filters see in a signal at fs Hz (1 for all of them).
func (b *BeatSettings) baselineStep(fs float64) int {
	if b == nil || b.BaselineHz <= 0 || !(fs > b.BaselineHz) {
		return 1
	}
	return max(int(math.Min(fs/b.BaselineHz, 1<<20)), 1)
}

// removeBaseline removes from x (physical values, NaN where invalid) its
// baseline as the settings b say and returns the result, x itself when it
// could; keys are x's digital samples after keyRoom(fs) spare int32s (as
// BeatSignal keeps them), overwritten.
func (b *BeatSettings) removeBaseline(x []float64, keys []int32, fs float64) []float64 {
	if d := b.baselineStep(fs); d > 1 {
		if !finite(x) {
			x = fillInvalid(x)
		}
		return removeBaselineDecimated(x, keys[len(keys)-len(x):], fs, d)
	}
	if !removeBaselineKeyed(x, keys, fs) {
		x = RemoveBaseline(fillInvalid(x), fs)
	}
	return x
}

// finite reports whether every value of x is a number other than an
// infinity (fillInvalid's test, with one comparison a sample).
func finite(x []float64) bool {
	for _, v := range x {
		if v-v != 0 { // NaN or an infinity
			return false
		}
	}
	return true
}

// removeBaselineDecimated subtracts from x in place the baseline of its
// every d-th sample (samples 0, d, 2d, ...; RemoveBaseline's filters at
// fs/d Hz), linearly interpolated between them and held after the last,
// and returns x. keys are x's digital samples (the keyed medians when they
// qualify, removeBaselineKeyed; else the sorted windows).
func removeBaselineDecimated(x []float64, keys []int32, fs float64, d int) []float64 {
	m := (len(x) + d - 1) / d
	room := keyRoom(fs / float64(d))
	kd := make([]int32, room+m)
	for j := range m {
		kd[room+j] = keys[j*d]
	}
	return subtractDecimated(x, kd, fs, d)
}

// subtractDecimated is removeBaselineDecimated given the keys of x's
// every d-th sample alone, after keyRoom(fs/d) spare int32s (as
// Model.BeatSignal keeps them), overwritten.
func subtractDecimated(x []float64, kd []int32, fs float64, d int) []float64 {
	n := len(x)
	m := (n + d - 1) / d
	fd := fs / float64(d)
	xd := make([]float64, m)
	for j := range xd {
		xd[j] = x[j*d]
	}
	yd := slices.Clone(xd)
	if !removeBaselineKeyed(yd, kd, fd) {
		yd = RemoveBaseline(xd, fd)
	}
	for j := range m {
		b := xd[j] - yd[j]
		step := 0.0
		if j+1 < m {
			step = ((xd[j+1] - yd[j+1]) - b) / float64(d)
		}
		seg := x[j*d : min(j*d+d, n)]
		for i := range seg {
			seg[i] -= b + step*float64(i)
		}
	}
	return x
}

// baselineWidths returns the odd widths, in samples, of RemoveBaseline's
// two median filters at fs Hz.
func baselineWidths(fs float64) (w1, w2 int) {
	return int(math.Round(0.2*fs)) | 1, int(math.Round(0.6*fs)) | 1
}

// keyRoom returns the number of int32s removeBaselineKeyed wants before
// the keys of a signal at fs Hz to work in their room alone.
func keyRoom(fs float64) int {
	w1, w2 := baselineWidths(fs)
	return w1/2 + w2/2 + 2
}

// removeBaselineKeyed subtracts from x in place its baseline as
// RemoveBaseline estimates it, with the same values bit for bit, given
// keys that x is a strictly monotone function of (the digital samples
// whose physical values x holds), the last len(x) of buf: the medians are
// found among counts of keys (keyWindow) rather than in sorted windows.
// Where the second filter's window reaches the first's shrunken windows
// at either end (whose even lengths average two samples: values with no
// key), the sorted windows of medianFilter finish the job. The filters
// work in buf, whose keys are overwritten: with keyRoom(fs) int32s before
// the keys, in buf alone (each filter writes its output over input it no
// longer needs), else in a copy. It returns false and leaves x alone when
// the keys do not fit (keyValues) or x is too short.
func removeBaselineKeyed(x []float64, buf []int32, fs float64) bool {
	w1, w2 := baselineWidths(fs)
	h1, h2 := w1/2, w2/2
	n, edge := len(x), h1+2*h2+1 // the samples of b1 the ends need
	if n < 2*edge || len(buf) < n {
		return false
	}
	// bins[i] = buf[s+d+i]; the first filter writes b1[i] = buf[d+i] over
	// bins[i-s], out of its window (h1 = s-1) since the step before; the
	// second writes its bin of sample i to buf[i], over b1[i-d], out of
	// its window (h2 = d-1) likewise.
	s, d := h1+1, h2+1
	if len(buf) < n+s+d {
		buf = append(make([]int32, s+d, n+s+d), buf[len(buf)-n:]...)
	}
	buf = buf[len(buf)-n-s-d:]
	bins := buf[s+d:]
	val, ok := keyValues(x, bins)
	if !ok {
		return false
	}
	// The first filter: the bins of its medians where its window has its
	// full length (b1), and the values of the first and last edge.
	b1 := buf[d : d+n]
	head, tail := make([]float64, edge), make([]float64, edge)
	h := keyWindow{cnt: make([]int32, len(val))}
	lo, _ := h.ends(bins, val, h1, 0, 0, 0, edge, head, b1)
	h.remove(bins[lo])
	h.slide(bins, h1, edge, n-edge, b1)
	h.ends(bins, val, h1, n-edge-h1, n-edge+h1, n-edge, n, tail, b1)
	// The second, where its window holds only full first windows.
	clear(h.cnt)
	h.m, h.below = 0, 0
	for _, b := range b1[h1 : h1+2*h2] {
		h.add(b)
	}
	out := buf[:n]
	h.slide(b1, h2, h1+h2, n-h1-h2, out)
	for i := h1 + h2; i < n-h1-h2; i++ {
		x[i] -= val[out[i]]
	}
	for i, b := range medianFilter(head, w2)[:h1+h2] {
		x[i] -= b
	}
	for i, b := range medianFilter(tail, w2)[edge-h1-h2:] {
		x[n-h1-h2+i] -= b
	}
	return true
}

// medianFilter returns the running median of x over an odd window w,
// the window shrinking at the ends. The window is kept sorted; in the
// middle of x each step replaces its oldest sample by the next one.
func medianFilter(x []float64, w int) []float64 {
	h := w / 2
	out := make([]float64, len(x))
	win := make([]float64, 0, w)
	lo, hi := 0, 0 // window is x[lo:hi]
	for i := range x {
		nlo, nhi := max(i-h, 0), min(i+h+1, len(x))
		for ; hi < nhi && lo < nlo; hi, lo = hi+1, lo+1 {
			replaceSorted(win, x[lo], x[hi])
		}
		for ; hi < nhi; hi++ {
			j := lowerBound(win, x[hi])
			win = slices.Insert(win, j, x[hi])
		}
		for ; lo < nlo; lo++ {
			j := lowerBound(win, x[lo])
			win = slices.Delete(win, j, j+1)
		}
		n := len(win)
		if n%2 == 1 {
			out[i] = win[n/2]
		} else {
			out[i] = (win[n/2-1] + win[n/2]) / 2
		}
	}
	return out
}

// replaceSorted replaces old, a value of the sorted win, by v, keeping win
// sorted (in cmp.Less's order: NaN first).
func replaceSorted(win []float64, old, v float64) {
	i, j := lowerBound(win, old), lowerBound(win, v)
	if j > i {
		copy(win[i:j-1], win[i+1:j])
		win[j-1] = v
		return
	}
	copy(win[j+1:i+1], win[j:i])
	win[j] = v
}

// lowerBound returns the first index of the sorted s whose value is not
// less than v in cmp.Less's order (NaN first), as slices.BinarySearch does.
func lowerBound(s []float64, v float64) int {
	if v != v {
		return 0 // NaN: less than nothing
	}
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if e := s[m]; e < v || e != e {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// BeatFeatures returns one feature row (BeatFeatureNames) per beat of a
// single-lead signal x in mV at fs Hz, given the beats' R-peak samples r
// (ascending). The signal must already be free of baseline wander (see
// RemoveBaseline). The first beat has no previous RR and the last no
// next RR: those features are NaN.
func BeatFeatures(x []float64, fs float64, r []int64) [][]float64 {
	f := newBeatFeaturer(x, fs, r)
	out := make([][]float64, len(r))
	for i := range r {
		out[i] = f.row(make([]float64, 0, len(BeatFeatureNames)), i)
	}
	return out
}

// beatFeaturer holds what the feature rows of a record's beats need: the
// RR intervals (rr[i] ends at beat i), their record average, the offsets
// in samples of the QRS and T-wave samples, every beat's QRS samples
// (shapes, flat), amplitude, width and energy, and the record's median
// QRS shape and amplitude.
type beatFeaturer struct {
	x            []float64
	fs           float64
	r            []int64
	rr           []float64
	avg          float64
	qrsAt, tAt   []int64
	shapes, amps []float64
	widths       []int
	energies     []float64
	medShape     []float64
	medAmp       float64
}

func newBeatFeaturer(x []float64, fs float64, r []int64) *beatFeaturer {
	n := len(r)
	f := &beatFeaturer{x: x, fs: fs, r: r, rr: make([]float64, n)}
	for i := range f.rr {
		f.rr[i] = math.NaN()
		if i > 0 {
			f.rr[i] = float64(r[i]-r[i-1]) / fs
		}
	}
	if n > 1 {
		f.avg = float64(r[n-1]-r[0]) / fs / float64(n-1)
	}
	for _, off := range qrsOffsets {
		f.qrsAt = append(f.qrsAt, int64(math.Round(off*fs)))
	}
	for _, off := range tOffsets {
		f.tAt = append(f.tAt, int64(math.Round(off*fs)))
	}
	f.shapesOf()
	return f
}

// row appends beat i's feature row (BeatFeatureNames) to v.
func (f *beatFeaturer) row(v []float64, i int) []float64 {
	nan := math.NaN()
	n, p := len(f.r), f.r[i]
	prev, next := f.rr[i], nan
	if i+1 < n {
		next = f.rr[i+1]
	}
	local, cnt := 0.0, 0
	for j := i; j > 0 && j > i-localBeats; j-- {
		local += f.rr[j]
		cnt++
	}
	if cnt > 0 {
		local /= float64(cnt)
	} else {
		local = nan
	}
	avg := f.avg
	v = append(v, prev, next, local, avg, posRatio(prev, avg), posRatio(next, avg), posRatio(local, avg),
		posRatio(prev, next), posRatio(prev, local), posRatio(next, local))
	shape := f.shapes[i*len(qrsOffsets) : (i+1)*len(qrsOffsets)]
	v = append(v, shape...)
	for _, d := range f.tAt {
		v = append(v, sampleAt(f.x, p+d))
	}
	amp := f.amps[i]
	for _, s := range shape {
		v = append(v, posRatio(s, amp))
	}
	return append(v, float64(f.widths[i])/f.fs, f.energies[i]/f.fs, amp, posRatio(amp, f.medAmp), pearsonNaN(shape, f.medShape))
}

// posRatio is a/b, NaN unless b > 0.
func posRatio(a, b float64) float64 {
	if !(b > 0) {
		return math.NaN()
	}
	return a / b
}

// sampleAt returns x[s], NaN outside x.
func sampleAt(x []float64, s int64) float64 {
	if s < 0 || s >= int64(len(x)) {
		return math.NaN()
	}
	return x[s]
}

// shapesOf finds every beat's samples at qrsOffsets, its QRS amplitude
// (peak to peak within -50..+100 ms), width and energy (qrsWidthEnergy),
// and the record-level shape reference: the median beat over those
// samples and the median QRS amplitude.
func (f *beatFeaturer) shapesOf() {
	x, fs, n, k := f.x, f.fs, len(f.r), len(qrsOffsets)
	f.shapes, f.amps = make([]float64, n*k), make([]float64, n)
	f.widths, f.energies = make([]int, n), make([]float64, n)
	for i, p := range f.r {
		s := f.shapes[i*k : (i+1)*k]
		for j, d := range f.qrsAt {
			s[j] = sampleAt(x, p+d)
		}
		f.amps[i], f.widths[i], f.energies[i] = qrsMeasures(span(x, p-int64(0.05*fs), p+int64(0.1*fs)))
	}
	f.medShape = make([]float64, k)
	col := make([]float64, 0, n)
	for j := range f.medShape {
		col = col[:0]
		for i := range n {
			if v := f.shapes[i*k+j]; !math.IsNaN(v) {
				col = append(col, v)
			}
		}
		f.medShape[j] = sortedMedian(col)
	}
	f.medAmp = sortedMedian(slices.Clone(f.amps))
}

// span returns the samples of x from a to b (inclusive) that x has.
func span(x []float64, a, b int64) []float64 {
	a, b = max(a, 0), min(b+1, int64(len(x)))
	if a >= b {
		return nil
	}
	return x[a:b]
}

// sortedMedian returns quantileSorted(s, 0.5) of s sorted, reordering s:
// the two middle ranks found by selection (selectKth, on a copy), or by
// sorting s when it holds NaN or a middle value is zero (a sort places
// -0 and +0 by their order in s: so the result is the same bit for bit).
func sortedMedian(s []float64) float64 {
	n := len(s)
	if n < 3 || slices.ContainsFunc(s, func(v float64) bool { return v != v }) {
		slices.Sort(s)
		return quantileSorted(s, 0.5)
	}
	i := int(0.5 * float64(n-1))
	w := slices.Clone(s)
	a := selectKth(w, i)
	b := slices.Min(w[i+1:])
	if a == 0 || b == 0 {
		slices.Sort(s)
		return quantileSorted(s, 0.5)
	}
	f := 0.5*float64(n-1) - float64(i)
	return a*(1-f) + b*f // as quantileSorted
}

// qrsMeasures returns, over win (a beat's samples from -50 to +100 ms
// that the signal has; NaN neither counted nor summed), the QRS amplitude
// (peak to peak, min and max as math.Min and math.Max), the QRS width in
// samples (how long the rectified signal stays at or above half its peak)
// and the energy.
func qrsMeasures(win []float64) (amp float64, w int, e float64) {
	lo, hi, peak := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range win {
		if a := math.Abs(v); a == a {
			lo, hi = min(lo, v), max(hi, v)
			peak = max(peak, a) // as math.Max
			e += a * a
		}
	}
	for _, v := range win {
		if math.Abs(v) >= peak/2 {
			w++
		}
	}
	return hi - lo, w, e
}

// pearsonNaN is the correlation of a and b, NaN when either has NaN or
// no variance.
func pearsonNaN(a, b []float64) float64 {
	for i := range a {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			return math.NaN()
		}
	}
	_, sa := meanStd(a)
	_, sb := meanStd(b)
	if sa == 0 || sb == 0 {
		return math.NaN()
	}
	return pearson(a, b)
}
