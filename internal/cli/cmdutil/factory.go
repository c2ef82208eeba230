package cmdutil

import (
	"io/fs"
	"strings"

	"github.com/ecgkit/ecg/internal/cli/iostreams"
	"github.com/ecgkit/ecg/internal/cli/progress"
)

// Factory is what the root command hands to the commands that live in
// their own packages under internal/cli/cmd (the cli/cli way): the
// streams and the global flags, read when the command runs.
type Factory struct {
	IO *iostreams.IOStreams
	// Quiet points at the root's --quiet flag.
	Quiet *bool
}

// Progress returns a progress bar over total items described by desc,
// drawn only when stderr is a terminal and --quiet is not given.
func (f *Factory) Progress(total int64, desc string) *progress.Bar {
	return progress.New(f.IO.ErrOut, !f.quiet() && f.IO.ErrTTY, total, desc)
}

// Stages returns progress bars for the stages of a library call
// (classify.Progress).
func (f *Factory) Stages() *progress.Stages { return &progress.Stages{New: f.Progress} }

// Informational reports whether informational messages may go to stderr
// (--quiet not given).
func (f *Factory) Informational() bool { return !f.quiet() }

func (f *Factory) quiet() bool { return f.Quiet != nil && *f.Quiet }

// HelpParts splits a command's help file (the help proper, a line
// "-- examples --", then the examples) into cobra's Long and Example.
// The file is embedded, so a missing one is a build mistake: it panics,
// and every command's help test catches it.
func HelpParts(files fs.FS, path string) (long, examples string) {
	b, err := fs.ReadFile(files, path)
	if err != nil {
		panic("no " + path + " embedded")
	}
	long, examples, _ = strings.Cut(string(b), "\n\n-- examples --\n")
	return long, strings.TrimRight(examples, "\n")
}
