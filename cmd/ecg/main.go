// Command ecg is a toolkit for ECG signal analysis and model training:
// PhysioNet WFDB records in and out, beat detection, spectrograms and
// pathology archives, training and evaluation, and live scoring.
//
// This package is wiring only: each command turns its flags into an options
// struct and makes one library call. Exit codes are listed in exitcodes.go.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := &IOStreams{
		In:      os.Stdin,
		Out:     os.Stdout,
		ErrOut:  os.Stderr,
		ErrTTY:  term.IsTerminal(int(os.Stderr.Fd())),
		OutTTY:  term.IsTerminal(int(os.Stdout.Fd())),
		Environ: os.Getenv,
	}
	code := Run(ctx, os.Args[1:], streams)
	stop()
	os.Exit(code)
}
