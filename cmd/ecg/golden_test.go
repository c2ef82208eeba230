package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files with this build's output:
//
//	go test ./cmd/ecg -run Golden -update
//
// Review the diff before committing it: the goldens say what users see.
var update = flag.Bool("update", false, "rewrite testdata/golden with this build's output")

// goldenCases are the text outputs kept byte for byte in
// testdata/golden/NAME. They run in the folder of goldenFixtures, so the
// paths they print are relative and the same on every machine.
var goldenCases = []struct {
	name string
	args []string
}{
	{"simulate.txt", []string{"simulate", "--rhythm", "pvc", "--duration", "2s", "--fs", "100", "--seed", "3"}},
	{"simulate.csv", []string{"simulate", "--duration", "1s", "--fs", "100", "--seed", "3", "--format", "csv"}},

	{"info.txt", []string{"info", "sim/normal", "sim/afib", "--format", "text"}},
	{"info.jsonl", []string{"info", "sim/normal", "sim/afib", "--format", "json"}},
	{"info-csv.txt", []string{"info", "sim.csv", "--format", "text"}},

	{"export.tsv", []string{"export", "sim/normal", "--format", "tsv", "--to", "1"}},
	{"export-header.tsv", []string{"export", "sim/normal", "--format", "text", "--header", "--from", "s10", "--to", "s20"}},
	{"export-physical.csv", []string{"export", "sim/normal", "--format", "csv", "--header", "--physical", "--to", "1"}},
	{"export-physical.jsonl", []string{"export", "sim/normal", "--format", "json", "--physical", "--from", "0.5", "--to", "1"}},
	{"export-atr.tsv", []string{"export", "sim/pvc", "--annotator", "atr", "--format", "tsv"}},
	{"export-atr.csv", []string{"export", "sim/pvc", "--annotator", "atr", "--format", "csv", "--header"}},
	{"export-atr.jsonl", []string{"export", "sim/pvc", "--annotator", "atr", "--format", "json"}},
	{"export-converted.tsv", []string{"export", "conv/sim", "--format", "tsv", "--physical", "--header", "--to", "0.2"}},

	{"beats.tsv", []string{"beats", "sim", "--format", "tsv"}},
	{"beats.jsonl", []string{"beats", "sim", "--format", "json"}},
	{"beats.txt", []string{"beats", "sim/pvc", "--format", "text"}},
	{"beats-csv-input.tsv", []string{"beats", "sim.csv", "--format", "tsv"}},
	{"beats-summary.tsv", []string{"beats", "sim", "--summary", "--format", "tsv"}},
	{"beats-summary.jsonl", []string{"beats", "sim", "--summary", "--format", "json"}},
	{"beats-summary.txt", []string{"beats", "sim", "--summary", "--format", "text"}},
	{"beats-compare.tsv", []string{"beats", "sim", "--compare", "atr", "--skip", "0", "--format", "tsv"}},
	{"beats-compare.jsonl", []string{"beats", "sim/pvc", "--compare", "atr", "--skip", "0", "--format", "json"}},

	{"ingest.txt", []string{"ingest", "sim", "--format", "text"}},
	{"ingest.tsv", []string{"ingest", "sim", "--format", "tsv"}},
	{"ingest.csv", []string{"ingest", "sim", "--format", "csv"}},
	{"ingest.jsonl", []string{"ingest", "sim", "--format", "json"}},
	{"ingest-convert.txt", []string{"ingest", "sim.csv", "--out", "conv2", "--format", "text"}},

	{"train.txt", []string{"train", "label", "--out", "train-text.ecgm", "--trees", "10", "--format", "text"}},
	{"train.json", []string{"train", "label", "--out", "train-json.ecgm", "--trees", "10", "--format", "json"}},
	{"train-test.txt", []string{"train", "label", "--test", "test", "--out", "train-test.ecgm", "--trees", "10", "--format", "text"}},
	{"eval.txt", []string{"eval", "model.ecgm", "test", "--format", "text"}},
	{"eval.json", []string{"eval", "model.ecgm", "test", "--format", "json"}},
	{"predict.csv", []string{"predict", "model.ecgm", "test/afib/q1_afib", "test/normal/q1_normal", "--format", "csv"}},
	{"predict.jsonl", []string{"predict", "model.ecgm", "test/afib/q1_afib", "test/normal/q1_normal", "--format", "json"}},
}

// goldenFixtures makes, in a new folder, the records the golden cases
// read, all from "ecg simulate" with fixed seeds:
//
//	sim/normal, sim/afib, sim/pvc  20 s at 250 Hz
//	sim.csv                        10 s at 250 Hz, time,ecg columns
//	conv/sim                       sim.csv converted to WFDB
//	label/, test/                  label folders, two patients per label and one
//	model.ecgm                     trained on label/, 10 trees
func goldenFixtures(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		code, out, errOut := runECG(t, "", args...)
		if code != 0 {
			t.Fatalf("ecg %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	in := func(name string) string { return filepath.Join(dir, name) }
	for i, r := range []string{"normal", "afib", "pvc"} {
		run("-q", "simulate", "--rhythm", r, "--duration", "20s", "--fs", "250",
			"--seed", fmt.Sprint(7+i), "--out", in("sim/"+r))
	}
	csv := run("simulate", "--duration", "10s", "--fs", "250", "--seed", "5", "--format", "csv")
	if err := os.WriteFile(in("sim.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	run("-q", "ingest", in("sim.csv"), "--out", in("conv"))
	for i, r := range []string{"normal", "afib", "normal", "afib", "normal", "afib"} {
		folder, patient := "label", fmt.Sprintf("p%d", 1+i/2)
		if i >= 4 {
			folder, patient = "test", "q1"
		}
		run("-q", "simulate", "--rhythm", r, "--duration", "20s", "--fs", "250",
			"--seed", fmt.Sprint(20+i), "--out", in(folder+"/"+r+"/"+patient+"_"+r))
	}
	run("-q", "train", in("label"), "--out", in("model.ecgm"), "--trees", "10")
	return dir
}

// TestGolden checks the text outputs of the commands against
// testdata/golden, byte for byte.
func TestGolden(t *testing.T) {
	golden, err := filepath.Abs(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(goldenFixtures(t))
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runECG(t, "", append([]string{"-q"}, c.args...)...)
			if code != 0 {
				t.Fatalf("ecg %s: exit %d: %s", strings.Join(c.args, " "), code, errOut)
			}
			checkGolden(t, filepath.Join(golden, c.name), []byte(out))
		})
	}
}

// checkGolden compares got with the golden file path, or rewrites the file
// with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from this output (-update rewrites it):\n%s", path, firstDiff(want, got))
	}
}

// firstDiff describes where two texts part: the first line that differs,
// or which one is longer.
func firstDiff(want, got []byte) string {
	wl := strings.SplitAfter(string(want), "\n")
	gl := strings.SplitAfter(string(got), "\n")
	for i := 0; i < len(wl) && i < len(gl); i++ {
		if wl[i] != gl[i] {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, wl[i], gl[i])
		}
	}
	return fmt.Sprintf("want %d lines, got %d", len(wl), len(gl))
}
