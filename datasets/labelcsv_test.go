package datasets

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func rowsText(rows []LabelRow) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Record + "|" + r.Label + "|" + strconv.Itoa(r.Line))
		if r.Group != "" {
			b.WriteString("|" + r.Group)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestReadLabelRows(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "A00001,N\nA00002,A\n", "A00001|N|1\nA00002|A|2\n"},
		{"crlf", "A00001,N\r\nA00002,~\r\n", "A00001|N|1\nA00002|~|2\n"},
		{"no final newline", "A00001,N\nA00002,O", "A00001|N|1\nA00002|O|2\n"},
		{"header", "record,label\nA00001,N\n", "A00001|N|2\n"},
		{"header any case", "Name , Class\r\nA00001,N\r\n", "A00001|N|2\n"},
		{"header after comments", "# from PhysioNet\n\nRecord,Rhythm\nA1,N\n", "A1|N|4\n"},
		{"byte-order mark", "\ufeffrecord,label\nA1,N\n", "A1|N|2\n"},
		{"comments and blanks", "# c\n\nA1,N\n\r\n# d\nA2,A\n", "A1|N|3\nA2|A|6\n"},
		{"spaces and quotes", " A1 , N \n\"A2\",\"Other rhythm\"\n", "A1|N|1\nA2|Other rhythm|2\n"},
		{"hea suffix and subfolder", "p00/p001.hea,N\nq/./r,A\n", "p00/p001|N|1\nq/r|A|2\n"},
		{"header word later is a record", "A1,N\nid,label2\n", "A1|N|1\nid|label2|2\n"},
		{"group column", "A1,N,p1\nA2,A, p1 \nA3,N\n", "A1|N|1|p1\nA2|A|2|p1\nA3|N|3\n"},
		{"group header", "file,diagnosis,Patient\nA1,N,7\n", "A1|N|2|7\n"},
		{"group header alone", "x,y,subject\nA1,N,7\n", "A1|N|2|7\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := ReadLabelRows(strings.NewReader(tc.in), "REFERENCE.csv")
			if err != nil {
				t.Fatal(err)
			}
			if got := rowsText(rows); got != tc.want {
				t.Errorf("got\n%swant\n%s", got, tc.want)
			}
		})
	}
}

func TestReadLabelRowsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		is             error
	}{
		{"one field", "A1,N\r\nA2\r\n", "ref.csv line 2: 1 fields, want 2 or 3 (record,label[,group])", ErrLabelCSV},
		{"four fields", "record,label\nA1,N,x,y\n", "ref.csv line 2: 4 fields", ErrLabelCSV},
		{"empty group", "A1,N,p1\nA2,N, \n", "ref.csv line 2: record \"A2\" has an empty group (third column)", ErrLabelCSV},
		{"empty label", "A1,N\n\nA2, \n", "ref.csv line 3: record \"A2\" has an empty label", ErrLabelCSV},
		{"empty record", ",N\n", "ref.csv line 1: empty record name", ErrLabelCSV},
		{"outside", "A1,N\n../x,A\n", "ref.csv line 2: record name \"../x\" leaves the records directory", ErrLabelCSV},
		{"absolute", "/etc/x,A\n", "ref.csv line 1: record name \"/etc/x\" leaves", ErrLabelCSV},
		{"dot", "./,A\n", "ref.csv line 1: record name \"./\" leaves", ErrLabelCSV},
		{"up and back", "x/..,A\n", "ref.csv line 1: record name \"x/..\" leaves", ErrLabelCSV},
		{"duplicate", "record,label\r\nA1,N\r\nA2,A\r\nA1.hea,A\r\n", "ref.csv line 4: record \"A1\" (first on line 2): record listed twice", ErrDuplicateRecord},
		{"header only", "record,label\n# none\n", "ref.csv: no record,label rows", ErrLabelCSV},
		{"empty", "", "ref.csv: no record,label rows", ErrLabelCSV},
		{"bad quote", "A1,N\nA\"2,N\n", "ref.csv: parse error on line 2", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadLabelRows(strings.NewReader(tc.in), "ref.csv")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %q, want it to start %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
}

// writeRecords makes empty WFDB headers dir/NAME.hea (enough for
// ReadLabelCSV, which reads no signals).
func writeRecords(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n)+".hea")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadLabelCSV(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "records")
	writeRecords(t, dir, "A3", "A1", "A2", "unlisted", "sub/B1")
	ref := filepath.Join(root, "REFERENCE.csv")
	os.WriteFile(ref, []byte("A3,~\r\nA1,N\r\nsub/B1,A\r\nA2,N\r\n"), 0o644)
	ds, err := ReadLabelCSV(dir, ref, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ds.Labels, ","); got != "A,N,~" {
		t.Errorf("labels %s", got)
	}
	var got []string
	for _, f := range ds.Files {
		got = append(got, f.Rel+"|"+f.Label+"|"+f.Kind.String()+"|"+f.Group+"|"+f.Path)
	}
	// In label-folder order: by LABEL/RECORD.
	want := []string{
		"sub/B1|A|record|sub/B1|" + filepath.Join(dir, "sub", "B1"),
		"A1|N|record|A1|" + filepath.Join(dir, "A1"),
		"A2|N|record|A2|" + filepath.Join(dir, "A2"),
		"A3|~|record|A3|" + filepath.Join(dir, "A3"),
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ds.Dir != dir || ds.HasManifest || len(ds.Skipped) != 0 {
		t.Errorf("dataset %+v", ds)
	}
	// Mapped labels order the files: A -> Z puts sub/B1 last.
	ds, err = ReadLabelCSV(dir, ref, LabelMap{"A": "Z", "~": "Noisy"})
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, f := range ds.Files {
		got = append(got, f.Rel+"|"+f.Label)
	}
	if s := strings.Join(got, " "); s != "A1|N A2|N A3|Noisy sub/B1|Z" || strings.Join(ds.Labels, ",") != "N,Noisy,Z" {
		t.Errorf("mapped: files %s, labels %v", s, ds.Labels)
	}

	os.WriteFile(ref, []byte("record,label\nA1,N\nA9,A\n"), 0o644)
	_, err = ReadLabelCSV(dir, ref, nil)
	if err == nil || !strings.HasPrefix(err.Error(), ref+" line 3: record \"A9\" not found (no "+filepath.Join(dir, "A9")+".hea)") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing record: %v", err)
	}
	if _, err := ReadLabelCSV(dir, filepath.Join(root, "none.csv"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing CSV: %v", err)
	}
	os.WriteFile(ref, []byte("A1,N\n"), 0o644)
	if _, err := ReadLabelCSV(filepath.Join(dir, "A1.hea"), ref, nil); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("records path is a file: %v", err)
	}
}

// TestReadLabelCSVGroups: a third column groups records by patient, so
// that splits keep a patient's records together; rows without it are
// their own group.
func TestReadLabelCSVGroups(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "records")
	writeRecords(t, dir, "w/201_0000", "w/201_0060", "A1")
	ref := filepath.Join(root, "labels.csv")
	os.WriteFile(ref, []byte("record,label,patient\nw/201_0000,AFIB,mitdb-201\nw/201_0060,N,mitdb-201\nA1,N\n"), 0o644)
	ds, err := ReadLabelCSV(dir, ref, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range ds.Files {
		got = append(got, f.Rel+"|"+f.Group)
	}
	want := "w/201_0000|mitdb-201 A1|A1 w/201_0060|mitdb-201"
	if strings.Join(got, " ") != want {
		t.Errorf("files %q, want %q", strings.Join(got, " "), want)
	}
}

func TestParseLabelMap(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"", ""},
		{"  ", ""},
		{"A=AF,~=Noisy", "A=AF,~=Noisy"},
		{" O = Other , A=AF", "A=AF,O=Other"},
		{"A=X,B=X", "A=X,B=X"},
	} {
		m, err := ParseLabelMap(tc.spec)
		if err != nil {
			t.Errorf("%q: %v", tc.spec, err)
			continue
		}
		if got := m.String(); got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.spec, got, tc.want)
		}
	}
	for _, spec := range []string{"A", "A=AF,", "=AF", "A=", "A=B=C", "A=AF,A=Other", ",", "A=AF,,B=C"} {
		if _, err := ParseLabelMap(spec); !errors.Is(err, ErrLabelMap) {
			t.Errorf("%q: error %v, want ErrLabelMap", spec, err)
		}
	}
}

func TestLabelMapApply(t *testing.T) {
	ds := &LabelFolders{Labels: []string{"A", "N", "O", "~"}, Files: []LabeledFile{
		{Rel: "A/1", Label: "A"}, {Rel: "N/2", Label: "N"}, {Rel: "O/3", Label: "O"}, {Rel: "~/4", Label: "~"},
	}}
	m, err := ParseLabelMap("A=AF,~=Noisy,O=N,X=Y")
	if err != nil {
		t.Fatal(err)
	}
	m.Apply(ds)
	if got := strings.Join(ds.Labels, ","); got != "AF,N,Noisy" {
		t.Errorf("labels %s", got)
	}
	var got []string
	for _, f := range ds.Files {
		got = append(got, f.Rel+"="+f.Label)
	}
	if s := strings.Join(got, " "); s != "A/1=AF N/2=N O/3=N ~/4=Noisy" {
		t.Errorf("files %s", s)
	}
	if idx := ds.LabelIndex(); idx[0] != 0 || idx[2] != 1 || idx[3] != 2 {
		t.Errorf("label index %v", idx)
	}
	// A chain is applied once.
	m2, _ := ParseLabelMap("AF=N,N=AF")
	m2.Apply(ds)
	if got := strings.Join(ds.Labels, ","); got != "AF,N,Noisy" || ds.Files[0].Label != "N" || ds.Files[1].Label != "AF" {
		t.Errorf("swap: labels %s, files %+v", got, ds.Files)
	}
	var nilMap LabelMap
	nilMap.Apply(ds) // no change, no panic
	if ds.Files[0].Label != "N" {
		t.Error("an empty map changed a label")
	}
}

func TestReadLabeledFolders(t *testing.T) {
	dir := t.TempDir()
	writeRecords(t, dir, "A/r1", "N/r2", "~/r3")
	m, _ := ParseLabelMap("A=AF,~=Noisy")
	ds, err := ReadLabeled(dir, LabelSource{Map: m})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ds.Labels, ","); got != "AF,N,Noisy" {
		t.Errorf("labels %s", got)
	}
	if ds.Files[0].Rel != "A/r1" || ds.Files[0].Label != "AF" || ds.Files[2].Label != "Noisy" {
		t.Errorf("files %+v", ds.Files)
	}
	ref := filepath.Join(t.TempDir(), "ref.csv")
	os.WriteFile(ref, []byte("A/r1,A\nN/r2,N\n"), 0o644)
	ds, err = ReadLabeled(dir, LabelSource{CSV: ref, Map: m})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ds.Labels, ","); got != "AF,N" || len(ds.Files) != 2 {
		t.Errorf("labels %s, %d files", got, len(ds.Files))
	}
}
