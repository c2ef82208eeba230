package datasets

import (
	"os"
	"path/filepath"
	"testing"
)

func TestIsBeatWindowArchive(t *testing.T) {
	dir := t.TempDir()
	if IsBeatWindowArchive(dir) {
		t.Error("a folder without parameters is a beat-window archive")
	}
	for params, want := range map[string]bool{
		`{"label":"aami","stride_s":60}`: true,
		`{"label":"rhythm"}`:             false,
		`{"label":`:                      false,
	} {
		if err := os.WriteFile(filepath.Join(dir, ParamsName), []byte(params), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := IsBeatWindowArchive(dir); got != want {
			t.Errorf("%s: %v, want %v", params, got, want)
		}
	}
}
