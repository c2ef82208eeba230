package stream

import (
	"context"
	"errors"
	"io"
)

// ReadSize is the size of the reads Pump makes.
const ReadSize = 64 << 10

// Pump reads r until EOF, an error or the end of ctx, writing what it reads
// to s; flush is called after each read's events (nil for none). It returns
// nil at EOF, ctx.Err() when ctx ended, or the read error. It does not
// Close s. Reads happen in a goroutine with two buffers, so a stalled
// input holds no more than 128 KiB, and a burst is processed read by read
// with back-pressure (nothing is dropped). When ctx ends during a Read that
// never returns (a terminal), that goroutine is left behind: close r to
// end it.
func Pump(ctx context.Context, r io.Reader, s *Stream, flush func() error) error {
	type chunk struct {
		b   []byte
		err error
	}
	full := make(chan chunk)
	free := make(chan []byte, 2)
	free <- make([]byte, ReadSize)
	free <- make([]byte, ReadSize)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			var buf []byte
			select {
			case buf = <-free:
			case <-done:
				return
			}
			n, err := r.Read(buf)
			select {
			case full <- chunk{buf[:n], err}:
			case <-done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case c := <-full:
			if len(c.b) > 0 {
				if err := s.Write(c.b); err != nil {
					return err
				}
				if flush != nil {
					if err := flush(); err != nil {
						return err
					}
				}
			}
			free <- c.b[:cap(c.b)]
			if c.err == io.EOF {
				return nil
			}
			if c.err != nil {
				return c.err
			}
		}
	}
}

// Run pumps r into s until EOF or the end of ctx, then closes s: the last
// events are emitted in both cases, and Run returns nil. Read errors are
// returned after closing.
func Run(ctx context.Context, r io.Reader, s *Stream, flush func() error) error {
	err := Pump(ctx, r, s, flush)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		err = nil
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if flush != nil {
		if ferr := flush(); err == nil {
			err = ferr
		}
	}
	return err
}
