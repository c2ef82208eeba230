package demo

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fake answers every command line with canned output and records them.
type fake struct {
	lines  []string
	failOn string
}

func (f *fake) run(_ context.Context, args []string, stdin []byte) ([]byte, []byte, int) {
	line := strings.Join(args, " ")
	f.lines = append(f.lines, line)
	switch {
	case f.failOn != "" && strings.HasPrefix(line, f.failOn):
		return nil, []byte("ecg " + args[0] + ": broken\n"), 3
	case args[0] == "simulate" && len(stdin) == 0 && !strings.Contains(line, "--out"):
		return []byte("0.1\n0.2\n0.3\n"), nil, 0
	case args[0] == "stream":
		return []byte(`{"type":"hr"}` + "\n" + `{"type":"alert","state":"raised"}` + "\n"), nil, 0
	}
	return []byte("line 1\nline 2\nline 3\n"), []byte("note\n"), 0
}

// The tour runs every step in order, shows at most Lines lines of each
// output and logs each shown step in full.
func TestTour(t *testing.T) {
	out := t.TempDir()
	f := &fake{}
	var w strings.Builder
	if err := Run(context.Background(), &w, f.run, Options{Out: out, Patients: 4, Lines: 2}); err != nil {
		t.Fatal(err)
	}
	var firsts []string
	for _, l := range f.lines {
		if name := strings.Fields(l)[0]; len(firsts) == 0 || firsts[len(firsts)-1] != name {
			firsts = append(firsts, name)
		}
	}
	want := "ingest info export beats spectro simulate train eval simulate stream simulate stream"
	if got := strings.Join(firsts, " "); got != want {
		t.Errorf("commands %q\nwant %q", got, want)
	}
	if n := strings.Count(strings.Join(f.lines, "\n"), "simulate --rhythm"); n != 4*5+2 {
		t.Errorf("%d simulations, want 22", n)
	}
	s := w.String()
	for _, want := range []string{"\n$ ecg ingest " + filepath.Join(out, "data", "mitdb") + "\n  line 1\n  line 2\n  ... (1 more lines in ",
		"1 alert(s) raised for simulated afib", "(3 samples, one per line", "== Done."} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, `"type":"hr"`) {
		t.Error("hr events shown")
	}
	b, err := os.ReadFile(filepath.Join(out, "logs", "01-ingest.txt"))
	if err != nil || string(b) != "$ ecg ingest "+filepath.Join(out, "data", "mitdb")+"\nline 1\nline 2\nline 3\nnote\n" {
		t.Errorf("log %q, %v", b, err)
	}
}

// A failing step stops the tour with an error naming it and its stderr.
func TestTourStopsAtFailure(t *testing.T) {
	f := &fake{failOn: "beats"}
	var w strings.Builder
	err := Run(context.Background(), &w, f.run, Options{Out: t.TempDir(), Patients: 4, Lines: 2})
	if err == nil || !strings.Contains(err.Error(), `demo step "ecg beats `) || !strings.Contains(err.Error(), "exit code 3:\necg beats: broken") {
		t.Fatalf("error %v", err)
	}
	if last := f.lines[len(f.lines)-1]; !strings.HasPrefix(last, "beats") {
		t.Errorf("ran %q after the failure", last)
	}
}
