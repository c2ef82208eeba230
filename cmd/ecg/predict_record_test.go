package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// writeNoisePNG writes a grey image of random pixels (seeded), bright
// in a band whose height depends on the seed, so images score apart.
func writeNoisePNG(t *testing.T, path string, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 5))
	img := image.NewGray(image.Rect(0, 0, 80, 40))
	for y := 0; y < 40; y++ {
		for x := 0; x < 80; x++ {
			v := 30 + rng.IntN(60)
			if y < int(seed%7)*5 {
				v += 120
			}
			img.SetGray(x, y, color.Gray{uint8(v)})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// predictLine is a JSON line of ecg predict, of a file or of a record.
type predictLine struct {
	File, Record string
	Files        int
	Label        string
	Confidence   float64
	Confident    bool
	Top          []struct {
		Label string
		Score float64
	}
}

// TestPredictPerRecord: ecg predict --per-record prints one row per record
// (the files' folder and name up to the first '_'), in the order of the
// records' first files, whose scores are the mean of the scores the same
// files get without the flag, with the label of the highest, "confident"
// against the model's thresholds and the number of files; a file that
// fails is reported and left out, with exit code 3.
func TestPredictPerRecord(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join("..", "..", "classify", "testdata", "small-gbdt.model") // labels a, b, c
	thresholds := map[string]float64{"a": 0.35, "b": 0.4, "c": 0.35}
	names := []string{"A01_0000m00s_ECG.png", "B02_0000m00s_ECG.png", "A01_0000m15s_ECG.png",
		"C03.png", "B02_0000m15s_ECG.png", "A01_0000m30s_ECG.png", "x/A01_0000m00s_ECG.png"}
	var files []string
	for i, n := range names {
		files = append(files, filepath.Join(dir, n))
		writeNoisePNG(t, files[i], uint64(i+1))
	}
	bad := filepath.Join(dir, "B02_0000m30s_ECG.png")
	if err := os.WriteFile(bad, []byte("not a png"), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, bad)

	args := append([]string{"predict", model, "--top", "3", "--format", "json"}, files...)
	code, out, errOut := runECG(t, "", args...)
	if code != cmdutil.ExitPartial || !strings.Contains(errOut, "B02_0000m30s_ECG.png") {
		t.Fatalf("per file: exit %d, stderr %q", code, errOut)
	}
	perFile := jsonLines[predictLine](t, out)
	code, out, errOut = runECG(t, "", append(args, "--per-record")...)
	if code != cmdutil.ExitPartial || !strings.Contains(errOut, "B02_0000m30s_ECG.png") || !strings.Contains(errOut, "1 of 8 files failed") {
		t.Fatalf("per record: exit %d, stderr %q", code, errOut)
	}
	perRecord := jsonLines[predictLine](t, out)

	want := []struct {
		record string
		files  []int // indexes into perFile
	}{
		{filepath.Join(dir, "A01"), []int{0, 2, 5}},
		{filepath.Join(dir, "B02"), []int{1, 4}},
		{filepath.Join(dir, "C03"), []int{3}},
		{filepath.Join(dir, "x", "A01"), []int{6}},
	}
	if len(perFile) != 7 || len(perRecord) != len(want) {
		t.Fatalf("%d file rows and %d record rows, want 7 and %d:\n%s", len(perFile), len(perRecord), len(want), out)
	}
	differ := false
	for r, w := range want {
		got := perRecord[r]
		if got.Record != w.record || got.Files != len(w.files) || got.File != "" {
			t.Errorf("record row %d: %q of %d files (file %q), want %q of %d", r, got.Record, got.Files, got.File, w.record, len(w.files))
		}
		mean := map[string]float64{}
		for _, i := range w.files {
			for _, s := range perFile[i].Top {
				mean[s.Label] += s.Score / float64(len(w.files))
			}
			differ = differ || perFile[i].Top[0].Score != perFile[w.files[0]].Top[0].Score
		}
		best := ""
		for _, s := range got.Top {
			if math.Abs(s.Score-mean[s.Label]) > 1e-9 {
				t.Errorf("record %s: score of %s %v, want the mean of its files' %v", got.Record, s.Label, s.Score, mean[s.Label])
			}
			if best == "" || mean[s.Label] > mean[best] {
				best = s.Label
			}
		}
		if len(got.Top) != 3 || got.Label != best || math.Abs(got.Confidence-mean[best]) > 1e-9 || got.Confident != (got.Confidence >= thresholds[best]) {
			t.Errorf("record %s: %s %v confident %v (top %v), want %s %v", got.Record, got.Label, got.Confidence, got.Confident, got.Top, best, mean[best])
		}
	}
	if !differ {
		t.Error("the files of a record all score alike: the test cannot tell a mean from one file's scores")
	}

	// CSV: the header names the record and files columns.
	code, out, _ = runECG(t, "", "predict", model, files[0], files[2], "--per-record", "--top", "2")
	wantHead := "record,label,confidence,confident,files,label2,score2\n"
	if code != 0 || !strings.HasPrefix(out, wantHead) || !strings.Contains(out, "\n"+filepath.Join(dir, "A01")+",") ||
		strings.Count(out, "\n") != 2 || !strings.Contains(out, ",2,") {
		t.Errorf("CSV per record: exit %d:\n%s", code, out)
	}
}
