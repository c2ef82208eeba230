package datasets

import (
	"math"

	"github.com/ecgkit/ecg/datasets/signal"
)

// Span is a window of a record in samples (frames): [Start, End), the one
// of package signal.
type Span = signal.Span

// Strides returns the windows of stride samples starting every hop samples
// over a record of n samples: [0, stride), [hop, hop+stride), ... A last
// window that would run past the end is dropped, unless keepPartial, in
// which case the first such window is kept, cut at n. stride and hop must
// be positive.
func Strides(n, stride, hop int64, keepPartial bool) []Span {
	if n <= 0 || stride <= 0 || hop <= 0 {
		return nil
	}
	var out []Span
	for start := int64(0); start < n; start += hop {
		end := start + stride
		if end > n {
			if keepPartial {
				out = append(out, Span{Start: start, End: n})
			}
			break
		}
		out = append(out, Span{Start: start, End: end})
	}
	return out
}

// BeatWindow returns the window of a beat at sample s: from before samples
// before it to after samples after it, [s-before, s+after), and whether it
// lies inside a record of n samples.
func BeatWindow(s, before, after, n int64) (Span, bool) {
	w := Span{Start: s - before, End: s + after}
	return w, w.Start >= 0 && w.End <= n && w.End > w.Start
}

// Samples converts a duration in seconds to samples at fs Hz, rounding to
// the nearest sample.
func Samples(sec, fs float64) int64 { return int64(math.Round(sec * fs)) }
