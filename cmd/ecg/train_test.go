package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// writeSynthFolders writes nRec 30-second synthetic records per rhythm
// into dir/RHYTHM/, named so that each record is its own group.
func writeSynthFolders(t *testing.T, dir string, rhythms []string, nRec int, seed int64) {
	t.Helper()
	for ri, rh := range rhythms {
		sub := filepath.Join(dir, rh)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for r := 0; r < nRec; r++ {
			rec, err := synth.Generate(synth.Options{Rhythm: rh, Duration: 30, Fs: []float64{360, 250}[r%2], Seed: seed + int64(100*ri+r), Noise: 0.02})
			if err != nil {
				t.Fatal(err)
			}
			if err := rec.WriteWFDB(sub, fmt.Sprintf("p%d%02d_%s", ri, r, rh)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestTrainEvalPredictRecords(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	writeSynthFolders(t, data, []string{"normal", "afib", "brady"}, 6, 1)
	// Folders that are not labels are said on stderr.
	for _, d := range []string{".hidden", "EMPTY"} {
		if err := os.MkdirAll(filepath.Join(data, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	model := filepath.Join(dir, "m.ecgm")
	code, out, errOut := runECG(t, "", "train", data, "--out", model, "--trees", "30", "--split", "0.67", "--seed", "3")
	if code != 0 {
		t.Fatalf("train: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"skipped folder .hidden: hidden", "skipped folder EMPTY: empty"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("train stderr lacks %q:\n%s", want, errOut)
		}
	}
	if !strings.Contains(out, "held-out evaluation") || !strings.Contains(out, "macro") {
		t.Errorf("train output:\n%s", out)
	}
	first, _ := os.ReadFile(model)
	// Same data and seed: byte-identical model, whatever --jobs.
	model2 := filepath.Join(dir, "m2.ecgm")
	if code, _, e := runECG(t, "", "train", data, "--out", model2, "--trees", "30", "--split", "0.67", "--seed", "3", "--jobs", "1"); code != 0 {
		t.Fatal(e)
	}
	second, _ := os.ReadFile(model2)
	if !bytes.Equal(first, second) {
		t.Error("same seed and data gave different model files")
	}

	code, out, errOut = runECG(t, "", "eval", model, data, "--format", "json", "--plots", filepath.Join(dir, "plots"))
	if code != 0 {
		t.Fatalf("eval: exit %d %s", code, errOut)
	}
	var res struct {
		Report struct {
			Accuracy float64 `json:"accuracy"`
			Samples  int     `json:"samples"`
		} `json:"report"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("eval json: %v\n%s", err, out)
	}
	if res.Report.Samples != 18 || res.Report.Accuracy < 0.9 {
		t.Errorf("eval: %+v", res.Report)
	}
	for _, p := range []string{"confusion.png", "pr.png"} {
		f, err := os.Open(filepath.Join(dir, "plots", p))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width < 200 {
			t.Errorf("%s: %v %+v", p, err, cfg)
		}
	}

	rec := filepath.Join(data, "afib", "p100_afib")
	code, out, _ = runECG(t, "", "predict", model, rec+".hea", "--top", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || lines[0] != "file,label,confidence,confident,label2,score2" || !strings.HasPrefix(lines[1], rec+".hea,afib,") {
		t.Errorf("predict: exit %d\n%s", code, out)
	}
	code, _, errOut = runECG(t, "", "predict", model, rec, filepath.Join(dir, "missing.hea"))
	if code != cmdutil.ExitPartial || !strings.Contains(errOut, "missing") {
		t.Errorf("predict of a good and a missing file: exit %d, %s", code, errOut)
	}
	// One label is not something to train on.
	one := filepath.Join(dir, "one")
	writeSynthFolders(t, one, []string{"normal"}, 2, 1)
	code, _, errOut = runECG(t, "", "train", one, "--out", filepath.Join(dir, "new", "m.ecgm"))
	if code != cmdutil.ExitError || !strings.Contains(errOut, "need at least 2 labels") {
		t.Errorf("train on one label: exit %d %s", code, errOut)
	}
}

func TestTrainUsageAndBadModel(t *testing.T) {
	dir := t.TempDir()
	if code, _, _ := runECG(t, "", "train", dir); code != cmdutil.ExitUsage {
		t.Errorf("train without --out: exit %d", code)
	}
	for _, bad := range [][]string{{"--split", "1.5"}, {"--trees", "0"}, {"--jobs", "0"}, {"--min-leaf", "0"}, {"--max-depth", "0"}} {
		if code, _, _ := runECG(t, "", append([]string{"train", dir, "--out", "x"}, bad...)...); code != cmdutil.ExitUsage {
			t.Errorf("train %v: exit %d, want 2", bad, code)
		}
	}
	// Learners of images or signals with --beats: usage errors naming
	// the learner, before any record is read.
	for _, l := range []string{"cnn", "gbdt+signet"} {
		code, _, errOut := runECG(t, "", "train", "--beats", filepath.Join(dir, "100"), "--learner", l, "--out", "x")
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, "--learner "+l+" does not go with --beats") {
			t.Errorf("train --beats --learner %s: exit %d, %s", l, code, errOut)
		}
	}
	bad := filepath.Join(dir, "bad.ecgm")
	os.WriteFile(bad, []byte("ECGMODEL\x01\x00\x00\x00garbage"), 0o644)
	code, _, errOut := runECG(t, "", "eval", bad, dir)
	if code != cmdutil.ExitError || !strings.Contains(errOut, "bad.ecgm") || !strings.Contains(errOut, "not a valid ecg model file") {
		t.Errorf("eval of a damaged model: exit %d, %s", code, errOut)
	}
}

func TestTrainImages(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "img")
	for li, label := range []string{"dark", "bright"} {
		os.MkdirAll(filepath.Join(data, label), 0o755)
		for r := 0; r < 8; r++ {
			img := image.NewGray(image.Rect(0, 0, 64+r, 32))
			for y := 0; y < 32; y++ {
				for x := 0; x < 64+r; x++ {
					v := uint8(40 + 150*li + (x*y+r)%30)
					img.SetGray(x, y, color.Gray{v})
				}
			}
			var buf bytes.Buffer
			png.Encode(&buf, img)
			os.WriteFile(filepath.Join(data, label, fmt.Sprintf("r%d%d_%02d.png", li, r, r)), buf.Bytes(), 0o644)
		}
	}
	model := filepath.Join(dir, "m.ecgm")
	code, out, errOut := runECG(t, "", "train", data, "--out", model, "--trees", "10", "--format", "json")
	if code != 0 {
		t.Fatalf("train: %d %s", code, errOut)
	}
	if !strings.Contains(out, `"accuracy":1`) {
		t.Errorf("train json: %s", out)
	}
	img := filepath.Join(data, "bright", "r13_03.png")
	code, out, _ = runECG(t, "", "predict", model, img, "--format", "json")
	if code != 0 || !strings.Contains(out, `"label":"bright"`) {
		t.Errorf("predict: %d %s", code, out)
	}
}

// A --test folder with a label the training folders lack: its files are
// left out of the held-out report and said so, as ecg eval does.
func TestTrainTestDirUnknownLabel(t *testing.T) {
	dir := t.TempDir()
	writeSynthFolders(t, filepath.Join(dir, "train"), []string{"normal", "afib"}, 3, 1)
	writeSynthFolders(t, filepath.Join(dir, "test"), []string{"normal", "afib", "pvc"}, 1, 50)
	code, out, errOut := runECG(t, "", "train", filepath.Join(dir, "train"), "--test", filepath.Join(dir, "test"),
		"--out", filepath.Join(dir, "m.ecgm"), "--trees", "10")
	if code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, `skipped 1 files labelled "pvc" (not a training label)`) {
		t.Errorf("stderr does not report the skipped label: %q", errOut)
	}
	if !strings.Contains(out, "accuracy") || !strings.Contains(out, "(2 samples)") {
		t.Errorf("held-out report should cover the 2 known-label files:\n%s", out)
	}
}
