package datasets_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets"
)

// archiveParams is a parameter file as ecg spectro writes it for 30 s
// strides labelled by mode, with nperseg and width as given.
func archiveParams(label string, nperseg, width int) map[string]any {
	return map[string]any{
		"label": label, "stride_s": 30, "hop_s": 30, "outputs": []string{".png"},
		"stft_at_360hz": map[string]any{"window": "hann", "nperseg": nperseg, "fmin": 0.5, "fmax": 40},
		"image":         map[string]any{"width": width, "height": 32, "db_min": -80, "db_max": -10},
	}
}

// writeParams writes p into dir/name/spectro-params.json as an archive
// does (indented, sorted keys) and returns its path.
func writeParams(t *testing.T, dir, name string, p map[string]any) string {
	t.Helper()
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name, datasets.ParamsName)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var rendering = []string{"stft_at_360hz", "image"}

// TestSharedParamsAgree: two archives rendered alike, labelled otherwise
// (one with keys the other lacks), share the rendering and the stride,
// written as an archive writes its file; one file gives itself back.
func TestSharedParamsAgree(t *testing.T) {
	dir := t.TempDir()
	cincP := archiveParams("record", 64, 512)
	cincP["fill"], cincP["labels_from"] = "repeat", "REFERENCE.csv"
	cinc := writeParams(t, dir, "cinc", cincP)
	mitdb := writeParams(t, dir, "mitdb", archiveParams("rhythm", 64, 512))
	got, err := datasets.SharedParams([]string{cinc, mitdb}, rendering...)
	if err != nil {
		t.Fatal(err)
	}
	want := archiveParams("", 64, 512)
	delete(want, "label")
	wantBytes, _ := json.MarshalIndent(want, "", "  ")
	if string(got) != string(wantBytes)+"\n" {
		t.Errorf("shared:\n%s\nwant:\n%s", got, wantBytes)
	}
	self, err := datasets.SharedParams([]string{cinc}, rendering...)
	if b, _ := os.ReadFile(cinc); err != nil || string(self) != string(b) {
		t.Errorf("one file: %v\n%s\nwant its bytes:\n%s", err, self, b)
	}
	// Labels that differ are left out, not an error: only the rendering
	// must agree.
	if _, err := datasets.SharedParams([]string{cinc, mitdb}); err != nil {
		t.Errorf("no keys to agree on: %v", err)
	}
}

// TestSharedParamsDisagree: a rendering that differs, or that one file
// lacks, is an error naming the file and the field with both values; a
// stride that differs is only left out.
func TestSharedParamsDisagree(t *testing.T) {
	dir := t.TempDir()
	a := writeParams(t, dir, "a", archiveParams("rhythm", 64, 512))
	b := writeParams(t, dir, "b", archiveParams("rhythm", 128, 512))
	c := writeParams(t, dir, "c", archiveParams("rhythm", 64, 224))
	noImage := archiveParams("rhythm", 64, 512)
	delete(noImage, "image")
	d := writeParams(t, dir, "d", noImage)
	stride60 := archiveParams("rhythm", 64, 512)
	stride60["stride_s"] = 60
	e := writeParams(t, dir, "e", stride60)
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{a, b}, b + ": stft_at_360hz.nperseg is 128, " + a + "'s is 64: the archives were rendered otherwise"},
		{[]string{a, a, c}, c + ": image.width is 224, " + a + "'s is 512"},
		{[]string{a, d}, d + ": image is none, " + a + "'s is {"},
		{[]string{d, a}, a + ": image is {"},
	} {
		got, err := datasets.SharedParams(c.paths, rendering...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %q, %v; want an error with %q", c.paths, got, err, c.want)
		}
	}
	got, err := datasets.SharedParams([]string{a, e}, rendering...)
	if err != nil || strings.Contains(string(got), "stride_s") || !strings.Contains(string(got), `"nperseg": 64`) {
		t.Errorf("strides 30 and 60 s: %v\n%s\nwant the rendering without stride_s", err, got)
	}
}

// TestSharedParamsBadFiles: a missing file, one that is not a JSON
// object and one over 1 MiB are errors naming the file; no file at all is
// an error too.
func TestSharedParamsBadFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeParams(t, dir, "a", archiveParams("rhythm", 64, 512))
	missing := filepath.Join(dir, "none", datasets.ParamsName)
	array := filepath.Join(dir, "array.json")
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(array, []byte("[1, 2]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(big, []byte(`{"x": "`+strings.Repeat("a", 1<<20)+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{missing, array, big} {
		_, err := datasets.SharedParams([]string{a, p}, rendering...)
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: %v, want an error naming it", p, err)
		}
	}
	if _, err := datasets.SharedParams([]string{missing}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := datasets.SharedParams(nil); err == nil {
		t.Error("no file: no error")
	}
}
