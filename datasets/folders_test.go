package datasets

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReadLabelFolders(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"N/100_0000m00s_MLII.png": "x",
		"N/101_0000m10s_MLII.png": "x",
		"AFIB/201_0005m00s.png":   "x",
		"AFIB/sub/203_0001.png":   "x",
		"AFIB/notes.txt":          "x",
		"AFIB/.hidden.png":        "x",
		"V/rec7.hea":              "x",
		"V/rec7.dat":              "x",
		"_skip/1.png":             "x",
		"empty/readme.md":         "x",
		"manifest.csv":            "image,record,label\nN/101_0000m10s_MLII.png,patient9,N\n",
		"N/noprefix.png":          "x",
	}
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := ReadLabelFolders(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ds.Labels, ","); got != "AFIB,N,V" {
		t.Errorf("labels %s", got)
	}
	var got []string
	for _, f := range ds.Files {
		got = append(got, f.Rel+"|"+f.Label+"|"+f.Kind.String()+"|"+f.Group)
	}
	want := []string{
		"AFIB/201_0005m00s.png|AFIB|image|201",
		"AFIB/sub/203_0001.png|AFIB|image|203",
		"N/100_0000m00s_MLII.png|N|image|100",
		"N/101_0000m10s_MLII.png|N|image|patient9",
		"N/noprefix.png|N|image|noprefix",
		"V/rec7|V|record|rec7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("files:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !ds.HasManifest || ds.Files[3].Manifest == nil {
		t.Error("manifest row not attached")
	}
	if idx := ds.LabelIndex(); idx[0] != 0 || idx[5] != 2 {
		t.Errorf("label index %v", idx)
	}
	if _, err := ReadLabelFolders(t.TempDir()); err == nil {
		t.Error("empty dir accepted")
	}
}

// Folders that are not labels are listed with the reason, so that commands
// can say so instead of skipping them silently (issue 19).
func TestLabelFoldersSkipped(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"N/a_1.png", ".AF/b_1.png", "_tmp/c_1.png", "Empty/readme.txt"} {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := ReadLabelFolders(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".AF: hidden", "Empty: empty", "_tmp: hidden"}
	if !slices.Equal(ds.Skipped, want) || !slices.Equal(ds.Labels, []string{"N"}) {
		t.Errorf("Skipped %q, Labels %q; want %q, [N]", ds.Skipped, ds.Labels, want)
	}
}
