package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// TestTrainFromHead: with --label-map high=AF the folder shares the label
// AF with the embedded network, whose head (its AF row) --from default
// --from-head keep keeps and the model records; new, the default, records
// none. Without a shared label, keep is a usage error.
func TestTrainFromHead(t *testing.T) {
	dir := t.TempDir()
	imgs := filepath.Join(dir, "img")
	writeImageFolders(t, imgs)
	warm := filepath.Join(dir, "warm.ecgm")
	for _, c := range []struct {
		head []string
		kept bool
	}{{[]string{"--from-head", "keep"}, true}, {[]string{"--from-head", "new"}, false}, {nil, false}} {
		args := append([]string{"train", imgs, "--from", "default", "--label-map", "high=AF", "--epochs", "1", "--out", warm, "-q"}, c.head...)
		if code, _, errOut := runECG(t, "", args...); code != 0 || errOut != "" {
			t.Fatalf("%v: exit %d %q", c.head, code, errOut)
		}
		b, err := os.ReadFile(warm)
		if err != nil || bytes.Contains(b, []byte(`"from_head":["AF"]`)) != c.kept || bytes.Contains(b, []byte(`"from_head"`)) != c.kept {
			t.Errorf("%v: the model records a kept head %v, want %v (%v)", c.head, !c.kept, c.kept, err)
		}
	}
	code, _, errOut := runECG(t, "", "train", imgs, "--from", "default", "--from-head", "keep", "--epochs", "1", "--out", warm)
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "--from-head keep: --from default: the dense head of the network cannot be kept") {
		t.Errorf("keep without a shared label: exit %d %q", code, errOut)
	}
}
