package iostreams

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
)

func TestTest(t *testing.T) {
	s, out, errOut := Test("in")
	b, _ := io.ReadAll(s.In)
	fmt.Fprint(s.Out, "out")
	fmt.Fprint(s.ErrOut, "err")
	if string(b) != "in" || out.String() != "out" || errOut.String() != "err" || s.ErrTTY || s.OutTTY || s.Environ("HOME") != "" {
		t.Errorf("Test streams: in %q, out %q, err %q, tty %v/%v", b, out, errOut, s.OutTTY, s.ErrTTY)
	}
}

// Lines written by several goroutines through a SyncWriter arrive whole.
func TestSyncWriter(t *testing.T) {
	var b strings.Builder
	w := &SyncWriter{W: &b}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				fmt.Fprintf(w, "goroutine %d line %d\n", g, i)
			}
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 800 {
		t.Fatalf("%d lines, want 800", len(lines))
	}
	for _, l := range lines {
		var g, i int
		if n, err := fmt.Sscanf(l, "goroutine %d line %d", &g, &i); n != 2 || err != nil {
			t.Fatalf("torn line %q", l)
		}
	}
}
