package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/atomicfile"
	"github.com/ecgkit/ecg/spectro"
	"github.com/ecgkit/ecg/spectro/figure"
	"github.com/spf13/cobra"
)

func init() { register(newSpectroCmd) }

type spectroOptions struct {
	fileInput   // CSV and EDF files as records
	out         string
	stride, hop string
	keepPartial bool
	signals     []string
	figure      bool
	dumpCSV     bool
	label       string
	minFraction float64
	beatWindow  string
	annotator   string
	force       bool
	jobs        int
	shard       string
	format      string
	write       string
	// STFT and image
	window                  string
	nperseg, noverlap, nfft int
	detrend, scaling, mode  string
	fmin, fmax              float64
	size                    string
	colormap                string
	dbRange                 string
	changed                 func(string) bool
}

func newSpectroCmd(a *app) *cobra.Command {
	o := &spectroOptions{}
	cmd := &cobra.Command{
		Use:   "spectro RECORD...|DB_DIR --out DIR",
		Short: "Spectrogram images of ECG strides, and labelled pathology archives",
		Long: `Cut records into strides (--stride 60s every --hop 60s; a last partial
stride is dropped unless --keep-partial) and write one raw spectrogram PNG per
stride and signal into --out, named so that they sort and say where they come
from: 100_0030m00s_MLII.png (record, start in the record, signal). A database
folder (RECORDS file, else every *.hea) stands for all its records. A CSV,
TSV, TXT or EDF/EDF+ file (a device export; a folder of them when it holds
no WFDB record) is read as ecg ingest --out converts it (--fs, --delimiter,
--header, --time-column, --units); it has no reference annotations, so no
--label.

Raw images are for models: the 0.5-40 Hz band of the power spectral density
(scipy.signal.spectrogram's numbers: Hann window of about 0.7 s, half
overlap, constant detrend, density scaling), on a fixed scale of -80 to -10
dB re 1 mV²/Hz (--db-range) so that strides compare, resampled to 224x224
(--size), grayscale or viridis (--colormap). --figure also writes
NAME_figure.png for people (trace with detected beats, axes, colour bar);
--dump-csv writes NAME.csv, the linear matrix (first row: segment times in
s from the stride start; first column: frequencies in Hz).

With --label the images go into one folder per label (the pathology archive)
with the reference annotations (--annotator atr):
  rhythm  strides labelled by the rhythm (AUX notes (N, (AFIB, (AFL, (B, (T,
          (VT, (SVTA...) covering at least --min-fraction of the stride;
          other strides are skipped and counted
  beats   strides labelled by their worst AAMI beat class (V > F > S > Q > N)
  aami    one window per reference beat (--beat-window 0.25s,0.45s before
          and after it), labelled N, S, V, F or Q (AAMI EC57), named by the
          beat's time (208_0012m03.250s_MLII.png); beat windows use a
          shorter STFT (64 samples at 360 Hz, zero-padded FFT)
Folder names are sanitised ((AFIB becomes AFIB). manifest.csv lists every
image: record, signal, start and end sample, label, label fraction, beat
counts per AAMI class and, for aami, the beat's previous and next RR,
local and record-average RR in seconds.

Outputs are written atomically; existing ones are kept (a second run
resumes) unless --force, which also removes the files of the earlier
run's windows (listed in its manifest) that this run no longer makes, for
the records it processed. Records run in parallel (--jobs); --shard K/N
takes every N-th record from K (0-based) and names the manifest
manifest-K-of-N.csv, so that shards of a batch job share one archive and
their manifests concatenate. Ctrl-C stops without leaving partial files.`,
		Example: `  ecg spectro data/mitdb/100 --out strides
  ecg spectro data/mitdb/100 data/mitdb/201 --out strides --signals MLII --figure
  ecg spectro data/mitdb/100 --out check --dump-csv --stride 10s --hop 5s
  ecg spectro data/mitdb --out archive --label rhythm
  ecg spectro data/mitdb --out beats --label aami --signals MLII --colormap viridis
  ecg spectro data/mitdb --out archive --label rhythm --shard 0/4`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.changed = cmd.Flags().Changed
			return runSpectro(cmd, a, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.out, "out", "", "output `DIR` (required)")
	f.StringVar(&o.stride, "stride", "60s", "stride length (seconds or a duration)")
	f.StringVar(&o.hop, "hop", "60s", "step between stride starts (default: the stride)")
	f.BoolVar(&o.keepPartial, "keep-partial", false, "keep a last stride shorter than --stride")
	f.StringSliceVar(&o.signals, "signals", nil, "signals to use by name or index (MLII,V1 or 0); default all")
	f.BoolVar(&o.figure, "figure", false, "also write NAME_figure.png, a figure for people")
	f.BoolVar(&o.dumpCSV, "dump-csv", false, "also write NAME.csv, the spectrogram matrix")
	f.StringVar(&o.label, "label", "", "build a labelled archive: rhythm, beats or aami")
	f.Float64Var(&o.minFraction, "min-fraction", 0.8, "with --label rhythm: share of the stride the rhythm must cover")
	f.StringVar(&o.beatWindow, "beat-window", "0.25s,0.45s", "with --label aami: time before,after each beat")
	f.StringVar(&o.annotator, "annotator", "atr", "reference annotator for labels and beat counts")
	f.BoolVar(&o.force, "force", false, "rewrite outputs that exist and remove those of an earlier run that this run no longer makes")
	f.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "records processed in parallel")
	f.StringVar(&o.shard, "shard", "", "process shard `K/N`: every N-th record from K (0-based)")
	f.StringVar(&o.format, "format", "text", "summary format on stdout: text or json")
	f.StringVar(&o.write, "write", "png", "what to write per window: png, wfdb (a one-signal record NAME.hea+NAME.dat, format 16, 1 µV steps) or both")
	f.StringVar(&o.window, "window", "hann", "STFT window: hann, hamming, blackman, boxcar, tukey(alpha)")
	f.IntVar(&o.nperseg, "nperseg", 0, "STFT segment length in samples (default about 0.7 s, a power of two; 0.18 s for aami)")
	f.IntVar(&o.noverlap, "noverlap", -1, "STFT overlap in samples (default nperseg/2; 7/8 for aami)")
	f.IntVar(&o.nfft, "nfft", 0, "FFT length (default nperseg; 4x for aami)")
	f.StringVar(&o.detrend, "detrend", "constant", "segment detrend: none, constant or linear")
	f.StringVar(&o.scaling, "scaling", "density", "density (mV²/Hz) or spectrum (mV²)")
	f.StringVar(&o.mode, "mode", "psd", "psd or magnitude")
	f.Float64Var(&o.fmin, "fmin", 0.5, "lowest frequency kept (Hz)")
	f.Float64Var(&o.fmax, "fmax", 40, "highest frequency kept (Hz)")
	f.StringVar(&o.size, "size", "224", "raw image size: N or WxH pixels")
	f.StringVar(&o.colormap, "colormap", "gray", "raw image colours: gray or viridis")
	f.StringVar(&o.dbRange, "db-range", "-80,-10", "dB range of the raw images (re 1 unit²/Hz)")
	o.fileInput.addFlags(cmd)
	return cmd
}

func runSpectro(cmd *cobra.Command, a *app, o *spectroOptions, args []string) error {
	if o.out == "" {
		return usagef("--out DIR is required")
	}
	if o.format != "text" && o.format != "json" {
		return usagef("--format %q: want text or json", o.format)
	}
	if o.jobs < 1 {
		return usagef("--jobs %d: want at least 1", o.jobs)
	}
	opt := datasets.ArchiveOptions{Out: o.out, KeepPartial: o.keepPartial, Signals: o.signals,
		MinFraction: o.minFraction, Annotator: o.annotator, Force: o.force, Jobs: o.jobs}
	var err error
	if opt.Stride, err = parseSeconds(o.stride); err != nil || !(opt.Stride > 0) {
		return usagef("--stride %s: want a positive duration", o.stride)
	}
	if opt.Hop, err = parseSeconds(o.hop); err != nil || !(opt.Hop > 0) {
		return usagef("--hop %s: want a positive duration", o.hop)
	}
	if !o.changed("hop") {
		opt.Hop = opt.Stride
	}
	switch datasets.LabelMode(o.label) {
	case datasets.LabelNone, datasets.LabelRhythm, datasets.LabelBeats, datasets.LabelAAMI:
		opt.Label = datasets.LabelMode(o.label)
	default:
		return usagef("--label %q: want rhythm, beats or aami", o.label)
	}
	if !(o.minFraction > 0 && o.minFraction <= 1) {
		return usagef("--min-fraction %g: want a fraction in (0, 1]", o.minFraction)
	}
	bw := strings.Split(o.beatWindow, ",")
	if len(bw) != 2 {
		return usagef("--beat-window %q: want BEFORE,AFTER such as 0.25s,0.45s", o.beatWindow)
	}
	if opt.BeatBefore, err = parseSeconds(strings.TrimSpace(bw[0])); err == nil {
		opt.BeatAfter, err = parseSeconds(strings.TrimSpace(bw[1]))
	}
	if err != nil || opt.BeatBefore < 0 || opt.BeatAfter < 0 || opt.BeatBefore+opt.BeatAfter <= 0 {
		return usagef("--beat-window %q: want BEFORE,AFTER such as 0.25s,0.45s", o.beatWindow)
	}
	if o.shard != "" {
		k, n, ok := strings.Cut(o.shard, "/")
		ki, err1 := strconv.Atoi(k)
		ni, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || ni < 1 || ki < 0 || ki >= ni {
			return usagef("--shard %q: want K/N with 0 <= K < N", o.shard)
		}
		opt.Shard, opt.Shards = ki, ni
	}
	r, err := newStrideRenderer(o, opt.Label == datasets.LabelAAMI)
	if err != nil {
		return usagef("%v", err)
	}
	pngOut := datasets.Output{Suffix: ".png", Write: r.raw}
	wfdbOut := []datasets.Output{{Suffix: ".hea", Write: writeWindowHeader}, {Suffix: ".dat", Write: writeWindowDat}}
	switch o.write {
	case "png":
		opt.Outputs = []datasets.Output{pngOut}
	case "wfdb":
		opt.Outputs = wfdbOut
	case "both":
		opt.Outputs = append([]datasets.Output{pngOut}, wfdbOut...)
	default:
		return usagef("--write %q: want png, wfdb or both", o.write)
	}
	opt.MinSamples = func(fs float64) int64 { return int64(r.params(fs).NPerSeg) }
	if o.figure {
		opt.Outputs = append(opt.Outputs, datasets.Output{Suffix: "_figure.png", Write: r.figure})
	}
	if o.dumpCSV {
		opt.Outputs = append(opt.Outputs, datasets.Output{Suffix: ".csv", Write: r.csv})
	}
	// --force over an archive made with other parameters removes the
	// windows it no longer makes, whatever outputs they had.
	opt.PruneSuffixes = []string{".png", ".hea", ".dat", "_figure.png", ".csv"}

	if err := o.fileInput.check(); err != nil {
		return err
	}
	records, fromFiles, err := expandInputs(args)
	if err != nil {
		return err
	}
	if fromFiles {
		opt.Open = o.fileInput.opener()
	}
	if len(records) == 0 {
		return fmt.Errorf("no records in %s", strings.Join(args, " "))
	}
	writeParams, err := checkArchiveParams(o, opt, r)
	if err != nil {
		return err
	}
	bar := a.newProgress(int64(len(datasets.ShardRecords(records, opt.Shard, opt.Shards))), "spectro")
	var mu sync.Mutex
	opt.Progress = func(recs, windows int) {
		if recs > 0 {
			mu.Lock()
			bar.Add(recs)
			mu.Unlock()
		}
	}
	res, err := datasets.Archive(cmd.Context(), records, opt)
	bar.Done()
	if err != nil {
		return err
	}
	for _, e := range res.Failed {
		fmt.Fprintf(a.io.ErrOut, "ecg spectro: %v\n", e)
	}
	total := res.Records + len(res.Failed)
	if res.Records == 0 && len(res.Failed) > 0 {
		return batchError(len(res.Failed), total, "records", "failed")
	}
	if res.Records == 0 && res.SkippedRecords > 0 {
		return fmt.Errorf("no record has the signals %s", strings.Join(o.signals, ","))
	}
	if res.Windows == 0 && res.SkippedShort > 0 {
		return usagef("every window is shorter than the STFT segment (--nperseg %d at 360 Hz); use a longer --stride or a shorter --nperseg", r.params(360).NPerSeg)
	}
	if err := writeParams(); err != nil {
		return err
	}
	if err := writeSpectroSummary(a.io.Out, o.format, res, opt); err != nil {
		return err
	}
	return batchError(len(res.Failed), total, "records", "failed")
}

// archiveParamsName is the file in an archive that records the parameters
// it was made with, so that a resumed run does not mix images made with
// other ones.
const archiveParamsName = "spectro-params.json"

// checkArchiveParams refuses to resume an archive made with other
// parameters unless --force; it returns the function that records the
// parameters in the archive once a run has written something.
func checkArchiveParams(o *spectroOptions, opt datasets.ArchiveOptions, r *strideRenderer) (func() error, error) {
	suffixes := make([]string, len(opt.Outputs))
	for i, out := range opt.Outputs {
		suffixes[i] = out.Suffix
	}
	p := r.params(360)
	params := map[string]any{
		"label": string(opt.Label), "stride_s": opt.Stride, "hop_s": opt.Hop, "keep_partial": opt.KeepPartial,
		"min_fraction": opt.MinFraction, "beat_window_s": []float64{opt.BeatBefore, opt.BeatAfter},
		"annotator": opt.Annotator, "outputs": suffixes,
		"stft_at_360hz": map[string]any{"window": p.Window, "nperseg": p.NPerSeg, "noverlap": p.NOverlap, "nfft": p.NFFT,
			"detrend": p.Detrend, "scaling": p.Scaling, "mode": p.Mode, "fmin": p.FMin, "fmax": p.FMax},
		"image": map[string]any{"width": r.img.Width, "height": r.img.Height, "colormap": r.img.Colormap.String(),
			"db_min": r.img.DBMin, "db_max": r.img.DBMax},
	}
	want, err := json.MarshalIndent(params, "", "  ")
	if err != nil {
		return nil, err
	}
	want = append(want, '\n')
	path := filepath.Join(o.out, archiveParamsName)
	have, err := os.ReadFile(path)
	if err == nil && bytes.Equal(have, want) {
		return func() error { return nil }, nil
	}
	if err == nil && !o.force {
		return nil, usagef("%s was made with other parameters (see %s); use --force to redo it with these, or another --out", o.out, path)
	}
	return func() error {
		return atomicfile.WriteFile(path, func(w io.Writer) error {
			_, err := w.Write(want)
			return err
		})
	}, nil
}

// writeWindowHeader writes the header of a one-signal WFDB record holding
// the window: format 16, 1000 adu/mV (1 µV steps), baseline 0.
func writeWindowHeader(w io.Writer, win *datasets.Window) error {
	d := windowDigital(win.X)
	units := win.Units
	if units == "" {
		units = "mV"
	}
	h := &wfdb.Header{Name: win.Name, Fs: win.Fs, NSamples: int64(len(d)), Signals: []wfdb.SignalSpec{{
		FileName: win.Name + ".dat", Format: 16, SamplesPerFrame: 1, Gain: windowGain, Units: units,
		ADCResolution: 16, InitialValue: d[0], Checksum: wfdb.Checksum(d, 16), HasChecksum: true,
		Description: win.Signal,
	}}}
	if len(d) == 0 {
		h.Signals[0].InitialValue = 0
	}
	return wfdb.WriteHeader(w, h)
}

// writeWindowDat writes the window's samples in format 16.
func writeWindowDat(w io.Writer, win *datasets.Window) error {
	d := windowDigital(win.X)
	b := make([]byte, 2*len(d))
	for i, v := range d {
		if v == wfdb.InvalidSample {
			v = -32768 // format 16's invalid-sample value
		}
		binary.LittleEndian.PutUint16(b[2*i:], uint16(int16(v)))
	}
	_, err := w.Write(b)
	return err
}

// windowGain is the gain of window records: 1000 adu per mV.
const windowGain = 1000

// windowDigital converts mV to 1 µV steps, clamped to format 16's range;
// NaN becomes WFDB's invalid sample.
func windowDigital(x []float64) []int32 {
	d := make([]int32, len(x))
	for i, v := range x {
		switch {
		case math.IsNaN(v):
			d[i] = wfdb.InvalidSample
		default:
			d[i] = int32(math.Max(-32767, math.Min(32767, math.Round(v*windowGain))))
		}
	}
	return d
}

func writeSpectroSummary(w io.Writer, format string, res *datasets.ArchiveResult, opt datasets.ArchiveOptions) error {
	if format == "json" {
		errs := make([]string, len(res.Failed))
		for i, e := range res.Failed {
			errs[i] = e.Error()
		}
		return json.NewEncoder(w).Encode(map[string]any{
			"records": res.Records, "images": res.Windows, "written": res.Written, "existing": res.Existing,
			"skipped_fraction": res.SkippedFraction, "skipped_no_label": res.SkippedNoLabel,
			"skipped_edge": res.SkippedEdge, "skipped_records": res.SkippedRecords,
			"skipped_short": res.SkippedShort, "short_records": res.ShortRecords,
			"labels": res.Labels, "manifest": res.Manifest, "failed": errs, "removed": res.Removed,
		})
	}
	fmt.Fprintf(w, "%d records, %d images (%d files written, %d kept) in %s\n", res.Records, res.Windows, res.Written, res.Existing, opt.Out)
	if opt.Label != datasets.LabelNone {
		labels := make([]string, 0, len(res.Labels))
		for l := range res.Labels {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		for _, l := range labels {
			fmt.Fprintf(w, "  %-8s %d\n", l, res.Labels[l])
		}
	}
	if res.Removed > 0 {
		fmt.Fprintf(w, "removed %d files of the earlier archive that this run no longer makes\n", res.Removed)
	}
	if res.SkippedFraction > 0 {
		fmt.Fprintf(w, "skipped %d strides whose rhythm covers less than %g of the stride\n", res.SkippedFraction, opt.MinFraction)
	}
	if res.SkippedNoLabel > 0 {
		fmt.Fprintf(w, "skipped %d windows without a label\n", res.SkippedNoLabel)
	}
	if res.SkippedEdge > 0 {
		fmt.Fprintf(w, "skipped %d beats whose window runs past the record\n", res.SkippedEdge)
	}
	if res.SkippedShort > 0 {
		fmt.Fprintf(w, "skipped %d windows shorter than the STFT segment\n", res.SkippedShort)
	}
	if res.ShortRecords > 0 {
		fmt.Fprintf(w, "%d records are shorter than one stride (not read)\n", res.ShortRecords)
	}
	if res.SkippedRecords > 0 {
		fmt.Fprintf(w, "skipped %d records without the signals %s\n", res.SkippedRecords, strings.Join(opt.Signals, ","))
	}
	if res.Manifest != "" {
		fmt.Fprintf(w, "manifest %s\n", res.Manifest)
	}
	return nil
}

// strideRenderer renders windows; its methods are safe for concurrent use
// (each call takes a worker with its own plans and buffers from a pool).
type strideRenderer struct {
	o       *spectroOptions
	beat    bool
	img     spectro.ImageOptions
	enc     spectro.PNGEncoder
	workers sync.Pool
}

type renderWorker struct {
	plans map[float64]*spectro.Plan
	spec  spectro.Spectrogram
	r     spectro.Renderer
}

func newStrideRenderer(o *spectroOptions, beat bool) (*strideRenderer, error) {
	r := &strideRenderer{o: o, beat: beat}
	cm, err := spectro.ParseColormap(o.colormap)
	if err != nil {
		return nil, fmt.Errorf("--colormap: %w", err)
	}
	r.img.Colormap = cm
	w, h, ok := strings.Cut(strings.ToLower(o.size), "x")
	if !ok {
		h = w
	}
	if r.img.Width, err = strconv.Atoi(w); err == nil {
		r.img.Height, err = strconv.Atoi(h)
	}
	if err != nil || r.img.Width < 1 || r.img.Height < 1 || r.img.Width > 8192 || r.img.Height > 8192 {
		return nil, fmt.Errorf("--size %q: want N or WxH from 1 to 8192", o.size)
	}
	lo, hi, ok := strings.Cut(o.dbRange, ",")
	if r.img.DBMin, err = strconv.ParseFloat(strings.TrimSpace(lo), 64); err == nil && ok {
		r.img.DBMax, err = strconv.ParseFloat(strings.TrimSpace(hi), 64)
	}
	if err != nil || !ok || !(r.img.DBMax > r.img.DBMin) {
		return nil, fmt.Errorf("--db-range %q: want MIN,MAX dB with MIN < MAX", o.dbRange)
	}
	// Check the STFT flags once, at a typical rate.
	if _, err := spectro.NewPlan(360, r.params(360)); err != nil {
		return nil, err
	}
	return r, nil
}

// params returns the STFT parameters at fs: the defaults for strides or
// beat windows, with the flags the user set.
func (r *strideRenderer) params(fs float64) spectro.Params {
	p := spectro.DefaultParams(fs)
	if r.beat {
		p = spectro.BeatParams(fs)
	}
	o := r.o
	set := func(name string) bool { return o.changed != nil && o.changed(name) }
	if set("window") {
		p.Window = o.window
	}
	if set("nperseg") {
		p.NPerSeg = o.nperseg
		if !set("noverlap") {
			p.NOverlap = o.nperseg / 2
		}
		if !set("nfft") {
			p.NFFT = o.nperseg
		}
	}
	if set("noverlap") {
		p.NOverlap = o.noverlap
	}
	if set("nfft") {
		p.NFFT = o.nfft
	}
	if set("detrend") {
		p.Detrend = spectro.Detrend(o.detrend)
	}
	if set("scaling") {
		p.Scaling = spectro.Scaling(o.scaling)
	}
	if set("mode") {
		p.Mode = spectro.Mode(o.mode)
	}
	if set("fmin") {
		p.FMin = o.fmin
	}
	if set("fmax") {
		p.FMax = o.fmax
	}
	return p
}

// compute returns a worker holding the spectrogram of win (put it back
// with r.workers.Put when done).
func (r *strideRenderer) compute(win *datasets.Window) (*renderWorker, error) {
	w, _ := r.workers.Get().(*renderWorker)
	if w == nil {
		w = &renderWorker{plans: map[float64]*spectro.Plan{}}
	}
	pl := w.plans[win.Fs]
	if pl == nil {
		var err error
		if pl, err = spectro.NewPlan(win.Fs, r.params(win.Fs)); err != nil {
			r.workers.Put(w)
			return nil, err
		}
		w.plans[win.Fs] = pl
	}
	if err := pl.ComputeInto(&w.spec, win.X); err != nil {
		r.workers.Put(w)
		return nil, err
	}
	return w, nil
}

func (r *strideRenderer) raw(out io.Writer, win *datasets.Window) error {
	w, err := r.compute(win)
	if err != nil {
		return err
	}
	defer r.workers.Put(w)
	return r.enc.Encode(out, w.r.Render(&w.spec, r.img))
}

func (r *strideRenderer) csv(out io.Writer, win *datasets.Window) error {
	w, err := r.compute(win)
	if err != nil {
		return err
	}
	defer r.workers.Put(w)
	s := &w.spec
	var b []byte
	b = append(b, "freq_hz\\time_s"...)
	for _, t := range s.Times {
		b = append(b, ',')
		b = strconv.AppendFloat(b, t, 'g', -1, 64)
	}
	b = append(b, '\n')
	for i, f := range s.Freqs {
		b = strconv.AppendFloat(b, f, 'g', -1, 64)
		for _, v := range s.Power[i] {
			b = append(b, ',')
			b = strconv.AppendFloat(b, v, 'g', -1, 64)
		}
		b = append(b, '\n')
	}
	_, err = out.Write(b)
	return err
}

func (r *strideRenderer) figure(out io.Writer, win *datasets.Window) error {
	w, err := r.compute(win)
	if err != nil {
		return err
	}
	defer r.workers.Put(w)
	// Detect beats with the lead-in the archive read before the window, so
	// that the detector has learnt the signal by the window's start.
	off := win.Span.Start - win.ContextStart
	ctxEnd := off + win.Span.Len()
	var marks []int64
	for _, b := range beats.Detect(win.Context[:ctxEnd], win.Fs) {
		if s := b.Sample - off; s >= 0 && s < win.Span.Len() {
			marks = append(marks, s)
		}
	}
	start := float64(win.Span.Start) / win.Fs
	end := float64(win.Span.End) / win.Fs
	title := fmt.Sprintf("Record %s, %s, %s-%s", win.Record, win.Signal, figure.Clock(start), figure.Clock(end))
	if win.Row != nil && win.Row.Label != "" && win.Row.Label != "none" {
		title += ", label " + win.Row.Label
	}
	cm := r.img.Colormap
	if cm == spectro.Gray {
		cm = spectro.Viridis // figures for people are in colour
	}
	return figure.Draw(out, &w.spec, figure.Options{Title: title, Signal: win.X, SignalName: win.Signal,
		SignalUnits: win.Units, Start: start, Beats: marks, Colormap: cm,
		DBMin: r.img.DBMin, DBMax: r.img.DBMax})
}
