package classify

import (
	"math"
	"slices"
)

// Feature set 2: rhythm features from the literature on detecting atrial
// fibrillation (AF) and paced rhythm in short single-lead recordings. All
// are ratios or shapes, so they mean the same at any sampling rate, gain
// and length; a window with too few beats (or no usable interval) gives
// NaN, which the forest sends right of every split.
//
// RR irregularity (beats from datasets/beats):
//   - rr.sampen, rr.cosen: sample entropy of the RR series with m = 1 and
//     tolerance r = 30 ms, and the coefficient of sample entropy
//     COSEn = SampEn + ln(2r) - ln(mean RR) (Lake & Moorman 2011, "Accurate
//     estimation of entropy in very short physiological time series: the
//     problem of atrial fibrillation detection in implanted ventricular
//     devices"). With no match of length 2 the count is taken as 1/2 (an
//     upper bound that keeps short windows finite).
//   - rr.lorenz.cells: the share of distinct cells that the Lorenz
//     (Poincaré difference) plot points (dRR_i, dRR_i+1) occupy on a grid
//     of 4 % of the mean RR (Sarkar et al. 2008 count such cells: regular
//     rhythm clusters at the origin, bigeminy in a few clusters, AF
//     scatters); rr.lorenz.radius is their median distance from the origin
//     over the mean RR.
//   - rr.pnn20: share of successive differences > 20 ms (pNN50 is in set 1).
//
// Atrial activity (the signal band-passed 0.5-40 Hz by Butterworth
// biquads run forwards and backwards):
//   - p.corr.median, p.present: every beat's pre-QRS window (300 to 70 ms
//     before the fiducial point, linearly detrended, 24 points) is
//     correlated with the mean of the other beats' windows (leave one out,
//     so the count of beats does not bias it): its median, and the share of
//     beats above 0.5. A P wave repeats before every QRS; fibrillatory
//     waves do not.
//   - p.amp/qrs: peak-to-peak of the mean pre-QRS window over the median
//     QRS peak-to-peak.
//   - aa.tq.rel49, aa.tq.rms49/qrs: in the TQ intervals (from the end of
//     the T wave, 0.42 sqrt(RR) s after a beat, to 250 ms before the next
//     one, where sinus rhythm has neither T nor P wave; intervals under
//     100 ms are skipped), the power of the 4-9 Hz band (where
//     fibrillatory waves are) over that of 0.5-40 Hz, and its RMS over the
//     median QRS peak-to-peak; aa.tq.usable is the share of intervals long
//     enough.
//
// Pacing (raw signal): a pacemaker spike is a deflection of 0.5-2 ms just
// before the QRS, far narrower than any QRS wave. pace.spike/qrs is the
// median over beats of the largest |x[n] - (x[n-k] + x[n+k])/2| (k the
// samples in 4 ms, at least one) from 150 ms before to 30 ms after the
// fiducial point, over the beat's QRS peak-to-peak; pace.spiky is the
// share of beats where it exceeds 0.3.
var rhythmFeatureNames = []string{
	"rr.sampen", "rr.cosen", "rr.lorenz.cells", "rr.lorenz.radius", "rr.pnn20",
	"p.corr.median", "p.present", "p.amp/qrs",
	"aa.tq.rel49", "aa.tq.rms49/qrs", "aa.tq.usable",
	"pace.spike/qrs", "pace.spiky",
}

// rhythmFeatures appends the feature set 2 features of x (mV at fs Hz)
// with beats at (samples); bp is x band-passed 0.5-40 Hz (bandpass), nil
// to compute it here.
func rhythmFeatures(v []float64, x, bp []float64, at []int64, fs float64) []float64 {
	n0 := len(v)
	v = rrIrregularity(v, at, fs)
	if bp == nil {
		bp = bandpass(x, fs, 0.5, 40)
	}
	qrs := qrsAmplitudes(bp, at, fs)
	qrsMed := math.NaN()
	if len(qrs) > 0 {
		s := slices.Clone(qrs)
		slices.Sort(s)
		qrsMed = quantileSorted(s, 0.5)
	}
	v = pWaveFeatures(v, bp, at, fs, qrsMed)
	v = tqFeatures(v, x, bp, at, fs, qrsMed)
	v = pacingFeatures(v, x, at, fs)
	for i := n0; i < len(v); i++ {
		if math.IsInf(v[i], 0) {
			v[i] = math.NaN()
		}
	}
	return v
}

func rrIrregularity(v []float64, at []int64, fs float64) []float64 {
	nan := math.NaN()
	rr := make([]float64, 0, len(at))
	for i := 1; i < len(at); i++ {
		rr = append(rr, float64(at[i]-at[i-1])/fs)
	}
	if len(rr) < 3 {
		return append(v, nan, nan, nan, nan, nan)
	}
	mu, _ := meanStd(rr)
	// Sample entropy, m = 1, r = 30 ms: B counts pairs of length-1
	// templates within r, A those still within r at length 2 (templates
	// starting at 0 .. len-2 for both, as Richman & Moorman 2000).
	const r = 0.030
	var a, b float64
	for i := 0; i+1 < len(rr); i++ {
		for j := i + 1; j+1 < len(rr); j++ {
			if math.Abs(rr[i]-rr[j]) <= r {
				b++
				if math.Abs(rr[i+1]-rr[j+1]) <= r {
					a++
				}
			}
		}
	}
	sampen := nan
	if b > 0 {
		sampen = -math.Log(math.Max(a, 0.5) / b)
	}
	cosen := sampen + math.Log(2*r) - math.Log(mu)
	// Lorenz plot of successive differences.
	d := make([]float64, len(rr)-1)
	nn20 := 0.0
	for i := 1; i < len(rr); i++ {
		d[i-1] = rr[i] - rr[i-1]
		if math.Abs(d[i-1]) > 0.02 {
			nn20++
		}
	}
	cell := 0.04 * mu
	cells := map[[2]int64]bool{}
	radius := make([]float64, 0, len(d))
	for i := 0; i+1 < len(d); i++ {
		cells[[2]int64{int64(math.Floor(d[i] / cell)), int64(math.Floor(d[i+1] / cell))}] = true
		radius = append(radius, math.Hypot(d[i], d[i+1])/mu)
	}
	slices.Sort(radius)
	return append(v, sampen, cosen, float64(len(cells))/float64(len(d)-1), quantileSorted(radius, 0.5), nn20/float64(len(d)))
}

// qrsAmplitudes returns the peak-to-peak of bp within 60 ms of each beat.
func qrsAmplitudes(bp []float64, at []int64, fs float64) []float64 {
	h := max(1, int(math.Round(0.06*fs)))
	out := make([]float64, 0, len(at))
	for _, a := range at {
		lo, hi := max(int(a)-h, 0), min(int(a)+h+1, len(bp))
		if hi-lo < 2 {
			continue
		}
		mn, mx := slices.Min(bp[lo:hi]), slices.Max(bp[lo:hi])
		out = append(out, mx-mn)
	}
	return out
}

const pPoints = 24

func pWaveFeatures(v []float64, bp []float64, at []int64, fs, qrsMed float64) []float64 {
	nan := math.NaN()
	lo0, hi0 := int(math.Round(0.30*fs)), int(math.Round(0.07*fs))
	var segs [][]float64
	for _, a := range at {
		lo, hi := int(a)-lo0, int(a)-hi0
		if lo < 0 || hi >= len(bp) || hi-lo < 4 {
			continue
		}
		segs = append(segs, detrendResample(bp[lo:hi+1], pPoints))
	}
	if len(segs) < 3 {
		return append(v, nan, nan, nan)
	}
	sum := make([]float64, pPoints)
	for _, s := range segs {
		for i, x := range s {
			sum[i] += x
		}
	}
	corr := make([]float64, len(segs))
	other := make([]float64, pPoints)
	present := 0.0
	for j, s := range segs {
		for i := range other {
			other[i] = sum[i] - s[i]
		}
		corr[j] = pearson(s, other)
		if corr[j] > 0.5 {
			present++
		}
	}
	slices.Sort(corr)
	mn, mx := math.Inf(1), math.Inf(-1)
	for _, s := range sum {
		m := s / float64(len(segs))
		mn, mx = math.Min(mn, m), math.Max(mx, m)
	}
	amp := nan
	if qrsMed > 0 {
		amp = (mx - mn) / qrsMed
	}
	return append(v, quantileSorted(corr, 0.5), present/float64(len(segs)), amp)
}

// detrendResample removes the least-squares line from seg and resamples
// it linearly to n points.
func detrendResample(seg []float64, n int) []float64 {
	m := float64(len(seg))
	var sx, sy, sxx, sxy float64
	for i, y := range seg {
		x := float64(i)
		sx, sy, sxx, sxy = sx+x, sy+y, sxx+x*x, sxy+x*y
	}
	den := m*sxx - sx*sx
	slope := 0.0
	if den != 0 {
		slope = (m*sxy - sx*sy) / den
	}
	icpt := (sy - slope*sx) / m
	out := make([]float64, n)
	for i := range out {
		pos := float64(i) * (m - 1) / float64(n-1)
		j := int(pos)
		f := pos - float64(j)
		y := seg[j]
		if j+1 < len(seg) {
			y = seg[j]*(1-f) + seg[j+1]*f
		}
		out[i] = y - (icpt + slope*pos)
	}
	return out
}

func tqFeatures(v []float64, x, bp []float64, at []int64, fs, qrsMed float64) []float64 {
	nan := math.NaN()
	if len(at) < 2 {
		return append(v, nan, nan, nan)
	}
	aa := bandpass(x, fs, 4, 9)
	var pAA, pAll float64
	n, usable := 0, 0
	for i := 1; i < len(at); i++ {
		rr := float64(at[i]-at[i-1]) / fs
		lo := int(at[i-1]) + int(math.Round(0.42*math.Sqrt(rr)*fs))
		hi := int(at[i]) - int(math.Round(0.25*fs))
		if float64(hi-lo) < 0.1*fs || lo < 0 || hi > len(x) {
			continue
		}
		usable++
		for k := lo; k < hi; k++ {
			pAA += aa[k] * aa[k]
			pAll += bp[k] * bp[k]
		}
		n += hi - lo
	}
	frac := float64(usable) / float64(len(at)-1)
	if n == 0 {
		return append(v, nan, nan, frac)
	}
	rel, rms := nan, nan
	if pAll > 0 {
		rel = pAA / pAll
	}
	if qrsMed > 0 {
		rms = math.Sqrt(pAA/float64(n)) / qrsMed
	}
	return append(v, rel, rms, frac)
}

func pacingFeatures(v []float64, x []float64, at []int64, fs float64) []float64 {
	nan := math.NaN()
	k := max(1, int(math.Round(0.004*fs)))
	pre, post := int(math.Round(0.15*fs)), int(math.Round(0.03*fs))
	qh := max(1, int(math.Round(0.06*fs)))
	var ratios []float64
	spiky := 0.0
	for _, a := range at {
		lo, hi := int(a)-pre, int(a)+post
		if lo-k < 0 || hi+k >= len(x) {
			continue
		}
		s := 0.0
		for n := lo; n <= hi; n++ {
			s = math.Max(s, math.Abs(x[n]-(x[n-k]+x[n+k])/2))
		}
		w := x[max(int(a)-qh, 0):min(int(a)+qh+1, len(x))]
		amp := slices.Max(w) - slices.Min(w)
		if amp <= 0 {
			continue
		}
		r := s / amp
		ratios = append(ratios, r)
		if r > 0.3 {
			spiky++
		}
	}
	if len(ratios) == 0 {
		return append(v, nan, nan)
	}
	slices.Sort(ratios)
	return append(v, quantileSorted(ratios, 0.5), spiky/float64(len(ratios)))
}

// bandpass returns x filtered by a second-order Butterworth high-pass at
// lo Hz and low-pass at hi Hz (each a bilinear-transform biquad), run
// forwards then backwards (zero phase, fourth order overall per edge). An
// edge at or above 0.45 fs is left out.
func bandpass(x []float64, fs, lo, hi float64) []float64 {
	y := slices.Clone(x)
	if len(y) == 0 {
		return y
	}
	// Start from the first sample to avoid a step at the start.
	if lo > 0 && lo < 0.45*fs {
		c := butterBiquad(lo/fs, true)
		c.filtfilt(y)
	}
	if hi > 0 && hi < 0.45*fs {
		c := butterBiquad(hi/fs, false)
		c.filtfilt(y)
	}
	return y
}

// biquad holds normalised coefficients of
// y[n] = b0 x[n] + b1 x[n-1] + b2 x[n-2] - a1 y[n-1] - a2 y[n-2].
type biquad struct{ b0, b1, b2, a1, a2 float64 }

// butterBiquad designs a Butterworth (Q = 1/sqrt 2) low- or high-pass
// biquad with cut-off f in cycles per sample by the bilinear transform.
func butterBiquad(f float64, high bool) biquad {
	w := 2 * math.Pi * f
	cw, sw := math.Cos(w), math.Sin(w)
	alpha := sw / math.Sqrt2 // sin(w) / (2Q)
	a0 := 1 + alpha
	var c biquad
	if high {
		c.b0, c.b1, c.b2 = (1+cw)/2, -(1 + cw), (1+cw)/2
	} else {
		c.b0, c.b1, c.b2 = (1-cw)/2, 1-cw, (1-cw)/2
	}
	c.a1, c.a2 = -2*cw, 1-alpha
	c.b0, c.b1, c.b2, c.a1, c.a2 = c.b0/a0, c.b1/a0, c.b2/a0, c.a1/a0, c.a2/a0
	return c
}

// filtfilt filters y in place forwards then backwards, each pass starting
// in the steady state of its first input sample (so a constant offset
// does not ring).
func (c biquad) filtfilt(y []float64) {
	c.run(y, 1)
	c.run(y, -1)
}

func (c biquad) run(y []float64, dir int) {
	n := len(y)
	i0 := 0
	if dir < 0 {
		i0 = n - 1
	}
	// Steady state for a constant input x0: output g x0 with DC gain g.
	x0 := y[i0]
	g := (c.b0 + c.b1 + c.b2) / (1 + c.a1 + c.a2)
	x1, x2 := x0, x0
	y1, y2 := g*x0, g*x0
	for k := 0; k < n; k++ {
		i := i0 + dir*k
		xn := y[i]
		yn := c.b0*xn + c.b1*x1 + c.b2*x2 - c.a1*y1 - c.a2*y2
		x2, x1 = x1, xn
		y2, y1 = y1, yn
		y[i] = yn
	}
}
