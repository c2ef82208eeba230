package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/spectro"
	"github.com/ecgkit/ecg/spectro/figure"
)

// The flags of ecg spectro turned into the library's options: the
// archive's, the stride renderer's and the outputs per window.

// archiveOptions checks the archive's flags.
func (o *spectroOptions) archiveOptions() (datasets.ArchiveOptions, error) {
	opt := datasets.ArchiveOptions{Out: o.out, KeepPartial: o.keepPartial, Signals: o.signals,
		MinFraction: o.minFraction, Annotator: o.annotator, Force: o.force, Jobs: o.jobs, WholeRecord: o.stride == "record"}
	var err error
	if opt.Stride, err = cmdutil.ParseSeconds(o.stride); !opt.WholeRecord && (err != nil || !(opt.Stride > 0)) {
		return opt, cmdutil.Usagef("--stride %s: want a positive duration", o.stride)
	}
	if opt.Hop, err = cmdutil.ParseSeconds(o.hop); err != nil || !(opt.Hop > 0) {
		return opt, cmdutil.Usagef("--hop %s: want a positive duration", o.hop)
	}
	if !o.changed("hop") {
		opt.Hop = opt.Stride
	}
	switch datasets.LabelMode(o.label) {
	case datasets.LabelNone, datasets.LabelRhythm, datasets.LabelBeats, datasets.LabelAAMI:
		opt.Label = datasets.LabelMode(o.label)
	default:
		return opt, cmdutil.Usagef("--label %q: want rhythm, beats or aami", o.label)
	}
	if opt.WholeRecord && opt.Label == datasets.LabelAAMI {
		return opt, cmdutil.Usagef("--stride record makes a window of each whole record; --label aami makes a window of each beat: give one of them")
	}
	if opt.Fill = datasets.FillMode(o.fill); opt.Fill != datasets.FillNone && opt.Fill != datasets.FillRepeat {
		return opt, cmdutil.Usagef("--fill %q: want none or repeat", o.fill)
	} else if opt.Fill == datasets.FillRepeat && (opt.WholeRecord || opt.Label == datasets.LabelAAMI) {
		return opt, cmdutil.Usagef("--fill repeat fills strides to --stride: not with --stride record or --label aami")
	}
	if !(o.minFraction > 0 && o.minFraction <= 1) {
		return opt, cmdutil.Usagef("--min-fraction %g: want a fraction in (0, 1]", o.minFraction)
	}
	before, after, ok := strings.Cut(o.beatWindow, ",")
	if opt.BeatBefore, err = cmdutil.ParseSeconds(strings.TrimSpace(before)); err == nil {
		opt.BeatAfter, err = cmdutil.ParseSeconds(strings.TrimSpace(after))
	}
	if !ok || strings.Contains(after, ",") || err != nil || opt.BeatBefore < 0 || opt.BeatAfter < 0 || opt.BeatBefore+opt.BeatAfter <= 0 {
		return opt, cmdutil.Usagef("--beat-window %q: want BEFORE,AFTER such as 0.25s,0.45s", o.beatWindow)
	}
	if o.shard != "" {
		opt.Shard, opt.Shards, err = cmdutil.ParseShard(o.shard)
	}
	return opt, err
}

// records lists the inputs, or the records of the --labels CSV in DIR.
func (o *spectroOptions) records(opt *datasets.ArchiveOptions, args []string) (recs []string, fromFiles bool, err error) {
	if o.labels.Source.CSV == "" {
		return datasets.ExpandInputs(args)
	} else if len(args) != 1 || o.label != "" {
		return nil, false, cmdutil.Usagef("--labels CSV takes one records directory and no --label")
	}
	opt.Label = datasets.LabelRecord
	recs, opt.RecordLabels, opt.LabelsFrom, err = datasets.RecordLabelsCSV(args[0], o.labels.Source)
	return recs, false, err
}

// renderer builds the stride renderer from the STFT and image flags.
func (o *spectroOptions) renderer(beat bool) (*spectro.StrideRenderer, error) {
	so := spectro.StrideOptions{Beat: beat}
	img := &so.Image
	var err error
	if img.Colormap, err = spectro.ParseColormap(o.colormap); err != nil {
		return nil, fmt.Errorf("--colormap: %w", err)
	}
	w, h, ok := strings.Cut(strings.ToLower(o.size), "x")
	if !ok {
		h = w
	}
	if img.Width, err = strconv.Atoi(w); err == nil {
		img.Height, err = strconv.Atoi(h)
	}
	if err != nil || img.Width < 1 || img.Height < 1 || img.Width > 8192 || img.Height > 8192 {
		return nil, fmt.Errorf("--size %q: want N or WxH from 1 to 8192", o.size)
	}
	lo, hi, ok := strings.Cut(o.dbRange, ",")
	if img.DBMin, err = strconv.ParseFloat(strings.TrimSpace(lo), 64); err == nil && ok {
		img.DBMax, err = strconv.ParseFloat(strings.TrimSpace(hi), 64)
	}
	if err != nil || !ok || !(img.DBMax > img.DBMin) {
		return nil, fmt.Errorf("--db-range %q: want MIN,MAX dB with MIN < MAX", o.dbRange)
	}
	changed := func(name string) bool { return o.changed != nil && o.changed(name) }
	so.Set = spectro.Overrides{Window: setFlag(changed("window"), &o.window),
		NPerSeg: setFlag(changed("nperseg"), &o.nperseg), NOverlap: setFlag(changed("noverlap"), &o.noverlap),
		NFFT: setFlag(changed("nfft"), &o.nfft), Detrend: setFlag(changed("detrend"), (*spectro.Detrend)(&o.detrend)),
		Scaling: setFlag(changed("scaling"), (*spectro.Scaling)(&o.scaling)), Mode: setFlag(changed("mode"), (*spectro.Mode)(&o.mode)),
		FMin: setFlag(changed("fmin"), &o.fmin), FMax: setFlag(changed("fmax"), &o.fmax)}
	return spectro.NewStrideRenderer(so)
}

// setFlag returns v if its flag was set, else nil.
func setFlag[T any](set bool, v *T) *T {
	if set {
		return v
	}
	return nil
}

// outputs sets the files written per window from --write, --figure and
// --dump-csv.
func (o *spectroOptions) outputs(opt *datasets.ArchiveOptions, r *spectro.StrideRenderer) error {
	switch o.write {
	case "png":
		opt.Outputs = []datasets.Output{r.PNG()}
	case "wfdb":
		opt.Outputs = datasets.WFDBOutputs()
	case "both":
		opt.Outputs = append([]datasets.Output{r.PNG()}, datasets.WFDBOutputs()...)
	default:
		return cmdutil.Usagef("--write %q: want png, wfdb or both", o.write)
	}
	if o.figure {
		opt.Outputs = append(opt.Outputs, figure.Output(r))
	}
	if o.dumpCSV {
		opt.Outputs = append(opt.Outputs, r.CSV())
	}
	opt.MinSamples = r.MinSamples
	opt.OutputParams = r.Parameters()
	// --force over an archive made with other parameters removes the
	// windows it no longer makes, whatever outputs they had.
	opt.PruneSuffixes = []string{".png", ".hea", ".dat", figure.Suffix, ".csv"}
	return nil
}
