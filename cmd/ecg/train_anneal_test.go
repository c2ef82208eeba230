package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// TestTrainCNNAnneal: --cnn-anneal N trains the network's second stage
// and records it in the model, which ecg eval reads; it is a cnn flag (a
// usage error with the forest) and wants 0 or more epochs.
func TestTrainCNNAnneal(t *testing.T) {
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	model := filepath.Join(dir, "m.ecgm")
	if code, _, errOut := runECG(t, "", "train", imgs, "--cnn-arch", "temporal", "--image-size", "8x32", "--epochs", "2", "--cnn-anneal", "2", "--out", model, "-q"); code != 0 {
		t.Fatalf("train: %d %s", code, errOut)
	}
	b, err := os.ReadFile(model)
	if err != nil || !bytes.Contains(b, []byte(`"anneal":2`)) {
		t.Errorf("the model does not record the second stage (%v)", err)
	}
	if code, out, errOut := runECG(t, "", "eval", model, imgs); code != 0 || !strings.Contains(out, "accuracy") {
		t.Errorf("eval: %d %s %s", code, out, errOut)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--learner", "forest", "--cnn-anneal", "2"}, "--cnn-anneal goes with --learner cnn only"},
		{[]string{"--cnn-anneal", "-1"}, "--cnn-anneal -1: want 0 to 10000"},
	} {
		code, _, errOut := runECG(t, "", append([]string{"train", imgs, "--out", model}, c.args...)...)
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("train %v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
