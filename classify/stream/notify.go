package stream

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultShutdownGrace is how long Close lets queued alerts run.
const DefaultShutdownGrace = 5 * time.Second

// CommandNotifier runs a shell command for each alert, with the alert's
// JSON line on its standard input, one command at a time, in a goroutine of
// its own: Notify never blocks the stream. Alerts that find the queue full
// are dropped and counted. Each command runs in a process group of its
// own: on its timeout, or when the notifier is aborted, the whole group
// is killed (a shell's children too). Failures (an exit status other than
// 0, a timeout) are counted and described on the notifier's stderr, with
// the alert they were for.
type CommandNotifier struct {
	cmd     string
	queue   chan []byte
	dropped atomic.Int64
	failed  atomic.Int64
	wg      sync.WaitGroup
	stderr  io.Writer
	timeout time.Duration
	// abort ends the running command and drops the queued alerts.
	abort     context.Context
	abortFunc context.CancelFunc
	closeOnce sync.Once
}

// NewCommandNotifier starts a notifier running command with sh -c, each
// run limited to timeout (0: 30 s); its output, and the notifier's own
// messages, go to stderr (nil: none). queue is the number of alerts that
// may wait (0: 16). Alerts already queued still run when ctx ends (Close
// bounds them); ctx is only the parent of the runs' contexts.
func NewCommandNotifier(ctx context.Context, command string, queue int, timeout time.Duration, stderr io.Writer) *CommandNotifier {
	if queue <= 0 {
		queue = 16
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	if stderr == nil {
		stderr = io.Discard
	}
	n := &CommandNotifier{cmd: command, queue: make(chan []byte, queue), stderr: stderr, timeout: timeout}
	n.abort, n.abortFunc = context.WithCancel(context.WithoutCancel(ctx))
	n.wg.Add(1)
	go n.loop()
	return n
}

// Notify queues e, or drops it when the queue is full.
func (n *CommandNotifier) Notify(e Event) {
	b, err := json.Marshal(e)
	if err != nil {
		n.dropped.Add(1)
		return
	}
	select {
	case n.queue <- append(b, '\n'):
	default:
		n.dropped.Add(1)
	}
}

// Dropped returns the number of alerts dropped so far: the queue was
// full, or the notifier was closed or aborted before their turn.
func (n *CommandNotifier) Dropped() int64 { return n.dropped.Load() }

// Failed returns the number of command runs that failed (an exit status
// other than 0, a timeout, killed at shutdown).
func (n *CommandNotifier) Failed() int64 { return n.failed.Load() }

// Close lets queued alerts run for up to DefaultShutdownGrace, as
// Shutdown does.
func (n *CommandNotifier) Close() { n.Shutdown(DefaultShutdownGrace) }

// Shutdown stops taking alerts and lets the queued ones run, each within
// its timeout, for up to grace in all; then it aborts (Abort): the running
// command's process group is killed and the alerts still queued are
// dropped, counted and reported on stderr. It returns the number of
// alerts dropped at shutdown. Calls after the first return 0.
func (n *CommandNotifier) Shutdown(grace time.Duration) (dropped int64) {
	first := false
	n.closeOnce.Do(func() {
		first = true
		before := n.dropped.Load()
		close(n.queue)
		t := time.AfterFunc(grace, n.Abort)
		n.wg.Wait()
		t.Stop()
		dropped = n.dropped.Load() - before
	})
	if !first {
		return 0
	}
	if dropped > 0 {
		fmt.Fprintf(n.stderr, "alert-exec: %d queued alerts dropped at shutdown (after %v)\n", dropped, grace)
	}
	return dropped
}

// Abort kills the running command's process group and drops the alerts
// still queued (a second interrupt, or the end of Shutdown's grace). It
// does not wait; Shutdown or Close does.
func (n *CommandNotifier) Abort() { n.abortFunc() }

func (n *CommandNotifier) loop() {
	defer n.wg.Done()
	for b := range n.queue {
		if n.abort.Err() != nil {
			n.dropped.Add(1)
			continue
		}
		if err := n.run(b); err != nil {
			n.failed.Add(1)
			fmt.Fprintf(n.stderr, "alert-exec: %v; alert %s", err, b)
		}
	}
}

// run runs the command for one alert's JSON line b, in a process group of
// its own that is killed on timeout or abort.
func (n *CommandNotifier) run(b []byte) error {
	ctx, cancel := context.WithTimeout(n.abort, n.timeout)
	defer cancel()
	c := exec.CommandContext(ctx, "sh", "-c", n.cmd)
	c.Stdin = bytes.NewReader(b)
	c.Stdout, c.Stderr = n.stderr, n.stderr
	ownProcessGroup(c)
	c.WaitDelay = time.Second
	err := c.Run()
	switch {
	case err == nil || errors.Is(err, exec.ErrWaitDelay):
		// Done; a process it left in the background held its output.
		return nil
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%q timed out after %v: its process group was killed", n.cmd, n.timeout)
	case n.abort.Err() != nil:
		return fmt.Errorf("%q killed at shutdown with its process group", n.cmd)
	}
	return fmt.Errorf("%q: %w", n.cmd, err)
}
