package classify

import "slices"

// Feature set 7 is set 5 without the pacing features (pace.spike/qrs and
// pace.spiky, signalfeat_rhythm.go): 66 features. The pacing features
// measure the sharpest bend of the signal over 4 ms before each beat, which
// depends on the sampling rate: the same CinC 2017 recordings resampled to
// 128 Hz move pace.spike/qrs by 15.7 times its interquartile range (250
// Hz: 1.5 times; no other feature by more than 0.6). Grouped CV on CinC
// 2017 scored higher without them, and on MIT-BIH's one-minute windows
// gbdt found paced rhythm as well without them (docs/rhythm.md, session
// 25). Set 7 is computed as set 5, then the two are left out; it extends
// no other set (FeatureSpec.prefixFeatures).
const pacingFreeSet = 7

// pacingFeatureNames are the features set 7 leaves out of set 5.
var pacingFeatureNames = []string{"pace.spike/qrs", "pace.spiky"}

// computedAs returns the feature set o's vector is computed as: set 5 for
// set 7, else o's own.
func (o SignalFeatures) computedAs() SignalFeatures {
	if o.set() == pacingFreeSet {
		o.FeatureSet = 5
	}
	return o
}

// leftOut returns the indices, in the vector of o.computedAs(), of the
// features o's set leaves out (none but for set 7).
func (o SignalFeatures) leftOut() []int {
	if o.set() != pacingFreeSet {
		return nil
	}
	var out []int
	for i, n := range o.computedAs().Names() {
		if slices.Contains(pacingFeatureNames, n) {
			out = append(out, i)
		}
	}
	return out
}

// withoutIndices returns v without the values at the sorted indices drop
// (v itself when there are none): a vector of o.computedAs() as o's, or
// its feature names.
func withoutIndices[T any](v []T, drop []int) []T {
	if len(drop) == 0 {
		return v
	}
	out := make([]T, 0, len(v)-len(drop))
	j := 0
	for i, x := range v {
		if j < len(drop) && drop[j] == i {
			j++
			continue
		}
		out = append(out, x)
	}
	return out
}
