package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// TestTrainEnsembleStream is TestTrainTemporalStream for a seed ensemble
// of two temporal networks (--cnn-ensemble 2): a model file of version 9
// that ecg eval reads, and whose live windows ecg stream scores exactly as
// ecg predict scores the archive's PNGs.
func TestTrainEnsembleStream(t *testing.T) {
	b, err := os.ReadFile(imageModelStream(t, "--image-size", "20x64", "--cnn-arch", "temporal", "--cnn-ensemble", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != 9 || !bytes.Contains(b, []byte(`"members":[{"seed":2,`)) {
		t.Errorf("version %d; the model is not an ensemble of networks seeded 1 and 2", v)
	}
}

// TestTrainEnsembleUsage: --cnn-ensemble out of 1 to 16, or with another
// learner, is a usage error naming the flag.
func TestTrainEnsembleUsage(t *testing.T) {
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--cnn-ensemble", "0"}, "--cnn-ensemble 0: want 1 to 16 networks"},
		{[]string{"--learner", "cnn", "--cnn-ensemble", "17"}, "--cnn-ensemble 17: want 1 to 16"},
		{[]string{"--learner", "forest", "--cnn-ensemble", "2"}, "--cnn-ensemble goes with --learner cnn only"},
	} {
		code, _, errOut := runECG(t, "", append([]string{"train", imgs, "--out", filepath.Join(dir, "m")}, c.args...)...)
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("train %v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
