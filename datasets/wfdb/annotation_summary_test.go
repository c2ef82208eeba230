package wfdb

import (
	"reflect"
	"testing"
)

func TestRhythmEpisodes203(t *testing.T) {
	anns, _ := readTestAnnotations(t, "203.atr")
	eps := RhythmEpisodes(anns, 650000)
	// From `rdann -r 203 -a atr`: 45 rhythm changes, the first ones
	// (AFIB at 14, (VT at 16689, (AFIB at 17156.
	if len(eps) != 45 {
		t.Fatalf("%d episodes, want 45", len(eps))
	}
	want := []Episode{{"AFIB", 14, 16689}, {"VT", 16689, 17156}, {"AFIB", 17156, 33033}}
	if !reflect.DeepEqual(eps[:3], want) {
		t.Errorf("first episodes %v, want %v", eps[:3], want)
	}
	if last := eps[len(eps)-1]; last.End != 650000 {
		t.Errorf("last episode %v does not end at the record end", last)
	}
	var total int64
	for i, e := range eps {
		total += e.End - e.Start
		if i > 0 && e.Start != eps[i-1].End {
			t.Errorf("episode %d does not start where %d ends", i, i-1)
		}
	}
	s := SummarizeAnnotations(anns, 650000, 360)
	if s.Total != 3108 || s.Beats != 2980 || s.AAMI["V"] != 444 || s.AAMI["N"] != 2529 || s.AAMI["Q"] != 4 || s.AAMI["S"] != 2 || s.AAMI["F"] != 1 {
		t.Errorf("summary counts: %+v", s)
	}
	var sum int64
	for _, r := range s.Rhythms {
		sum += r.Samples
	}
	if sum != total || sum != 650000-14 {
		t.Errorf("rhythm samples sum %d, episodes %d, want %d", sum, total, 650000-14)
	}
	if s.Duration != 650000.0/360 {
		t.Errorf("duration %v", s.Duration)
	}
}

func TestRhythmLabel(t *testing.T) {
	for aux, want := range map[string]string{"(N\x00": "N", "(AFIB": "AFIB", "(VT \x00junk": "VT", "": "", "MISSB": "MISSB"} {
		if got := RhythmLabel(aux); got != want {
			t.Errorf("RhythmLabel(%q) = %q, want %q", aux, got, want)
		}
	}
	// Unknown length: the last episode ends at the last annotation.
	eps := RhythmEpisodes([]Annotation{{Sample: 5, Type: Rhythm, Aux: "(N"}, {Sample: 90, Type: Normal}}, 0)
	if len(eps) != 1 || eps[0] != (Episode{"N", 5, 90}) {
		t.Errorf("episodes %v", eps)
	}
}
