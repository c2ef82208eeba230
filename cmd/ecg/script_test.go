package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/term"
)

// TestMain lets testscript run `ecg` in-process as a command of its
// scripts (testdata/script/*.txtar), one script per user story.
func TestMain(m *testing.M) {
	testscript.Main(removeBenchDirsAfter{m}, map[string]func(){
		"ecg": func() {
			streams := &IOStreams{
				In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
				ErrTTY:  term.IsTerminal(int(os.Stderr.Fd())),
				Environ: os.Getenv,
			}
			os.Exit(Run(context.Background(), os.Args[1:], streams))
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// Scripts that need the reference database find it in $SHARED
			// and skip without it: [!mitdb] skip.
			env.Setenv("SHARED", sharedDir())
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond == "mitdb" {
				_, err := os.Stat(filepath.Join(sharedDir(), "data", "mitdb", "RECORDS"))
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}
