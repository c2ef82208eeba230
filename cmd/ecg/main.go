// Command ecg is a toolkit for ECG signal analysis and model training:
// PhysioNet WFDB records in and out, beat detection, spectrograms and
// pathology archives, training and evaluation, and live scoring.
//
// This package is wiring only: each command turns its flags into an options
// struct and makes one library call. The exit codes are the table of
// internal/cli/cmdutil.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	code := Run(ctx, os.Args[1:], iostreams.System())
	stop()
	os.Exit(code)
}
