// Package cmdutil is what every ecg command shares between its flags and
// its library call: the exit-code table and the errors that select a code
// (usage errors, partial failures), the flags every command means the
// same by (--jobs capped, --format with completions, durations, lists,
// the device-file flags of commands that read CSV and EDF files, the
// label flags of train and eval), positional-argument checks that are
// usage errors, and the second-interrupt watch of commands with a slow
// shutdown.
//
// It is used by cmd/ecg alone, so it may use cobra; the domain libraries
// never import it.
package cmdutil
