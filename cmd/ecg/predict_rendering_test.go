package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPredictArchiveRendering: ecg predict with a model of 10 s images
// says nothing on images of its own archive, and warns once on stderr,
// also with --quiet, on images of an archive rendered with another
// nperseg, as ecg eval does (whether the files are named in their label
// folders or the archive's own folder holds them); the CSV on stdout is
// the same bytes as without the archive's parameter file, which gives no
// warning.
func TestPredictArchiveRendering(t *testing.T) {
	dir := t.TempDir()
	recs := simulateRhythms(t, dir)
	arch, other, model := filepath.Join(dir, "arch"), filepath.Join(dir, "other"), filepath.Join(dir, "m.ecgm")
	for _, a := range [][]string{{"--label", "rhythm", "--out", arch}, {"--nperseg", "128", "--out", other}} {
		if code, _, errOut := runECG(t, "", append([]string{"spectro", recs, "--stride", "10s", "--quiet"}, a...)...); code != 0 {
			t.Fatalf("spectro %v: %d %s", a, code, errOut)
		}
	}
	if code, _, errOut := runECG(t, "", "train", arch, "--trees", "5", "--out", model, "--quiet"); code != 0 {
		t.Fatalf("train: %d %s", code, errOut)
	}
	own, _ := filepath.Glob(filepath.Join(arch, "*", "*.png"))
	others, _ := filepath.Glob(filepath.Join(other, "*.png"))
	if len(own) == 0 || len(others) == 0 {
		t.Fatalf("images: %d in %s, %d in %s", len(own), arch, len(others), other)
	}
	const warning = "ecg predict: warning: "
	wantWarn := filepath.Join(other, "spectro-params.json") + ": the images were rendered with nperseg 128"
	predict := func(quiet bool, files []string) (stdout, stderr string) {
		t.Helper()
		args := append([]string{"predict", model}, files...)
		if quiet {
			args = append(args, "--quiet")
		}
		code, out, errOut := runECG(t, "", args...)
		if code != 0 {
			t.Fatalf("predict %v: %d %s", args, code, errOut)
		}
		return out, errOut
	}
	if _, errOut := predict(false, own); errOut != "" {
		t.Errorf("predict on the model's own archive: stderr %q, want nothing", errOut)
	}
	mixed := append(append([]string{}, others...), own...)
	var warned []string
	for _, quiet := range []bool{false, true} {
		out, errOut := predict(quiet, mixed)
		if strings.Count(errOut, warning) != 1 || !strings.HasPrefix(errOut, warning+wantWarn) {
			t.Errorf("predict (quiet %v) on another rendering: stderr %q, want one warning %q", quiet, errOut, wantWarn)
		}
		warned = append(warned, out)
	}
	if err := os.Remove(filepath.Join(other, "spectro-params.json")); err != nil {
		t.Fatal(err)
	}
	out, errOut := predict(true, mixed)
	if errOut != "" || out != warned[0] || out != warned[1] || strings.Count(out, "\n") != len(mixed)+1 {
		t.Errorf("stdout with the warning differs from stdout without it (stderr %q):\n%s\nwant:\n%s", errOut, warned[0], out)
	}
}
