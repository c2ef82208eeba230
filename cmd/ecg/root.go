package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
	"github.com/ecgkit/ecg/internal/cli/progress"
	"github.com/spf13/cobra"
)

// app is what every command shares: streams and global flags.
type app struct {
	io    *iostreams.IOStreams
	quiet bool
}

// newProgress returns a progress bar over total items described by desc,
// drawn only when stderr is a terminal and --quiet is not given.
func (a *app) newProgress(total int64, desc string) *progress.Bar {
	return a.factory().Progress(total, desc)
}

// newStages returns progress bars for the stages of a library call
// (classify.Progress).
func (a *app) newStages() *progress.Stages { return a.factory().Stages() }

// factory is what the commands in their own packages (internal/cli/cmd)
// get from the root: the same streams and --quiet.
func (a *app) factory() *cmdutil.Factory { return &cmdutil.Factory{IO: a.io, Quiet: &a.quiet} }

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
		return &cmdutil.UsageError{Err: fmt.Errorf("%w\nRun '%s --help' for usage.", err, c.CommandPath())}
	})
	for _, f := range commandFactories {
		root.AddCommand(f(a))
	}
	root.InitDefaultCompletionCmd()
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		switch {
		case c.HasSubCommands() && !c.Runnable():
			c.Args, c.RunE = groupArgs, func(c *cobra.Command, _ []string) error { return c.Help() }
			c.DisableFlagsInUseLine = true
		case c.Name() == "help" && c.Run != nil:
			help := c.Run
			c.Run, c.RunE = nil, func(c *cobra.Command, args []string) error {
				if _, _, err := root.Find(args); err != nil { // cobra prints the usage and exits 0
					return &cmdutil.UsageError{Err: fmt.Errorf("unknown help topic %q", strings.Join(args, " "))}
				}
				help(c, args)
				return nil
			}
		}
	}
	return root
}

// groupArgs refuses an unknown subcommand of a command group ("ecg datasets
// fecth") as a usage error (exit 2); left to cobra, the group's help would be
// printed and a script would see success.
func groupArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's default for the root
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return &cmdutil.UsageError{Err: errors.New(msg)}
}

// Run runs ecg with args and returns the process exit code.
func Run(ctx context.Context, args []string, streams *iostreams.IOStreams) int {
	a := &app{io: streams}
	root := newRootCmd(a)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err != nil && ctx.Err() != nil {
		err = context.Canceled
	}
	if err != nil {
		if cmdutil.IsCobraUsage(err) {
			err = &cmdutil.UsageError{Err: err}
		}
		code := cmdutil.ExitCode(err)
		if code != cmdutil.ExitInterrupted {
			fmt.Fprintf(streams.ErrOut, "%s: %s\n", errorPrefix(cmd), strings.TrimPrefix(err.Error(), cmd.Name()+": "))
		} else {
			fmt.Fprintf(streams.ErrOut, "%s: interrupted\n", errorPrefix(cmd))
		}
		return code
	}
	return cmdutil.ExitOK
}

// errorPrefix names the command an error comes from: "ecg spectro",
// "ecg datasets fetch", or "ecg" for the root and unknown commands.
func errorPrefix(cmd *cobra.Command) string {
	if cmd == nil {
		return "ecg"
	}
	return cmd.CommandPath()
}
