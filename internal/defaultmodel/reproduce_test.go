package defaultmodel

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// The flags of `make model` (Makefile, target model): keep them the same.
var (
	modelgenFlags = []string{"-keep", "N,AFIB", "-other", "OTHER", "-ectopic-other", "0.01"}
	trainFlags    = []string{"--label-map", "A=AFIB,O=OTHER,~=NOISY", "--folds", "5", "--score-labels", "N,AFIB,OTHER", "--seed", "1",
		"--learner", "forest", "--class-weight", "none", "--min-leaf", "8", "--crops", "2", "--crop-share", "0.75"}
)

// TestConformanceModelReproducible rebuilds the embedded model the way
// `make model` does and checks that it is byte for byte the embedded one:
// the model is reproducible, and not stale (a change to the detector or
// the features that the model depends on must come with `make model`).
func TestConformanceModelReproducible(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") == "" {
		t.Skip("set ECG_CONFORMANCE=1 to rebuild the default model")
	}
	db, cinc := refdata.MITDB(t), refdata.CinC2017(t)
	dir := t.TempDir()
	// The data folder is named as in the Makefile: its name is recorded in
	// the model.
	data, rebuilt := filepath.Join(dir, "rhythm-model"), filepath.Join(dir, "rhythm.model")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, stderr.String())
		}
	}
	run(append([]string{"run", "../modelgen", "-db", db, "-out", data, "-also", cinc}, modelgenFlags...)...)
	run(append([]string{"run", "../../cmd/ecg", "train", data, "--labels", filepath.Join(data, "labels.csv"),
		"--out", rebuilt, "--quiet"}, trainFlags...)...)
	beatsRebuilt := filepath.Join(dir, "beats.model")
	run("run", "../../cmd/ecg", "train", "--beats", db, "--out", beatsRebuilt, "--folds", "5", "--seed", "1", "--quiet",
		"--trees", "50", "--max-depth", "10")
	if got, err := os.ReadFile(beatsRebuilt); err != nil || !bytes.Equal(got, beatModel) {
		t.Errorf("rebuilt beat model (%d bytes, %v) differs from the embedded one (%d bytes): run make model", len(got), err, len(beatModel))
	}
	got, err := os.ReadFile(rebuilt)
	if err != nil {
		t.Fatal(err)
	}
	want := model
	if !bytes.Equal(got, want) {
		t.Fatalf("rebuilt model (%d bytes) differs from the embedded one (%d bytes): the embedded model is stale; run make model", len(got), len(want))
	}
}
