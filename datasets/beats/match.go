package beats

import (
	"math"

	"github.com/ecgkit/ecg/datasets/signal"
)

// MatchOptions are the rules of a beat-by-beat comparison. The zero value
// is not useful: start from DefaultMatchOptions, which gives the ANSI/AAMI
// EC57 rules that the WFDB program bxb applies by default.
type MatchOptions struct {
	// Window is the largest difference, in seconds, between the times of
	// a reference and a test beat that match (EC57: 0.15 s).
	Window float64
	// Skip is the start of the comparison in seconds from the beginning of
	// the record (EC57: 300 s, the learning period).
	Skip float64
	// End is the sample at which the comparison stops (exclusive); 0 or
	// less compares to the end of both lists.
	End int64
	// Exclude lists half-open sample spans [Start, End) of the record in
	// which test beats are not scored (neither true nor false positives)
	// and reference beats are not scored either: EC57 leaves ventricular
	// flutter and fibrillation episodes out of beat-by-beat statistics.
	Exclude []signal.Span
}

// DefaultMatchOptions returns the EC57 rules: a 150 ms window and the
// first 5 minutes skipped.
func DefaultMatchOptions() MatchOptions {
	return MatchOptions{Window: 0.15, Skip: 300}
}

// MatchResult counts the outcome of a comparison.
type MatchResult struct {
	TP int // reference beats matched by a test beat
	FN int // reference beats with no test beat within the window
	FP int // test beats matching no reference beat
	// Matches pairs the indices of matched beats: Matches[k] = {ref, test}.
	Matches [][2]int
	// Missed and Extra list the indices of unmatched reference and test
	// beats.
	Missed, Extra []int
}

// Sensitivity returns TP/(TP+FN) in percent (NaN when undefined).
func (r MatchResult) Sensitivity() float64 { return pct(r.TP, r.TP+r.FN) }

// PositivePredictivity returns TP/(TP+FP) in percent (NaN when undefined).
func (r MatchResult) PositivePredictivity() float64 { return pct(r.TP, r.TP+r.FP) }

// Add accumulates the counts of o into r (for gross statistics); the
// index lists are not merged.
func (r *MatchResult) Add(o MatchResult) {
	r.TP += o.TP
	r.FN += o.FN
	r.FP += o.FP
}

func pct(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return 100 * float64(a) / float64(b)
}

// Match compares test beat samples with reference beat samples (both
// sorted ascending, beat annotations only) for a record sampled at fs Hz.
//
// The rules follow ANSI/AAMI EC57 as implemented by bxb: only beats at or
// after the start (opt.Skip seconds) and before opt.End are scored; a
// reference and a test beat match when their times differ by at most
// opt.Window seconds, each beat matching at most one other; when two
// candidates compete, the closer pair wins. Unmatched reference beats are
// false negatives, unmatched test beats false positives.
func Match(ref, test []int64, fs float64, opt MatchOptions) MatchResult {
	w := int64(math.Round(opt.Window * fs))
	start := int64(math.Round(opt.Skip * fs))
	end := opt.End
	if end <= 0 {
		end = math.MaxInt64
	}
	var res MatchResult
	in := func(s int64) bool { return s >= start && s < end && !excluded(s, opt.Exclude) }
	i, j := 0, 0
	for i < len(ref) || j < len(test) {
		switch {
		case i < len(ref) && !in(ref[i]):
			i++
		case j < len(test) && !in(test[j]):
			j++
		case j >= len(test) || (i < len(ref) && ref[i]+w < test[j]):
			res.FN++
			res.Missed = append(res.Missed, i)
			i++
		case i >= len(ref) || test[j]+w < ref[i]:
			res.FP++
			res.Extra = append(res.Extra, j)
			j++
		default:
			// Within the window. A closer competitor takes precedence.
			dij := abs64(ref[i] - test[j])
			if j+1 < len(test) && in(test[j+1]) && abs64(ref[i]-test[j+1]) < dij {
				res.FP++
				res.Extra = append(res.Extra, j)
				j++
				continue
			}
			if i+1 < len(ref) && in(ref[i+1]) && abs64(ref[i+1]-test[j]) < dij {
				res.FN++
				res.Missed = append(res.Missed, i)
				i++
				continue
			}
			res.TP++
			res.Matches = append(res.Matches, [2]int{i, j})
			i++
			j++
		}
	}
	return res
}

func excluded(s int64, spans []signal.Span) bool {
	for _, sp := range spans {
		if s >= sp.Start && s < sp.End {
			return true
		}
	}
	return false
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}
