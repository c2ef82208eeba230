package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// app is what every command shares: streams and global flags.
type app struct {
	io    *IOStreams
	quiet bool
}

// commandFactories are registered by each command's file in an init
// function, so that adding a command touches no other file.
var commandFactories []func(*app) *cobra.Command

func register(f func(*app) *cobra.Command) { commandFactories = append(commandFactories, f) }

// newRootCmd builds the command tree.
func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "ecg",
		Short: "ECG signal analysis and model training",
		Long: `ecg reads PhysioNet WFDB records (MIT-BIH Arrhythmia Database and kin),
finds heartbeats, renders spectrograms and pathology archives, trains and
evaluates classifiers, and scores live ECG streams.

Exit codes: 0 ok, 1 error, 2 usage error, 3 partial failure, 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(a.io.In)
	root.SetOut(a.io.Out)
	root.SetErr(a.io.ErrOut)
	root.PersistentFlags().BoolVarP(&a.quiet, "quiet", "q", false, "no progress bars or informational messages on stderr")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	for _, f := range commandFactories {
		root.AddCommand(f(a))
	}
	return root
}

// Run runs ecg with args and returns the process exit code.
func Run(ctx context.Context, args []string, streams *IOStreams) int {
	a := &app{io: streams}
	root := newRootCmd(a)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && ctx.Err() != nil {
		err = context.Canceled
	}
	if err != nil {
		if isCobraUsage(err) {
			err = &usageError{err}
		}
		code := exitCode(err)
		if code != ExitInterrupted {
			fmt.Fprintf(streams.ErrOut, "%s: %s\n", errorPrefix(cmd), strings.TrimPrefix(err.Error(), cmd.Name()+": "))
		} else {
			fmt.Fprintf(streams.ErrOut, "%s: interrupted\n", errorPrefix(cmd))
		}
		return code
	}
	return ExitOK
}

// errorPrefix names the command an error comes from: "ecg spectro",
// "ecg datasets fetch", or "ecg" for the root and unknown commands.
func errorPrefix(cmd *cobra.Command) string {
	if cmd == nil {
		return "ecg"
	}
	return cmd.CommandPath()
}

// isCobraUsage reports errors that cobra raises for a bad command line.
func isCobraUsage(err error) bool {
	s := err.Error()
	return strings.HasPrefix(s, "unknown command") || strings.Contains(s, "arg(s)") ||
		strings.HasPrefix(s, "unknown flag") || strings.HasPrefix(s, "invalid argument")
}

// argsUsage wraps a cobra positional-argument validator so that its errors
// are usage errors (exit code 2).
func argsUsage(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return &usageError{err}
		}
		return nil
	}
}
