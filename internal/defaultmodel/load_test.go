package defaultmodel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	m, err := Load(Name)
	if err != nil || len(m.Info.Labels) == 0 {
		t.Fatalf("Load(%q): %v", Name, err)
	}
	dir := t.TempDir()
	copied, junk := filepath.Join(dir, "copy.bin"), filepath.Join(dir, "junk.ecgm")
	b, _ := os.ReadFile("rhythm.model")
	os.WriteFile(copied, b, 0o644)
	os.WriteFile(junk, []byte("not a model"), 0o644)
	junkText := filepath.Join(dir, "junk.txt")
	os.WriteFile(junkText, []byte("not a model"), 0o644)
	if _, err := Load(copied); err != nil {
		t.Errorf("Load(a copy): %v", err)
	}
	if _, err := Load(junk); err == nil || !strings.HasPrefix(err.Error(), junk+": ") {
		t.Errorf("Load(junk) = %v, want an error naming the file", err)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Error("Load(missing): no error")
	}
	for arg, want := range map[string]bool{Name: true, "x.ecgm": true, "x.model": true, copied: true,
		filepath.Join(dir, "missing"): false, junk: true, junkText: false, "record.hea": false} {
		if got := IsModel(arg); got != want {
			t.Errorf("IsModel(%q) = %v, want %v", arg, got, want)
		}
	}
}
