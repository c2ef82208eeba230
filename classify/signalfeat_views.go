package classify

import (
	"fmt"
	"math"
	"sync"
)

// Crop views (SignalFeatures.Crops): a signal's vector holds the features
// of the whole signal and of Crops shorter windows of it. Training on every
// view as a row of its own gives the trees more, and more varied, rows of
// the same label; scoring a signal by the geometric mean of its views'
// probabilities averages out what one beat too many or too few does to
// the whole signal's features. Chosen by record-grouped CV on CinC 2017
// (docs/rhythm.md, session 24).

const (
	// MaxCrops bounds SignalFeatures.Crops.
	MaxCrops = 8
	// MinCropSeconds is the shortest crop: a shorter window is the whole
	// signal again (the features need a few beats).
	MinCropSeconds = 5.0
	// MinCropShare and MaxCropShare bound SignalFeatures.CropShare.
	MinCropShare = 0.3
	MaxCropShare = 0.95
	// DefaultCrops and DefaultCropShare are ecg train's crops for gbdt
	// on records (DefaultSignalFeatures has none, so that the library's
	// and make model's vectors stay one view; the forest takes crops
	// when asked for them).
	DefaultCrops     = 2
	DefaultCropShare = 0.75
)

// checkCrops checks Crops and CropShare.
func (o SignalFeatures) checkCrops() error {
	switch {
	case o.Crops < 0 || o.Crops > MaxCrops:
		return fmt.Errorf("signal features: %d crops (want 0 to %d)", o.Crops, MaxCrops)
	case o.Crops == 0 && o.CropShare != 0:
		return fmt.Errorf("signal features: crop share %v without crops", o.CropShare)
	case o.Crops > 0 && !(o.CropShare >= MinCropShare && o.CropShare <= MaxCropShare):
		return fmt.Errorf("signal features: crop share %v out of %g-%g", o.CropShare, MinCropShare, MaxCropShare)
	}
	return nil
}

// views returns how many views a signal's vector holds.
func (o SignalFeatures) views() int { return 1 + max(o.Crops, 0) }

// views returns how many views a vector made with s holds: 1 but for
// signal features with crops.
func (s FeatureSpec) views() int {
	if s.Input == InputSignal && s.Signal != nil {
		return s.Signal.views()
	}
	return 1
}

// VectorLen returns the length of the vectors made with s: its feature
// names' count times its views.
func (s FeatureSpec) VectorLen() int { return len(s.Names()) * s.views() }

// cropStarts returns the first samples of the crops of a signal of n
// samples at fs Hz, each l samples long; l is 0 when the crops would be
// shorter than MinCropSeconds (each is then the whole signal).
func (o SignalFeatures) cropStarts(n int, fs float64) (starts []int, l int) {
	l = int(o.CropShare * float64(n))
	if float64(l) < MinCropSeconds*fs {
		return make([]int, o.Crops), 0
	}
	starts = make([]int, o.Crops)
	for j := range starts {
		if o.Crops > 1 {
			starts[j] = int(math.Round(float64(n-l) * float64(j) / float64(o.Crops-1)))
		}
	}
	return starts, l
}

// viewsVector returns the views of x (mV at fs Hz, no NaN, at least 2 s):
// the whole signal's, then the crops', computed at once (a view costs as
// much as the whole signal's features, so one record's prediction takes
// about the time of two views on two cores).
func (o SignalFeatures) viewsVector(x []float64, fs float64) []float64 {
	starts, l := o.cropStarts(len(x), fs)
	views := make([][]float64, 1+len(starts))
	var wg sync.WaitGroup
	for j, a := range starts {
		if l == 0 {
			continue // the whole signal's, below
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			views[1+j] = o.vector(x[a:a+l], fs)
		}()
	}
	views[0] = o.vector(x, fs)
	wg.Wait()
	v := make([]float64, 0, len(views)*len(views[0]))
	for _, w := range views {
		if w == nil {
			w = views[0]
		}
		v = append(v, w...)
	}
	return v
}

// expandViews returns the rows of X split into their views of d features
// each, with the label of their vector repeated (X and y themselves for
// one view).
func expandViews(X [][]float64, y []int, d, views int) ([][]float64, []int) {
	if views == 1 {
		return X, y
	}
	rows := make([][]float64, 0, len(X)*views)
	ry := make([]int, 0, len(X)*views)
	for i, x := range X {
		for v := 0; v < views; v++ {
			rows, ry = append(rows, x[v*d:(v+1)*d:(v+1)*d]), append(ry, y[i])
		}
	}
	return rows, ry
}

// viewGroups returns the group of each of the n*views rows expandViews
// makes of n vectors: the vector's index (nil for one view: every row its
// own group).
func viewGroups(n, views int) []int {
	if views == 1 {
		return nil
	}
	g := make([]int, 0, n*views)
	for i := range n {
		for range views {
			g = append(g, i)
		}
	}
	return g
}

// meanViews returns per vector the normalised geometric mean of its
// views' probabilities p (views rows each, in order), leaving out rows
// whose first probability is NaN (no out-of-bag score); a vector with
// none is NaN.
func meanViews(p [][]float64, views int) [][]float64 {
	out := make([][]float64, len(p)/views)
	for i := range out {
		out[i] = geometricMean(nil, p[i*views:(i+1)*views])
	}
	return out
}

// geometricMean writes to dst (allocated when nil) the normalised
// geometric mean of the probability vectors ps, leaving out those whose
// first value is NaN; all NaN when none is left. A probability is floored
// at 1e-9 so that one view's 0 does not veto a label.
func geometricMean(dst []float64, ps [][]float64) []float64 {
	k := len(ps[0])
	if dst == nil {
		dst = make([]float64, k)
	}
	clear(dst[:k])
	n := 0
	for _, p := range ps {
		if math.IsNaN(p[0]) {
			continue
		}
		n++
		for c, q := range p {
			dst[c] += math.Log(max(q, 1e-9))
		}
	}
	if n == 0 {
		for c := range dst[:k] {
			dst[c] = math.NaN()
		}
		return dst
	}
	for c := range dst[:k] {
		dst[c] /= float64(n)
	}
	softmax(dst[:k])
	return dst
}

// viewScores is Scores of a vector of views views: the normalised
// geometric mean of the views' scores.
func (m *Model) viewScores(dst, x []float64, views int) []float64 {
	d := len(x) / views
	ps := make([][]float64, views)
	for v := range ps {
		ps[v] = m.scores1(nil, x[v*d:(v+1)*d:(v+1)*d])
	}
	return geometricMean(dst, ps)
}

// viewsSummary describes the crop views FitSummary's trees learnt from
// ("" without them).
func (m *Model) viewsSummary() string {
	o := m.Info.Features.Signal
	if o == nil || o.Crops == 0 {
		return ""
	}
	return fmt.Sprintf(" on each record and %d windows of %g %%", o.Crops, 100*o.CropShare)
}
