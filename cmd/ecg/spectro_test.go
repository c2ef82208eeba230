package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

// simulatedRecord writes a synthetic record with ecg simulate and returns
// its path.
func simulatedRecord(t *testing.T, rhythm, name string, seconds int) string {
	t.Helper()
	dir := t.TempDir()
	code, _, errOut := runECG(t, "", "simulate", "--rhythm", rhythm, "--duration", strconv.Itoa(seconds), "--seed", "3", "--out", filepath.Join(dir, name))
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	return filepath.Join(dir, name)
}

func TestSpectroStrides(t *testing.T) {
	rec := simulatedRecord(t, "normal", "sim1", 130)
	out := t.TempDir()
	code, stdout, errOut := runECG(t, "", "spectro", rec, "--out", out, "--dump-csv", "--stride", "30s", "--hop", "30s", "--size", "64x48")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "1 records, 4 images (8 files written, 0 kept)") {
		t.Fatalf("stdout %q", stdout)
	}
	// 130 s: strides at 0, 30, 60, 90 s; the partial 120-130 is dropped.
	ents, _ := os.ReadDir(out)
	var names []string
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), ".") && e.Name() != "spectro-params.json" {
			names = append(names, e.Name())
		}
	}
	if len(names) != 9 || names[0] != "manifest.csv" || !strings.HasPrefix(names[1], "sim1_0000m00s_") || !strings.HasPrefix(names[7], "sim1_0001m30s_") {
		t.Fatalf("files %v", names)
	}
	f, _ := os.Open(filepath.Join(out, names[2]))
	img, err := png.Decode(f)
	f.Close()
	if err != nil || img.Bounds().Dx() != 64 || img.Bounds().Dy() != 48 {
		t.Fatalf("png: %v %v", err, img)
	}
	// CSV: first row times (s), first column frequencies (Hz), 0.5-40 Hz.
	f, _ = os.Open(filepath.Join(out, names[1]))
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != `freq_hz\time_s` || len(recs) < 10 {
		t.Fatalf("csv header %v", recs[0][:2])
	}
	f0, _ := strconv.ParseFloat(recs[1][0], 64)
	fl, _ := strconv.ParseFloat(recs[len(recs)-1][0], 64)
	t0, _ := strconv.ParseFloat(recs[0][1], 64)
	if f0 < 0.5 || fl > 40 || t0 <= 0 || t0 > 1 {
		t.Fatalf("csv band %g-%g Hz, first time %g s", f0, fl, t0)
	}
	// A second run keeps everything (resume); --force rewrites.
	code, stdout, _ = runECG(t, "", "spectro", rec, "--out", out, "--dump-csv", "--stride", "30s", "--size", "64x48")
	if code != 0 || !strings.Contains(stdout, "(0 files written, 8 kept)") {
		t.Fatalf("resume: %d %q", code, stdout)
	}
	code, stdout, _ = runECG(t, "", "spectro", rec, "--out", out, "--stride", "30s", "--force", "--format", "json", "--keep-partial")
	var sum map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &sum) != nil || sum["written"].(float64) != 5 {
		t.Fatalf("force: %d %q", code, stdout)
	}
}

func TestSpectroArchiveLabels(t *testing.T) {
	normal := simulatedRecord(t, "normal", "n1", 125)
	afib := simulatedRecord(t, "afib", "a1", 125)
	pvc := simulatedRecord(t, "pvc", "p1", 30)
	out := t.TempDir()
	code, stdout, errOut := runECG(t, "", "spectro", normal, afib, "--out", out, "--label", "rhythm", "--jobs", "2", "--size", "32")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := datasets.ReadManifestFile(filepath.Join(out, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]int{}
	for _, r := range rows {
		labels[r.Label]++
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(r.Image))); err != nil {
			t.Fatalf("manifest lists %s: %v", r.Image, err)
		}
	}
	if labels["N"] != 2 || labels["AFIB"] != 2 {
		t.Fatalf("labels %v (stdout %q)", labels, stdout)
	}
	out2 := t.TempDir()
	// Signals as every command selects them: case-insensitive names.
	code, _, errOut = runECG(t, "", "spectro", pvc, "--out", out2, "--label", "aami", "--signals", "mlii", "--size", "32")
	if code != 0 {
		t.Fatalf("aami: exit %d: %s", code, errOut)
	}
	rows, err = datasets.ReadManifestFile(filepath.Join(out2, "manifest.csv"))
	if err != nil || len(rows) < 20 {
		t.Fatalf("aami manifest: %d rows, %v", len(rows), err)
	}
	seenV := false
	for _, r := range rows {
		seenV = seenV || r.Label == "V"
		if r.BeatSample < r.Start || r.BeatSample >= r.End {
			t.Fatalf("row %+v: beat outside its window", r)
		}
	}
	if !seenV {
		t.Fatal("aami: no V beat window from a pvc record")
	}
}

func TestSpectroUsage(t *testing.T) {
	rec := simulatedRecord(t, "normal", "u1", 10)
	for _, args := range [][]string{
		{"spectro", rec},
		{"spectro", rec, "--out", t.TempDir(), "--label", "x"},
		{"spectro", rec, "--out", t.TempDir(), "--stride", "-1"},
		{"spectro", rec, "--out", t.TempDir(), "--shard", "2/2"},
		{"spectro", rec, "--out", t.TempDir(), "--beat-window", "0.25s"},
		{"spectro", rec, "--out", t.TempDir(), "--window", "kaiser"},
		{"spectro", rec, "--out", t.TempDir(), "--size", "0"},
		{"spectro", rec, "--out", t.TempDir(), "--db-range", "0,-10"},
		{"spectro", rec, "--out", t.TempDir(), "--min-fraction", "2"},
	} {
		if code, _, errOut := runECG(t, "", args...); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d, want %d (%s)", args[2:], code, cmdutil.ExitUsage, errOut)
		}
	}
	// A missing record: exit 1 naming it.
	code, _, errOut := runECG(t, "", "spectro", filepath.Join(t.TempDir(), "nope"), "--out", t.TempDir())
	if code != cmdutil.ExitError || !strings.Contains(errOut, "nope") {
		t.Fatalf("missing record: exit %d %q", code, errOut)
	}
}

func TestSpectroWFDBAndParams(t *testing.T) {
	rec := simulatedRecord(t, "afib", "w1", 70)
	out := t.TempDir()
	code, _, errOut := runECG(t, "", "spectro", rec, "--out", out, "--label", "rhythm", "--write", "wfdb", "--signals", "0", "--stride", "30s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rows, err := datasets.ReadManifestFile(filepath.Join(out, "manifest.csv"))
	if err != nil || len(rows) != 2 || !strings.HasSuffix(rows[0].Image, ".hea") {
		t.Fatalf("manifest %+v %v", rows, err)
	}
	src, err := wfdb.ReadRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	win, err := wfdb.ReadRecord(filepath.Join(out, filepath.FromSlash(strings.TrimSuffix(rows[1].Image, ".hea"))))
	if err != nil {
		t.Fatal(err)
	}
	if win.Header.Fs != src.Header.Fs || int64(win.NumFrames()) != rows[1].End-rows[1].Start {
		t.Fatalf("window record: fs %g, %d frames", win.Header.Fs, win.NumFrames())
	}
	if err := win.VerifyChecksums(); err != nil {
		t.Fatal(err)
	}
	x, y := src.Physical(0)[rows[1].Start:rows[1].End], win.Physical(0)
	for i := range y {
		if math.Abs(x[i]-y[i]) > 0.0005+1e-9 {
			t.Fatalf("sample %d: %g mV in the window record, %g in the source", i, y[i], x[i])
		}
	}
	// Other parameters on the same archive: refused without --force.
	code, _, errOut = runECG(t, "", "spectro", rec, "--out", out, "--label", "rhythm", "--write", "wfdb", "--stride", "20s")
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "other parameters") {
		t.Fatalf("changed parameters: exit %d %q", code, errOut)
	}
	code, _, errOut = runECG(t, "", "spectro", rec, "--out", out, "--label", "rhythm", "--write", "wfdb", "--stride", "20s", "--force")
	if code != 0 {
		t.Fatalf("--force: exit %d %q", code, errOut)
	}
	// Signals nobody has (or one of them): exit 1. Every window shorter
	// than nperseg: exit 2.
	for _, sigs := range []string{"V9", "mlii,V9"} {
		if code, _, errOut = runECG(t, "", "spectro", rec, "--out", t.TempDir(), "--signals", sigs); code != cmdutil.ExitError || !strings.Contains(errOut, "V9") {
			t.Fatalf("--signals %s: exit %d %q", sigs, code, errOut)
		}
	}
	if code, _, errOut = runECG(t, "", "spectro", rec, "--out", t.TempDir(), "--nperseg", "100000"); code != cmdutil.ExitUsage {
		t.Fatalf("--nperseg 100000: exit %d %q", code, errOut)
	}
	// Nothing but failures: exit 1, no summary, no manifest.
	empty := t.TempDir()
	code, stdout, _ := runECG(t, "", "spectro", filepath.Join(t.TempDir(), "nosuch"), "--out", empty)
	if _, err := os.Stat(filepath.Join(empty, "manifest.csv")); code != cmdutil.ExitError || stdout != "" || err == nil {
		t.Fatalf("all failed: exit %d, stdout %q, manifest %v", code, stdout, err)
	}
}

// BenchmarkSpectroRecord100 is the throughput case of docs/spectro.md: the
// 60 one-minute strides of mitdb record 100 as raw 224x224 PNG to disk.
func BenchmarkSpectroRecord100(b *testing.B) {
	rec := filepath.Join(mitdbDir(b), "100")
	var ru0, ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	for b.Loop() {
		out := benchOutDir(b)
		streams, _, errOut := iostreams.Test("")
		if code := Run(context.Background(), []string{"spectro", rec, "--out", out, "-q"}, streams); code != 0 {
			b.Fatalf("exit %d: %s", code, errOut)
		}
	}
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	cpu := float64(ru1.Utime.Nano()-ru0.Utime.Nano()+ru1.Stime.Nano()-ru0.Stime.Nano()) / 1e9
	b.ReportMetric(60*float64(b.N)/b.Elapsed().Seconds(), "strides/s")
	// CPU seconds per stride: the throughput 2 idle cores allow is
	// 2/cpu-per-stride (wall time on a shared machine mostly measures the
	// other processes).
	b.ReportMetric(cpu/float64(60*b.N)*1e3, "cpu-ms/stride")
}

// Every window shorter than the STFT segment: a usage error and no
// manifest (none that would claim an empty archive).
func TestSpectroAllWindowsShortNoManifest(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "r")
	if code, _, e := runECG(t, "", "simulate", "--duration", "5s", "--out", rec); code != 0 {
		t.Fatal(e)
	}
	out := filepath.Join(dir, "out")
	code, _, errOut := runECG(t, "", "spectro", rec, "--out", out, "--stride", "0.1s")
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "shorter than the STFT segment") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "manifest.csv")); !os.IsNotExist(err) {
		t.Fatalf("manifest written for an archive without images (stat: %v)", err)
	}
}

// TestSpectroDeviceFiles: a CSV export and the same signal as a WFDB
// record give the same spectrogram images (the CSV is read in memory as
// ingest would convert it); a folder of exports works; --label on a CSV
// file fails for want of reference annotations, naming the file.
func TestSpectroDeviceFiles(t *testing.T) {
	dir := t.TempDir()
	code, csvText, errOut := runECG(t, "", "simulate", "--format", "csv", "--duration", "70", "--fs", "250", "--seed", "4")
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	exports := filepath.Join(dir, "exports")
	if err := os.MkdirAll(exports, 0o755); err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(exports, "walk.csv")
	if err := os.WriteFile(csvPath, []byte(csvText), 0o644); err != nil {
		t.Fatal(err)
	}
	// The same file converted to a WFDB record by ingest.
	conv := filepath.Join(dir, "conv")
	if code, _, errOut := runECG(t, "", "ingest", csvPath, "--out", conv); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errOut)
	}
	fromCSV, fromRec, fromDir := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	for _, c := range []struct{ in, out string }{{csvPath, fromCSV}, {filepath.Join(conv, "walk"), fromRec}, {exports, fromDir}} {
		if code, _, errOut := runECG(t, "", "spectro", c.in, "--out", c.out, "--stride", "30s", "-q"); code != 0 {
			t.Fatalf("spectro %s: exit %d: %s", c.in, code, errOut)
		}
	}
	for _, name := range []string{"walk_0000m00s_ecg.png", "walk_0000m30s_ecg.png"} {
		a, errA := os.ReadFile(filepath.Join(fromCSV, name))
		b, errB := os.ReadFile(filepath.Join(fromRec, name))
		c, errC := os.ReadFile(filepath.Join(fromDir, name))
		if errA != nil || errB != nil || errC != nil {
			t.Fatalf("%s: %v %v %v", name, errA, errB, errC)
		}
		if string(a) != string(b) || string(a) != string(c) {
			t.Errorf("%s differs between the CSV, the folder and the converted record", name)
		}
	}
	code, _, errOut = runECG(t, "", "spectro", csvPath, "--out", filepath.Join(dir, "d"), "--label", "rhythm", "-q")
	if code == 0 || !strings.Contains(errOut, "walk.csv") || !strings.Contains(errOut, "annotations") {
		t.Errorf("--label on a CSV: exit %d err %q", code, errOut)
	}
}
