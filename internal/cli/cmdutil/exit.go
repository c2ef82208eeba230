package cmdutil

import (
	"context"
	"errors"
	"fmt"
)

// Exit codes, the same for every command. Scripts may rely on them.
const (
	ExitOK          = 0   // success
	ExitError       = 1   // an error: bad input file, I/O failure
	ExitUsage       = 2   // bad flags or arguments
	ExitPartial     = 3   // the command ran, but some items failed (ingest checks, batch jobs)
	ExitInterrupted = 130 // SIGINT or SIGTERM
)

// UsageError marks an error in the command line (exit code 2).
type UsageError struct{ Err error }

// Error returns the message of the wrapped error.
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a usage error (exit code 2).
func Usagef(format string, args ...any) error {
	return &UsageError{fmt.Errorf(format, args...)}
}

// PartialError reports that some items failed (exit code 3); the command
// has already printed which.
type PartialError struct{ Msg string }

// Error returns the message ("1 of 2 records failed").
func (e *PartialError) Error() string { return e.Msg }

// ExitCode maps an error returned by a command to the process exit code.
func ExitCode(err error) int {
	var ue *UsageError
	var pe *PartialError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &pe):
		return ExitPartial
	}
	return ExitError
}

// BatchError is the error of a command that processed total items of which
// failed failed (each already reported): nil when none failed, a plain
// error (exit 1) when all failed, a PartialError (exit 3) otherwise. The
// message reads "1 of 2 records failed" for noun "records", verb "failed".
func BatchError(failed, total int, noun, verb string) error {
	switch {
	case failed == 0:
		return nil
	case failed == total:
		return fmt.Errorf("all %d %s %s", total, noun, verb)
	}
	return &PartialError{fmt.Sprintf("%d of %d %s %s", failed, total, noun, verb)}
}
