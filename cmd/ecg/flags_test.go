package main

import (
	"strings"
	"testing"
)

// The shared flags complete their values in shells, the same way in every
// command.
func TestFlagCompletions(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "info", "--format", ""}, []string{"text", "json"}},
		{[]string{"__complete", "export", "--format", ""}, []string{"tsv", "text", "csv", "json"}},
		{[]string{"__complete", "spectro", "--label", ""}, []string{"rhythm", "beats", "aami"}},
		{[]string{"__complete", "simulate", "--rhythm", ""}, []string{"normal", "afib"}},
		{[]string{"__complete", "ingest", "--delimiter", ""}, []string{",", ";", "tab", "space"}},
		{[]string{"__complete", "train", "--class-weight", ""}, []string{"balanced", "none"}},
	} {
		code, out, errOut := runECG(t, "", tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut)
		}
		got := strings.Split(strings.TrimSpace(out), "\n")
		for _, w := range tc.want {
			found := false
			for _, g := range got {
				found = found || g == w
			}
			if !found {
				t.Errorf("%v: completions %q lack %q", tc.args, got, w)
			}
		}
	}
}
