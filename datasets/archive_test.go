package datasets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// writeTestRecord writes record NAME (fs 100 Hz, seconds long, signals
// "MLII" and "V1") with a beat every second (every 7th a PVC) and rhythm
// changes N at 0, AFIB at 70 s, N at 100 s.
func writeTestRecord(t *testing.T, dir, name string, seconds int) {
	t.Helper()
	const fs = 100
	n := seconds * fs
	data := [][]int32{make([]int32, n), make([]int32, n)}
	for i := 0; i < n; i++ {
		v := int32(200 * math.Sin(float64(i)/10))
		if i%fs == 30 {
			v += 800
		}
		data[0][i], data[1][i] = v, -v/2
	}
	h := &wfdb.Header{Name: name, Fs: fs, Signals: []wfdb.SignalSpec{
		{FileName: name + ".dat", Format: 212, Gain: 200, Units: "mV", ADCResolution: 11, Description: "MLII"},
		{FileName: name + ".dat", Format: 212, Gain: 200, Units: "mV", ADCResolution: 11, Description: "V1"},
	}}
	if err := wfdb.WriteRecord(dir, h, data); err != nil {
		t.Fatal(err)
	}
	anns := []wfdb.Annotation{{Sample: 0, Type: wfdb.Rhythm, Aux: "(N"}}
	for s := 0; s < seconds; s++ {
		if s == 70 {
			anns = append(anns, wfdb.Annotation{Sample: 70 * fs, Type: wfdb.Rhythm, Aux: "(AFIB"})
		}
		if s == 100 {
			anns = append(anns, wfdb.Annotation{Sample: 100 * fs, Type: wfdb.Rhythm, Aux: "(N"})
		}
		typ := wfdb.Normal
		if s%7 == 3 {
			typ = wfdb.PVC
		}
		anns = append(anns, wfdb.Annotation{Sample: int64(s*fs + 30), Type: typ})
	}
	if err := wfdb.WriteAnnotations(filepath.Join(dir, name), "atr", anns); err != nil {
		t.Fatal(err)
	}
}

// textOutput writes the window's span, signal and sample count.
var textOutput = Output{Suffix: ".txt", Write: func(w io.Writer, win *Window) error {
	_, err := fmt.Fprintf(w, "%s %s %d-%d %d %d beats", win.Record, win.Signal, win.Span.Start, win.Span.End, len(win.X), len(win.Beats))
	return err
}}

func listFiles(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func TestArchiveRhythm(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 185)
	writeTestRecord(t, db, "r2", 125)
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Label: LabelRhythm, Stride: 30, Outputs: []Output{textOutput}, Jobs: 2}
	res, err := Archive(context.Background(), []string{filepath.Join(db, "r1"), filepath.Join(db, "r2")}, opt)
	if err != nil {
		t.Fatal(err)
	}
	// r1: strides 0-30 N, 30-60 N, 60-90 (N 10 s, AFIB 20 s: 0.67 < 0.8,
	// skipped), 90-120 (AFIB 10, N 20: skipped), 120-150 N, 150-180 N;
	// 180-185 partial, dropped. r2: 0-30, 30-60 N, 60-90 skipped, 90-120
	// skipped. Two signals each.
	if res.Windows != 12 || res.SkippedFraction != 4 || res.Labels["N"] != 12 || len(res.Failed) != 0 {
		t.Fatalf("result %+v", res)
	}
	files := listFiles(t, out)
	want := []string{"N/r1_0000m00s_MLII.txt", "N/r1_0000m00s_V1.txt", "N/r1_0000m30s_MLII.txt"}
	for _, w := range want {
		if !contains(files, w) {
			t.Fatalf("no %s in %v", w, files)
		}
	}
	b, _ := os.ReadFile(filepath.Join(out, "N/r1_0002m30s_V1.txt"))
	if string(b) != "r1 V1 15000-18000 3000 30 beats" {
		t.Fatalf("output %q", b)
	}
	rows, err := ReadManifestFile(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 12 || rows[0].Image != "N/r1_0000m00s_MLII.txt" || rows[0].Record != "r1" || rows[0].Signal != "MLII" {
		t.Fatalf("rows %+v", rows[:1])
	}
	// Record order, then signal, then time.
	if rows[4].Image != "N/r1_0000m00s_V1.txt" || rows[8].Record != "r2" {
		t.Fatalf("order: %s %s", rows[4].Image, rows[8].Image)
	}
	// Beats 0..29 at s*100+30: PVC when s%7==3 (s = 3, 10, 17, 24): 4 V.
	if r := rows[0]; r.Beats != 30 || r.BeatCounts != [5]int{26, 0, 4, 0, 0} || r.LabelFraction != 1 || r.Start != 0 || r.End != 3000 || r.Fs != 100 {
		t.Fatalf("row 0: %+v", r)
	}

	// Min fraction 0.6 keeps 60-90 as AFIB (0.67).
	out2 := t.TempDir()
	opt.Out, opt.MinFraction, opt.Signals = out2, 0.6, []string{"mlii"}
	res, err = Archive(context.Background(), []string{filepath.Join(db, "r1")}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Labels["AFIB"] != 1 || res.Labels["N"] != 5 || res.Windows != 6 {
		t.Fatalf("min fraction 0.6: %+v", res)
	}
	if !contains(listFiles(t, out2), "AFIB/r1_0001m00s_MLII.txt") {
		t.Fatalf("files %v", listFiles(t, out2))
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func TestArchiveResumeForce(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 125)
	out := t.TempDir()
	var calls atomic.Int64
	o := Output{Suffix: ".txt", Write: func(w io.Writer, win *Window) error {
		calls.Add(1)
		return textOutput.Write(w, win)
	}}
	opt := ArchiveOptions{Out: out, Label: LabelBeats, Stride: 30, Outputs: []Output{o}}
	recs := []string{filepath.Join(db, "r1")}
	r1, err := Archive(context.Background(), recs, opt)
	if err != nil {
		t.Fatal(err)
	}
	m1, _ := os.ReadFile(filepath.Join(out, ManifestName))
	if r1.Written != 8 || calls.Load() != 8 || r1.Labels["V"] != 8 {
		t.Fatalf("first run %+v, %d calls", r1, calls.Load())
	}
	r2, err := Archive(context.Background(), recs, opt)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := os.ReadFile(filepath.Join(out, ManifestName))
	if r2.Written != 0 || r2.Existing != 8 || calls.Load() != 8 || !bytes.Equal(m1, m2) {
		t.Fatalf("resume: %+v, %d calls, manifest same %v", r2, calls.Load(), bytes.Equal(m1, m2))
	}
	opt.Force = true
	r3, err := Archive(context.Background(), recs, opt)
	if err != nil || r3.Written != 8 || calls.Load() != 16 {
		t.Fatalf("force: %+v %v", r3, err)
	}
}

func TestArchiveAAMI(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 20)
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Label: LabelAAMI, Signals: []string{"MLII"}, Outputs: []Output{textOutput}}
	res, err := Archive(context.Background(), []string{filepath.Join(db, "r1")}, opt)
	if err != nil {
		t.Fatal(err)
	}
	// Beats at s*100+30 for s = 0..19; window -25, +45 samples: all fit
	// (beat 19 at 1930 ends at 1975 <= 2000).
	if res.Windows != 20 || res.Labels["V"] != 3 || res.Labels["N"] != 17 || res.SkippedEdge != 0 {
		t.Fatalf("result %+v", res)
	}
	rows, err := ReadManifestFile(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	r := rows[3]
	if r.Image != "V/r1_0000m03.300s_MLII.txt" || r.BeatSample != 330 || r.Start != 305 || r.End != 375 || r.Label != "V" ||
		r.PrevRR != 1 || r.NextRR != 1 || r.LocalRR != 1 || r.AvgRR != 1 || r.Beats != 1 {
		t.Fatalf("row 3: %+v", r)
	}
	if !math.IsNaN(rows[0].PrevRR) || rows[0].NextRR != 1 {
		t.Fatalf("row 0: %+v", rows[0])
	}
}

func TestArchiveShards(t *testing.T) {
	db := t.TempDir()
	var recs []string
	for i := 0; i < 5; i++ {
		name := fmt.Sprintf("s%d", i)
		writeTestRecord(t, db, name, 65)
		recs = append(recs, filepath.Join(db, name))
	}
	whole := t.TempDir()
	opt := ArchiveOptions{Out: whole, Label: LabelRhythm, Outputs: []Output{textOutput}}
	if _, err := Archive(context.Background(), recs, opt); err != nil {
		t.Fatal(err)
	}
	all, _ := ReadManifestFile(filepath.Join(whole, ManifestName))
	shared := t.TempDir()
	var cat bytes.Buffer
	for k := 0; k < 2; k++ {
		opt.Out, opt.Shard, opt.Shards = shared, k, 2
		res, err := Archive(context.Background(), recs, opt)
		if err != nil {
			t.Fatal(err)
		}
		if filepath.Base(res.Manifest) != ManifestShardName(k, 2) {
			t.Fatalf("manifest %s", res.Manifest)
		}
		b, _ := os.ReadFile(res.Manifest)
		cat.Write(b)
	}
	rows, err := ReadManifest(&cat)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(all) || len(all) != 10 {
		t.Fatalf("%d rows from shards, %d whole", len(rows), len(all))
	}
	// Shard 0 has records 0, 2, 4, shard 1 records 1, 3.
	if rows[0].Record != "s0" || rows[2].Record != "s2" || rows[6].Record != "s1" {
		t.Fatalf("shard order: %s %s %s", rows[0].Record, rows[2].Record, rows[6].Record)
	}
	merged, err := ReadArchiveManifests(shared)
	if err != nil || len(merged) != 10 {
		t.Fatalf("ReadArchiveManifests: %d rows, %v", len(merged), err)
	}
	if !sameFiles(listFiles(t, whole), listFiles(t, shared)) {
		t.Fatalf("files differ:\n%v\n%v", listFiles(t, whole), listFiles(t, shared))
	}
}

// sameFiles compares file lists ignoring manifests.
func sameFiles(a, b []string) bool {
	strip := func(l []string) []string {
		var o []string
		for _, s := range l {
			if !strings.HasPrefix(s, "manifest") {
				o = append(o, s)
			}
		}
		return o
	}
	return fmt.Sprint(strip(a)) == fmt.Sprint(strip(b))
}

func TestArchiveCancel(t *testing.T) {
	db := t.TempDir()
	var recs []string
	for i := 0; i < 4; i++ {
		name := fmt.Sprintf("c%d", i)
		writeTestRecord(t, db, name, 185)
		recs = append(recs, filepath.Join(db, name))
	}
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	o := Output{Suffix: ".txt", Write: func(w io.Writer, win *Window) error {
		// Write half, cancel on the 5th window, then write the rest: the
		// file must still not appear half-written.
		io.WriteString(w, "partial ")
		if n.Add(1) == 5 {
			cancel()
		}
		return textOutput.Write(w, win)
	}}
	_, err := Archive(ctx, recs, ArchiveOptions{Out: out, Outputs: []Output{o}, Stride: 10, Jobs: 2})
	if err != context.Canceled {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	files := listFiles(t, out)
	for _, f := range files {
		if strings.Contains(f, ".tmp") || strings.HasPrefix(f, "manifest") {
			t.Fatalf("left %s after cancel", f)
		}
		if f == ParamsName {
			continue // recorded before the first output
		}
		b, _ := os.ReadFile(filepath.Join(out, f))
		if !strings.HasSuffix(string(b), "beats") {
			t.Fatalf("%s is partial: %q", f, b)
		}
	}
	if len(files) >= 4*18*2 {
		t.Fatalf("%d files: not stopped", len(files))
	}
}

func TestArchiveFailures(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "ok", 65)
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Label: LabelRhythm, Outputs: []Output{textOutput}}
	res, err := Archive(context.Background(), []string{filepath.Join(db, "missing"), filepath.Join(db, "ok")}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error(), "missing") || res.Windows != 2 {
		t.Fatalf("result %+v", res)
	}
	// No annotations for a labelled archive: failure naming the file.
	os.Remove(filepath.Join(db, "ok.atr"))
	res, err = Archive(context.Background(), []string{filepath.Join(db, "ok")}, opt)
	if err != nil || len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error(), "annotations") {
		t.Fatalf("no atr: %+v %v", res, err)
	}
	// Unlabelled strides need no annotations.
	opt.Label, opt.Out = LabelNone, t.TempDir()
	res, err = Archive(context.Background(), []string{filepath.Join(db, "ok")}, opt)
	if err != nil || len(res.Failed) != 0 || res.Windows != 2 {
		t.Fatalf("unlabelled: %+v %v", res, err)
	}
	for _, bad := range []ArchiveOptions{
		{Out: out, Outputs: []Output{textOutput}, Label: "x"},
		{Out: out, Outputs: []Output{textOutput}, Shard: 2, Shards: 2},
		{Out: out, Outputs: []Output{textOutput}, MinFraction: 1.5},
		{Out: out},
		{Outputs: []Output{textOutput}},
	} {
		if _, err := Archive(context.Background(), nil, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// --force over an archive made with other parameters removes what the
// new run no longer makes (other strides, an output it no longer
// writes), keeps the files of records that failed or were not asked
// for, and touches nothing the manifest does not list.
func TestArchiveForcePrunesStale(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 125)
	writeTestRecord(t, db, "r2", 125)
	out := t.TempDir()
	extra := Output{Suffix: "_x.txt", Write: textOutput.Write}
	opt := ArchiveOptions{Out: out, Label: LabelBeats, Stride: 30, Outputs: []Output{textOutput, extra}, Signals: []string{"MLII"}}
	recs := []string{filepath.Join(db, "r1"), filepath.Join(db, "r2")}
	if _, err := Archive(context.Background(), recs, opt); err != nil {
		t.Fatal(err)
	}
	before := listFiles(t, out)
	// 2 records x 4 strides x 2 outputs + manifest + parameters.
	if len(before) != 18 {
		t.Fatalf("first run: %v", before)
	}
	if err := os.WriteFile(filepath.Join(out, "V", "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	// r2 now fails (its signal file is gone): its files stay.
	os.Rename(filepath.Join(db, "r2.dat"), filepath.Join(db, "r2.dat.bak"))
	opt.Force, opt.Stride, opt.Outputs = true, 60, []Output{textOutput}
	opt.PruneSuffixes = []string{".txt", "_x.txt"}
	res, err := Archive(context.Background(), recs, opt)
	if err != nil || len(res.Failed) != 1 {
		t.Fatalf("force: %+v %v", res, err)
	}
	// r1: 4 strides of 30 s with 2 outputs became 2 strides of 60 s with
	// 1 output: the 30 s strides' 4 files and the 2 extra outputs of the
	// strides made again are removed; r2's 8 files are kept.
	got := listFiles(t, out)
	want := []string{"V/notes.txt", "V/r1_0000m00s_MLII.txt", "V/r1_0001m00s_MLII.txt"}
	for _, s := range []string{"0000m00s", "0000m30s", "0001m00s", "0001m30s"} {
		want = append(want, "V/r2_"+s+"_MLII.txt", "V/r2_"+s+"_MLII_x.txt")
	}
	want = append(want, ManifestName, ParamsName)
	sort.Strings(want)
	if res.Removed != 6 || !sameFiles(got, want) {
		t.Fatalf("removed %d, files\n%v\nwant\n%v", res.Removed, got, want)
	}
	// Without --force other parameters are refused, and the same ones
	// remove nothing.
	opt.Force, opt.Stride = false, 30
	os.Rename(filepath.Join(db, "r2.dat.bak"), filepath.Join(db, "r2.dat"))
	var pe *ParamsError
	if _, err = Archive(context.Background(), recs, opt); !errors.As(err, &pe) || pe.Path != filepath.Join(out, ParamsName) {
		t.Fatalf("other parameters without force: %v", err)
	}
	opt.Stride = 60
	res, err = Archive(context.Background(), recs, opt)
	if err != nil || res.Removed != 0 || res.Written != 0 || res.Existing != 4 || len(listFiles(t, out)) != len(want) {
		t.Fatalf("resume: %+v %v %v", res, err, listFiles(t, out))
	}
}

// The parameter file: written with the archive's parameters and the
// outputs', before the first output (so a killed run has it), refused
// with other parameters unless Force.
func TestArchiveParams(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 65)
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Label: LabelRhythm, Outputs: []Output{textOutput},
		OutputParams: map[string]any{"image": map[string]any{"width": 32}}}
	recs := []string{filepath.Join(db, "r1")}
	ctx, cancel := context.WithCancel(context.Background())
	killer := Output{Suffix: ".txt", Write: func(w io.Writer, win *Window) error {
		if win.Signal == "V1" {
			// Cancel once the first window is committed.
			for i := 0; i < 1000; i++ {
				if _, err := os.Stat(filepath.Join(out, "N", "r1_0000m00s_MLII.txt")); err == nil {
					break
				}
				time.Sleep(time.Millisecond)
			}
			cancel()
		}
		return textOutput.Write(w, win)
	}}
	opt.Outputs = []Output{killer}
	if _, err := Archive(ctx, recs, opt); err != context.Canceled {
		t.Fatalf("cancel: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(out, ParamsName))
	if err != nil {
		t.Fatalf("no parameters after a cancelled run that wrote an output: %v", err)
	}
	want := `{
  "annotator": "atr",
  "beat_window_s": [
    0.25,
    0.45
  ],
  "hop_s": 60,
  "image": {
    "width": 32
  },
  "keep_partial": false,
  "label": "rhythm",
  "min_fraction": 0.8,
  "outputs": [
    ".txt"
  ],
  "stride_s": 60
}
`
	if string(b) != want {
		t.Fatalf("parameters\n%s\nwant\n%s", b, want)
	}
	opt.Outputs = []Output{textOutput}
	if res, err := Archive(context.Background(), recs, opt); err != nil || res.Windows != 2 || res.Existing != 1 {
		t.Fatalf("resume: %+v %v", res, err)
	}
	opt.OutputParams["image"] = map[string]any{"width": 64}
	var pe *ParamsError
	if _, err := Archive(context.Background(), recs, opt); !errors.As(err, &pe) || !strings.Contains(err.Error(), "other parameters") {
		t.Fatalf("other output parameters: %v", err)
	}
	opt.Force = true
	if res, err := Archive(context.Background(), recs, opt); err != nil || res.Written != 2 {
		t.Fatalf("force: %+v %v", res, err)
	}
	if b, _ := os.ReadFile(filepath.Join(out, ParamsName)); !strings.Contains(string(b), `"width": 64`) {
		t.Fatalf("parameters not replaced: %s", b)
	}
}

// Signals are selected by the one rule of signal.Select; a record that
// lacks one of them is skipped; the selected ones come in the record's
// order.
func TestArchiveSignals(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 65)
	recs := []string{filepath.Join(db, "r1")}
	for _, c := range []struct {
		signals []string
		want    string // signals of the first window(s), or "skipped"
	}{
		{nil, "MLII V1"},
		{[]string{"all"}, "MLII V1"},
		{[]string{"v1", "MLII"}, "MLII V1"},
		{[]string{"1"}, "V1"},
		{[]string{" mlii "}, "MLII"},
		{[]string{"MLII", "V9"}, "skipped"},
	} {
		opt := ArchiveOptions{Out: t.TempDir(), Outputs: []Output{textOutput}, Signals: c.signals}
		res, err := Archive(context.Background(), recs, opt)
		if err != nil {
			t.Fatal(err)
		}
		got := "skipped"
		if res.SkippedRecords == 0 {
			rows, err := ReadManifestFile(res.Manifest)
			if err != nil {
				t.Fatal(err)
			}
			var sigs []string
			for _, r := range rows {
				if r.Start == 0 {
					sigs = append(sigs, r.Signal)
				}
			}
			got = strings.Join(sigs, " ")
		} else if res.Windows != 0 || res.Records != 0 {
			t.Fatalf("%q: skipped record made windows: %+v", c.signals, res)
		}
		if got != c.want {
			t.Errorf("signals %q: %s, want %s", c.signals, got, c.want)
		}
	}
}

// The committer writes in input order: the manifest is the same whatever
// the number of jobs and however slow some windows are to render.
func TestArchiveOrderedCommit(t *testing.T) {
	db := t.TempDir()
	var recs []string
	for i := 0; i < 3; i++ {
		name := fmt.Sprintf("o%d", i)
		writeTestRecord(t, db, name, 95)
		recs = append(recs, filepath.Join(db, name))
	}
	var n atomic.Int64
	slow := Output{Suffix: ".txt", Write: func(w io.Writer, win *Window) error {
		if n.Add(1)%3 == 0 {
			time.Sleep(2 * time.Millisecond)
		}
		return textOutput.Write(w, win)
	}}
	var manifests []string
	for _, jobs := range []int{1, 4} {
		opt := ArchiveOptions{Out: t.TempDir(), Label: LabelBeats, Stride: 10, Outputs: []Output{slow}, Jobs: jobs}
		res, err := Archive(context.Background(), recs, opt)
		if err != nil || res.Windows != 3*9*2 {
			t.Fatalf("jobs %d: %+v %v", jobs, res, err)
		}
		b, _ := os.ReadFile(res.Manifest)
		manifests = append(manifests, string(b))
	}
	if manifests[0] != manifests[1] {
		t.Fatal("manifests differ between 1 and 4 jobs")
	}
}

// WFDBOutputs writes each window as a one-signal format-16 record that
// reads back to the window's samples in 1 µV steps.
func TestWFDBOutputs(t *testing.T) {
	out := t.TempDir()
	x := []float64{0.0004, -1.2345, math.NaN(), 40, -40}
	win := &Window{Name: "r_0000m00s_MLII", Signal: "MLII", Fs: 360, X: x}
	var files [2]bytes.Buffer
	for i, o := range WFDBOutputs() {
		if err := o.Write(&files[i], win); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, win.Name+o.Suffix), files[i].Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantHea := "r_0000m00s_MLII 1 360 5\nr_0000m00s_MLII.dat 16 1000/mV 16 0 0 31533 0 MLII\n"
	if files[0].String() != wantHea {
		t.Fatalf("header %q, want %q", files[0].String(), wantHea)
	}
	rec, err := wfdb.ReadRecord(filepath.Join(out, win.Name))
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.VerifyChecksums(); err != nil {
		t.Fatal(err)
	}
	got := rec.Digital(0)
	want := []int32{0, -1235, wfdb.InvalidSample, 32767, -32767}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("samples %v, want %v", got, want)
	}
}

// An archive in one call: every one-minute stride of every record, one
// file per stride and signal in a folder per rhythm, and a manifest. Any
// Output will do: spectro.StrideRenderer's PNG() writes spectrogram
// images, WFDBOutputs() one-signal records.
func ExampleArchive() {
	db, _ := os.MkdirTemp("", "db")
	out, _ := os.MkdirTemp("", "archive")
	defer os.RemoveAll(db)
	defer os.RemoveAll(out)
	// Two minutes at 100 Hz: normal rhythm, atrial fibrillation from 60 s.
	x := make([]int32, 120*100)
	for i := range x {
		x[i] = int32(200 * math.Sin(float64(i)/10))
	}
	h := &wfdb.Header{Name: "r1", Fs: 100, Signals: []wfdb.SignalSpec{
		{FileName: "r1.dat", Format: wfdb.Format16, Gain: 200, Units: "mV", Description: "MLII"}}}
	if err := wfdb.WriteRecord(db, h, [][]int32{x}); err != nil {
		panic(err)
	}
	anns := []wfdb.Annotation{{Sample: 0, Type: wfdb.Rhythm, Aux: "(N"}, {Sample: 6000, Type: wfdb.Rhythm, Aux: "(AFIB"}}
	if err := wfdb.WriteAnnotations(filepath.Join(db, "r1"), "atr", anns); err != nil {
		panic(err)
	}
	res, err := Archive(context.Background(), []string{filepath.Join(db, "r1")}, ArchiveOptions{
		Out: out, Label: LabelRhythm, Outputs: WFDBOutputs()})
	if err != nil {
		panic(err)
	}
	rows, _ := ReadManifestFile(res.Manifest)
	for _, r := range rows {
		fmt.Println(r.Image, r.Start, r.End, r.Label)
	}
	// Output:
	// N/r1_0000m00s_MLII.hea 0 6000 N
	// AFIB/r1_0001m00s_MLII.hea 6000 12000 AFIB
}

// File names stay unique for any hop: under a millisecond they carry
// microseconds, and a hop under one sample is an error, not an empty
// archive (issue 19: 4,001 manifest rows, 1,001 files at 4 kHz, hop 0.25 ms).
func TestArchiveNamesUniqueSubMillisecondHop(t *testing.T) {
	db := t.TempDir()
	const fs = 4000
	n := 4000 + 400
	x := make([]int32, n)
	for i := range x {
		x[i] = int32(i % 50)
	}
	h := &wfdb.Header{Name: "fast", Fs: fs, Signals: []wfdb.SignalSpec{
		{FileName: "fast.dat", Format: 16, Gain: 200, Units: "mV", ADCResolution: 16, Description: "ECG"},
	}}
	if err := wfdb.WriteRecord(db, h, [][]int32{x}); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Stride: 0.1, Hop: 0.00025, Outputs: []Output{textOutput}, Jobs: 2}
	res, err := Archive(context.Background(), []string{filepath.Join(db, "fast")}, opt)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadManifestFile(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	files := listFiles(t, out)
	images := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".txt") {
			images++
		}
	}
	if res.Windows != 4001 || len(rows) != 4001 || images != 4001 {
		t.Fatalf("%d windows, %d manifest rows, %d files; want 4001 each", res.Windows, len(rows), images)
	}
	if rows[1].Image != "fast_0000m00.000250s_ECG.txt" {
		t.Errorf("second name %q, want microseconds", rows[1].Image)
	}

	opt.Out, opt.Hop = t.TempDir(), 0.0001 // 0.4 samples
	res, err = Archive(context.Background(), []string{filepath.Join(db, "fast")}, opt)
	if err == nil && len(res.Failed) == 0 {
		t.Fatalf("hop under one sample: no error (%+v)", res)
	}
	msg := fmt.Sprint(err, res.Failed)
	if !strings.Contains(msg, "at least one sample") {
		t.Errorf("hop under one sample: %s", msg)
	}
}

// A multi-segment record is archived like any record: its signals are
// those of its segments, picked by name (issue 19: the master header has
// no signal lines).
func TestArchiveMultiSegment(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "s1", 60)
	writeTestRecord(t, db, "s2", 60)
	if err := os.WriteFile(filepath.Join(db, "m.hea"), []byte("m/2 2 100 12000\ns1 6000\ns2 6000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	opt := ArchiveOptions{Out: out, Stride: 30, Signals: []string{"v1"}, Outputs: []Output{textOutput}, Jobs: 2}
	res, err := Archive(context.Background(), []string{filepath.Join(db, "m")}, opt)
	if err != nil || len(res.Failed) != 0 {
		t.Fatalf("%v %+v", err, res)
	}
	rows, err := ReadManifestFile(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[3].Image != "m_0001m30s_V1.txt" || rows[3].Signal != "V1" {
		t.Fatalf("rows %+v", rows)
	}
	b, err := os.ReadFile(filepath.Join(out, "m_0001m30s_V1.txt"))
	if err != nil || string(b) != "m V1 9000-12000 3000 0 beats" {
		t.Fatalf("window %q, %v", b, err)
	}
}

// TestArchiveRemovesStaleTemps: the temporary files a killed run left
// (an hour old) in the archive and its label folders are removed by the
// next run; a fresh one (a shard writing at the same time) is not.
func TestArchiveRemovesStaleTemps(t *testing.T) {
	db := t.TempDir()
	writeTestRecord(t, db, "r1", 20)
	out := t.TempDir()
	old := time.Now().Add(-2 * time.Hour)
	stale := []string{filepath.Join(out, ".manifest.csv.tmp-1234"), filepath.Join(out, "V", ".r1_x.txt.tmp-5678")}
	fresh := filepath.Join(out, "N", ".r1_y.txt.tmp-42")
	for _, p := range append(stale, fresh) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range stale {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	opt := ArchiveOptions{Out: out, Label: LabelAAMI, Signals: []string{"MLII"}, Outputs: []Output{textOutput}}
	if _, err := Archive(context.Background(), []string{filepath.Join(db, "r1")}, opt); err != nil {
		t.Fatal(err)
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s: a stale temporary file was left (%v)", p, err)
		}
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("%s: a fresh temporary file was removed (%v)", fresh, err)
	}
}
