package main

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

// Every help file is used by a command and split into help and examples;
// every command with examples shows them as "  ecg ...".
func TestHelpFiles(t *testing.T) {
	files, err := fs.Glob(helpFiles, "help/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("help files: %v %v", files, err)
	}
	used := map[string]bool{}
	streams, _, _ := iostreams.Test("")
	root := newRootCmd(&app{io: streams})
	for _, c := range root.Commands() {
		for _, cc := range append(c.Commands(), c) {
			if strings.Contains(cc.Long, "-- examples --") {
				t.Errorf("%s: examples marker in the long help", cc.CommandPath())
			}
			for _, f := range files {
				name := strings.TrimSuffix(strings.TrimPrefix(f, "help/"), ".txt")
				if long, ex := helpParts(name); cc.Long == long && cc.Example == ex {
					used[name] = true
				}
			}
			for _, l := range strings.Split(cc.Example, "\n") {
				if cc.Example != "" && !strings.HasPrefix(l, "  ecg ") && !strings.HasPrefix(l, "  ") {
					t.Errorf("%s: example line %q", cc.CommandPath(), l)
				}
			}
		}
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "help/"), ".txt")
		long, ex := helpParts(name)
		if long == "" || ex == "" || !used[name] {
			t.Errorf("%s: help %d bytes, examples %d bytes, used by a command: %v", f, len(long), len(ex), used[name])
		}
	}
}
