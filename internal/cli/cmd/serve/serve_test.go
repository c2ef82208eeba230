package serve

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

func run(t *testing.T, ctx context.Context, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	return runQuiet(t, ctx, false, args...)
}

// runQuiet is run with the root's --quiet set to quiet.
func runQuiet(t *testing.T, ctx context.Context, quiet bool, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ios, out, errOut := iostreams.Test("")
	cmd := NewCmd(&cmdutil.Factory{IO: ios, Quiet: &quiet})
	cmd.SetArgs(args)
	cmd.SetOut(errOut)
	cmd.SetErr(errOut)
	err = cmd.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short")
	os.WriteFile(short, []byte("abc\n"), 0o600)
	for _, c := range []struct{ args, want string }{
		{"--listen=", "no input"},
		{"--idle 0s", "--idle"},
		{"--max-devices 0", "--max-devices"},
		{"--queue 0", "--queue"},
		{"--rate-factor 0.5", "--rate-factor"},
		{"--max-message 10", "--max-message"},
		{"--max-device-memory 0", "--max-device-memory"},
		{"--shard 3/3", "--shard"},
		{"--shard x", "--shard"},
		{"--listen 0.0.0.0:0", "--token-file"},
		{"--listen 127.0.0.1:0 --token-file " + short, "16 or more"},
		{"--window 0", "--window"},
		{"--alert-windows 0", "--alert-windows"},
		{"--time-units h --listen 127.0.0.1:0", "time units"},
		{"--mqtt foo://127.0.0.1:1 --listen=", "scheme"},
		{"--mqtt 127.0.0.1 --listen=", "want a URL"},
		{"--listen 127.0.0.1:0 --record " + dir + " --segment 0s", "--segment"},
	} {
		_, _, err := run(t, context.Background(), strings.Fields(c.args)...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error about %s", c.args, err, c.want)
			continue
		}
		if cmdutil.ExitCode(err) != 2 {
			t.Errorf("%s: exit code %d, want 2", c.args, cmdutil.ExitCode(err))
		}
	}
}

// TestHTTPIngest runs the command with HTTP input only: CSV bodies of an
// AF recording make window and alert events on stdout, /metrics shows the
// device, and the end of the context ends the command with the device's
// last status.
func TestHTTPIngest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	token := filepath.Join(t.TempDir(), "token")
	os.WriteFile(token, []byte("0123456789abcdef\n"), 0o600)
	recDir := filepath.Join(t.TempDir(), "rec")
	ios, out, _ := iostreams.Test("")
	errOut := &iostreams.SyncBuffer{}
	ios.ErrOut = errOut
	quiet := false
	cmd := NewCmd(&cmdutil.Factory{IO: ios, Quiet: &quiet})
	cmd.SetArgs([]string{"--listen", "127.0.0.1:0", "--token-file", token, "--window", "30s", "--hop", "5s",
		"--alert-threshold", "0.5", "--alert-windows", "2", "--fs", "250", "--rate-factor", "100",
		"--record", recDir, "--segment", "20s"})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	// The address is printed on stderr; the test reads it from there.
	var base string
	for end := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("ended early: %v\n%s", err, errOut)
		default:
		}
		base = findAddr(errOut.String())
	}
	if base == "" {
		t.Fatal("no address printed")
	}
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 250, Duration: 50, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(rec.MV); i += 500 {
		var b strings.Builder
		for _, v := range rec.MV[i : i+500] {
			b.WriteString(strconv.FormatFloat(v, 'g', -1, 64) + "\n")
		}
		if code := post(t, base+"/ingest/w-7", b.String()); code != http.StatusAccepted {
			t.Fatalf("POST: %d", code)
		}
	}
	time.Sleep(500 * time.Millisecond)
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer 0123456789abcdef")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ioReadAll(res)
	if !strings.Contains(m, `ecg_device_alert{device="w-7",label="AFIB"} 1`) {
		t.Errorf("metrics lack the alert:\n%s", grep(m, "ecg_device"))
	}
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	events := out.String()
	for _, want := range []string{`"type":"window"`, `"type":"alert"`, `"device":"w-7","state":"raised","label":"AFIB"`, `"input":"end"`} {
		if !strings.Contains(events, want) {
			t.Errorf("events lack %s", want)
		}
	}
	checkRecording(t, recDir)
}

// checkRecording checks the --record folder of TestHTTPIngest: 50 s in
// segments of 20 s, every one closed and listed, AF marked.
func checkRecording(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "RECORDS"))
	if err != nil || string(b) != "w-7/w-7_0001\nw-7/w-7_0002\nw-7/w-7_0003\n" {
		t.Fatalf("RECORDS: %q %v", b, err)
	}
	for seg, n := range map[string]int64{"w-7_0001": 5000, "w-7_0002": 5000, "w-7_0003": 2500, "w-7": 12500} {
		h, err := wfdb.ReadHeader(filepath.Join(dir, "w-7", seg))
		if err != nil || h.NSamples != n {
			t.Errorf("%s: %v, want %d samples", seg, err, n)
		}
	}
	anns, err := wfdb.ReadAnnotations(filepath.Join(dir, "w-7", "w-7_0003"), "atr")
	if err != nil || len(anns) == 0 || anns[0].Aux != "(AFIB" {
		t.Errorf("w-7_0003.atr: %v %v, want (AFIB first", anns, err)
	}
}

func findAddr(s string) string {
	i := strings.Index(s, "http://")
	if i < 0 {
		return ""
	}
	j := strings.IndexByte(s[i+len("http://"):], '/')
	if j < 0 {
		return ""
	}
	return s[i : i+len("http://")+j]
}

func post(t *testing.T, url, body string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer 0123456789abcdef")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func ioReadAll(res *http.Response) (string, error) {
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), err
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestHelp(t *testing.T) {
	cmd := NewCmd(&cmdutil.Factory{})
	if !strings.HasPrefix(cmd.Long, "serve scores a fleet") || strings.Contains(cmd.Long, "-- examples --") {
		t.Errorf("long help %.40q", cmd.Long)
	}
	for _, l := range strings.Split(cmd.Example, "\n") {
		if !strings.HasPrefix(l, "  ecg serve ") {
			t.Errorf("example line %q", l)
		}
	}
}
