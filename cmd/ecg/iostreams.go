package main

import (
	"bytes"
	"io"
	"strings"
)

// IOStreams are the streams a command reads and writes. Tests build them
// with TestStreams; main builds them from the process's own.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY reports whether ErrOut is a terminal: progress bars are drawn
	// only then.
	ErrTTY bool
	// OutTTY reports whether Out is a terminal.
	OutTTY bool
	// Environ looks up an environment variable (os.Getenv in main).
	Environ func(string) string
}

// TestStreams returns streams backed by buffers, with stdin reading in.
func TestStreams(in string) (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &IOStreams{
		In:      strings.NewReader(in),
		Out:     &out,
		ErrOut:  &errOut,
		Environ: func(string) string { return "" },
	}, &out, &errOut
}
