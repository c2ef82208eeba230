package wfdb

import (
	"sort"
	"strings"
)

// Episode is a stretch of one rhythm, from a rhythm-change annotation to
// the next one (or the end of the record).
type Episode struct {
	Label string `json:"label"` // rhythm without the '(': "N", "AFIB", "VT", "B"...
	Start int64  `json:"start"` // first sample
	End   int64  `json:"end"`   // one past the last sample
}

// RhythmLabel returns the rhythm named by the Aux of a rhythm-change
// annotation: "(AFIB" and "(AFIB\x00" give "AFIB". Text after a NUL byte
// is ignored, as the WFDB tools print Aux as a C string.
func RhythmLabel(aux string) string {
	if i := strings.IndexByte(aux, 0); i >= 0 {
		aux = aux[:i]
	}
	aux = strings.TrimRight(aux, " \t\r\n")
	return strings.TrimSpace(strings.TrimPrefix(aux, "("))
}

// RhythmEpisodes returns the rhythm episodes that the rhythm-change
// annotations (Type == Rhythm, Aux "(N", "(AFIB", ...) of anns describe,
// in order: each runs from its annotation to the next rhythm change, the
// last to nFrames (the record length in samples). anns must be sorted by
// Sample. Rhythm changes with an empty label are skipped. When nFrames is
// not after the last change (unknown length: pass 0), the last episode
// ends at the last annotation of anns, or is empty.
func RhythmEpisodes(anns []Annotation, nFrames int64) []Episode {
	var eps []Episode
	for _, a := range anns {
		if a.Type != Rhythm {
			continue
		}
		label := RhythmLabel(a.Aux)
		if label == "" {
			continue
		}
		if n := len(eps); n > 0 {
			eps[n-1].End = a.Sample
		}
		eps = append(eps, Episode{Label: label, Start: a.Sample, End: a.Sample})
	}
	if n := len(eps); n > 0 {
		end := nFrames
		if end <= eps[n-1].Start && len(anns) > 0 {
			end = anns[len(anns)-1].Sample
		}
		eps[n-1].End = max(end, eps[n-1].Start)
	}
	return eps
}

// SymbolCount is the number of annotations of one type.
type SymbolCount struct {
	Symbol      string `json:"symbol"`
	Code        Code   `json:"code"`
	Description string `json:"description,omitempty"`
	Beat        bool   `json:"beat"`
	Count       int    `json:"count"`
}

// RhythmTotal is the time spent in one rhythm.
type RhythmTotal struct {
	Label    string  `json:"label"`
	Episodes int     `json:"episodes"`
	Samples  int64   `json:"samples"`
	Seconds  float64 `json:"seconds"`
}

// AnnotationSummary is what `ecg info` tells of an annotation file.
type AnnotationSummary struct {
	Total    int            `json:"total"`      // annotations of every type
	Beats    int            `json:"beats"`      // annotations with IsBeat
	ByType   []SymbolCount  `json:"by_type"`    // counts by code, in code order
	AAMI     map[string]int `json:"aami"`       // beats by EC57 class N, S, V, F, Q
	Episodes []Episode      `json:"episodes"`   // rhythm episodes in order
	Rhythms  []RhythmTotal  `json:"rhythms"`    // time per rhythm, longest first
	Duration float64        `json:"duration_s"` // nFrames / fs
}

// SummarizeAnnotations counts anns by type and by AAMI class and lists
// the rhythm episodes (see RhythmEpisodes) with their durations, for a
// record of nFrames samples at fs Hz.
func SummarizeAnnotations(anns []Annotation, nFrames int64, fs float64) AnnotationSummary {
	var counts [256]int
	s := AnnotationSummary{Total: len(anns), AAMI: map[string]int{}}
	for _, a := range anns {
		counts[a.Type]++
		if a.Type.IsBeat() {
			s.Beats++
			if c := a.Type.AAMI(); c != 0 {
				s.AAMI[string(c)]++
			}
		}
	}
	for c, n := range counts {
		if n > 0 {
			code := Code(c)
			s.ByType = append(s.ByType, SymbolCount{Symbol: code.Symbol(), Code: code, Description: code.Description(), Beat: code.IsBeat(), Count: n})
		}
	}
	s.Episodes = RhythmEpisodes(anns, nFrames)
	idx := map[string]int{}
	for _, e := range s.Episodes {
		i, ok := idx[e.Label]
		if !ok {
			i = len(s.Rhythms)
			idx[e.Label] = i
			s.Rhythms = append(s.Rhythms, RhythmTotal{Label: e.Label})
		}
		s.Rhythms[i].Episodes++
		s.Rhythms[i].Samples += e.End - e.Start
	}
	if fs > 0 {
		s.Duration = float64(nFrames) / fs
		for i := range s.Rhythms {
			s.Rhythms[i].Seconds = float64(s.Rhythms[i].Samples) / fs
		}
	}
	sort.SliceStable(s.Rhythms, func(i, j int) bool { return s.Rhythms[i].Samples > s.Rhythms[j].Samples })
	return s
}
