package datasets

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/atomicfile"
)

// Output is one file written per window and signal: its name is the
// window's base name plus Suffix ("100_0030m00s_MLII" + ".png"). Write
// must be safe for concurrent use (the archive calls it from several
// goroutines); it writes the file's bytes to w.
type Output struct {
	Suffix string
	Write  func(w io.Writer, win *Window) error
}

// Window is one window of one signal, handed to Output.Write.
type Window struct {
	// Record is the record name, RecordPath its path without extension.
	Record, RecordPath string
	// Name is the file name stem of the window's outputs
	// ("100_0030m00s_MLII"), unique in the archive.
	Name string
	// Signal is the signal's description ("MLII"), SignalIndex its index
	// in the header, Units its physical units ("mV").
	Signal      string
	SignalIndex int
	Units       string
	// Fs is the sampling frequency in Hz.
	Fs float64
	// Span is the window in samples of the record: the samples actually
	// used, also for a filled window.
	Span Span
	// X holds the physical samples of the window (NaN where invalid). It is
	// only valid during the call. With ArchiveOptions.Fill FillRepeat, a
	// window shorter than the stride holds its Span's samples repeated end
	// to end to the stride's length: len(X) > Span.Len() tells it.
	X []float64
	// Context holds the samples read around the window (X is a sub-slice of
	// it) starting at sample ContextStart of the record, for renderers that
	// need a lead-in (beat detectors). Only valid during the call. For a
	// filled window it is up to 5 s of lead-in followed by the filled X
	// (and nothing after it).
	Context      []float64
	ContextStart int64
	// Beats are the reference beats within Span (record samples), each
	// once, also in a filled window; nil when the record has no
	// annotations.
	Beats []RefBeat
	// Row is the window's manifest row.
	Row *ManifestRow
}

// DefaultStride is the length in seconds of an archive's strides when
// ArchiveOptions.Stride is 0 (ecg spectro's --stride default).
const DefaultStride = 60

// ArchiveOptions control Archive. Zero values mean the defaults noted.
type ArchiveOptions struct {
	// Out is the output directory.
	Out string
	// Label selects the labelling; LabelNone writes unlabelled strides
	// straight into Out, the others into one folder per label.
	Label LabelMode
	// Stride and Hop are the stride length and step in seconds
	// (DefaultStride, and Stride).
	Stride, Hop float64
	// KeepPartial keeps a last stride shorter than Stride.
	KeepPartial bool
	// Fill says how a stride window with fewer samples than Stride is
	// rendered (FillNone, the default, or FillRepeat: see FillMode). Its
	// manifest row keeps the samples actually used (End-Start below the
	// stride's samples tells a filled window) and their beat counts.
	// FillRepeat is an error with WholeRecord and with LabelAAMI; a
	// filled window holds at most ChunkFrames samples (a longer stride
	// fails the record).
	Fill FillMode
	// WholeRecord makes one window of every record covering all of it,
	// whatever its length; Stride and Hop are then not used.
	WholeRecord bool
	// RecordLabels gives the label of each record (by its path as given
	// to Archive) for LabelRecord; a record without one is skipped and
	// counted in ArchiveResult.SkippedNoLabel. Labels are sanitised into
	// folder names (SanitizeLabel).
	RecordLabels map[string]string
	// LabelsFrom describes where RecordLabels came from (a labels CSV
	// and its label map); the archive records it with its parameters.
	LabelsFrom string
	// Signals selects signals as signal.Select does: by description
	// ("MLII", any case) or index ("0"); empty or "all" means all. A
	// record that lacks one of them is skipped (counted in
	// ArchiveResult.SkippedRecords); its selected signals are written in
	// the record's order.
	Signals []string
	// MinFraction is the share of a stride the rhythm must cover for
	// LabelRhythm (0.8); strides below it are skipped and counted.
	MinFraction float64
	// BeatBefore and BeatAfter are the seconds of a beat window before and
	// after the beat for LabelAAMI (0.25, 0.45).
	BeatBefore, BeatAfter float64
	// Annotator is the reference annotation file's suffix ("atr").
	Annotator string
	// Open, when not nil, may supply a record and its annotations in
	// place of the WFDB files at path (a CSV or EDF file converted in
	// memory); a nil record means path is read as a WFDB record.
	Open func(path string) (*wfdb.Record, []wfdb.Annotation, error)
	// Force rewrites outputs that exist; otherwise they are kept (resume).
	// With Force, the files of the earlier archive (its windows listed in
	// the manifest being replaced, of records this run processed without
	// error) that this run does not make are removed once the new
	// manifest is in place: a listed image's base name plus each of
	// PruneSuffixes, for windows this run no longer makes, or plus the
	// PruneSuffixes that are not among the Outputs for those it makes
	// again (a figure the new run does not draw).
	Force bool
	// PruneSuffixes are the suffixes removed with a stale window's base
	// name when Force replaces an archive (see Force).
	PruneSuffixes []string
	// Jobs is the number of windows rendered at once (runtime.NumCPU()):
	// the size of the one worker pool. One more goroutine reads the
	// records in order and one commits the results in order.
	Jobs int
	// Shard and Shards select every Shards-th record starting at Shard
	// (0-based) so that several machines can share an archive; the
	// manifest is then named ManifestShardName(Shard, Shards).
	Shard, Shards int
	// Outputs are the files written per window and signal; the first is
	// the image the manifest lists.
	Outputs []Output
	// OutputParams describe how the Outputs are made (a renderer's STFT
	// and image parameters); the archive records them with its own in its
	// parameter file (see ParamsName) and refuses to resume an archive
	// made with others.
	OutputParams map[string]any
	// Progress, when set, is called (from one goroutine, in record order)
	// as records and windows are done: records and windows are
	// increments.
	Progress func(records, windows int)
	// MinSamples, when set, gives the fewest samples a window at fs Hz
	// must hold (the STFT's nperseg); shorter windows are skipped and
	// counted in ArchiveResult.SkippedShort.
	MinSamples func(fs float64) int64
	// ChunkFrames bounds the frames read from a record at once (2^21,
	// about 97 minutes at 360 Hz), so that memory stays bounded for long
	// records.
	ChunkFrames int64
}

// ArchiveResult counts what Archive did.
type ArchiveResult struct {
	Records  int // records processed
	Windows  int // windows (per signal) listed in the manifest
	Written  int // output files written
	Existing int // output files kept because they existed (resume)
	// SkippedFraction counts strides whose rhythm covers less than
	// MinFraction; SkippedNoLabel windows without a label (no rhythm
	// annotation, no beat); SkippedEdge beat windows that run past the
	// record's ends; SkippedRecords records without a selected signal.
	SkippedFraction, SkippedNoLabel, SkippedEdge, SkippedRecords int
	// SkippedShort counts windows shorter than MinSamples; ShortRecords
	// records shorter than one stride (no window at all; their signal
	// files are not read).
	SkippedShort, ShortRecords int
	// Labels counts windows per label.
	Labels map[string]int
	// Manifest is the path of the manifest written.
	Manifest string
	// Removed counts the files of an earlier archive that Force removed
	// because this run no longer makes them.
	Removed int
	// Failed lists the records that failed, with their errors.
	Failed []error
}

func (o *ArchiveOptions) defaults() error {
	if o.Out == "" {
		return errors.New("archive: no output directory")
	}
	if o.Stride == 0 {
		o.Stride = DefaultStride
	}
	if o.Hop == 0 {
		o.Hop = o.Stride
	}
	if !(o.Stride > 0) || !(o.Hop > 0) {
		return fmt.Errorf("archive: stride %gs and hop %gs must be positive", o.Stride, o.Hop)
	}
	if o.MinFraction <= 0 {
		o.MinFraction = 0.8
	}
	if o.MinFraction > 1 {
		return fmt.Errorf("archive: min fraction %g: more than 1", o.MinFraction)
	}
	if o.BeatBefore == 0 && o.BeatAfter == 0 {
		o.BeatBefore, o.BeatAfter = 0.25, 0.45
	}
	if o.BeatBefore < 0 || o.BeatAfter < 0 || o.BeatBefore+o.BeatAfter <= 0 {
		return fmt.Errorf("archive: beat window -%gs,+%gs: empty", o.BeatBefore, o.BeatAfter)
	}
	if o.Annotator == "" {
		o.Annotator = "atr"
	}
	if o.Jobs <= 0 {
		o.Jobs = runtime.NumCPU()
	}
	if o.Shards <= 0 {
		o.Shards = 1
	}
	if o.Shard < 0 || o.Shard >= o.Shards {
		return fmt.Errorf("archive: shard %d/%d: want 0 <= K < N", o.Shard, o.Shards)
	}
	if o.ChunkFrames <= 0 {
		o.ChunkFrames = 1 << 21
	}
	switch o.Label {
	case LabelNone, LabelRhythm, LabelBeats, LabelAAMI:
	case LabelRecord:
		if o.RecordLabels == nil {
			return errors.New("archive: labels per record wanted but none given")
		}
	default:
		return fmt.Errorf("archive: label %q: want rhythm, beats, aami or record", o.Label)
	}
	if o.WholeRecord && o.Label == LabelAAMI {
		return errors.New("archive: whole-record windows cannot be beat windows (aami)")
	}
	if err := o.checkFill(); err != nil {
		return err
	}
	if len(o.Outputs) == 0 {
		return errors.New("archive: no outputs")
	}
	return nil
}

// ShardRecords returns the records of shard k of n: every n-th record
// starting at k.
func ShardRecords(records []string, k, n int) []string {
	if n <= 1 {
		return records
	}
	var out []string
	for i := k; i < len(records); i += n {
		out = append(out, records[i])
	}
	return out
}

// Archive writes the outputs of every window of every record (paths
// without extension) into opt.Out, one folder per label unless
// opt.Label is LabelNone, and a manifest listing them in record order.
//
// One goroutine reads the records in order and cuts them into tasks, one
// per window and signal; one pool of opt.Jobs goroutines renders the
// tasks; one goroutine commits them in input order, writing the files and
// the manifest rows, so that an archive is the same whatever the number
// of jobs. A bounded number of tasks is in flight. Outputs are written
// atomically; existing ones are kept unless opt.Force. The archive
// records its parameters in ParamsName before its first output and
// refuses, with a *ParamsError, to resume an archive made with other ones
// unless opt.Force. When ctx is cancelled Archive stops, leaves no
// partial file and returns ctx's error; a failing record is reported in
// ArchiveResult.Failed (with the manifest rows of its windows before the
// failure) and the others go on.
func Archive(ctx context.Context, records []string, opt ArchiveOptions) (*ArchiveResult, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	params, err := checkParams(&opt)
	if err != nil {
		return nil, err
	}
	records = ShardRecords(records, opt.Shard, opt.Shards)
	if err := os.MkdirAll(opt.Out, 0o755); err != nil {
		return nil, err
	}
	name := ManifestName
	if opt.Shards > 1 {
		name = ManifestShardName(opt.Shard, opt.Shards)
	}
	total := &ArchiveResult{Labels: map[string]int{}, Manifest: filepath.Join(opt.Out, name)}
	mf, err := atomicfile.Create(total.Manifest)
	if err != nil {
		return nil, err
	}
	defer mf.Abort()
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := &committer{opt: &opt, ctx: runCtx, cancel: cancel, total: total, mw: NewManifestWriter(mf), params: params,
		dirs: map[string]bool{}, made: map[string]bool{}, done: map[string]bool{}}
	if opt.Force {
		// Unreadable or absent: nothing is pruned.
		c.previous, _ = ReadManifestFile(total.Manifest)
	}
	runPipeline(runCtx, records, &opt, c)
	if c.err != nil {
		return total, c.err
	}
	if err := ctx.Err(); err != nil {
		return total, err
	}
	return total, c.finish(mf)
}

// finish records the parameters, commits the manifest and, with Force,
// prunes what the earlier archive held that this run no longer makes.
func (c *committer) finish(mf *atomicfile.File) error {
	total := c.total
	// A run that processed a record records its parameters, unless every
	// window was too short for them (they made nothing).
	if total.Records > 0 && !(total.Windows == 0 && total.SkippedShort > 0) {
		if err := c.params.record(); err != nil {
			return err
		}
	}
	if total.Windows == 0 {
		// No image at all (only failures, short windows or records
		// without the signals): no manifest claims an archive.
		total.Manifest = ""
		return nil
	}
	if err := c.mw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", total.Manifest, err)
	}
	if err := mf.Commit(); err != nil {
		return err
	}
	total.Removed = prune(*c.opt, c.previous, c.made, c.done)
	removeStaleTemps(c.opt.Out, time.Now())
	return nil
}

// staleTempAge is how old a temporary file in an archive must be before
// a run removes it: older than any write of a run at work (shards of one
// archive may run at once), so it was left by a killed run.
const staleTempAge = time.Hour

// removeStaleTemps removes the temporary files killed runs left in out
// and its label folders (atomicfile.RemoveStale).
func removeStaleTemps(out string, now time.Time) {
	atomicfile.RemoveStale(out, staleTempAge, now)
	ents, err := os.ReadDir(out)
	if err != nil {
		return
	}
	for _, e := range ents {
		if e.IsDir() {
			atomicfile.RemoveStale(filepath.Join(out, e.Name()), staleTempAge, now)
		}
	}
}

// prune removes the files of previous manifest rows, for the records in
// done, that the new archive does not make, and returns how many it
// removed. Only paths inside opt.Out are touched; label folders left
// empty are removed too.
func prune(opt ArchiveOptions, previous []ManifestRow, made, done map[string]bool) int {
	current := map[string]bool{}
	for _, o := range opt.Outputs {
		current[o.Suffix] = true
	}
	suffixes := opt.PruneSuffixes
	if len(suffixes) == 0 {
		for _, o := range opt.Outputs {
			suffixes = append(suffixes, o.Suffix)
		}
	}
	removed := 0
	dirs := map[string]bool{}
	for i := range previous {
		row := &previous[i]
		if !done[row.Record] || !filepath.IsLocal(filepath.FromSlash(row.Image)) {
			continue
		}
		img := filepath.Join(opt.Out, filepath.FromSlash(row.Image))
		// The image is the first output: its base name is what remains
		// without the shortest suffix that matches (".png", not
		// "_figure.png").
		stem := ""
		for _, s := range suffixes {
			if t, ok := strings.CutSuffix(img, s); ok && len(t) > len(stem) {
				stem = t
			}
		}
		if stem == "" {
			continue
		}
		again := made[row.Image]
		for _, s := range suffixes {
			if again && current[s] {
				continue
			}
			if os.Remove(stem+s) == nil {
				removed++
			}
		}
		if d := filepath.Dir(img); d != filepath.Clean(opt.Out) {
			dirs[d] = true
		}
	}
	for d := range dirs {
		os.Remove(d) // only if empty
	}
	return removed
}

func (t *ArchiveResult) add(r *ArchiveResult) {
	t.Records += r.Records
	t.Windows += r.Windows
	t.Written += r.Written
	t.Existing += r.Existing
	t.SkippedFraction += r.SkippedFraction
	t.SkippedNoLabel += r.SkippedNoLabel
	t.SkippedEdge += r.SkippedEdge
	t.SkippedRecords += r.SkippedRecords
	t.SkippedShort += r.SkippedShort
	t.ShortRecords += r.ShortRecords
	for l, n := range r.Labels {
		t.Labels[l] += n
	}
}

// planned is a window of a record before its samples are read.
type planned struct {
	span  Span
	at    int64       // sample the file name's time tag gives: the window start, or the beat
	tag   string      // the time tag of the file name (timeTags)
	row   ManifestRow // signal fields still empty
	label string
	beats []RefBeat
	fill  int64 // samples the window is filled to (FillRepeat), 0 when it is whole
}

// planWindows lists a record's windows with their labels and manifest
// rows and file-name time tags, counting those it skips in res.
func planWindows(opt *ArchiveOptions, res *ArchiveResult, anns []wfdb.Annotation, ref []RefBeat, n int64, fs float64, recordLabel string) ([]planned, error) {
	var out []planned
	if opt.Label == LabelAAMI {
		before, after := Samples(opt.BeatBefore, fs), Samples(opt.BeatAfter, fs)
		for i, b := range ref {
			span, ok := BeatWindow(b.Sample, before, after, n)
			if !ok {
				res.SkippedEdge++
				continue
			}
			row := NewStrideRow()
			row.Start, row.End, row.Fs = span.Start, span.End, fs
			row.Label, row.LabelFraction = string(b.Class), 1
			row.Beats, row.BeatCounts = CountBeats(ref, span)
			row.BeatSample = b.Sample
			row.PrevRR, row.NextRR, row.LocalRR, row.AvgRR = RRFeatures(ref, i, fs)
			j0, j1 := beatRange(ref, span)
			out = append(out, planned{span: span, at: b.Sample, row: row, label: row.Label, beats: ref[j0:j1]})
		}
		timeTags(out, fs, 3)
		return out, nil
	}
	spans, fill, err := strideSpans(opt, n, fs)
	if err != nil {
		return nil, err
	}
	var eps []wfdb.Episode
	if opt.Label == LabelRhythm {
		eps = wfdb.RhythmEpisodes(anns, n)
	}
	for _, span := range spans {
		row := NewStrideRow()
		row.Start, row.End, row.Fs = span.Start, span.End, fs
		row.Beats, row.BeatCounts = CountBeats(ref, span)
		switch opt.Label {
		case LabelRhythm:
			l, f := RhythmOf(eps, span)
			if l == "" {
				res.SkippedNoLabel++
				continue
			}
			if f < opt.MinFraction {
				res.SkippedFraction++
				continue
			}
			row.Label, row.LabelFraction = SanitizeLabel(l), f
		case LabelBeats:
			l := WorstClass(row.BeatCounts)
			if l == "" {
				res.SkippedNoLabel++
				continue
			}
			row.Label, row.LabelFraction = l, 1
		case LabelRecord:
			if recordLabel == "" {
				res.SkippedNoLabel++
				continue
			}
			row.Label, row.LabelFraction = SanitizeLabel(recordLabel), 1
		default:
			row.Label, row.LabelFraction = "none", 0
		}
		j0, j1 := beatRange(ref, span)
		pl := planned{span: span, at: span.Start, row: row, label: row.Label, beats: ref[j0:j1]}
		if span.Len() < fill {
			pl.fill = fill
		}
		out = append(out, pl)
	}
	timeTags(out, fs, 0)
	return out, nil
}

// strideSpans returns the strides of a record of n samples at fs Hz: one
// covering it all with WholeRecord, else Strides of opt.Stride every
// opt.Hop seconds, and the samples a shorter one is filled to (0: not
// filled; see fillSpans).
func strideSpans(opt *ArchiveOptions, n int64, fs float64) ([]Span, int64, error) {
	if opt.WholeRecord {
		if n <= 0 {
			return nil, 0, nil
		}
		return []Span{{Start: 0, End: n}}, 0, nil
	}
	stride, hop := Samples(opt.Stride, fs), Samples(opt.Hop, fs)
	if stride < 1 || hop < 1 {
		return nil, 0, fmt.Errorf("stride %gs and hop %gs must each be at least one sample (%.6gs at %g Hz)", opt.Stride, opt.Hop, 1/fs, fs)
	}
	return fillSpans(opt, Strides(n, stride, hop, opt.KeepPartial), n, stride, opt.ChunkFrames)
}

func beatRange(ref []RefBeat, span Span) (int, int) {
	i := 0
	for i < len(ref) && ref[i].Sample < span.Start {
		i++
	}
	j := i
	for j < len(ref) && ref[j].Sample < span.End {
		j++
	}
	return i, j
}

// timeTags sets the file-name time tag of every planned window, fixed
// width so that names sort by time: minutes and seconds from the record
// start ("0030m00s"); with milliseconds (digits 3, or when a start is not
// a whole second: "0012m03.250s"); with microseconds when milliseconds
// would give two windows the same name (a hop under a millisecond); and a
// "-2", "-3"... suffix for windows at the same sample (a beat annotated
// twice).
func timeTags(out []planned, fs float64, digits int) {
	for _, p := range out {
		if t := float64(p.at) / fs; digits == 0 && t != float64(int64(t)) {
			digits = 3
			break
		}
	}
	for {
		seen := make(map[string]bool, len(out))
		unique := true
		for i := range out {
			out[i].tag = timeTag(out[i].at, fs, digits)
			if seen[out[i].tag] {
				unique = false
			}
			seen[out[i].tag] = true
		}
		if unique || digits == 6 {
			break
		}
		digits = 6
	}
	count := make(map[string]int, len(out))
	for i := range out {
		if count[out[i].tag]++; count[out[i].tag] > 1 {
			out[i].tag += fmt.Sprintf("-%d", count[out[i].tag])
		}
	}
}

// timeTag formats a sample's time from the record start as minutes and
// seconds with digits (0, 3 or 6) decimals.
func timeTag(sample int64, fs float64, digits int) string {
	switch digits {
	case 3:
		total := int64(float64(sample)/fs*1000 + 0.5)
		return fmt.Sprintf("%04dm%02d.%03ds", total/60000, total/1000%60, total%1000)
	case 6:
		total := int64(float64(sample)/fs*1e6 + 0.5)
		return fmt.Sprintf("%04dm%02d.%06ds", total/60_000_000, total/1_000_000%60, total%1_000_000)
	}
	total := int64(float64(sample)/fs*1000 + 0.5)
	return fmt.Sprintf("%04dm%02ds", total/60000, total/1000%60)
}

// selectSignals returns the indices of the signals to use, in the
// record's order (want selects them as signal.Select does), and their
// names for file names (sanitised, made unique).
func selectSignals(h *wfdb.Header, want []string) ([]int, []string, error) {
	desc := wfdb.Descriptions(h.Signals)
	idx, err := signal.Select(desc, strings.Join(want, ","))
	if err != nil {
		return nil, nil, err
	}
	sort.Ints(idx)
	names := make([]string, len(idx))
	seen := map[string]int{}
	for k, i := range idx {
		name := SanitizeLabel(desc[i])
		if desc[i] == "" {
			name = fmt.Sprintf("sig%d", i)
		}
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, i)
		}
		names[k] = name
	}
	return idx, names, nil
}

// ParamsName is the file in which an archive records the parameters it
// was made with (its own and ArchiveOptions.OutputParams), so that a run
// does not resume an archive made with other ones. The name is that of
// the first archives (ecg spectro's), kept so that they resume.
const ParamsName = "spectro-params.json"

// ParamsError reports an archive made with other parameters than a run's.
type ParamsError struct {
	Dir  string // the archive
	Path string // its parameter file
}

func (e *ParamsError) Error() string {
	return fmt.Sprintf("%s was made with other parameters (see %s)", e.Dir, e.Path)
}

// paramsFile is an archive's parameter file and what a run records in it.
type paramsFile struct {
	path    string
	want    []byte
	current bool // the file holds want
}

// checkParams returns the archive's parameter file, or a *ParamsError
// when it records other parameters and opt.Force is not set. The keys of
// OutputParams are set after the archive's own (label, stride_s, hop_s,
// keep_partial, min_fraction, beat_window_s, annotator, outputs, and
// whole_record, fill, labels_from and labels_sha256 when used).
func checkParams(opt *ArchiveOptions) (*paramsFile, error) {
	suffixes := make([]string, len(opt.Outputs))
	for i, out := range opt.Outputs {
		suffixes[i] = out.Suffix
	}
	params := map[string]any{
		"label": string(opt.Label), "stride_s": opt.Stride, "hop_s": opt.Hop, "keep_partial": opt.KeepPartial,
		"min_fraction": opt.MinFraction, "beat_window_s": []float64{opt.BeatBefore, opt.BeatAfter},
		"annotator": opt.Annotator, "outputs": suffixes,
	}
	// Keys of the newer options only when they are used, so that the
	// parameter files of earlier archives stay the same.
	if opt.WholeRecord {
		params["whole_record"] = true
	}
	if opt.Fill != FillNone {
		params["fill"] = string(opt.Fill)
	}
	if opt.Label == LabelRecord {
		params["labels_from"] = opt.LabelsFrom
		params["labels_sha256"] = recordLabelsDigest(opt.RecordLabels)
	}
	for k, v := range opt.OutputParams {
		params[k] = v
	}
	want, err := json.MarshalIndent(params, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("archive parameters: %w", err)
	}
	pf := &paramsFile{path: filepath.Join(opt.Out, ParamsName), want: append(want, '\n')}
	have, err := os.ReadFile(pf.path)
	switch {
	case err == nil && bytes.Equal(have, pf.want):
		pf.current = true
	case err == nil && !opt.Force:
		return nil, &ParamsError{Dir: opt.Out, Path: pf.path}
	}
	return pf, nil
}

// recordLabelsDigest is the SHA-256 (hex) of the record labels by
// record name (the base name of the path given, so that a record named
// another way is the same), sorted: the same labels give the same digest,
// a label changed in the labels CSV another.
func recordLabelsDigest(labels map[string]string) string {
	lines := make([]string, 0, len(labels))
	for rec, l := range labels {
		lines = append(lines, filepath.Base(rec)+"\x00"+l)
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		io.WriteString(h, l+"\n")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// record writes the parameter file unless it holds the run's parameters.
func (pf *paramsFile) record() error {
	if pf.current {
		return nil
	}
	if err := atomicfile.WriteFile(pf.path, func(w io.Writer) error {
		_, err := w.Write(pf.want)
		return err
	}); err != nil {
		return err
	}
	pf.current = true
	return nil
}
