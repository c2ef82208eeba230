package datasets

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestListRecords(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.hea", "a.hea", "a.dat", "notes.txt"} {
		os.WriteFile(filepath.Join(dir, n), nil, 0o644)
	}
	got, err := ListRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("without RECORDS: %v, want %v", got, want)
	}
	os.WriteFile(filepath.Join(dir, "RECORDS"), []byte("b\r\n\r\n# comment\r\na\r\n"), 0o644)
	got, err = ListRecords(dir)
	if err != nil {
		t.Fatal(err)
	}
	want = []string{filepath.Join(dir, "b"), filepath.Join(dir, "a")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("with RECORDS: %v, want %v", got, want)
	}
	os.WriteFile(filepath.Join(dir, "RECORDS"), []byte("../etc/passwd\n"), 0o644)
	if _, err := ListRecords(dir); err == nil {
		t.Fatal("RECORDS entry with .. accepted")
	}
	if _, err := ListRecords(t.TempDir()); err == nil {
		t.Fatal("empty directory accepted")
	}
}

// One rule for record names read from outside bytes (RECORDS, labels CSV).
func TestLocalRecordName(t *testing.T) {
	for name, want := range map[string]bool{
		"100": true, "p00/p000123": true, "a..b": true, "x/": true,
		"..": false, "../x": false, "a/../../b": false, "/etc/passwd": false,
		".": false, "a/..": false, `a\b`: false, "": false,
	} {
		if got := LocalRecordName(name); got != want {
			t.Errorf("LocalRecordName(%q) = %v, want %v", name, got, want)
		}
	}
}
