package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.txt")
	if err := WriteFile(p, func(w io.Writer) error { _, err := io.WriteString(w, "hello"); return err }); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "hello" {
		t.Fatalf("got %q, %v", b, err)
	}
	// A failing writer leaves the old content and no temporary file.
	boom := errors.New("boom")
	err = WriteFile(p, func(w io.Writer) error { io.WriteString(w, "partial"); return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	b, _ = os.ReadFile(p)
	if string(b) != "hello" {
		t.Fatalf("target changed to %q after failed write", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("directory holds %d entries, want 1 (temp file left behind?)", len(ents))
	}
}

func TestWriteFileNoSync(t *testing.T) {
	p := filepath.Join(t.TempDir(), "b.png")
	if err := WriteFileNoSync(p, func(w io.Writer) error { _, err := io.WriteString(w, "png"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "png" {
		t.Fatalf("got %q, %v", b, err)
	}
	boom := errors.New("boom")
	if err := WriteFileNoSync(p, func(w io.Writer) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "png" {
		t.Fatal("failed write changed the target")
	}
}

// TestRemoveStale: only old files named as Create names its temporary
// files go; a fresh one (a writer at work) and other files stay.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	files := map[string]time.Duration{
		".a.png.tmp-123":   2 * time.Hour, // stale: removed
		".b.png.tmp-456":   time.Minute,   // a writer at work
		"a.png":            2 * time.Hour,
		".hidden":          2 * time.Hour,
		".c.tmp-12x":       2 * time.Hour,
		"manifest.csv":     2 * time.Hour,
		".m.csv.tmp-99999": 3 * time.Hour, // stale: removed
	}
	for name, age := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	if n := RemoveStale(dir, time.Hour, now); n != 2 {
		t.Errorf("removed %d files, want 2", n)
	}
	for name := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		stale := name == ".a.png.tmp-123" || name == ".m.csv.tmp-99999"
		if os.IsNotExist(err) != stale {
			t.Errorf("%s: removed %v, stale %v", name, os.IsNotExist(err), stale)
		}
	}
}

// TestCreateErrors: a target in a missing folder, or under a file, is an
// error that names the target and the folder, not the temporary file.
func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "no", "x.png"): filepath.Join(dir, "no", "x.png") + ": folder " + filepath.Join(dir, "no") + " does not exist",
		filepath.Join(file, "x.png"):      filepath.Join(file, "x.png") + ": " + file + " is not a folder",
		dir:                               dir + " is a folder, not a file",
	} {
		err := WriteFile(path, func(io.Writer) error { return nil })
		if err == nil || err.Error() != want || strings.Contains(err.Error(), ".tmp-") {
			t.Errorf("%s: %v, want %q", path, err, want)
		}
	}
}
