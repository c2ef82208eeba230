package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// --fill repeat: a record shorter than --stride gives one window whose
// samples (written as a WFDB record) are the record's repeated end to end
// and cut at the stride's length; its manifest row keeps the record's
// real span; the figure of it draws.
func TestSpectroFillRepeat(t *testing.T) {
	rec := simulatedRecord(t, "afib", "f13", 13)
	out := t.TempDir()
	code, stdout, errOut := runECG(t, "", "spectro", rec, "--out", out, "--stride", "30s", "--fill", "repeat",
		"--write", "both", "--figure", "--signals", "0", "--size", "64x16")
	if code != 0 || !strings.Contains(stdout, "1 records, 1 images") {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, errOut)
	}
	src, err := wfdb.ReadRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	x, fs := src.Physical(0), src.Header.Fs
	rows, err := datasets.ReadManifestFile(filepath.Join(out, "manifest.csv"))
	if err != nil || len(rows) != 1 || rows[0].Start != 0 || rows[0].End != int64(len(x)) {
		t.Fatalf("manifest %+v %v: want the record's span 0-%d", rows, err, len(x))
	}
	win, err := wfdb.ReadRecord(filepath.Join(out, strings.TrimSuffix(rows[0].Image, ".png")))
	if err != nil {
		t.Fatal(err)
	}
	y := win.Physical(0)
	if len(y) != int(datasets.Samples(30, fs)) || len(y) <= 2*len(x) {
		t.Fatalf("window of %d samples, record %d, want %d", len(y), len(x), datasets.Samples(30, fs))
	}
	for i := range y {
		if math.Abs(y[i]-x[i%len(x)]) > 0.0005+1e-9 {
			t.Fatalf("sample %d: %g mV in the window, %g in the record at %d", i, y[i], x[i%len(x)], i%len(x))
		}
	}
	if st, err := os.Stat(filepath.Join(out, strings.TrimSuffix(rows[0].Image, ".png")+"_figure.png")); err != nil || st.Size() == 0 {
		t.Fatalf("figure of the filled window: %v", err)
	}
}

// --fill none writes the same bytes as no --fill (the images, manifest
// and parameter file of the archives before it), also with
// --keep-partial; full strides are the same bytes with --fill repeat.
func TestSpectroFillNoneUnchanged(t *testing.T) {
	rec := simulatedRecord(t, "normal", "f65", 65)
	run := func(extra ...string) string {
		t.Helper()
		out := t.TempDir()
		args := append([]string{"spectro", rec, "--out", out, "--stride", "30s", "--size", "64x16", "--signals", "0"}, extra...)
		if code, _, errOut := runECG(t, "", args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, errOut)
		}
		return out
	}
	same := func(a, b, name string) bool {
		x, errA := os.ReadFile(filepath.Join(a, name))
		y, errB := os.ReadFile(filepath.Join(b, name))
		return errA == nil && errB == nil && bytes.Equal(x, y)
	}
	files := []string{"manifest.csv", "spectro-params.json", "f65_0000m00s_MLII.png", "f65_0000m30s_MLII.png", "f65_0001m00s_MLII.png"}
	def, none := run("--keep-partial"), run("--keep-partial", "--fill", "none")
	for _, name := range files {
		if !same(def, none, name) {
			t.Fatalf("%s: --fill none differs from no --fill", name)
		}
	}
	repeat := run("--keep-partial", "--fill", "repeat")
	for _, name := range files[2:4] {
		if !same(def, repeat, name) {
			t.Fatalf("%s: a full stride differs with --fill repeat", name)
		}
	}
	if same(def, repeat, files[4]) || same(def, repeat, "spectro-params.json") {
		t.Fatal("the filled partial stride or the parameters are those without --fill")
	}
}
