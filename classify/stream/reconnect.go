package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// ErrDeviceClosed is the failure RunReconnecting reports when an input
// ends (its Read returned io.EOF): a device that was unplugged, a socket
// closed by its peer.
var ErrDeviceClosed = errors.New("device closed")

// Default backoff of Reconnect.
const (
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 10 * time.Second
)

// Reconnect says how RunReconnecting opens its input and opens it again
// when it fails.
type Reconnect struct {
	// Name names the input in errors ("serial /dev/ttyUSB0").
	Name string
	// Open opens the input: a serial port, a socket. Required. The
	// ReadCloser is closed when the run ends or the input fails; closing
	// it must end a pending Read.
	Open func(ctx context.Context) (io.ReadCloser, error)
	// MinBackoff is the wait after an open that failed (default
	// DefaultMinBackoff); it doubles after each further failure, up to
	// MaxBackoff (default DefaultMaxBackoff), and starts over once an
	// open succeeds.
	MinBackoff, MaxBackoff time.Duration
	// Once ends the run at the first failure (an open that fails, an input
	// that ends or fails) instead of trying again.
	Once bool
	// OnEvent, when set, is told of every failure the run recovers from.
	OnEvent func(ReconnectEvent)
}

// ReconnectEvent is a failure RunReconnecting recovers from.
type ReconnectEvent struct {
	// Err is why the open failed (Disconnected false) or why the input
	// ended (Disconnected true; ErrDeviceClosed at end of input).
	Err          error
	Disconnected bool
	// Wait is the time until the next open, after an open that failed.
	Wait time.Duration
}

// RunReconnecting pumps inputs opened by rc.Open into s (Pump) until ctx
// ends, reopening the input with backoff when an open fails or the input
// ends or fails. When an input is lost, s emits a status event
// (Disconnected); when it comes back, s drops its first line as possibly
// partial (Reset). At the end s is closed and flushed: the last events are
// emitted. It returns nil when ctx ended; with rc.Once, the first failure,
// as "NAME: error"; or an error of s or flush.
func RunReconnecting(ctx context.Context, rc Reconnect, s *Stream, flush func() error) error {
	if flush == nil {
		flush = func() error { return nil }
	}
	finish := func(err error) error {
		cerr := s.Close()
		ferr := flush()
		return errors.Join(err, cerr, ferr)
	}
	failed := func(err error) error { return finish(fmt.Errorf("%s: %w", rc.Name, err)) }
	minWait, maxWait := rc.MinBackoff, rc.MaxBackoff
	if minWait <= 0 {
		minWait = DefaultMinBackoff
	}
	if maxWait <= 0 {
		maxWait = DefaultMaxBackoff
	}
	backoff := minWait
	connected := false
	for ctx.Err() == nil {
		r, err := rc.Open(ctx)
		if err != nil {
			if rc.Once {
				return failed(err)
			}
			if rc.OnEvent != nil {
				rc.OnEvent(ReconnectEvent{Err: err, Wait: backoff})
			}
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, maxWait)
			continue
		}
		if connected {
			s.Reset() // the input came back: the first line may be partial
		}
		connected, backoff = true, minWait
		err = pumpOnce(ctx, r, s, flush)
		if ctx.Err() != nil {
			break
		}
		if err == nil {
			err = ErrDeviceClosed
		}
		if err := flush(); err != nil {
			return finish(err)
		}
		s.Disconnected()
		if rc.Once {
			return failed(err)
		}
		if rc.OnEvent != nil {
			rc.OnEvent(ReconnectEvent{Err: err, Disconnected: true})
		}
	}
	return finish(nil)
}

// pumpOnce pumps r into s and closes r, also when ctx ends during a Read,
// so that the reading goroutine ends.
func pumpOnce(ctx context.Context, r io.ReadCloser, s *Stream, flush func() error) error {
	var once sync.Once
	closeR := func() { once.Do(func() { r.Close() }) }
	stop := context.AfterFunc(ctx, closeR)
	err := Pump(ctx, r, s, flush)
	stop()
	closeR()
	return err
}
