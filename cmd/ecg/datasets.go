package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/progress"
	"github.com/spf13/cobra"
)

func init() { register(newDatasetsCmd) }

func newDatasetsCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "datasets",
		Short:   "Download PhysioNet databases",
		Example: `  ecg datasets fetch mitdb --dir data/mitdb`,
	}
	cmd.AddCommand(newDatasetsFetchCmd(a))
	return cmd
}

type fetchOptions struct {
	database string
	dir      string
	base     string
	maxMB    int64
}

func newDatasetsFetchCmd(a *app) *cobra.Command {
	var o fetchOptions
	known := make([]string, 0, len(datasets.KnownVersions))
	for k := range datasets.KnownVersions {
		known = append(known, k)
	}
	sort.Strings(known)
	cmd := &cobra.Command{
		Use:   "fetch DATABASE[/VERSION] --dir DIR",
		Short: "Download a PhysioNet database over HTTPS, verified by SHA256SUMS.txt",
		Long: `Download a PhysioNet database: SHA256SUMS.txt first, then every file it lists.
Each file is checked against its SHA-256; an interrupted download resumes where
it stopped, and files already present and correct are not fetched again, so a
second run verifies the copy.

Databases with a known default version: ` + strings.Join(known, ", ") + `.`,
		Example: `  ecg datasets fetch mitdb --dir data/mitdb
  ecg datasets fetch afdb/1.0.0 --dir data/afdb
  ecg info data/mitdb/100`,
		Args: cmdutil.Args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.database = args[0]
			if o.dir == "" {
				return cmdutil.Usagef("--dir is required")
			}
			if o.maxMB < 1 || o.maxMB > 1<<40 {
				return cmdutil.Usagef("--max-file-mb %d: want 1 to 2^40", o.maxMB)
			}
			return runFetch(cmd, a, o)
		},
	}
	cmd.Flags().StringVar(&o.dir, "dir", "", "directory to download into (created if needed)")
	cmd.Flags().StringVar(&o.base, "base-url", datasets.DefaultFetchBase, "server root: files are BASE/DATABASE/VERSION/FILE")
	cmd.Flags().Int64Var(&o.maxMB, "max-file-mb", datasets.DefaultMaxFileBytes>>20, "refuse (and delete) a file larger than this many MiB")
	return cmd
}

func runFetch(cmd *cobra.Command, a *app, o fetchOptions) error {
	db, version, _ := strings.Cut(o.database, "/")
	var bar *progress.Bar
	opt := datasets.FetchOptions{
		Base: o.base, Database: db, Version: version, Dir: o.dir, MaxFileBytes: o.maxMB << 20,
		Progress: func(total, done int64) {
			if total > 0 {
				bar = a.newProgress(total, "files")
				return
			}
			bar.Add(int(done))
		},
	}
	res, err := datasets.Fetch(cmd.Context(), opt)
	bar.Done()
	if err != nil {
		return err
	}
	if !a.quiet {
		fmt.Fprintf(a.io.ErrOut, "%s: %d files (%d downloaded, %d resumed, %d already verified, %d bytes) in %s\n",
			db, res.Files, res.Downloaded, res.Resumed, res.Skipped, res.Bytes, o.dir)
	}
	return nil
}
