package beats

import (
	"math"
	"testing"

	"github.com/ecgkit/ecg/datasets/signal"
)

func TestMatchRules(t *testing.T) {
	// fs 100 Hz: window 0.15 s = 15 samples; no skip.
	opt := MatchOptions{Window: 0.15}
	cases := []struct {
		name       string
		ref, test  []int64
		tp, fn, fp int
	}{
		{"exact", []int64{100, 200, 300}, []int64{100, 200, 300}, 3, 0, 0},
		{"edge of window", []int64{100, 200}, []int64{115, 185}, 2, 0, 0},
		{"outside window", []int64{100}, []int64{116}, 0, 1, 1},
		{"missed and extra", []int64{100, 200, 300}, []int64{100, 250, 300}, 2, 1, 1},
		// Two test beats near one reference: the closer matches.
		{"closer test wins", []int64{100}, []int64{90, 98}, 1, 0, 1},
		// One test beat between two references: the closer matches.
		{"closer ref wins", []int64{100, 120}, []int64{118}, 1, 1, 0},
		{"empty test", []int64{100, 200}, nil, 0, 2, 0},
		{"empty ref", nil, []int64{100}, 0, 0, 1},
	}
	for _, c := range cases {
		r := Match(c.ref, c.test, 100, opt)
		if r.TP != c.tp || r.FN != c.fn || r.FP != c.fp {
			t.Errorf("%s: TP %d FN %d FP %d, want %d %d %d", c.name, r.TP, r.FN, r.FP, c.tp, c.fn, c.fp)
		}
		if len(r.Matches) != r.TP || len(r.Missed) != r.FN || len(r.Extra) != r.FP {
			t.Errorf("%s: index lists do not add up", c.name)
		}
	}
	// The closer pairs in "closer ref wins": ref 120 with test 118.
	r := Match([]int64{100, 120}, []int64{118}, 100, opt)
	if r.Matches[0] != [2]int{1, 0} || r.Missed[0] != 0 {
		t.Errorf("closer ref: matches %v missed %v", r.Matches, r.Missed)
	}
}

func TestMatchSkipEndExclude(t *testing.T) {
	opt := DefaultMatchOptions() // 300 s skip, 150 ms window
	fs := 10.0
	ref := []int64{100, 2999, 3000, 3100, 3200, 3300}
	test := []int64{100, 3000, 3150, 3300, 3400}
	r := Match(ref, test, fs, opt)
	// Scored: ref 3000,3100,3200,3300; test 3000,3150,3300,3400.
	// 3000=3000, 3300=3300; 3150 is 5 samples (0.5 s) from 3100: no.
	if r.TP != 2 || r.FN != 2 || r.FP != 2 {
		t.Errorf("skip: TP %d FN %d FP %d", r.TP, r.FN, r.FP)
	}
	opt.End = 3301
	opt.Exclude = []signal.Span{{Start: 3140, End: 3160}}
	r = Match(ref, test, fs, opt)
	if r.TP != 2 || r.FN != 2 || r.FP != 0 {
		t.Errorf("end/exclude: TP %d FN %d FP %d", r.TP, r.FN, r.FP)
	}
	if s, p := r.Sensitivity(), r.PositivePredictivity(); s != 50 || p != 100 {
		t.Errorf("Se %v +P %v", s, p)
	}
	if !math.IsNaN((MatchResult{}).Sensitivity()) {
		t.Error("Se of nothing is not NaN")
	}
}
