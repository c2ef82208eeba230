//go:build unix

package stream

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the notifier's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func alertEvent(label string) Event {
	return Event{Type: EventAlert, Sample: 10000, T: 40, Body: &AlertBody{State: "raised", Label: label}}
}

// A command that fails is counted and described with its alert
// (issue 19, item 4).
func TestAlertCommandFailureReported(t *testing.T) {
	var errOut syncBuffer
	n := NewCommandNotifier(context.Background(), "cat >/dev/null; exit 3", 4, 5*time.Second, &errOut)
	n.Notify(alertEvent("afib"))
	n.Close()
	if n.Failed() != 1 || !strings.Contains(errOut.String(), "exit status 3") || !strings.Contains(errOut.String(), `"label":"afib"`) {
		t.Fatalf("failed %d, stderr %q", n.Failed(), errOut.String())
	}
}

// On timeout the command's whole process group is killed: a shell's
// background child does not outlive it.
func TestAlertTimeoutKillsProcessGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	var errOut syncBuffer
	n := NewCommandNotifier(context.Background(), "sleep 1000 & echo $! >"+pidFile+"; sleep 1000", 4, 300*time.Millisecond, &errOut)
	n.Notify(alertEvent("afib"))
	start := time.Now()
	n.Close()
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("close took %v", d)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	// The child may be a zombie for a moment until init reaps it.
	deadline := time.Now().Add(3 * time.Second)
	for syscall.Kill(pid, 0) == nil && !isZombie(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("background child %d still alive after the timeout", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n.Failed() != 1 || !strings.Contains(errOut.String(), "timed out") {
		t.Fatalf("failed %d, stderr %q", n.Failed(), errOut.String())
	}
}

func isZombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return strings.HasPrefix(rest, "Z")
}

// Shutdown is bounded: twelve queued alerts of a command that hangs do
// not hold the exit for twelve timeouts; what did not run is dropped and
// reported.
func TestAlertShutdownBounded(t *testing.T) {
	var errOut syncBuffer
	n := NewCommandNotifier(context.Background(), "sleep 1000", 16, 30*time.Second, &errOut)
	for i := 0; i < 12; i++ {
		n.Notify(alertEvent("afib"))
	}
	start := time.Now()
	dropped := n.Shutdown(500 * time.Millisecond)
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("shutdown took %v", d)
	}
	if dropped != 11 || n.Dropped() != 11 || n.Failed() != 1 || !strings.Contains(errOut.String(), "11 queued alerts dropped at shutdown") {
		t.Fatalf("dropped %d (%d), failed %d, stderr %q", dropped, n.Dropped(), n.Failed(), errOut.String())
	}
	if n.Shutdown(time.Second) != 0 {
		t.Error("second Shutdown dropped more")
	}
}

// Abort (a second interrupt) ends the running command at once.
func TestAlertAbort(t *testing.T) {
	n := NewCommandNotifier(context.Background(), "sleep 1000", 16, 30*time.Second, nil)
	n.Notify(alertEvent("afib"))
	n.Notify(alertEvent("afib"))
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	n.Abort()
	n.Shutdown(time.Hour)
	if d := time.Since(start); d > 3*time.Second || n.Dropped() != 1 {
		t.Fatalf("abort: %v, %d dropped", d, n.Dropped())
	}
}

// Failures show in status events when Config.AlertsFailed is set.
func TestStatusCountsAlertFailures(t *testing.T) {
	failed := int64(0)
	s, c := newStream(t, InputOptions{}, Config{Fs: 125, Window: 1, Hop: 1, AlertsFailed: func() int64 { return failed }})
	s.Write([]byte(strings.Repeat("0.1\n0.2\n", 100)))
	failed = 2
	s.Write([]byte(strings.Repeat("0.1\n0.2\n", 100)))
	s.Close()
	st := c.of(EventStatus)
	if last := st[len(st)-1].Body.(*StatusBody); last.AlertsFailed != 2 {
		t.Fatalf("final status %+v", last)
	}
}
