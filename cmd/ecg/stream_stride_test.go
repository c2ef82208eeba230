package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStreamModelStride is the story of a model of 10 s images: ecg
// spectro --stride 10s with the default flags, ecg train (a forest), then
// ecg stream without --window scores 10 s windows (three in 30 s) and
// says nothing; with --window 20s it scores 20 s windows and warns once,
// also with --quiet; ecg eval warns on an archive of 15 s strides, not
// on its own.
func TestStreamModelStride(t *testing.T) {
	dir := t.TempDir()
	recs := simulateRhythms(t, dir)
	arch, arch15, model := filepath.Join(dir, "arch"), filepath.Join(dir, "arch15"), filepath.Join(dir, "m.ecgm")
	for _, a := range [][]string{{"--stride", "10s", "--out", arch}, {"--stride", "15s", "--out", arch15}} {
		if code, _, errOut := runECG(t, "", append([]string{"spectro", recs, "--label", "rhythm", "--quiet"}, a...)...); code != 0 {
			t.Fatalf("spectro %v: %d %s", a, code, errOut)
		}
	}
	if code, _, errOut := runECG(t, "", "train", arch, "--trees", "5", "--out", model, "--quiet"); code != 0 {
		t.Fatalf("train: %d %s", code, errOut)
	}
	if b, err := os.ReadFile(model); err != nil || !strings.Contains(string(b), `"stride_s":10`) {
		t.Fatalf("the model does not record the 10 s stride (%v)", err)
	}
	samples := exportSamples(t, filepath.Join(recs, "r0"))
	const warning = "ecg stream: warning: the model reads 10 s images (its archive's ecg spectro --stride); each --window 20s is scored as the mean of 2 of them, evenly spaced over it\n"
	for _, c := range []struct {
		args  []string
		span  int64 // samples of each window
		n     int   // windows
		warns int
	}{
		{nil, 3000, 3, 0},
		{[]string{"--window", "20s", "--hop", "10s"}, 6000, 2, 1},
		{[]string{"--window", "20s", "--hop", "10s", "--quiet"}, 6000, 2, 1},
		{[]string{"--window", "10s"}, 3000, 3, 0},
	} {
		code, events, errOut := runECG(t, samples, append([]string{"stream", "--model", model, "--fs", "300"}, c.args...)...)
		if code != 0 {
			t.Fatalf("stream %v: %d %s", c.args, code, errOut)
		}
		if got := strings.Count(errOut, warning); got != c.warns || strings.Count(errOut, "warning") != c.warns {
			t.Errorf("stream %v: stderr %q, want %d warnings %q", c.args, errOut, c.warns, warning)
		}
		n := 0
		for _, line := range strings.Split(events, "\n") {
			var w struct {
				Type       string `json:"type"`
				Start, End int64
				Final      bool
			}
			if json.Unmarshal([]byte(line), &w) != nil || w.Type != "window" || w.Final {
				continue
			}
			if w.End-w.Start != c.span {
				t.Errorf("stream %v: window %d-%d, want %d samples", c.args, w.Start, w.End, c.span)
			}
			n++
		}
		if n != c.n {
			t.Errorf("stream %v: %d windows, want %d:\n%s", c.args, n, c.n, events)
		}
	}
	for _, c := range []struct {
		folder string
		warn   string
	}{
		{arch, ""},
		{arch15, "arch15/spectro-params.json: the images are of 15 s strides, the model's archive of 10 s strides"},
	} {
		code, _, errOut := runECG(t, "", "eval", model, c.folder)
		if code != 0 || !strings.Contains(errOut, c.warn) || (c.warn == "") != !strings.Contains(errOut, "warning") {
			t.Errorf("eval %s: exit %d, stderr %q; want 0 and %q", c.folder, code, errOut, c.warn)
		}
	}
}
