package main

import (
	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/internal/cli/cmd/plot"
	"github.com/ecgkit/ecg/internal/cli/cmd/serve"
	"github.com/ecgkit/ecg/internal/cli/cmd/simulate"
	"github.com/ecgkit/ecg/internal/cli/cmd/tune"
)

// Commands that live in their own packages under internal/cli/cmd (one
// package per command: its options, flags, run function, help file and
// tests; the cli/cli layout) are registered here, one line each, so that
// cmd/ecg stays the root and the wiring of the older commands.
func init() {
	register(func(a *app) *cobra.Command { return plot.NewCmd(a.factory()) })
	register(func(a *app) *cobra.Command { return serve.NewCmd(a.factory()) })
	register(func(a *app) *cobra.Command { return simulate.NewCmd(a.factory()) })
	register(func(a *app) *cobra.Command { return tune.NewCmd(a.factory()) })
}
