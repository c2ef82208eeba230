package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// TestTrainRecurrent: a temporal network with a recurrent layer
// (--cnn-recurrent 4) is a model file of version 11 that ecg eval reads
// and whose live windows ecg stream scores exactly as ecg predict scores
// the archive's PNGs (imageModelStream); the flag out of range, without
// the temporal network, with another learner or with --from is a usage
// error naming it.
func TestTrainRecurrent(t *testing.T) {
	b, err := os.ReadFile(imageModelStream(t, "--image-size", "20x64", "--cnn-arch", "temporal", "--cnn-recurrent", "4"))
	if err != nil {
		t.Fatal(err)
	}
	if version := b[len("ECGMODEL")]; version != 11 || !strings.Contains(string(b), `"recurrent":4,"recurrent_avg":true`) {
		t.Errorf("version %d; the model has no recurrent layer of 4 units joined to the averages", version)
	}
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	usage := map[string]string{
		"--learner cnn --cnn-recurrent 8":         "--cnn-recurrent 8: want 0 unless the architecture is temporal",
		"--cnn-arch temporal --cnn-recurrent -1":  "--cnn-recurrent -1: want 0 to 256",
		"--cnn-arch temporal --cnn-recurrent 257": "--cnn-recurrent 257: want 0 to 256",
		"--learner forest --cnn-recurrent 8":      "--cnn-recurrent goes with --learner cnn only",
		"--cnn-recurrent 8 --from default":        "--cnn-recurrent does not go with --from",
	}
	for args, want := range usage {
		code, _, errOut := runECG(t, "", append([]string{"train", imgs, "--out", filepath.Join(dir, "m")}, strings.Fields(args)...)...)
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, want) {
			t.Errorf("train %s: exit %d, %q; want 2 and %q", args, code, errOut, want)
		}
	}
}
