package stream

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os/exec"
	"sync"
	"sync/atomic"
	"time"
)

// CommandNotifier runs a shell command for each alert, with the alert's
// JSON line on its standard input, one command at a time, in a goroutine of
// its own: Notify never blocks the stream. Alerts that find the queue full
// are dropped and counted.
type CommandNotifier struct {
	cmd     string
	queue   chan []byte
	dropped atomic.Int64
	failed  atomic.Int64
	wg      sync.WaitGroup
	stderr  io.Writer
	timeout time.Duration
	ctx     context.Context
}

// NewCommandNotifier starts a notifier running command with sh -c, each
// run limited to timeout (0: 30 s); its output goes to stderr (nil: none).
// queue is the number of alerts that may wait (0: 16).
func NewCommandNotifier(ctx context.Context, command string, queue int, timeout time.Duration, stderr io.Writer) *CommandNotifier {
	if queue <= 0 {
		queue = 16
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	n := &CommandNotifier{cmd: command, queue: make(chan []byte, queue), stderr: stderr, timeout: timeout, ctx: ctx}
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

// Dropped returns the number of alerts dropped so far.
func (n *CommandNotifier) Dropped() int64 { return n.dropped.Load() }

// Failed returns the number of command runs that failed.
func (n *CommandNotifier) Failed() int64 { return n.failed.Load() }

// Close lets queued alerts run (each within its timeout) and waits for
// them.
func (n *CommandNotifier) Close() {
	close(n.queue)
	n.wg.Wait()
}

func (n *CommandNotifier) loop() {
	defer n.wg.Done()
	for b := range n.queue {
		// Alerts queued at shutdown still run: the context only bounds each run.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(n.ctx), n.timeout)
		c := exec.CommandContext(ctx, "sh", "-c", n.cmd)
		c.Stdin = bytes.NewReader(b)
		if n.stderr != nil {
			c.Stdout, c.Stderr = n.stderr, n.stderr
		}
		c.WaitDelay = time.Second
		if err := c.Run(); err != nil {
			n.failed.Add(1)
		}
		cancel()
	}
}
