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

// TestTrainRecurrentStream is TestTrainTemporalStream for a temporal
// network with a recurrent layer (--cnn-recurrent 4): a model file of
// version 11 that ecg eval reads, and whose live windows ecg stream scores
// exactly as ecg predict scores the archive's PNGs.
func TestTrainRecurrentStream(t *testing.T) {
	b, err := os.ReadFile(imageModelStream(t, "--image-size", "20x64", "--cnn-arch", "temporal", "--cnn-recurrent", "4"))
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != 11 || !bytes.Contains(b, []byte(`"recurrent":4`)) {
		t.Errorf("version %d; the model has no recurrent layer of 4 units", v)
	}
}

// TestTrainRecurrentUsage: --cnn-recurrent out of range, without the
// temporal network, with another learner or with --from is a usage error
// naming the flag.
func TestTrainRecurrentUsage(t *testing.T) {
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--learner", "cnn", "--cnn-recurrent", "8"}, "--cnn-recurrent 8: want 0 unless the architecture is temporal"},
		{[]string{"--cnn-arch", "temporal", "--cnn-recurrent", "-1"}, "--cnn-recurrent -1: want 0 to 256"},
		{[]string{"--cnn-arch", "temporal", "--cnn-recurrent", "257"}, "--cnn-recurrent 257: want 0 to 256"},
		{[]string{"--learner", "forest", "--cnn-recurrent", "8"}, "--cnn-recurrent goes with --learner cnn only"},
		{[]string{"--cnn-recurrent", "8", "--from", "default"}, "--cnn-recurrent does not go with --from"},
	} {
		code, _, errOut := runECG(t, "", append([]string{"train", imgs, "--out", filepath.Join(dir, "m")}, c.args...)...)
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("train %v: exit %d, %q; want 2 and %q", c.args, code, errOut, c.want)
		}
	}
}
