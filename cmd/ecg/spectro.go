package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func init() { register(newSpectroCmd) }

type spectroOptions struct {
	cmdutil.DeviceFlags                                                  // CSV and EDF files as records
	labels                                                               cmdutil.LabelFlags
	out, stride, hop, label, beatWindow, annotator, shard, format, write string
	fill                                                                 string // none or repeat (datasets.FillMode)
	keepPartial, figure, dumpCSV, force                                  bool
	signals                                                              []string
	minFraction                                                          float64
	jobs                                                                 int
	// STFT and image
	window, detrend, scaling, mode, size, colormap, dbRange string
	nperseg, noverlap, nfft                                 int
	fmin, fmax                                              float64
	changed                                                 func(string) bool
}

func newSpectroCmd(a *app) *cobra.Command {
	o := &spectroOptions{}
	cmd := &cobra.Command{
		Use:     "spectro RECORD...|DB_DIR --out DIR",
		Short:   "Spectrogram images of ECG strides, and labelled pathology archives",
		Long:    helpText("spectro"),
		Example: helpExamples("spectro"),
		Args:    cmdutil.Args(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.changed = cmd.Flags().Changed
			return runSpectro(cmd, a, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "output `DIR` (required)")
	f.StringVar(&o.stride, "stride", "60s", "stride length (seconds or a duration), or record: one stride of the whole record")
	f.StringVar(&o.hop, "hop", "60s", "step between stride starts (default: the stride)")
	f.BoolVar(&o.keepPartial, "keep-partial", false, "keep a last stride shorter than --stride")
	f.StringVar(&o.fill, "fill", "none", "render a window shorter than --stride (a short record; with --keep-partial, the last stride): none, or repeat its samples to the stride's length")
	cmdutil.CompleteValues(cmd, "fill", "none", "repeat")
	f.StringSliceVar(&o.signals, "signals", nil, "signals to use by name (any case) or index (MLII,V1 or 0), or all; a record without one of them is skipped")
	f.BoolVar(&o.figure, "figure", false, "also write NAME_figure.png, a figure for people")
	f.BoolVar(&o.dumpCSV, "dump-csv", false, "also write NAME.csv, the spectrogram matrix")
	f.StringVar(&o.label, "label", "", "build a labelled archive: rhythm, beats or aami")
	cmdutil.CompleteValues(cmd, "label", "rhythm", "beats", "aami")
	f.Float64Var(&o.minFraction, "min-fraction", 0.8, "with --label rhythm: share of the stride the rhythm must cover")
	f.StringVar(&o.beatWindow, "beat-window", "0.25s,0.45s", "with --label aami: time before,after each beat")
	o.labels.Declare(cmd)
	f.StringVar(&o.annotator, "annotator", "atr", "reference annotator for labels and beat counts")
	f.BoolVar(&o.force, "force", false, "rewrite outputs that exist and remove those of an earlier run that this run no longer makes")
	cmdutil.JobsFlag(cmd, &o.jobs, "windows rendered")
	f.StringVar(&o.shard, "shard", "", "process shard `K/N`: every N-th record from K (0-based)")
	cmdutil.FormatFlag(cmd, &o.format, "summary format on stdout", "text", "text", "json")
	f.StringVar(&o.write, "write", "png", "what to write per window: png, wfdb (a one-signal record NAME.hea+NAME.dat, format 16, 1 µV steps) or both")
	cmdutil.CompleteValues(cmd, "write", "png", "wfdb", "both")
	f.StringVar(&o.window, "window", "hann", "STFT window: hann, hamming, blackman, boxcar, tukey(alpha)")
	cmdutil.CompleteValues(cmd, "window", "hann", "hamming", "blackman", "boxcar", "tukey(0.25)")
	f.IntVar(&o.nperseg, "nperseg", 0, "STFT segment length in samples (default about 0.7 s, a power of two; 0.18 s for aami)")
	f.IntVar(&o.noverlap, "noverlap", -1, "STFT overlap in samples (default nperseg/2; 7/8 for aami)")
	f.IntVar(&o.nfft, "nfft", 0, "FFT length (default nperseg; 4x for aami)")
	f.StringVar(&o.detrend, "detrend", "constant", "segment detrend: none, constant or linear")
	cmdutil.CompleteValues(cmd, "detrend", "none", "constant", "linear")
	f.StringVar(&o.scaling, "scaling", "density", "density (mV²/Hz) or spectrum (mV²)")
	cmdutil.CompleteValues(cmd, "scaling", "density", "spectrum")
	f.StringVar(&o.mode, "mode", "psd", "psd or magnitude")
	cmdutil.CompleteValues(cmd, "mode", "psd", "magnitude")
	f.Float64Var(&o.fmin, "fmin", 0.5, "lowest frequency kept (Hz)")
	f.Float64Var(&o.fmax, "fmax", 40, "highest frequency kept (Hz)")
	f.StringVar(&o.size, "size", "224", "raw image size: N or WxH pixels")
	f.StringVar(&o.colormap, "colormap", "gray", "raw image colours: gray or viridis")
	cmdutil.CompleteValues(cmd, "colormap", "gray", "viridis")
	f.StringVar(&o.dbRange, "db-range", "-80,-10", "dB range of the raw images (re 1 unit²/Hz)")
	o.DeviceFlags.AddFlags(cmd)
	return cmd
}

func runSpectro(cmd *cobra.Command, a *app, o *spectroOptions, args []string) error {
	if o.out == "" {
		return cmdutil.Usagef("--out DIR is required")
	}
	opt, err := o.archiveOptions()
	if err != nil {
		return err
	}
	r, err := o.renderer(opt.Label == datasets.LabelAAMI)
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}
	if err := o.outputs(&opt, r); err != nil {
		return err
	}
	if err := o.DeviceFlags.Check(); err != nil {
		return err
	}
	records, fromFiles, err := o.records(&opt, args)
	if err != nil {
		return err
	}
	if fromFiles {
		opt.Open = o.DeviceFlags.Options.Opener()
	}
	if len(records) == 0 {
		return fmt.Errorf("no records in %s", strings.Join(args, " "))
	}
	bar := a.newProgress(int64(len(datasets.ShardRecords(records, opt.Shard, opt.Shards))), "spectro")
	opt.Progress = func(recs, windows int) {
		if recs > 0 {
			bar.Add(recs)
		}
	}
	res, err := datasets.Archive(cmd.Context(), records, opt)
	bar.Done()
	var pe *datasets.ParamsError
	if errors.As(err, &pe) {
		return cmdutil.Usagef("%s was made with other parameters (see %s); use --force to redo it with these, or another --out", pe.Dir, pe.Path)
	}
	if err != nil {
		return err
	}
	for _, e := range res.Failed {
		fmt.Fprintf(a.io.ErrOut, "ecg spectro: %v\n", e)
	}
	total := res.Records + len(res.Failed)
	if res.Records == 0 && len(res.Failed) > 0 {
		return cmdutil.BatchError(len(res.Failed), total, "records", "failed")
	}
	if res.Records == 0 && res.SkippedRecords > 0 {
		return fmt.Errorf("no record has the signals %s", strings.Join(o.signals, ","))
	}
	if res.Windows == 0 && res.SkippedShort > 0 {
		return cmdutil.Usagef("every window is shorter than the STFT segment (--nperseg %d at 360 Hz); use a longer --stride or a shorter --nperseg", r.Params(360).NPerSeg)
	}
	if err := res.WriteSummary(a.io.Out, o.format, opt); err != nil {
		return err
	}
	return cmdutil.BatchError(len(res.Failed), total, "records", "failed")
}
