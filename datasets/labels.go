package datasets

import (
	"math"
	"sort"
	"strings"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// LabelMode selects how archive images are labelled.
type LabelMode string

// Label modes.
const (
	// LabelNone writes strides without labels (ecg spectro RECORD...).
	LabelNone LabelMode = ""
	// LabelRhythm labels strides by the reference rhythm (AUX notes "(N",
	// "(AFIB", ...) covering at least MinFraction of the stride.
	LabelRhythm LabelMode = "rhythm"
	// LabelBeats labels strides by their worst AAMI beat class
	// (WorstClass).
	LabelBeats LabelMode = "beats"
	// LabelAAMI makes one window per reference beat, labelled with its
	// AAMI EC57 class N, S, V, F or Q.
	LabelAAMI LabelMode = "aami"
	// LabelRecord labels every window of a record with the record's own
	// label (ArchiveOptions.RecordLabels: from a labels CSV, see
	// RecordLabelsCSV); records without one are skipped. No reference
	// annotations are needed.
	LabelRecord LabelMode = "record"
)

// SanitizeLabel turns a label into a safe folder name: a leading '(' (of
// rhythm notes) and surrounding space are dropped, any character other
// than letters, digits, '-', '_', '+' and '.' becomes '_', leading dots are
// removed (no hidden folders, no "..") and the name is cut to 64 bytes.
// An empty result becomes "unlabelled". "(AFIB" gives "AFIB", "(B" gives
// "B", "../x" gives "_x".
func SanitizeLabel(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "(")
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '+', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	out := strings.TrimLeft(b.String(), ".")
	if len(out) > 64 {
		out = out[:64]
	}
	if out == "" {
		return "unlabelled"
	}
	return out
}

// RhythmOf returns the rhythm covering most of span among the episodes
// (sorted, non-overlapping, as wfdb.RhythmEpisodes returns them) and the
// fraction of the span it covers. It returns "" and 0 when no episode
// overlaps the span.
func RhythmOf(eps []wfdb.Episode, span Span) (label string, fraction float64) {
	if span.Len() <= 0 {
		return "", 0
	}
	cover := map[string]int64{}
	i := sort.Search(len(eps), func(i int) bool { return eps[i].End > span.Start })
	for ; i < len(eps) && eps[i].Start < span.End; i++ {
		lo, hi := max(eps[i].Start, span.Start), min(eps[i].End, span.End)
		if hi > lo {
			cover[eps[i].Label] += hi - lo
		}
	}
	var best int64
	for l, c := range cover {
		if c > best || (c == best && l < label) {
			label, best = l, c
		}
	}
	return label, float64(best) / float64(span.Len())
}

// RefBeat is a reference beat annotation: its sample and AAMI class.
type RefBeat struct {
	Sample int64
	Class  byte // 'N', 'S', 'V', 'F' or 'Q'
}

// RefBeats returns the beat annotations of anns (wfdb.Code.IsBeat, as
// WFDB's isqrs) with their AAMI classes, sorted by sample.
func RefBeats(anns []wfdb.Annotation) []RefBeat {
	var out []RefBeat
	for _, a := range anns {
		if !a.Type.IsBeat() {
			continue
		}
		c := a.Type.AAMI()
		if c == 0 {
			c = 'Q'
		}
		out = append(out, RefBeat{a.Sample, c})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sample < out[j].Sample })
	return out
}

// classIndex maps an AAMI class to its index in AAMIClasses.
func classIndex(c byte) int { return strings.IndexByte(AAMIClasses, c) }

// CountBeats returns the number of beats in span and their counts per
// AAMI class (order of AAMIClasses). beats must be sorted.
func CountBeats(beats []RefBeat, span Span) (n int, counts [5]int) {
	i := sort.Search(len(beats), func(i int) bool { return beats[i].Sample >= span.Start })
	for ; i < len(beats) && beats[i].Sample < span.End; i++ {
		n++
		if k := classIndex(beats[i].Class); k >= 0 {
			counts[k]++
		}
	}
	return n, counts
}

// severity orders AAMI classes for WorstClass: V > F > S > Q > N.
var severity = map[byte]int{'N': 0, 'Q': 1, 'S': 2, 'F': 3, 'V': 4}

// WorstClass returns the most severe AAMI class present in counts
// (ventricular V, then fusion F, supraventricular S, unclassifiable or
// paced Q, normal N), or "" when there are no beats.
func WorstClass(counts [5]int) string {
	best, bestSev := "", -1
	for k, c := range counts {
		if c == 0 {
			continue
		}
		cls := AAMIClasses[k]
		if s := severity[cls]; s > bestSev {
			best, bestSev = string(cls), s
		}
	}
	return best
}

// LocalRRBeats is the number of RR intervals LocalRR averages.
const LocalRRBeats = 10

// RRFeatures returns, for beat i of beats (sorted), the RR intervals in
// seconds at fs Hz: prev (from beat i-1), next (to beat i+1), local (mean
// of up to LocalRRBeats intervals ending at beat i) and avg (mean interval
// of the whole record). Unknown values are NaN.
func RRFeatures(beats []RefBeat, i int, fs float64) (prev, next, local, avg float64) {
	nan := math.NaN()
	prev, next, local, avg = nan, nan, nan, nan
	n := len(beats)
	if n >= 2 {
		avg = float64(beats[n-1].Sample-beats[0].Sample) / float64(n-1) / fs
	}
	if i > 0 {
		prev = float64(beats[i].Sample-beats[i-1].Sample) / fs
		k := min(i, LocalRRBeats)
		local = float64(beats[i].Sample-beats[i-k].Sample) / float64(k) / fs
	}
	if i+1 < n {
		next = float64(beats[i+1].Sample-beats[i].Sample) / fs
	}
	return prev, next, local, avg
}
