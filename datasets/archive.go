package datasets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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
	// Span is the window in samples of the record.
	Span Span
	// X holds the physical samples of the window (NaN where invalid). It is
	// only valid during the call.
	X []float64
	// Context holds the samples read around the window (X is a sub-slice of
	// it) starting at sample ContextStart of the record, for renderers that
	// need a lead-in (beat detectors). Only valid during the call.
	Context      []float64
	ContextStart int64
	// Beats are the reference beats within Span (record samples); nil when
	// the record has no annotations.
	Beats []RefBeat
	// Row is the window's manifest row.
	Row *ManifestRow
}

// ArchiveOptions control Archive. Zero values mean the defaults noted.
type ArchiveOptions struct {
	// Out is the output directory.
	Out string
	// Label selects the labelling; LabelNone writes unlabelled strides
	// straight into Out, the others into one folder per label.
	Label LabelMode
	// Stride and Hop are the stride length and step in seconds (60, 60).
	Stride, Hop float64
	// KeepPartial keeps a last stride shorter than Stride.
	KeepPartial bool
	// Signals selects signals by description ("MLII", any case) or index
	// ("0"); empty means all.
	// Records without any of them are skipped (counted in
	// ArchiveResult.SkippedRecords).
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
	// Jobs is the number of records processed at once (runtime.NumCPU()).
	Jobs int
	// Shard and Shards select every Shards-th record starting at Shard
	// (0-based) so that several machines can share an archive; the
	// manifest is then named ManifestShardName(Shard, Shards).
	Shard, Shards int
	// Outputs are the files written per window and signal; the first is
	// the image the manifest lists.
	Outputs []Output
	// Progress, when set, is called (from several goroutines) as records
	// and windows are done: records and windows are increments.
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
		o.Stride = 60
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
	default:
		return fmt.Errorf("archive: label %q: want rhythm, beats or aami", o.Label)
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

// recordResult is what one record contributes.
type recordResult struct {
	started bool   // holds a slot of the window of records in flight
	name    string // record name as the manifest gives it ("" before its header is read)
	rows    []ManifestRow
	res     ArchiveResult
	err     error
}

// Archive writes the outputs of every window of every record (paths
// without extension) into opt.Out, one folder per label unless
// opt.Label is LabelNone, and a manifest listing them in record order.
// Records run in parallel (opt.Jobs) and at most 2·Jobs records' results
// are held at once. Outputs are written atomically; existing ones are
// kept unless opt.Force. When ctx is cancelled Archive stops, leaves no
// partial file and returns ctx's error; a failing record is reported in
// ArchiveResult.Failed and the others go on.
func Archive(ctx context.Context, records []string, opt ArchiveOptions) (*ArchiveResult, error) {
	if err := opt.defaults(); err != nil {
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
	var previous []ManifestRow
	if opt.Force {
		// Unreadable or absent: nothing is pruned.
		previous, _ = ReadManifestFile(total.Manifest)
	}
	made := map[string]bool{} // images listed by the new manifest
	done := map[string]bool{} // records processed without error
	mf, err := atomicfile.Create(total.Manifest)
	if err != nil {
		return nil, err
	}
	defer mf.Abort()
	mw := NewManifestWriter(mf)

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a := &archiver{opt: opt, dirs: map[string]bool{}, files: make(chan fileJob, 4*opt.Jobs)}
	var fw sync.WaitGroup
	for range fileWriters * opt.Jobs {
		fw.Add(1)
		go func() {
			defer fw.Done()
			a.writeFiles()
		}()
	}
	defer func() {
		close(a.files)
		fw.Wait()
	}()
	results := make([]chan recordResult, len(records))
	for i := range results {
		results[i] = make(chan recordResult, 1)
	}
	window := make(chan struct{}, 2*opt.Jobs) // records started but not yet written
	workers := make(chan struct{}, opt.Jobs)  // records running
	var wg sync.WaitGroup
	go func() {
		for i, rec := range records {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				for j := i; j < len(records); j++ {
					results[j] <- recordResult{err: ctx.Err()}
				}
				return
			}
			workers <- struct{}{}
			wg.Add(1)
			go func(i int, rec string) {
				defer wg.Done()
				r := a.record(ctx, rec)
				r.started = true
				<-workers
				if opt.Progress != nil {
					opt.Progress(1, 0)
				}
				results[i] <- r
			}(i, rec)
		}
	}()
	var werr error
	for i := range records {
		r := <-results[i]
		if r.started {
			<-window
		}
		if ctx.Err() != nil {
			continue
		}
		if r.err != nil {
			if errors.Is(r.err, context.Canceled) {
				continue
			}
			total.Failed = append(total.Failed, r.err)
		} else if r.name != "" {
			done[r.name] = true
		}
		total.add(&r.res)
		for j := range r.rows {
			if previous != nil {
				made[r.rows[j].Image] = true
			}
			if err := mw.Write(&r.rows[j]); err != nil && werr == nil {
				werr = err
				cancel()
			}
		}
	}
	cancel()
	wg.Wait()
	if werr != nil {
		return total, fmt.Errorf("%s: %w", total.Manifest, werr)
	}
	if err := parent.Err(); err != nil {
		return total, err
	}
	if total.Windows == 0 {
		// No image at all (only failures, short windows or records
		// without the signals): no manifest claims an archive.
		total.Manifest = ""
		return total, nil
	}
	if err := mw.Flush(); err != nil {
		return total, fmt.Errorf("%s: %w", total.Manifest, err)
	}
	if err := mf.Commit(); err != nil {
		return total, err
	}
	total.Removed = prune(opt, previous, made, done)
	return total, nil
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

type archiver struct {
	opt   ArchiveOptions
	mu    sync.Mutex
	dirs  map[string]bool // directories made
	files chan fileJob    // rendered files waiting to be committed
	bufs  sync.Pool       // *bytes.Buffer
}

// fileJob is a rendered output waiting to be written.
type fileJob struct {
	ctx    context.Context
	target string
	buf    *bytes.Buffer
	done   func(error)
}

// fileWriters is the number of goroutines committing files per job:
// commits wait on fsync, which the file system serves for many files at
// once, so rendering (CPU) and committing (I/O) overlap.
const fileWriters = 8

// writeFiles commits rendered files until the channel closes. A file whose
// context is cancelled is dropped, never written in part.
func (a *archiver) writeFiles() {
	for j := range a.files {
		err := j.ctx.Err()
		if err == nil {
			// No fsync per file: images are regenerable, the rename keeps
			// them whole for readers, and a resume rewrites empty files
			// (what a power loss can leave); one fsync per file would set
			// the archive's pace.
			err = atomicfile.WriteFileNoSync(j.target, func(w io.Writer) error {
				_, err := w.Write(j.buf.Bytes())
				return err
			})
		}
		j.buf.Reset()
		a.bufs.Put(j.buf)
		j.done(err)
	}
}

func (a *archiver) mkdir(dir string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.dirs[dir] {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	a.dirs[dir] = true
	return nil
}

// planned is a window of a record before its samples are read.
type planned struct {
	span  Span
	at    int64       // sample the file name's time tag gives: the window start, or the beat
	row   ManifestRow // signal fields still empty
	label string
	beats []RefBeat
}

// record processes one record.
func (a *archiver) record(ctx context.Context, path string) (out recordResult) {
	opt := &a.opt
	out.res.Labels = map[string]int{}
	var rec *wfdb.Record
	var anns []wfdb.Annotation
	var err error
	if opt.Open != nil {
		if rec, anns, err = opt.Open(path); err != nil {
			out.err = err
			return
		}
	}
	opened := rec != nil
	var h *wfdb.Header
	if rec != nil {
		h = rec.Header
	} else if h, err = wfdb.ReadHeader(path); err != nil {
		out.err = err
		return
	}
	fs := h.Fs
	recName := strings.ReplaceAll(filepath.ToSlash(strings.TrimPrefix(path, filepath.Dir(path)+string(filepath.Separator))), "/", "_")
	if h.Name != "" {
		recName = SanitizeLabel(h.Name)
	}
	out.name = recName
	sigs, sigNames := selectSignals(h, opt.Signals)
	if len(sigs) == 0 {
		out.res.SkippedRecords++
		return
	}
	n := h.NSamples
	if rec == nil && n <= 0 {
		// Length unknown from the header: read the record to learn it.
		if rec, err = wfdb.ReadRecord(path); err != nil {
			out.err = err
			return
		}
	}
	if rec != nil {
		n = int64(rec.NumFrames())
	}
	if !opened {
		anns, err = wfdb.ReadAnnotations(path, opt.Annotator)
		if err != nil {
			if opt.Label != LabelNone || !errors.Is(err, iofs.ErrNotExist) {
				out.err = fmt.Errorf("%s: annotations: %w", path, err)
				return
			}
			anns = nil
		}
	} else if opt.Label != LabelNone && len(anns) == 0 {
		out.err = fmt.Errorf("%s: no reference annotations to label from", path)
		return
	}
	var ref []RefBeat
	if anns != nil {
		ref = RefBeats(anns)
	}
	plan, msTimes := a.plan(&out.res, anns, ref, n, fs)
	if opt.MinSamples != nil {
		minLen := opt.MinSamples(fs)
		kept := plan[:0]
		for _, p := range plan {
			if p.span.Len() < minLen {
				out.res.SkippedShort += len(sigs)
				continue
			}
			kept = append(kept, p)
		}
		plan = kept
	}
	if len(plan) == 0 {
		if opt.Label != LabelAAMI && n < Samples(opt.Stride, fs) {
			out.res.ShortRecords++
		}
		out.res.Records++
		return
	}
	// Read the samples chunk by chunk (windows are in order of start).
	for c0 := 0; c0 < len(plan); {
		from, to := plan[c0].span.Start, plan[c0].span.End
		c1 := c0 + 1
		for c1 < len(plan) && plan[c1].span.End-from <= opt.ChunkFrames {
			to = max(to, plan[c1].span.End)
			c1++
		}
		if err := ctx.Err(); err != nil {
			out.err = err
			return
		}
		// A little lead-in for renderers that detect beats.
		lead := min(from, int64(5*fs))
		chunk := rec
		if chunk == nil {
			if chunk, err = wfdb.ReadRecordRange(path, from-lead, to); err != nil {
				out.err = err
				return
			}
		}
		base := from - lead
		if rec != nil {
			base = 0
		}
		type task struct {
			si int
			p  *planned
		}
		var tasks []task
		phys := make([][]float64, len(sigs))
		for si, sig := range sigs {
			phys[si] = chunk.Physical(sig)
			for k := range plan[c0:c1] {
				tasks = append(tasks, task{si, &plan[c0+k]})
			}
		}
		rows := make([]ManifestRow, len(tasks))
		written := make([]int, len(tasks))
		existing := make([]int, len(tasks))
		// The windows of a chunk are independent: render them on Jobs
		// goroutines, keep the rows in order.
		var next atomic.Int64
		var firstErr error
		var errOnce sync.Once
		var wg, fileWG sync.WaitGroup
		submit := func(target string, o Output, win *Window) error {
			buf, _ := a.bufs.Get().(*bytes.Buffer)
			if buf == nil {
				buf = new(bytes.Buffer)
			}
			if err := o.Write(buf, win); err != nil {
				buf.Reset()
				a.bufs.Put(buf)
				return fmt.Errorf("%s: %w", target, err)
			}
			fileWG.Add(1)
			a.files <- fileJob{ctx: ctx, target: target, buf: buf, done: func(err error) {
				if err != nil {
					errOnce.Do(func() { firstErr = err })
				}
				fileWG.Done()
			}}
			return nil
		}
		for range min(opt.Jobs, len(tasks)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					k := int(next.Add(1) - 1)
					if k >= len(tasks) {
						return
					}
					if err := ctx.Err(); err != nil {
						errOnce.Do(func() { firstErr = err })
						return
					}
					t := tasks[k]
					sig := sigs[t.si]
					x := phys[t.si]
					p := t.p
					row := p.row
					row.Record, row.Signal = recName, h.Signals[sig].Description
					stem := fmt.Sprintf("%s_%s_%s", recName, timeTag(p.at, fs, msTimes), sigNames[t.si])
					dir := opt.Out
					row.Image = stem + opt.Outputs[0].Suffix
					if opt.Label != LabelNone {
						dir = filepath.Join(opt.Out, p.label)
						row.Image = p.label + "/" + row.Image
					}
					win := &Window{Record: recName, RecordPath: path, Name: stem, Signal: row.Signal, SignalIndex: sig,
						Units: h.Signals[sig].Units, Fs: fs, Span: p.span,
						X: x[p.span.Start-base : p.span.End-base], Context: x, ContextStart: base,
						Beats: p.beats, Row: &row}
					if err := a.mkdir(dir); err != nil {
						errOnce.Do(func() { firstErr = err })
						return
					}
					for _, o := range opt.Outputs {
						target := filepath.Join(dir, stem+o.Suffix)
						if !opt.Force {
							if st, err := os.Stat(target); err == nil && st.Size() > 0 {
								existing[k]++
								continue
							}
						}
						if err := submit(target, o, win); err != nil {
							errOnce.Do(func() { firstErr = err })
							return
						}
						written[k]++
					}
					rows[k] = row
					if opt.Progress != nil {
						opt.Progress(0, 1)
					}
				}
			}()
		}
		wg.Wait()
		fileWG.Wait()
		if firstErr != nil {
			out.err = firstErr
			return
		}
		for k := range tasks {
			out.rows = append(out.rows, rows[k])
			out.res.Windows++
			out.res.Labels[rows[k].Label]++
			out.res.Written += written[k]
			out.res.Existing += existing[k]
		}
		c0 = c1
	}
	out.res.Records++
	return
}

// plan lists a record's windows with their labels and manifest rows, and
// reports whether names need milliseconds.
func (a *archiver) plan(res *ArchiveResult, anns []wfdb.Annotation, ref []RefBeat, n int64, fs float64) ([]planned, bool) {
	opt := &a.opt
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
		return out, true
	}
	stride, hop := Samples(opt.Stride, fs), Samples(opt.Hop, fs)
	if stride < 1 || hop < 1 {
		return nil, false
	}
	var eps []wfdb.Episode
	if opt.Label == LabelRhythm {
		eps = wfdb.RhythmEpisodes(anns, n)
	}
	for _, span := range Strides(n, stride, hop, opt.KeepPartial) {
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
		default:
			row.Label, row.LabelFraction = "none", 0
		}
		j0, j1 := beatRange(ref, span)
		out = append(out, planned{span: span, at: span.Start, row: row, label: row.Label, beats: ref[j0:j1]})
	}
	// Names carry milliseconds only when a start is not a whole second.
	ms := false
	for _, p := range out {
		if t := float64(p.span.Start) / fs; t != float64(int64(t)) {
			ms = true
			break
		}
	}
	return out, ms
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

// timeTag formats a start sample as minutes and seconds from the record
// start, fixed width so that names sort by time: "0030m00s", or with
// milliseconds "0012m03.250s".
func timeTag(sample int64, fs float64, ms bool) string {
	total := int64(float64(sample)/fs*1000 + 0.5)
	m, s, frac := total/60000, total/1000%60, total%1000
	if ms {
		return fmt.Sprintf("%04dm%02d.%03ds", m, s, frac)
	}
	return fmt.Sprintf("%04dm%02ds", m, s)
}

// selectSignals returns the indices of the signals to use (want names
// them by description or index) and their names for file names
// (sanitised, made unique).
func selectSignals(h *wfdb.Header, want []string) ([]int, []string) {
	var idx []int
	var names []string
	seen := map[string]int{}
	for i, s := range h.Signals {
		if len(want) > 0 && !containsFold(want, s.Description) && !containsFold(want, strconv.Itoa(i)) {
			continue
		}
		name := SanitizeLabel(s.Description)
		if s.Description == "" {
			name = fmt.Sprintf("sig%d", i)
		}
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s-%d", name, i)
		}
		idx = append(idx, i)
		names = append(names, name)
	}
	return idx, names
}

func containsFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(strings.TrimSpace(l), s) {
			return true
		}
	}
	return false
}
