package cmdutil

import (
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/internal/atomicfile"
)

// The flags every command means the same by are declared here, once: their
// names, defaults, help, validation and shell completion.

// MaxJobs caps --jobs: more workers than this only cost memory (every
// worker holds a record or a stride) on any machine this runs on.
func MaxJobs() int { return max(64, 4*runtime.NumCPU()) }

// AddCheck runs check before cmd's RunE, after flag parsing: the shared
// flags validate themselves this way, so that no command forgets it.
func AddCheck(cmd *cobra.Command, check func() error) {
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

// JobsFlag declares --jobs (default: the number of CPUs), what says what
// runs in parallel. Values below 1 are a usage error; values above
// MaxJobs are lowered to it.
func JobsFlag(cmd *cobra.Command, p *int, what string) {
	cmd.Flags().IntVar(p, "jobs", runtime.NumCPU(), fmt.Sprintf("%s in parallel (at most %d)", what, MaxJobs()))
	AddCheck(cmd, func() error {
		if *p < 1 {
			return Usagef("--jobs %d: want at least 1", *p)
		}
		*p = min(*p, MaxJobs())
		return nil
	})
}

// FormatFlag declares --format with its default and allowed values, which
// it checks and offers as shell completions. what says what is formatted
// ("output format" when empty).
func FormatFlag(cmd *cobra.Command, p *string, what, def string, allowed ...string) {
	if what == "" {
		what = "output format"
	}
	cmd.Flags().StringVar(p, "format", def, what+": "+OrList(allowed))
	CompleteValues(cmd, "format", allowed...)
	AddCheck(cmd, func() error {
		if slices.Contains(allowed, *p) {
			return nil
		}
		return Usagef("--format %q: want %s", *p, OrList(allowed))
	})
}

// CompleteValues offers values as the shell completions of flag name.
func CompleteValues(cmd *cobra.Command, name string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(name, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// OrList writes "a, b or c".
func OrList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

// ParseSeconds reads a duration as people write one on a command line:
// "600", "2.5" (seconds) or a Go duration ("10m", "250ms").
func ParseSeconds(s string) (float64, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q: want seconds or a duration such as 90s, 10m, 1h", s)
	}
	return d.Seconds(), nil
}

// SplitList splits a comma-separated flag value, dropping blanks.
func SplitList(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// Args wraps a cobra positional-argument validator so that its errors
// are usage errors (exit code 2).
func Args(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return &UsageError{err}
		}
		return nil
	}
}

// IsCobraUsage reports errors that cobra raises for a bad command line
// (an unknown command or flag, a bad flag value, a wrong argument count).
func IsCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.Contains(s, "arg(s)") ||
		strings.HasPrefix(s, "unknown flag") || strings.HasPrefix(s, "invalid argument")
}

// ParseShard parses --shard K/N (this run does part K of N, 0 <= K < N),
// as ecg spectro splits an archive over machines; anything else is a
// usage error.
func ParseShard(s string) (k, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, Usagef("--shard %q: want K/N with 0 <= K < N", s)
	}
	return k, n, nil
}

// OutputFileFlags makes the named flags of cmd, which name files the
// command writes when it is done (a model, a CSV), usage errors when they
// name an existing folder: checked before the work, not after it.
func OutputFileFlags(cmd *cobra.Command, names ...string) {
	AddCheck(cmd, func() error {
		for _, name := range names {
			if f := cmd.Flags().Lookup(name); f != nil && f.Value.String() != "" {
				if err := atomicfile.CheckTarget(f.Value.String()); err != nil {
					return Usagef("--%s %v", name, err)
				}
			}
		}
		return nil
	})
}
