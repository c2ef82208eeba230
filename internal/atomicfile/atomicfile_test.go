package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
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
