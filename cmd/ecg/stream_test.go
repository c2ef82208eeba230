package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/term"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

// simText returns `ecg simulate` text output.
func simText(t testing.TB, args ...string) string {
	t.Helper()
	streams, out, errOut := iostreams.Test("")
	if code := Run(context.Background(), append([]string{"simulate"}, args...), streams); code != 0 {
		t.Fatalf("simulate %v: exit %d: %s", args, code, errOut)
	}
	return out.String()
}

// trainSimModel builds label folders of simulated one-minute records (N:
// normal sinus rhythm at several rates, AF: atrial fibrillation) with
// `ecg simulate --out` and trains a model on them with `ecg train`.
func trainSimModel(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for i := 1; i <= 12; i++ {
		noise := fmt.Sprint(0.005 * float64(i%5+1))
		for _, c := range [][]string{
			{"AF", "afib", fmt.Sprint(65 + 7*i)},
			{"N", "normal", fmt.Sprint(60 + 3*i)},
		} {
			args := []string{"simulate", "-q", "--rhythm", c[1], "--hr", c[2], "--noise", noise, "--seed", fmt.Sprint(1000 + i),
				"--duration", "60", "--out", filepath.Join(dir, "data", c[0], fmt.Sprintf("%s%d", c[1], i))}
			streams, _, errOut := iostreams.Test("")
			if code := Run(context.Background(), args, streams); code != 0 {
				t.Fatalf("%v: exit %d: %s", args, code, errOut)
			}
		}
	}
	model := filepath.Join(dir, "sim.ecgm")
	streams, _, errOut := iostreams.Test("")
	if code := Run(context.Background(), []string{"train", "-q", filepath.Join(dir, "data"), "--out", model}, streams); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	return model
}

type jsonEvent map[string]any

func parseEvents(t testing.TB, out string) []jsonEvent {
	t.Helper()
	return jsonLines[jsonEvent](t, out)
}

// TestStreamAlertsOnSimulatedAF is the story of the issue:
// `ecg simulate --rhythm afib --duration 10m | ecg stream --fs 360 --model M`
// raises an AF alert, and --rhythm normal raises none, with a model trained
// by `ecg train` on simulated records (other seeds than the streams').
func TestStreamAlertsOnSimulatedAF(t *testing.T) {
	model := trainSimModel(t)
	for _, c := range []struct {
		rhythm string
		alerts bool
	}{{"afib", true}, {"normal", false}} {
		in := simText(t, "--rhythm", c.rhythm, "--duration", "10m", "--seed", "42")
		code, out, errOut := runECG(t, in, "stream", "--fs", "360", "--model", model)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.rhythm, code, errOut)
		}
		var raised []string
		windows, af := 0, 0
		for _, e := range parseEvents(t, out) {
			switch e["type"] {
			case "alert":
				if e["state"] == "raised" {
					raised = append(raised, e["label"].(string))
				}
			case "window":
				windows++
				if e["label"] == "AF" {
					af++
				}
			}
		}
		t.Logf("%s: %d windows, %d labelled AF, alerts raised: %v", c.rhythm, windows, af, raised)
		if windows != 55 {
			t.Errorf("%s: %d windows in 10 minutes, want 55 (60 s windows every 10 s)", c.rhythm, windows)
		}
		if c.alerts && (len(raised) == 0 || raised[0] != "AF") {
			t.Errorf("afib: alerts %v, want AF", raised)
		}
		if !c.alerts && len(raised) != 0 {
			t.Errorf("normal: alerts %v, want none", raised)
		}
	}
}

// withoutWall drops wall times and connection status events, which differ
// between runs and inputs.
func withoutWall(t *testing.T, out string) []string {
	var lines []string
	for _, e := range parseEvents(t, out) {
		if e["type"] == "status" && e["input"] == "disconnected" {
			continue
		}
		delete(e, "wall")
		b, _ := json.Marshal(e)
		lines = append(lines, string(b))
	}
	return lines
}

// TestStreamSerialPTY streams a simulated record through a real
// pseudo-terminal with --serial and expects the events of stdin.
func TestStreamSerialPTY(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer tty.Close()
	if _, err := term.MakeRaw(int(tty.Fd())); err != nil {
		t.Fatal(err)
	}
	in := simText(t, "--rhythm", "pvc", "--duration", "30s", "--seed", "9", "--noise", "0.02")
	args := []string{"stream", "--fs", "360", "--beats", "--window", "10s", "--hop", "5s", "--model", "none"}
	code, want, errOut := runECG(t, in, args...)
	if code != 0 {
		t.Fatalf("stdin: exit %d: %s", code, errOut)
	}

	var out, errBuf iostreams.SyncBuffer
	streams := &iostreams.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errBuf, Environ: func(string) string { return "" }}
	done := make(chan int)
	go func() {
		done <- Run(context.Background(), append(args, "--serial", tty.Name(), "--baud", "115200", "--no-reconnect"), streams)
	}()
	go func() {
		data := []byte(in)
		for len(data) > 0 {
			n := min(len(data), 1000)
			if _, err := ptmx.Write(data[:n]); err != nil {
				return
			}
			data = data[n:]
		}
	}()
	// 30 s of signal: the hr event at sample 10800 means every sample was read.
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), `"type":"hr","sample":10800,`) {
		if time.Now().After(deadline) {
			t.Fatalf("serial: no hr event at 30 s; stderr %s; out %d bytes", errBuf.String(), len(out.String()))
		}
		select {
		case code := <-done:
			t.Fatalf("serial: exit %d early: %s", code, errBuf.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	ptmx.Close()
	select {
	case code := <-done:
		if code != cmdutil.ExitError || !strings.Contains(errBuf.String(), "serial "+tty.Name()) {
			t.Errorf("device gone with --no-reconnect: exit %d, stderr %q", code, errBuf.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serial: no exit after the device closed")
	}
	got, exp := withoutWall(t, out.String()), withoutWall(t, want)
	if strings.Join(got, "\n") != strings.Join(exp, "\n") {
		for i := range min(len(got), len(exp)) {
			if got[i] != exp[i] {
				t.Fatalf("event %d: serial %s, stdin %s", i, got[i], exp[i])
			}
		}
		t.Fatalf("serial gave %d events, stdin %d", len(got), len(exp))
	}
	t.Logf("%d identical events through the pty and stdin", len(got))
}

func TestStreamUsage(t *testing.T) {
	for _, args := range [][]string{
		{"stream"}, // no --fs and no timestamps
		{"stream", "--fs", "360", "--json", "--binary"},
		{"stream", "--fs", "360", "--window", "10s", "--hop", "20s"},
		{"stream", "--fs", "360", "--units", "furlongs"},
		{"stream", "--fs", "360", "--alert-threshold", "2"},
	} {
		if code, _, errOut := runECG(t, "1\n", args...); code != cmdutil.ExitUsage {
			t.Errorf("%v: exit %d (%s), want %d", args, code, errOut, cmdutil.ExitUsage)
		}
	}
	if code, _, errOut := runECG(t, "1\n", "stream", "--fs", "360", "--model", "/nonexistent.ecgm"); code != cmdutil.ExitError || !strings.Contains(errOut, "nonexistent") {
		t.Errorf("missing model: exit %d, %s", code, errOut)
	}
}

// TestStreamAlertExec runs a command per alert without blocking.
func TestStreamAlertExec(t *testing.T) {
	model := trainSimModel(t)
	in := simText(t, "--rhythm", "afib", "--duration", "2m", "--seed", "5")
	dir := t.TempDir()
	cmd := fmt.Sprintf("cat >> %s", filepath.Join(dir, "alerts.jsonl"))
	code, _, errOut := runECG(t, in, "stream", "--fs", "360", "--model", model, "--window", "30s", "--hop", "10s", "--alert-exec", cmd)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(filepath.Join(dir, "alerts.jsonl"))
	if err != nil || !strings.Contains(string(b), `"type":"alert"`) || !strings.Contains(string(b), `"label":"AF"`) {
		t.Fatalf("alert command got %q (%v)", b, err)
	}
}

// TestStreamWindowOnItsLastLine: with a model loaded, a window's event
// comes while the line that ends the window is written.
func TestStreamWindowOnItsLastLine(t *testing.T) {
	model := trainSimModel(t)
	// Every window is scored within the write of the line that ends it
	// (its event comes before Write returns): 60 s then a window every
	// 10 s. How long that takes is BenchmarkWindowLatency's to measure.
	lat := windowLatencies(t, model, 10)
	if len(lat) != 11 {
		t.Errorf("%d windows scored within the write of their last line, want 11", len(lat))
	}
}

// windowLatencies feeds a stream line by line and times the lines that end
// a window, sorted.
func windowLatencies(t testing.TB, modelPath string, n int) []time.Duration {
	f, err := os.Open(modelPath)
	if err != nil {
		t.Fatal(err)
	}
	m, err := classify.LoadModel(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	var got time.Time
	s, err := stream.New(stream.InputOptions{}, stream.Config{Fs: 360, Model: m, Emit: func(e stream.Event) {
		if e.Type == stream.EventWindow {
			got = time.Now()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	in := simText(t, "--rhythm", "afib", "--duration", fmt.Sprint(60+10*n), "--seed", "8")
	var lat []time.Duration
	for _, line := range strings.SplitAfter(in, "\n") {
		got = time.Time{}
		start := time.Now()
		if err := s.Write([]byte(line)); err != nil {
			t.Fatal(err)
		}
		if !got.IsZero() {
			lat = append(lat, got.Sub(start))
		}
	}
	if len(lat) != n+1 {
		t.Fatalf("%d windows, want %d", len(lat), n+1)
	}
	slicesSort(lat)
	return lat
}

func slicesSort(d []time.Duration) {
	for i := 1; i < len(d); i++ {
		for j := i; j > 0 && d[j] < d[j-1]; j-- {
			d[j], d[j-1] = d[j-1], d[j]
		}
	}
}

// BenchmarkStreamText streams an hour of simulated text at 360 Hz through
// `ecg stream` with a model; x-realtime is signal time over run time.
func BenchmarkStreamText(b *testing.B) {
	model := trainSimModel(b)
	in := simText(b, "--rhythm", "afib", "--duration", "1h", "--seed", "3")
	b.SetBytes(int64(len(in)))
	b.ResetTimer()
	for b.Loop() {
		streams, _, errOut := iostreams.Test(in)
		if code := Run(context.Background(), []string{"stream", "--fs", "360", "--model", model}, streams); code != 0 {
			b.Fatalf("exit %d: %s", code, errOut)
		}
	}
	b.ReportMetric(3600/(b.Elapsed().Seconds()/float64(b.N)), "x-realtime")
}

// BenchmarkWindowLatency times the Write of the line that completes a
// window (feature extraction and scoring included).
func BenchmarkWindowLatency(b *testing.B) {
	model := trainSimModel(b)
	b.ResetTimer()
	var all []time.Duration
	for b.Loop() {
		all = append(all, windowLatencies(b, model, 5)...)
	}
	slicesSort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "ms-max")
}

// `ecg simulate --format csv | ecg stream` needs no --fs: the header
// names the time column, whose spacing gives the rate.
func TestStreamRateFromCSVHeader(t *testing.T) {
	code, csv, errOut := runECG(t, "", "simulate", "--format", "csv", "--duration", "20s", "--fs", "250", "--seed", "2")
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	code, out, errOut := runECG(t, csv, "stream", "--model", "none")
	if code != 0 || !strings.Contains(out, `"fs":250`) || !strings.Contains(out, `"type":"hr"`) {
		t.Fatalf("exit %d, stderr %q, out %.300q", code, errOut, out)
	}
	// Plain numbers: the missing rate is a usage error.
	code, _, errOut = runECG(t, "0.1\n0.2\n", "stream", "--model", "none")
	if code != cmdutil.ExitUsage || !strings.HasPrefix(errOut, "ecg stream: no sampling rate") {
		t.Fatalf("no rate: exit %d, stderr %q", code, errOut)
	}
}
