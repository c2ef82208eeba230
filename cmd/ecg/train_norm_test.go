package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// TestTrainNorm: a temporal network with group normalisation
// (--cnn-norm group) is a model file of version 13 that ecg eval reads
// and whose live windows ecg stream scores exactly as ecg predict scores
// the archive's PNGs (imageModelStream); an unknown normalisation, the
// flag with another learner or with --from is a usage error naming it.
func TestTrainNorm(t *testing.T) {
	b, err := os.ReadFile(imageModelStream(t, "--image-size", "20x64", "--cnn-arch", "temporal", "--cnn-norm", "group"))
	if err != nil {
		t.Fatal(err)
	}
	if version := b[len("ECGMODEL")]; version != 13 || !strings.Contains(string(b), `"group_norm":8`) {
		t.Errorf("version %d; the model has no group normalisation of 8 groups", version)
	}
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	usage := map[string]string{
		"--learner cnn --cnn-norm batch":    "--cnn-norm batch: want none, group or layer",
		"--learner forest --cnn-norm group": "--cnn-norm goes with --learner cnn only",
		"--cnn-norm layer --from default":   "--cnn-norm does not go with --from",
		"--cnn-arch temporal --cnn-norm 8":  "--cnn-norm 8: want none, group or layer",
	}
	for args, want := range usage {
		code, _, errOut := runECG(t, "", append([]string{"train", imgs, "--out", filepath.Join(dir, "m")}, strings.Fields(args)...)...)
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, want) {
			t.Errorf("train %s: exit %d, %q; want 2 and %q", args, code, errOut, want)
		}
	}
}
