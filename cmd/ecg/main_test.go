package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

func runECG(t testing.TB, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	streams, out, errOut := iostreams.Test(stdin)
	code = Run(context.Background(), args, streams)
	return code, out.String(), errOut.String()
}

func TestCompletion(t *testing.T) {
	code, out, _ := runECG(t, "", "completion", "bash")
	if code != 0 || !strings.Contains(out, "bash completion") {
		t.Fatalf("completion bash: code %d, %d bytes", code, len(out))
	}
}

// errorLine is how every error message starts: the command path, then
// the message ("ecg: unknown command ...", "ecg spectro: --out DIR is
// required").
var errorLine = regexp.MustCompile(`^ecg( [a-z]+)*: \S`)

func TestErrorPrefixNamesCommand(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"no-such-command"}, "ecg: unknown command"},
		{[]string{"spectro", "x"}, "ecg spectro: --out DIR is required\n"},
		{[]string{"datasets", "fetch", "--to"}, "ecg datasets fetch: unknown flag: --to"},
		{[]string{"stream", "--fs", "0"}, "ecg stream: "},
	} {
		_, _, errOut := runECG(t, "", c.args...)
		if !strings.HasPrefix(errOut, c.want) || strings.Count(errOut, "spectro:") > 1 {
			t.Errorf("%v: stderr %q, want prefix %q", c.args, errOut, c.want)
		}
	}
}
