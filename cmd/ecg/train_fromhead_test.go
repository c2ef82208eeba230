package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestTrainFromHead: with --label-map high=AF the folder shares the label
// AF with the embedded network, whose head (its AF row) --from default
// keeps and the model records; --from-head new records none.
func TestTrainFromHead(t *testing.T) {
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	warm := filepath.Join(dir, "warm.ecgm")
	for _, c := range []struct {
		head string
		kept bool
	}{{"keep", true}, {"new", false}} {
		code, _, errOut := runECG(t, "", "train", imgs, "--from", "default", "--from-head", c.head, "--label-map", "high=AF", "--epochs", "1", "--out", warm, "-q")
		if code != 0 || errOut != "" {
			t.Fatalf("--from-head %s: exit %d %q", c.head, code, errOut)
		}
		b, err := os.ReadFile(warm)
		if err != nil || bytes.Contains(b, []byte(`"from_head":["AF"]`)) != c.kept || bytes.Contains(b, []byte(`"from_head"`)) != c.kept {
			t.Errorf("--from-head %s: the model records a kept head %v, want %v (%v)", c.head, !c.kept, c.kept, err)
		}
	}
}
