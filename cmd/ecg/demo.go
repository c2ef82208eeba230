package main

import (
	"bytes"
	"context"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/demo"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

func init() { register(newDemoCmd) }

func newDemoCmd(a *app) *cobra.Command {
	o := demo.Options{}
	cmd := &cobra.Command{
		Use:     "demo",
		Short:   "Run the whole path on embedded data: ingest, beats, spectrograms, train, eval, stream",
		Long:    helpText("demo"),
		Example: helpExamples("demo"),
		Args:    cmdutil.Args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Patients < 4 {
				return cmdutil.Usagef("--patients must be at least 4 (some train, some test)")
			}
			return demo.Run(cmd.Context(), a.io.Out, a.runQuiet, o)
		},
	}
	cmd.Flags().StringVar(&o.Out, "out", "ecg-demo", "directory for the demo's data, images, model and reports")
	cmd.Flags().IntVar(&o.Patients, "patients", 12, "synthetic patients per rhythm (three quarters train, the rest test)")
	cmd.Flags().IntVar(&o.Lines, "lines", 12, "lines of each command's output to show")
	return cmd
}

// runQuiet runs one ecg command line in process with --quiet, stdin and
// the environment of a (demo.Runner).
func (a *app) runQuiet(ctx context.Context, args []string, stdin []byte) (stdout, stderr []byte, code int) {
	var out, errOut bytes.Buffer
	streams := &iostreams.IOStreams{In: bytes.NewReader(stdin), Out: &out, ErrOut: &errOut, Environ: a.io.Environ}
	code = Run(ctx, append([]string{"--quiet"}, args...), streams)
	return out.Bytes(), errOut.Bytes(), code
}
