package main

import (
	"context"
	"strings"
	"testing"
)

func runECG(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	streams, out, errOut := TestStreams(stdin)
	code = Run(context.Background(), args, streams)
	return code, out.String(), errOut.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runECG(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "ecg ") {
		t.Fatalf("version: code %d, out %q", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"no-such-command"}, {"version", "--no-such-flag"}, {"version", "extra"}} {
		code, _, errOut := runECG(t, "", args...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, ExitUsage, errOut)
		}
		if !strings.HasPrefix(errOut, "ecg: ") {
			t.Errorf("%v: stderr %q does not start with ecg:", args, errOut)
		}
	}
}

func TestCompletion(t *testing.T) {
	code, out, _ := runECG(t, "", "completion", "bash")
	if code != 0 || !strings.Contains(out, "bash completion") {
		t.Fatalf("completion bash: code %d, %d bytes", code, len(out))
	}
}
