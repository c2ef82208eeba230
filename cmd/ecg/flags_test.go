package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
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

func TestOrListAndParseSeconds(t *testing.T) {
	if got := orList([]string{"a", "b", "c"}); got != "a, b or c" {
		t.Errorf("orList = %q", got)
	}
	for in, want := range map[string]float64{"60": 60, "2.5": 2.5, "10m": 600, "250ms": 0.25} {
		if got, err := parseSeconds(in); err != nil || got != want {
			t.Errorf("parseSeconds(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseSeconds("ten"); err == nil {
		t.Error("parseSeconds(ten): no error")
	}
}

// --jobs is at least 1 (else a usage error) and at most maxJobs (issue 19:
// --jobs 100000 started that many workers).
func TestJobsFlagCapped(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want int
		code int
	}{{"100000", maxJobs(), 0}, {"3", 3, 0}, {"0", 0, ExitUsage}} {
		var jobs int
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }, SilenceUsage: true, SilenceErrors: true}
		jobsFlag(cmd, &jobs, "things")
		cmd.SetArgs([]string{"--jobs", tc.arg})
		err := cmd.Execute()
		if code := exitCode(err); code != tc.code || tc.code == 0 && jobs != tc.want {
			t.Errorf("--jobs %s: jobs %d, exit %d; want %d, exit %d", tc.arg, jobs, code, tc.want, tc.code)
		}
	}
}
