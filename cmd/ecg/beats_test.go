package main

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/edftest"
)

// synthRecords writes synthetic records (with .atr) into a new folder.
func synthRecords(t *testing.T, specs map[string]synth.Options) string {
	t.Helper()
	dir := t.TempDir()
	for name, opt := range specs {
		rec, err := synth.Generate(opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := rec.WriteWFDB(dir, name); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBeatsCompareSynthetic(t *testing.T) {
	dir := synthRecords(t, map[string]synth.Options{
		"a": {Rhythm: "normal", Fs: 250, Duration: 60, Seed: 1, Noise: 0.02},
		"b": {Rhythm: "pvc", Fs: 500, Duration: 60, Seed: 2},
	})
	code, out, errOut := runECG(t, "", "beats", dir, "--compare", "atr", "--skip", "0", "--jobs", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || lines[0] != "record\ttp\tfn\tfp\tse\tppv" || !strings.HasPrefix(lines[1], "a\t") ||
		!strings.HasPrefix(lines[2], "b\t") || !strings.HasPrefix(lines[3], "TOTAL\t") {
		t.Fatalf("output:\n%s", out)
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if f[2] != "0" || f[3] != "0" || f[4] != "100.00" || f[5] != "100.00" {
			t.Errorf("not perfect: %s", l)
		}
	}
	// JSON lines, same numbers.
	code, out, _ = runECG(t, "", "beats", filepath.Join(dir, "a"), "--compare", "atr", "--skip", "0", "--format", "json")
	var row struct {
		Record     string
		TP, FN, FP int
		Se, PPV    float64
	}
	if code != 0 || json.Unmarshal([]byte(out), &row) != nil || row.Record != "a" || row.TP == 0 || row.FN != 0 || row.Se != 100 {
		t.Errorf("json: exit %d, %q", code, out)
	}
}

func TestBeatsListAndAnnotator(t *testing.T) {
	dir := synthRecords(t, map[string]synth.Options{"r": {Rhythm: "normal", HR: 60, Fs: 360, Duration: 20, Seed: 3}})
	rec := filepath.Join(dir, "r")
	code, out, errOut := runECG(t, "", "beats", rec, "--out-annotator", "qrs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if lines[0] != "sample\ttime\trr\thr\tnoisy" || len(lines) < 15 {
		t.Fatalf("output:\n%s", out)
	}
	if !strings.Contains(errOut, "# r: ") || !strings.Contains(errOut, "beats, HR mean") {
		t.Errorf("summary on stderr: %q", errOut)
	}
	anns, err := wfdb.ReadAnnotations(rec, "qrs")
	if err != nil {
		t.Fatal(err)
	}
	if len(anns) != len(lines)-1 {
		t.Fatalf("%d annotations, %d beats printed", len(anns), len(lines)-1)
	}
	for i, a := range anns {
		f := strings.Split(lines[i+1], "\t")
		if s, _ := strconv.ParseInt(f[0], 10, 64); s != a.Sample || a.Type != wfdb.Normal {
			t.Fatalf("annotation %d: %d %v, printed %s", i, a.Sample, a.Type, lines[i+1])
		}
		if i > 0 {
			hr, _ := strconv.ParseFloat(f[3], 64)
			if hr < 50 || hr > 70 {
				t.Errorf("beat %d: HR %v at 60 bpm", i, hr)
			}
		}
	}
	outDir := filepath.Join(t.TempDir(), "new", "ann") // created when missing
	if code, _, errOut := runECG(t, "", "beats", rec, "--out-annotator", "det", "--out", outDir, "-q"); code != 0 {
		t.Fatalf("--out: exit %d %s", code, errOut)
	}
	if again, err := wfdb.ReadAnnotations(filepath.Join(outDir, "r"), "det"); err != nil || len(again) != len(anns) {
		t.Errorf("--out: %d annotations, %v", len(again), err)
	}
	code, out, _ = runECG(t, "", "beats", rec, "--summary", "--format", "csv")
	if code != 0 || !strings.HasPrefix(out, "record,beats,mean_hr,min_hr,max_hr,sdnn_ms,rmssd_ms,pnn50,qrs_polarity,polarity_agreement,noisy_beats,lf_ms2,hf_ms2,lf_hf\nr,") ||
		!strings.HasSuffix(out, ",positive,1.00,0,NaN,NaN,NaN\n") { // 20 s: too short for LF and HF
		t.Errorf("summary csv: exit %d %q", code, out)
	}
}

func TestBeatsErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"beats"},
		{"beats", dir, "--format", "xml"},
		{"beats", dir, "--jobs", "0"},
		{"beats", dir, "--out-annotator", "a/b"},
	} {
		if code, _, errOut := runECG(t, "", args...); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d (%s)", args, code, errOut)
		}
	}
	code, out, errOut := runECG(t, "", "beats", filepath.Join(dir, "nope"))
	if code != cmdutil.ExitError || !strings.Contains(errOut, "nope") || out != "" || strings.Count(errOut, "\n") != 1 {
		t.Errorf("missing record: exit %d out %q err %q", code, out, errOut)
	}
	// One good record, one broken: partial failure (exit 3).
	d := synthRecords(t, map[string]synth.Options{"ok": {Duration: 10, Seed: 4}})
	if err := os.WriteFile(filepath.Join(d, "bad.hea"), []byte("bad 1 360 x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A signal the record does not have: usage error, nothing on stdout.
	if code, out, errOut := runECG(t, "", "beats", filepath.Join(d, "ok"), "--signal", "5"); code != cmdutil.ExitUsage || out != "" {
		t.Errorf("--signal 5: exit %d out %q err %q", code, out, errOut)
	}
	// No such reference annotator: error, nothing on stdout.
	if code, out, _ := runECG(t, "", "beats", filepath.Join(d, "ok"), "--compare", "nope"); code != cmdutil.ExitError || out != "" {
		t.Errorf("--compare nope: exit %d out %q", code, out)
	}
	code, out, errOut = runECG(t, "", "beats", d, "--summary")
	if code != cmdutil.ExitPartial || !strings.Contains(out, "\nok\t") || !strings.Contains(errOut, "bad") || strings.Contains(errOut, "# ok") {
		t.Errorf("partial: exit %d out %q err %q", code, out, errOut)
	}
}

// TestBeatsRecord100 checks record 100 against its reference: 100 % / 100 %.
func TestBeatsRecord100(t *testing.T) {
	rec := filepath.Join(sharedDir(), "data", "mitdb-sample", "100")
	if _, err := os.Stat(rec + ".hea"); err != nil {
		t.Skipf("no %s", rec)
	}
	code, out, errOut := runECG(t, "", "beats", rec, "--compare", "atr")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "record\ttp\tfn\tfp\tse\tppv\n100\t1902\t0\t0\t100.00\t100.00\n"; out != want {
		t.Errorf("got\n%swant\n%s", out, want)
	}
}

// TestBeatsNoisyStretch: 20 s of a record replaced by white noise (no ECG,
// as from an electrode that came loose): the beats found there are marked
// noisy in the rows and the annotation file (subtype 1), and the summary's
// heart rates come from the clean beats only.
func TestBeatsNoisyStretch(t *testing.T) {
	dir := synthRecords(t, map[string]synth.Options{"r": {Rhythm: "normal", HR: 70, Fs: 250, Duration: 60, Seed: 5}})
	path := filepath.Join(dir, "r")
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	h := rec.Header
	data := make([][]int32, len(h.Signals))
	rng := rand.New(rand.NewPCG(1, 2))
	for s := range h.Signals {
		x := rec.Physical(s)
		for i := 20 * 250; i < 40*250; i++ {
			x[i] = 0.3 * rng.NormFloat64()
		}
		sp := h.Signals[s]
		data[s] = make([]int32, len(x))
		for i, v := range x {
			data[s][i] = int32(math.Round(v*sp.Gain)) + sp.Baseline
		}
	}
	if err := wfdb.WriteRecord(dir, h, data); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runECG(t, "", "beats", path, "--format", "json", "--out-annotator", "qrs")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	type row struct {
		Sample int64   `json:"sample"`
		Time   float64 `json:"time"`
		Noisy  bool    `json:"noisy"`
	}
	rows := jsonLines[row](t, out)
	var inNoise, marked, cleanMarked int
	for _, r := range rows {
		switch {
		case r.Time >= 21 && r.Time < 40:
			inNoise++
			if r.Noisy {
				marked++
			}
		case r.Time < 19 || r.Time >= 45:
			if r.Noisy {
				cleanMarked++
			}
		}
	}
	if inNoise == 0 || float64(marked) < 0.9*float64(inNoise) || cleanMarked != 0 {
		t.Errorf("%d of %d beats in the noise marked noisy, %d in the clean parts", marked, inNoise, cleanMarked)
	}
	anns, err := wfdb.ReadAnnotations(path, "qrs")
	if err != nil || len(anns) != len(rows) {
		t.Fatalf("%d annotations for %d beats: %v", len(anns), len(rows), err)
	}
	for i, a := range anns {
		if want := map[bool]int{false: 0, true: 1}[rows[i].Noisy]; a.Subtype != want || a.Sample != rows[i].Sample {
			t.Fatalf("annotation %d: sample %d subtype %d, row %+v", i, a.Sample, a.Subtype, rows[i])
		}
	}
	code, out, _ = runECG(t, "", "beats", path, "--summary", "--format", "json")
	var sum struct {
		MinHR float64 `json:"min_hr"`
		MaxHR float64 `json:"max_hr"`
		Noisy int     `json:"noisy_beats"`
	}
	if err := json.Unmarshal([]byte(out), &sum); code != 0 || err != nil {
		t.Fatalf("summary: exit %d %v %q", code, err, out)
	}
	if sum.Noisy < marked || sum.MinHR < 50 || sum.MaxHR > 95 {
		t.Errorf("summary: %+v (heart rates of a 70 bpm rhythm, %d noisy beats)", sum, marked)
	}
}

// TestBeatsReadsDeviceFiles: ecg beats takes a CSV (with or without a time
// column) or an EDF file directly and finds the beats it finds in the
// same signal as a WFDB record; --compare and --out-annotator want a
// record (usage error), and a CSV without a rate says so.
func TestBeatsReadsDeviceFiles(t *testing.T) {
	rec, err := synth.Generate(synth.Options{Rhythm: "pvc", HR: 75, Fs: 250, Duration: 40, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := rec.WriteWFDB(dir, "r"); err != nil {
		t.Fatal(err)
	}
	var withTime, bare strings.Builder
	withTime.WriteString("time,ecg\n")
	for i, v := range rec.MV {
		fmt.Fprintf(&withTime, "%.4f,%.3f\n", float64(i)/rec.Fs, v)
		fmt.Fprintf(&bare, "%.3f\n", v)
	}
	// EDF: 40 one-second data records, 1 uV resolution.
	edf := edftest.Build(edftest.File{StartDate: "01.01.20", StartTime: "10.00.00", Records: 40, Duration: 1,
		Signals: []edftest.Signal{{Label: "ECG II", Units: "mV", PhysMin: -32.768, PhysMax: 32.767, DigMin: -32768, DigMax: 32767, NSamples: 250}}},
		func(_, i int) int16 { return int16(math.Round(rec.MV[i] * 1000)) })
	for name, body := range map[string]string{"r.csv": withTime.String(), "bare.txt": bare.String(), "r.edf": string(edf)} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	samples := func(args ...string) []int64 {
		t.Helper()
		code, out, errOut := runECG(t, "", append([]string{"beats", "-q", "--format", "csv"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var s []int64
		for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
			v, err := strconv.ParseInt(strings.Split(line, ",")[0], 10, 64)
			if err != nil {
				t.Fatalf("%v: row %q", args, line)
			}
			s = append(s, v)
		}
		return s
	}
	want := samples(filepath.Join(dir, "r"))
	if len(want) < 45 {
		t.Fatalf("record: %d beats in 40 s at 75 bpm", len(want))
	}
	for _, args := range [][]string{
		{filepath.Join(dir, "r.csv")},
		{filepath.Join(dir, "bare.txt"), "--fs", "250"},
		{filepath.Join(dir, "r.edf")},
	} {
		got := samples(args...)
		if len(got) != len(want) {
			t.Errorf("%v: %d beats, the record %d", args, len(got), len(want))
			continue
		}
		for i := range got {
			if d := got[i] - want[i]; d < -1 || d > 1 {
				t.Errorf("%v: beat %d at %d, the record's at %d", args, i, got[i], want[i])
				break
			}
		}
	}
	for _, extra := range []string{"--compare", "--out-annotator"} {
		code, out, errOut := runECG(t, "", "beats", filepath.Join(dir, "r.csv"), extra, "atr2")
		if code != cmdutil.ExitUsage || out != "" || !strings.Contains(errOut, "ecg ingest --out") {
			t.Errorf("%s on a CSV file: exit %d out %q err %q", extra, code, out, errOut)
		}
	}
	code, out, errOut := runECG(t, "", "beats", filepath.Join(dir, "bare.txt"))
	if code != cmdutil.ExitError || out != "" || !strings.Contains(errOut, "bare.txt") || !strings.Contains(errOut, "--fs") {
		t.Errorf("CSV without a rate: exit %d out %q err %q", code, out, errOut)
	}
	// A folder of exports (no WFDB record in it): every file, in name order.
	exports := t.TempDir()
	for _, name := range []string{"r.csv", "r.edf"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(exports, "x"+name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut = runECG(t, "", "beats", exports, "--summary", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[1], "xr.csv,"+strconv.Itoa(len(want))+",") ||
		!strings.HasPrefix(lines[2], "xr.edf,"+strconv.Itoa(len(want))+",") {
		t.Errorf("folder of exports: exit %d out %q err %q", code, out, errOut)
	}
	code, _, errOut = runECG(t, "", "beats", t.TempDir())
	if code != cmdutil.ExitError || !strings.Contains(errOut, "no .csv, .tsv, .txt or .edf files") {
		t.Errorf("empty folder: exit %d err %q", code, errOut)
	}
}

// The frequency HRV, computed only where it is shown, is shown by the
// summary (quiet or not) and by the comment line of the beats table.
func TestBeatsFreqHRVShown(t *testing.T) {
	dir := synthRecords(t, map[string]synth.Options{"r": {Rhythm: "normal", HR: 70, Fs: 250, Duration: 400, Seed: 5}})
	rec := filepath.Join(dir, "r")
	code, out, errOut := runECG(t, "", "beats", rec, "--summary", "-q", "--format", "csv")
	if f := strings.Split(strings.TrimSpace(out), ","); code != 0 || len(f) < 3 || f[len(f)-3] == "NaN" || f[len(f)-1] == "NaN" {
		t.Errorf("summary -q: exit %d %q %s, want LF and HF", code, out, errOut)
	}
	code, _, errOut = runECG(t, "", "beats", rec)
	if code != 0 || !strings.Contains(errOut, ", LF ") || !strings.Contains(errOut, "LF/HF") {
		t.Errorf("beats: exit %d, comment line %q, want LF and HF", code, errOut)
	}
}
