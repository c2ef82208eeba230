package progress

import (
	"bytes"
	"strings"
	"testing"
)

// A hidden bar writes nothing; a shown one draws its description and
// total (redrawn at most every 0.1 s), and a nil bar is safe to use.
func TestBar(t *testing.T) {
	var hidden, shown bytes.Buffer
	h := New(&hidden, false, 10, "records")
	s := New(&shown, true, 10, "records")
	for i := 0; i < 10; i++ {
		h.Add(1)
		s.Add(1)
	}
	h.Done()
	s.Done()
	var nilBar *Bar
	nilBar.Add(1)
	nilBar.Done()
	if hidden.Len() != 0 {
		t.Errorf("hidden bar wrote %q", hidden.String())
	}
	if !strings.Contains(shown.String(), "records") || !strings.Contains(shown.String(), "/10)") {
		t.Errorf("shown bar wrote %q", shown.String())
	}
}

// Stages starts a bar per stage and counts each stage's items on it.
func TestStages(t *testing.T) {
	var made []string
	var out bytes.Buffer
	s := &Stages{New: func(total int64, stage string) *Bar {
		made = append(made, stage)
		return New(&out, true, total, stage)
	}}
	for _, u := range []struct {
		stage       string
		done, total int
	}{{"features", 0, 3}, {"features", 1, 3}, {"features", 2, 3}, {"features", 3, 3}, {"trees", 0, 2}, {"trees", 1, 2}} {
		s.Update(u.stage, u.done, u.total)
	}
	s.Done()
	if strings.Join(made, ",") != "features,trees" {
		t.Errorf("bars made for %q, want features,trees", made)
	}
	if !strings.Contains(out.String(), "features") || !strings.Contains(out.String(), "trees") {
		t.Errorf("bars drew %q", out.String())
	}
}
