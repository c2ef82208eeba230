package datasets

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sampleRows() []ManifestRow {
	a := NewStrideRow()
	a.Image, a.Record, a.Signal = "AFIB/201_0005m00s_MLII.png", "201", "MLII"
	a.Start, a.End, a.Fs = 108000, 129600, 360
	a.Label, a.LabelFraction = "AFIB", 0.8125
	a.Beats, a.BeatCounts = 97, [5]int{90, 2, 5, 0, 0}
	b := NewStrideRow()
	b.Image, b.Record, b.Signal = "V/208_0012m03.250s_V1.png", "208", "V1, with comma"
	b.Start, b.End, b.Fs = 260280, 260532, 360
	b.Label, b.LabelFraction = "V", 1
	b.Beats, b.BeatCounts = 1, [5]int{0, 0, 1, 0, 0}
	b.BeatSample, b.PrevRR, b.NextRR, b.LocalRR, b.AvgRR = 260370, 0.5, 1.1027777777777779, 0.8, 0.79
	return []ManifestRow{a, b}
}

// sameRows compares rows treating NaN as equal to NaN.
func sameRows(a, b []ManifestRow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		for _, p := range [][2]*float64{{&x.PrevRR, &y.PrevRR}, {&x.NextRR, &y.NextRR}, {&x.LocalRR, &y.LocalRR}, {&x.AvgRR, &y.AvgRR}} {
			if math.IsNaN(*p[0]) && math.IsNaN(*p[1]) {
				*p[0], *p[1] = 0, 0
			}
		}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func TestManifestRoundTrip(t *testing.T) {
	rows := sampleRows()
	var buf bytes.Buffer
	if err := WriteManifest(&buf, rows); err != nil {
		t.Fatal(err)
	}
	want := "image,record,signal,start,end,fs,label,label_fraction,beats,n,s,v,f,q,beat_sample,prev_rr,next_rr,local_rr,avg_rr\n" +
		"AFIB/201_0005m00s_MLII.png,201,MLII,108000,129600,360,AFIB,0.8125,97,90,2,5,0,0,,,,,\n" +
		"V/208_0012m03.250s_V1.png,208,\"V1, with comma\",260280,260532,360,V,1,1,0,0,1,0,0,260370,0.5,1.1027777777777779,0.8,0.79\n"
	if buf.String() != want {
		t.Fatalf("manifest:\n%s\nwant:\n%s", buf.String(), want)
	}
	got, err := ReadManifest(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if !sameRows(got, rows) {
		t.Fatalf("read back %+v\nwant %+v", got, rows)
	}
	// Concatenated shard manifests (header repeated) read as one.
	cat := buf.String() + buf.String()
	got, err = ReadManifest(strings.NewReader(cat))
	if err != nil {
		t.Fatal(err)
	}
	if !sameRows(got, append(rows, rows...)) {
		t.Fatalf("concatenated: %d rows", len(got))
	}
}

func TestManifestEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteManifest(&buf, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadManifest(&buf)
	if err != nil || len(rows) != 0 {
		t.Fatalf("empty manifest: %v, %d rows", err, len(rows))
	}
}

func TestManifestColumnsByName(t *testing.T) {
	in := "label,extra,image,record,start,end\nN,x,N/a.png,100,5,10\n"
	rows, err := ReadManifest(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Label != "N" || rows[0].Image != "N/a.png" || rows[0].Start != 5 || rows[0].End != 10 || rows[0].BeatSample != -1 || !math.IsNaN(rows[0].PrevRR) {
		t.Fatalf("got %+v", rows)
	}
}

func TestManifestErrors(t *testing.T) {
	h := strings.Join(ManifestColumns, ",") + "\n"
	for _, tc := range []struct{ in, want string }{
		{"", "manifest line 1: not a manifest header: empty file"},
		{"a,b,c\n", `manifest line 1: not a manifest header: no "image" column`},
		{h + "N/a.png,100,MLII,x,10,360,N,1,0,0,0,0,0,0,,,,,\n", `manifest line 2: start: "x": invalid integer`},
		{h + "N/a.png,100,MLII,0,10,360,N,1,-1,0,0,0,0,0,,,,,\n", `manifest line 2: beats: "-1": invalid count`},
		{h + "N/a.png,100,MLII,0,10,360,N,1,0,0,0,0,0,0,,inf,,,\n", `manifest line 2: prev_rr: "inf": invalid number`},
		{h + "N/a.png,100,MLII,20,10,360,N,1,0,0,0,0,0,0,,,,,\n", `manifest line 2: end: end 10 before start 20`},
		{h + ",100,MLII,0,10,360,N,1,0,0,0,0,0,0,,,,,\n", `manifest line 2: image: empty image path`},
		{h + "N/a.png,100,MLII,0,10,360,,1,0,0,0,0,0,0,,,,,\n", `manifest line 2: label: empty label`},
		{h + "\"N/a.png,100\n", `manifest line 2: extraneous or missing " in quoted-field`},
	} {
		_, err := ReadManifest(strings.NewReader(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("ReadManifest(%q): %v, want %s", tc.in, err, tc.want)
		}
		var me *ManifestError
		if err != nil && !errors.As(err, &me) {
			t.Errorf("ReadManifest(%q): %T is not a *ManifestError", tc.in, err)
		}
	}
}

func TestReadArchiveManifests(t *testing.T) {
	dir := t.TempDir()
	rows := sampleRows()
	for i, name := range []string{ManifestShardName(1, 2), ManifestShardName(0, 2), "manifest-notes.csv"} {
		var buf bytes.Buffer
		if err := WriteManifest(&buf, rows[i%2:i%2+1]); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadArchiveManifests(dir)
	if err != nil {
		t.Fatal(err)
	}
	// manifest-0-of-2 (rows[1]) sorts before manifest-1-of-2 (rows[0]);
	// manifest-notes.csv is not a manifest name and is ignored.
	if !sameRows(got, []ManifestRow{rows[1], rows[0]}) {
		t.Fatalf("got %+v", got)
	}
	if _, err := ReadArchiveManifests(t.TempDir()); err == nil {
		t.Fatal("empty archive: no error")
	}
}

func FuzzReadManifest(f *testing.F) {
	var buf bytes.Buffer
	_ = WriteManifest(&buf, sampleRows())
	f.Add(buf.Bytes())
	f.Add([]byte("image,record,label\nx,1,N\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadManifest(bytes.NewReader(data))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WriteManifest(&out, rows); err != nil {
			t.Fatal(err)
		}
		again, err := ReadManifest(&out)
		if err != nil {
			t.Fatalf("re-reading written manifest: %v", err)
		}
		if !sameRows(rows, again) {
			t.Fatalf("round trip changed rows:\n%+v\n%+v", rows, again)
		}
	})
}

// Issue 19, item 8: rows are found by the file an image path names,
// however it is spelled (relative, absolute, "..", through links).
func TestManifestIndexResolvesPaths(t *testing.T) {
	dir := t.TempDir()
	arch := filepath.Join(dir, "arch")
	if err := os.MkdirAll(filepath.Join(arch, "V"), 0o755); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(arch, "V", "a.png")
	if err := os.WriteFile(img, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(arch, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(img, filepath.Join(dir, "one.png")); err != nil {
		t.Fatal(err)
	}
	row := NewStrideRow()
	row.Image, row.Record, row.Label = "V/a.png", "a", "V"
	var buf bytes.Buffer
	if err := WriteManifest(&buf, []ManifestRow{row, row}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(arch, ManifestName), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	for _, man := range []string{"arch/manifest.csv", filepath.Join(arch, ManifestName), "link/manifest.csv", "./arch/../arch/manifest.csv"} {
		ix, err := ReadManifestIndex(man)
		if err != nil {
			t.Fatal(err)
		}
		if ix.Len() != 1 {
			t.Errorf("%s: %d images indexed, want 1 (a duplicate row keeps the first)", man, ix.Len())
		}
		for _, p := range []string{"arch/V/a.png", img, "./arch/V/../V/a.png", "link/V/a.png", "one.png"} {
			if r := ix.Lookup(p); r == nil || r.Record != "a" {
				t.Errorf("manifest %s, image %s: row %v", man, p, r)
			}
		}
		for _, p := range []string{"arch/V/b.png", "V/a.png", "a.png"} {
			if r := ix.Lookup(p); r != nil {
				t.Errorf("manifest %s, image %s: found a row, want none", man, p)
			}
		}
	}
	var none *ManifestIndex
	if none.Lookup("x") != nil {
		t.Error("a nil index found a row")
	}
}
