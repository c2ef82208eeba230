package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A RECORDS file that cannot be used is reported with its reason, not as
// "no WFDB records" (issue 19).
func TestExpandInputsReportsBadRecords(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "RECORDS"), []byte("100\n../etc/passwd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := ExpandInputs([]string{dir})
	if err == nil || !strings.Contains(err.Error(), "leaves the database directory") {
		t.Fatalf("ExpandInputs: error %v, want the RECORDS problem", err)
	}
}

func TestExpandInputs(t *testing.T) {
	db := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(db, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("RECORDS", "b\r\na\r\nb\r\n")
	got, files, err := ExpandInputs([]string{db, "x/rec.hea"})
	want := []string{filepath.Join(db, "b"), filepath.Join(db, "a"), "x/rec"}
	if err != nil || files || !slices.Equal(got, want) {
		t.Fatalf("ExpandInputs = %v, %v, %v; want %v (a record listed twice once)", got, files, err, want)
	}

	dev := t.TempDir()
	for _, n := range []string{"b.CSV", "a.edf", "notes.md"} {
		if err := os.WriteFile(filepath.Join(dev, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, files, err = ExpandInputs([]string{dev})
	want = []string{filepath.Join(dev, "a.edf"), filepath.Join(dev, "b.CSV")}
	if err != nil || !files || !slices.Equal(got, want) {
		t.Fatalf("ExpandInputs(device folder) = %v, %v, %v; want %v", got, files, err, want)
	}

	empty := t.TempDir()
	if _, _, err := ExpandInputs([]string{empty}); err == nil || !strings.Contains(err.Error(), "no WFDB records") {
		t.Fatalf("ExpandInputs(empty folder): error %v", err)
	}
	if _, err := ListRecords(empty); !errors.Is(err, ErrNoRecords) {
		t.Fatalf("ListRecords(empty folder): error %v, want ErrNoRecords", err)
	}
}

func TestRecordNameForAndDelimiter(t *testing.T) {
	for in, want := range map[string]string{"/a/holter-2024.06.csv": "holter_2024_06", "x/.edf": "record", "ok_1.TXT": "ok_1"} {
		if got := RecordNameFor(in); got != want {
			t.Errorf("RecordNameFor(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]rune{"": 0, "tab": '\t', `\t`: '\t', "space": ' ', ";": ';', "|": '|'} {
		if got, err := ParseDelimiter(in); err != nil || got != want {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseDelimiter("xx"); err == nil {
		t.Error("ParseDelimiter(xx): no error")
	}
}
