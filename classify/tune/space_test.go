package tune

import (
	"strings"
	"testing"
)

func TestParseParam(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // Param.String, or "error: SUBSTRING"
	}{
		{"trees=50:800:log", "trees=50:800:log"},
		{"learning-rate=0.01:0.3", "learning-rate=0.01:0.3"},
		{"class-weight=balanced|none", "class-weight=balanced|none"},
		{"feature-set=3|4|5", "feature-set=3|4|5"},
		{"max-depth = 3:10:linear", "max-depth=3:10"},
		{"trees=800:50", "error: inverted"},
		{"trees=50:50", "error: inverted"},
		{"lambda=0:10:log", "error: MIN > 0"},
		{"colour=1:2", "error: unknown parameter"},
		{"class-weight=balanced", "error: at least two"},
		{"class-weight=balanced|balanced", "error: repeated"},
		{"class-weight=balanced|heavy", "error: not one of"},
		{"trees=1.5:20", "error: not an integer"},
		{"bins=1:300", "error: out of bounds"},
		{"trees", "error: NAME="},
		{"trees=1:2:3", "error: want MIN:MAX"},
		{"subsample=x:1", "error: not a number"},
	} {
		p, err := ParseParam(c.in)
		got := p.String()
		if err != nil {
			got = "error: " + err.Error()
		}
		if want, ok := strings.CutPrefix(c.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%q: got %q, want an error with %q", c.in, got, want)
			}
		} else if got != c.want {
			t.Errorf("%q: got %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSpaceFile(t *testing.T) {
	yaml := "# the space\nrounds: 50:400:log\nclass-weight: [balanced, 'none']\n\nlearning-rate: \"0.02:0.3:log\" # shrinkage\n"
	json := `{"learning-rate": "0.02:0.3:log", "class-weight": ["balanced", "none"], "rounds": "50:400:log"}`
	want := "rounds=50:400:log learning-rate=0.02:0.3:log class-weight=balanced|none"
	for name, text := range map[string]string{"space.yaml": yaml, "space.json": json} {
		s, err := ParseSpaceFile(name, []byte(text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if s.String() != want {
			t.Errorf("%s: got %q, want %q", name, s, want)
		}
	}
	for _, c := range []struct{ text, want string }{
		{"rounds: 50:400:log\nrounds: 10:20\n", "given twice"},
		{"rounds 50:400\n", "s.yaml: line 1"},
		{"trees: 1:2\ncolour: 1:2\n", "s.yaml: line 2: unknown parameter"},
		{`{"colour": "1:2"}`, "unknown parameter"},
		{`{"rounds": 5}`, "want a range string"},
		{"", "empty search space"},
	} {
		_, err := ParseSpaceFile("s.yaml", []byte(c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error with %q", c.text, err, c.want)
		}
	}
}

// FuzzSpaceFile: any bytes give a space or an error, never a panic, and
// a space read is written back (Param.String) into the same space.
func FuzzSpaceFile(f *testing.F) {
	f.Add([]byte("rounds: 50:400:log\nclass-weight: [balanced, none]\n"))
	f.Add([]byte(`{"trees": "50:800:log", "feature-set": [3, 4, 5]}`))
	f.Add([]byte("max-depth: '3:10'\n# c\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSpaceFile("fuzz", b)
		if err != nil {
			return
		}
		var lines []string
		for _, p := range s {
			name, r, _ := strings.Cut(p.String(), "=")
			lines = append(lines, name+": '"+r+"'")
		}
		s2, err := ParseSpaceFile("again", []byte(strings.Join(lines, "\n")))
		if err != nil {
			t.Fatalf("%q read back: %v", lines, err)
		}
		if s2.String() != s.String() {
			t.Fatalf("read back %q, not %q", s2, s)
		}
	})
}

func TestFormatSnap(t *testing.T) {
	p, _ := ParseParam("learning-rate=0.01:0.3:log")
	v := p.snap(0.0123456789)
	if p.Format(v) != "0.01235" {
		t.Errorf("format %v = %q", v, p.Format(v))
	}
	back, _ := p.Value(p.Format(v))
	if back != v {
		t.Errorf("value read back %v, not %v", back, v)
	}
	q, _ := ParseParam("trees=50:800:log")
	if got := q.snap(801.7); got != 800 {
		t.Errorf("snap above the range: %v", got)
	}
}
