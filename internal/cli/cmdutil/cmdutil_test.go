package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("bad file"), ExitError},
		{Usagef("--x %d", 1), ExitUsage},
		{fmt.Errorf("wrapped: %w", Usagef("--x")), ExitUsage},
		{&PartialError{"1 of 2"}, ExitPartial},
		{fmt.Errorf("run: %w", context.Canceled), ExitInterrupted},
		{BatchError(0, 3, "records", "failed"), ExitOK},
		{BatchError(1, 3, "records", "failed"), ExitPartial},
		{BatchError(3, 3, "records", "failed"), ExitError},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("ExitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	if got := BatchError(1, 3, "records", "failed").Error(); got != "1 of 3 records failed" {
		t.Errorf("BatchError = %q", got)
	}
	if got := BatchError(2, 2, "files", "failed").Error(); got != "all 2 files failed" {
		t.Errorf("BatchError = %q", got)
	}
}

func TestOrListAndParseSeconds(t *testing.T) {
	if got := OrList([]string{"a", "b", "c"}); got != "a, b or c" {
		t.Errorf("OrList = %q", got)
	}
	if got := OrList([]string{"a"}); got != "a" {
		t.Errorf("OrList = %q", got)
	}
	for in, want := range map[string]float64{"60": 60, "2.5": 2.5, "10m": 600, "250ms": 0.25} {
		if got, err := ParseSeconds(in); err != nil || got != want {
			t.Errorf("ParseSeconds(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseSeconds("ten"); err == nil {
		t.Error("ParseSeconds(ten): no error")
	}
	if got := SplitList(" a, ,b ,"); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Errorf("SplitList = %q", got)
	}
}

// execute runs a bare command with args and returns its exit code.
func execute(cmd *cobra.Command, args ...string) int {
	cmd.RunE = func(*cobra.Command, []string) error { return nil }
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetArgs(args)
	return ExitCode(cmd.Execute())
}

// --jobs is at least 1 (else a usage error) and at most MaxJobs (issue 19:
// --jobs 100000 started that many workers).
func TestJobsFlagCapped(t *testing.T) {
	for _, tc := range []struct {
		arg  string
		want int
		code int
	}{{"100000", MaxJobs(), 0}, {"3", 3, 0}, {"0", 0, ExitUsage}} {
		var jobs int
		cmd := &cobra.Command{Use: "x"}
		JobsFlag(cmd, &jobs, "things")
		if code := execute(cmd, "--jobs", tc.arg); code != tc.code || tc.code == 0 && jobs != tc.want {
			t.Errorf("--jobs %s: jobs %d, exit %d; want %d, exit %d", tc.arg, jobs, code, tc.want, tc.code)
		}
	}
}

func TestFormatFlag(t *testing.T) {
	for arg, want := range map[string]int{"csv": ExitOK, "json": ExitOK, "xml": ExitUsage} {
		var format string
		cmd := &cobra.Command{Use: "x"}
		FormatFlag(cmd, &format, "", "csv", "csv", "json")
		if code := execute(cmd, "--format", arg); code != want {
			t.Errorf("--format %s: exit %d, want %d", arg, code, want)
		}
	}
}

func TestLabelAndDeviceFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--label-map", "A=AF,~=Noisy"}, ExitOK},
		{[]string{"--label-map", "A"}, ExitUsage},
		{[]string{"--delimiter", "tab", "--fs", "250"}, ExitOK},
		{[]string{"--fs", "-1"}, ExitUsage},
		{[]string{"--delimiter", "ab"}, ExitUsage},
	} {
		var l LabelFlags
		var d DeviceFlags
		cmd := &cobra.Command{Use: "x"}
		l.Declare(cmd)
		d.AddFlags(cmd)
		AddCheck(cmd, d.Check)
		if code := execute(cmd, tc.args...); code != tc.want {
			t.Errorf("%q: exit %d, want %d", tc.args, code, tc.want)
		}
		if tc.want == ExitOK && tc.args[0] == "--label-map" && l.Source.Map["A"] != "AF" {
			t.Errorf("%q: map %v", tc.args, l.Source.Map)
		}
		if tc.want == ExitOK && tc.args[0] == "--delimiter" && (d.Options.CSV.Fs != 250 || d.Options.CSV.Delimiter != '\t') {
			t.Errorf("%q: options %+v", tc.args, d.Options.CSV)
		}
	}
}

// Two interrupts call abort; one does not.
func TestAbortOnSecondSignal(t *testing.T) {
	aborted := make(chan struct{})
	stop := AbortOnSecondSignal(func() { close(aborted) })
	defer stop()
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case <-aborted:
		t.Fatal("aborted after one interrupt")
	case <-time.After(100 * time.Millisecond):
	}
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	select {
	case <-aborted:
	case <-time.After(5 * time.Second):
		t.Fatal("not aborted after two interrupts")
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		k, n int
		ok   bool
	}{
		{"0/1", 0, 1, true}, {"2/3", 2, 3, true}, {"3/3", 0, 0, false}, {"-1/3", 0, 0, false},
		{"1/0", 0, 0, false}, {"1", 0, 0, false}, {"a/b", 0, 0, false}, {"1/2/3", 0, 0, false},
	} {
		k, n, err := ParseShard(tc.in)
		if (err == nil) != tc.ok || k != tc.k || n != tc.n {
			t.Errorf("ParseShard(%q) = %d, %d, %v", tc.in, k, n, err)
		}
		if err != nil && ExitCode(err) != ExitUsage {
			t.Errorf("ParseShard(%q): exit %d, want usage", tc.in, ExitCode(err))
		}
	}
}
