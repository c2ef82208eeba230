// Package iostreams holds the streams an ecg command reads and writes,
// with whether they are terminals: the process's own in main (System),
// buffers in tests (Test). Commands never reach for os.Stdout or
// os.Stderr themselves, so that every command runs in-process in tests,
// in terminal and in piped modes.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// IOStreams are the streams a command reads and writes.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY reports whether ErrOut is a terminal: progress bars are drawn
	// only then.
	ErrTTY bool
	// OutTTY reports whether Out is a terminal.
	OutTTY bool
	// Environ looks up an environment variable (os.Getenv in System).
	Environ func(string) string
}

// System returns the process's streams and environment.
func System() *IOStreams {
	return &IOStreams{
		In:      os.Stdin,
		Out:     os.Stdout,
		ErrOut:  os.Stderr,
		ErrTTY:  term.IsTerminal(int(os.Stderr.Fd())),
		OutTTY:  term.IsTerminal(int(os.Stdout.Fd())),
		Environ: os.Getenv,
	}
}

// Test returns streams backed by buffers, with stdin reading in, no
// terminal and an empty environment; it returns the stdout and stderr
// buffers too.
func Test(in string) (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &IOStreams{
		In:      strings.NewReader(in),
		Out:     &out,
		ErrOut:  &errOut,
		Environ: func(string) string { return "" },
	}, &out, &errOut
}

// SyncWriter serialises writes to W from several goroutines (a command
// and the processes it starts), so that lines do not interleave.
type SyncWriter struct {
	mu sync.Mutex
	W  io.Writer
}

// Write writes p to W, one caller at a time.
func (s *SyncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.W.Write(p)
}

// SyncBuffer is a buffer that one goroutine (a command at work) writes
// while another (a test polling its output) reads.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
