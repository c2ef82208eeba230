package main

import (
	"embed"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
)

// The long help and examples of the commands are text files in help/, one
// per command: the help proper, then a line "-- examples --", then the
// examples. They read as documentation and are kept out of the Go code.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpParts returns the long help and the examples of a command.
func helpParts(name string) (long, examples string) {
	return cmdutil.HelpParts(helpFiles, "help/"+name+".txt")
}

// helpText returns a command's long help (cobra.Command.Long).
func helpText(name string) string { long, _ := helpParts(name); return long }

// helpExamples returns a command's examples (cobra.Command.Example).
func helpExamples(name string) string { _, ex := helpParts(name); return ex }
