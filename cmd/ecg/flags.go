package main

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// The flags every command means the same by are declared here, once: their
// names, defaults, help, validation and shell completion.

// maxJobs caps --jobs: more workers than this only cost memory (every
// worker holds a record or a stride) on any machine this runs on.
func maxJobs() int { return max(64, 4*runtime.NumCPU()) }

// addCheck runs check before cmd's RunE, after flag parsing: the shared
// flags validate themselves this way, so that no command forgets it.
func addCheck(cmd *cobra.Command, check func() error) {
	prev := cmd.PreRunE
	cmd.PreRunE = func(c *cobra.Command, args []string) error {
		if prev != nil {
			if err := prev(c, args); err != nil {
				return err
			}
		}
		return check()
	}
}

// jobsFlag declares --jobs (default: the number of CPUs), what says what
// runs in parallel. Values below 1 are a usage error; values above
// maxJobs are lowered to it.
func jobsFlag(cmd *cobra.Command, p *int, what string) {
	cmd.Flags().IntVar(p, "jobs", runtime.NumCPU(), fmt.Sprintf("%s in parallel (at most %d)", what, maxJobs()))
	addCheck(cmd, func() error {
		if err := checkJobs(*p); err != nil {
			return err
		}
		*p = min(*p, maxJobs())
		return nil
	})
}

// formatFlag declares --format with its default and allowed values, which
// it checks and offers as shell completions. what says what is formatted
// ("output format" when empty).
func formatFlag(cmd *cobra.Command, p *string, what, def string, allowed ...string) {
	if what == "" {
		what = "output format"
	}
	cmd.Flags().StringVar(p, "format", def, what+": "+orList(allowed))
	completeValues(cmd, "format", allowed...)
	addCheck(cmd, func() error { return checkFormat(*p, allowed...) })
}

// completeValues offers values as the shell completions of flag name.
func completeValues(cmd *cobra.Command, name string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// checkFormat returns a usage error unless format is one of allowed.
func checkFormat(format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	return usagef("--format %q: want %s", format, orList(allowed))
}

// checkJobs returns a usage error unless jobs is at least 1.
func checkJobs(jobs int) error {
	if jobs < 1 {
		return usagef("--jobs %d: want at least 1", jobs)
	}
	return nil
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// parseSeconds reads a duration as people write one on a command line:
// "600", "2.5" (seconds) or a Go duration ("10m", "250ms").
func parseSeconds(s string) (float64, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: want seconds or a duration such as 90s, 10m, 1h", s)
	}
	return d.Seconds(), nil
}

// splitList splits a comma-separated flag value, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
