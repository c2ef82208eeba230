package simulate

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/brokertest"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

// runSim runs ecg simulate in process with args and returns its exit
// code (flag errors are usage errors, as under the root command) and
// output.
func runSim(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	streams, out, errOut := iostreams.Test("")
	quiet := false
	cmd := NewCmd(&cmdutil.Factory{IO: streams, Quiet: &quiet})
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.UsageError{Err: err} })
	err := cmd.ExecuteContext(context.Background())
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return cmdutil.ExitCode(err), out.String(), errOut.String()
}

func TestSimulateText(t *testing.T) {
	code, out, errOut := runSim(t, "--rhythm", "tachy", "--duration", "2.5", "--fs", "200", "--seed", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 500 {
		t.Fatalf("%d lines, want 500", len(lines))
	}
	var mx float64
	for _, l := range lines {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		mx = max(mx, v)
	}
	if mx < 0.7 || mx > 2 {
		t.Errorf("largest value %g mV: not an R peak", mx)
	}
	_, again, _ := runSim(t, "--rhythm", "tachy", "--duration", "2.5", "--fs", "200", "--seed", "3")
	if again != out {
		t.Error("same flags and seed gave different output")
	}
	_, other, _ := runSim(t, "--rhythm", "tachy", "--duration", "2.5", "--fs", "200", "--seed", "4")
	if other == out {
		t.Error("seeds 3 and 4 gave the same output")
	}
}

func TestSimulateCSV(t *testing.T) {
	code, out, _ := runSim(t, "--format", "csv", "--duration", "1s", "--fs", "250")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 0 || lines[0] != "time,ecg" || len(lines) != 251 || !strings.HasPrefix(lines[2], "0.004000,") {
		t.Fatalf("exit %d, %d lines, %q %q", code, len(lines), lines[0], lines[2])
	}
}

func TestSimulateRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "V", "big1")
	code, _, errOut := runSim(t, "--rhythm", "bigeminy", "--duration", "1m", "--out", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if rec.NumFrames() != 21600 || rec.Header.Fs != 360 {
		t.Errorf("%d frames at %g Hz", rec.NumFrames(), rec.Header.Fs)
	}
	anns, err := wfdb.ReadAnnotations(path, "atr")
	if err != nil {
		t.Fatal(err)
	}
	v := 0
	for _, a := range anns {
		if a.Type == wfdb.PVC {
			v++
		}
	}
	if anns[0].Aux != "(B" || v < 30 || v > 40 {
		t.Errorf("rhythm %q, %d V beats in a minute of bigeminy at 70 bpm", anns[0].Aux, v)
	}
}

func TestSimulateUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--rhythm", "vfib"},
		{"--rhythm", "brady", "--hr", "80"},
		{"--duration", "ten"},
		{"--format", "xml"},
		{"--duration", "0", "--out", "x/y"},
		{"--fs", "5"},
	} {
		if code, _, errOut := runSim(t, args...); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d (%s), want %d", args, code, errOut, cmdutil.ExitUsage)
		}
	}
	// A negative duration says what is wrong (the message was empty).
	if _, _, errOut := runSim(t, "--duration", "-5s"); errOut != "--duration -5s: want 0 (until interrupted) or more" {
		t.Errorf("--duration -5s: %q", errOut)
	}
	// A value the generator refuses names its flag.
	for flag, args := range map[string][]string{
		"--fs: ":     {"--fs", "5"},
		"--hr: ":     {"--rhythm", "brady", "--hr", "80"},
		"--rhythm: ": {"--rhythm", "vfib"},
		"--noise: ":  {"--noise", "-1"},
		"--wander: ": {"--wander", "101", "--mqtt", "tcp://127.0.0.1:1"},
	} {
		if _, _, errOut := runSim(t, args...); !strings.HasPrefix(errOut, flag) {
			t.Errorf("%v: %q, want it to start with %q", args, errOut, flag)
		}
	}
}

// TestSimulateFleet publishes a small fleet to a real broker: the plan on
// stdout, the summary on stderr, exit 0; an unreachable broker is exit 1
// with nothing on stdout.
func TestSimulateFleet(t *testing.T) {
	code, out, errOut := runSim(t, "--mqtt", "tcp://127.0.0.1:1", "--devices", "3", "--duration", "1s")
	if code != cmdutil.ExitError || out != "" || !strings.Contains(errOut, "not reachable") {
		t.Errorf("closed port: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	b := brokertest.Start(t)
	args := []string{"--mqtt", b.URL(), "--devices", "4", "--rhythms", "afib=1", "--fs", "250", "--duration", "2s", "--speed", "0", "--seed", "5"}
	code, out, errOut = runSim(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 || lines[0] != "device\trhythm\tseed" || strings.Count(out, "\tafib\t") != 1 || !strings.HasPrefix(lines[4], "wear-004\t") {
		t.Errorf("plan %q", out)
	}
	if !strings.Contains(errOut, "4 devices (") || !strings.Contains(errOut, "80 messages acknowledged, 0 failed; 2.0 s of signal a device") {
		t.Errorf("stderr %q", errOut)
	}
	if _, again, _ := runSim(t, args...); again != out {
		t.Errorf("the same seed gave another fleet: %q", again)
	}
}

func TestSimulateFleetUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--devices", "3"},
		{"--rhythms", "afib=1"},
		{"--mqtt", "tcp://h:1", "--out", "x/y"},
		{"--mqtt", "tcp://h:1", "--realtime"},
		{"--mqtt", "tcp://h:1", "--format", "csv"},
		{"--mqtt", "tcp://h:1", "--devices", "0"},
		{"--mqtt", "tcp://h:1", "--devices", "2", "--rhythms", "afib=3"},
		{"--mqtt", "tcp://h:1", "--rhythms", "vfib=1"},
		{"--mqtt", "tcp://h:1", "--speed", "-1"},
		{"--mqtt", "tcp://h:1", "--topic", "dt/#"},
		{"--mqtt", "tcp://h:1", "--message", "1m"},
		{"--mqtt", "tcp://h:1", "--device-prefix", "a b"},
		{"--mqtt", "h:1"},
		{"--mqtt", "tcp://h:1", "--fs", "5"},
	} {
		if code, out, errOut := runSim(t, args...); code != cmdutil.ExitUsage || out != "" {
			t.Errorf("%v: exit %d (%s), stdout %q, want %d", args, code, errOut, out, cmdutil.ExitUsage)
		}
	}
}
