package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun: the shared entries are written to -out; archives rendered
// otherwise are an error naming the field and leave no file; no -out is a
// usage error.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.json", `{"label": "record", "stride_s": 30, "image": {"width": 512}, "stft_at_360hz": {"nperseg": 64}}`)
	b := write("b.json", `{"label": "rhythm", "stride_s": 30, "image": {"width": 512}, "stft_at_360hz": {"nperseg": 64}}`)
	c := write("c.json", `{"label": "rhythm", "stride_s": 30, "image": {"width": 224}, "stft_at_360hz": {"nperseg": 64}}`)
	out := filepath.Join(dir, "out.json")
	if err := run([]string{"-out", out, a, b}, io.Discard); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"image\": {\n    \"width\": 512\n  },\n  \"stft_at_360hz\": {\n    \"nperseg\": 64\n  },\n  \"stride_s\": 30\n}\n"
	if got, err := os.ReadFile(out); err != nil || string(got) != want {
		t.Errorf("wrote %q (%v), want %q", got, err, want)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := run([]string{"-out", bad, a, c}, io.Discard); err == nil || !strings.Contains(err.Error(), "image.width is 224") {
		t.Errorf("rendered otherwise: %v", err)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("rendered otherwise: the file was written")
	}
	if err := run([]string{a, b}, io.Discard); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("no -out: %v", err)
	}
}
