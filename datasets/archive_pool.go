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
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/atomicfile"
)

// An archive runs as a pipeline: one reader cuts the records, in order,
// into tasks (one per window and signal, and one marking each record's
// end); a pool of Jobs renderers turns tasks into file contents; one
// committer takes the tasks in input order, writes their files and
// manifest rows and adds up the counts. The order channel's capacity
// bounds the tasks in flight (and so the records' samples and rendered
// files held).

// tasksPerJob is the number of tasks in flight per renderer: enough that
// the renderers keep busy while the reader reads the next record.
const tasksPerJob = 16

// task is one window of one signal of a record, or, with end set, the
// end of the record.
type task struct {
	rec  *recordJob
	end  bool
	win  Window
	row  ManifestRow // win.Row points here
	dir  string      // the folder of the window's files
	bufs []*bytes.Buffer
	err  error
	done chan struct{} // closed when rendered
}

// recordJob is one record going through the pipeline.
type recordJob struct {
	path, name string
	// Set by the reader before it sends the record's end: the counts of
	// windows it skipped, whether the record was processed, and the error
	// that stopped it.
	res       ArchiveResult
	processed bool
	readErr   error
	// failed is set by the committer when a window of the record failed,
	// so that the reader and the renderers stop working on it; err, the
	// committer's own, is that window's error.
	failed atomic.Bool
	err    error
}

// pipeline holds the channels and buffers shared by reader and renderers.
type pipeline struct {
	ctx   context.Context
	opt   *ArchiveOptions
	order chan *task // every task, in input order, to the committer
	work  chan *task // window tasks, to the renderers
	bufs  sync.Pool  // *bytes.Buffer
}

// runPipeline runs the archive's reader, renderers and committer until
// every record is committed or ctx is done.
func runPipeline(ctx context.Context, records []string, opt *ArchiveOptions, c *committer) {
	p := &pipeline{ctx: ctx, opt: opt, order: make(chan *task, tasksPerJob*opt.Jobs), work: make(chan *task, opt.Jobs)}
	c.pipe = p
	go p.read(records)
	var wg sync.WaitGroup
	for range opt.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range p.work {
				p.render(t)
			}
		}()
	}
	for t := range p.order {
		if !t.end {
			<-t.done
		}
		c.commit(t)
	}
	wg.Wait()
}

// send queues t for the committer and, for a window, for the renderers;
// it reports false when ctx is done.
func (p *pipeline) send(t *task) bool {
	select {
	case p.order <- t:
	case <-p.ctx.Done():
		return false
	}
	if t.end {
		return true
	}
	select {
	case p.work <- t:
		return true
	case <-p.ctx.Done():
		t.err = p.ctx.Err()
		close(t.done)
		return false
	}
}

// read cuts the records into tasks, in order, and closes the channels
// when done or when ctx is.
func (p *pipeline) read(records []string) {
	defer close(p.work)
	defer close(p.order)
	for _, path := range records {
		rj := &recordJob{path: path, res: ArchiveResult{Labels: map[string]int{}}}
		rj.readErr = p.readRecord(rj)
		if !p.send(&task{rec: rj, end: true}) {
			return
		}
	}
}

// source is a record opened for reading: its header, its annotations,
// its length in frames and, for a record supplied whole (Open, or a
// header without a length), its samples.
type source struct {
	h    *wfdb.Header
	rec  *wfdb.Record
	anns []wfdb.Annotation
	n    int64
}

// readRecord plans a record's windows and sends their tasks.
func (p *pipeline) readRecord(rj *recordJob) error {
	opt := p.opt
	src := &source{}
	var err error
	if opt.Open != nil {
		if src.rec, src.anns, err = opt.Open(rj.path); err != nil {
			return err
		}
	}
	opened := src.rec != nil
	if opened {
		src.h = src.rec.Header
	} else if src.h, err = readRecordHeader(rj.path); err != nil {
		return err
	}
	rj.name = strings.ReplaceAll(filepath.ToSlash(strings.TrimPrefix(rj.path, filepath.Dir(rj.path)+string(filepath.Separator))), "/", "_")
	if src.h.Name != "" {
		rj.name = SanitizeLabel(src.h.Name)
	}
	sigs, names, err := selectSignals(src.h, opt.Signals)
	if err != nil {
		rj.res.SkippedRecords++
		return nil
	}
	if err := src.load(rj.path, opt, opened); err != nil {
		return err
	}
	var ref []RefBeat
	if src.anns != nil {
		ref = RefBeats(src.anns)
	}
	plan, err := planWindows(opt, &rj.res, src.anns, ref, src.n, src.h.Fs, opt.RecordLabels[rj.path])
	if err != nil {
		return fmt.Errorf("%s: %w", rj.path, err)
	}
	if opt.MinSamples != nil {
		minLen := opt.MinSamples(src.h.Fs)
		kept := plan[:0]
		for _, pl := range plan {
			if pl.span.Len() < minLen {
				rj.res.SkippedShort += len(sigs)
				continue
			}
			kept = append(kept, pl)
		}
		plan = kept
	}
	if len(plan) == 0 && opt.Label != LabelAAMI && (src.n < Samples(opt.Stride, src.h.Fs) && !opt.WholeRecord || src.n == 0) {
		rj.res.ShortRecords++
	}
	if err := p.sendWindows(rj, src, plan, sigs, names); err != nil {
		return err
	}
	rj.processed = true
	return nil
}

// load learns the record's length (reading the whole record when the
// header does not give it) and reads its annotations.
func (src *source) load(path string, opt *ArchiveOptions, opened bool) error {
	var err error
	src.n = src.h.NSamples
	if src.rec == nil && src.n <= 0 {
		if src.rec, err = wfdb.ReadRecord(path); err != nil {
			return err
		}
	}
	if src.rec != nil {
		src.n = int64(src.rec.NumFrames())
	}
	// Labels from annotations need them; labels per record do not.
	needAnns := opt.Label != LabelNone && opt.Label != LabelRecord
	if opened {
		if needAnns && len(src.anns) == 0 {
			return fmt.Errorf("%s: no reference annotations to label from", path)
		}
		return nil
	}
	src.anns, err = wfdb.ReadAnnotations(path, opt.Annotator)
	if err != nil {
		if needAnns || !errors.Is(err, iofs.ErrNotExist) {
			return fmt.Errorf("%s: annotations: %w", path, err)
		}
		src.anns = nil
	}
	return nil
}

// sendWindows reads the samples of the planned windows chunk by chunk
// (windows are in order of start; a chunk spans at most ChunkFrames) and
// sends one task per window and signal.
func (p *pipeline) sendWindows(rj *recordJob, src *source, plan []planned, sigs []int, names []string) error {
	opt, fs := p.opt, src.h.Fs
	for c0 := 0; c0 < len(plan); {
		from, to := plan[c0].span.Start, plan[c0].span.End
		c1 := c0 + 1
		for c1 < len(plan) && plan[c1].span.End-from <= opt.ChunkFrames {
			to = max(to, plan[c1].span.End)
			c1++
		}
		if err := p.ctx.Err(); err != nil {
			return err
		}
		if rj.failed.Load() {
			return nil
		}
		// A little lead-in for renderers that detect beats.
		lead := min(from, leadIn(fs))
		chunk, base := src.rec, int64(0)
		if chunk == nil {
			var err error
			if chunk, err = wfdb.ReadRecordRange(rj.path, from-lead, to); err != nil {
				return err
			}
			base = from - lead
		}
		// The physical samples only: the digital chunk is not held while
		// the tasks wait in the pipeline.
		phys := make([][]float64, len(sigs))
		for si, sig := range sigs {
			phys[si] = chunk.Physical(sig)
		}
		chunk = nil
		for si, sig := range sigs {
			x := phys[si]
			for k := c0; k < c1; k++ {
				t := p.newTask(rj, src.h, &plan[k], sig, names[si])
				t.win.X, t.win.Context, t.win.ContextStart = x[plan[k].span.Start-base:plan[k].span.End-base], x, base
				t.win.fillRepeat(plan[k].fill, leadIn(fs))
				if !p.send(t) {
					return p.ctx.Err()
				}
			}
		}
		c0 = c1
	}
	return nil
}

// leadIn is the samples at fs Hz read before a window for renderers that
// detect beats (5 s).
func leadIn(fs float64) int64 { return int64(5 * fs) }

// newTask returns the task of a planned window of signal sig, its
// samples still unset.
func (p *pipeline) newTask(rj *recordJob, h *wfdb.Header, pl *planned, sig int, sigName string) *task {
	opt := p.opt
	t := &task{rec: rj, row: pl.row, dir: opt.Out, done: make(chan struct{})}
	t.row.Record, t.row.Signal = rj.name, h.Signals[sig].Description
	stem := fmt.Sprintf("%s_%s_%s", rj.name, pl.tag, sigName)
	t.row.Image = stem + opt.Outputs[0].Suffix
	if opt.Label != LabelNone {
		t.dir = filepath.Join(opt.Out, pl.label)
		t.row.Image = pl.label + "/" + t.row.Image
	}
	t.win = Window{Record: rj.name, RecordPath: rj.path, Name: stem, Signal: t.row.Signal, SignalIndex: sig,
		Units: h.Signals[sig].Units, Fs: h.Fs, Span: pl.span, Beats: pl.beats, Row: &t.row}
	return t
}

// render renders the outputs of a window that do not exist yet (all of
// them with Force) into buffers, and closes t.done.
func (p *pipeline) render(t *task) {
	defer close(t.done)
	if err := p.ctx.Err(); err != nil {
		t.err = err
		return
	}
	if t.rec.failed.Load() {
		return
	}
	t.bufs = make([]*bytes.Buffer, len(p.opt.Outputs))
	for i, o := range p.opt.Outputs {
		target := filepath.Join(t.dir, t.win.Name+o.Suffix)
		if !p.opt.Force {
			if st, err := os.Stat(target); err == nil && st.Size() > 0 {
				continue
			}
		}
		buf, _ := p.bufs.Get().(*bytes.Buffer)
		if buf == nil {
			buf = new(bytes.Buffer)
		}
		t.bufs[i] = buf
		if err := o.Write(buf, &t.win); err != nil {
			t.err = fmt.Errorf("%s: %w", target, err)
			return
		}
	}
}

// committer commits tasks in input order.
type committer struct {
	opt      *ArchiveOptions
	ctx      context.Context
	cancel   context.CancelFunc
	pipe     *pipeline
	total    *ArchiveResult
	mw       *ManifestWriter
	params   *paramsFile
	previous []ManifestRow   // the manifest being replaced (Force)
	made     map[string]bool // images the new manifest lists (Force)
	done     map[string]bool // records processed without error
	dirs     map[string]bool // folders made
	err      error           // a manifest or parameter file write failed: the run stops
}

// commit writes a window's files and manifest row, or adds up a record
// at its end.
func (c *committer) commit(t *task) {
	if t.end {
		c.endRecord(t.rec)
		return
	}
	defer c.release(t)
	rj := t.rec
	if c.ctx.Err() != nil || rj.err != nil {
		return
	}
	if t.err != nil {
		c.fail(rj, t.err)
		return
	}
	written, err := c.writeFiles(t)
	if err != nil {
		c.fail(rj, err)
		return
	}
	if c.previous != nil {
		c.made[t.row.Image] = true
	}
	if err := c.mw.Write(&t.row); err != nil {
		c.stop(fmt.Errorf("%s: %w", c.total.Manifest, err))
		return
	}
	c.total.Windows++
	c.total.Labels[t.row.Label]++
	c.total.Written += written
	c.total.Existing += len(t.bufs) - written
	if c.opt.Progress != nil {
		c.opt.Progress(0, 1)
	}
}

// writeFiles writes the rendered files of t, after the parameter file
// if they are the run's first, and returns how many it wrote.
func (c *committer) writeFiles(t *task) (int, error) {
	if !c.dirs[t.dir] {
		if err := os.MkdirAll(t.dir, 0o755); err != nil {
			return 0, err
		}
		c.dirs[t.dir] = true
	}
	n := 0
	for i, buf := range t.bufs {
		if buf == nil {
			continue
		}
		if err := c.params.record(); err != nil {
			c.stop(err)
			return n, err
		}
		// No fsync per file: images are regenerable, the rename keeps
		// them whole for readers, and a resume rewrites empty files (what
		// a power loss can leave); one fsync per file would set the
		// archive's pace.
		target := filepath.Join(t.dir, t.win.Name+c.opt.Outputs[i].Suffix)
		if err := atomicfile.WriteFileNoSync(target, func(w io.Writer) error {
			_, err := w.Write(buf.Bytes())
			return err
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// release returns t's buffers to the pool.
func (c *committer) release(t *task) {
	for _, b := range t.bufs {
		if b != nil {
			b.Reset()
			c.pipe.bufs.Put(b)
		}
	}
	t.bufs = nil
}

// fail marks a record failed at its window in commit order: its later
// windows are dropped.
func (c *committer) fail(rj *recordJob, err error) {
	rj.err = err
	rj.failed.Store(true)
}

// stop ends the run with err.
func (c *committer) stop(err error) {
	if c.err == nil {
		c.err = err
	}
	c.cancel()
}

// endRecord adds up a record whose windows are all committed.
func (c *committer) endRecord(rj *recordJob) {
	if c.ctx.Err() != nil {
		return
	}
	err := rj.err
	if err == nil {
		err = rj.readErr
	}
	switch {
	case err != nil:
		c.total.Failed = append(c.total.Failed, err)
	case rj.name != "":
		c.done[rj.name] = true
	}
	if err == nil && rj.processed {
		c.total.Records++
	}
	c.total.add(&rj.res)
	if c.opt.Progress != nil {
		c.opt.Progress(1, 0)
	}
}

// readRecordHeader reads a record's header; a multi-segment record's gets
// the signals it is read with (wfdb.Header.RecordSignals), so that they
// can be selected and named like any record's.
func readRecordHeader(path string) (*wfdb.Header, error) {
	h, err := wfdb.ReadHeader(path)
	if err != nil || !h.IsMultiSegment() {
		return h, err
	}
	sigs, err := h.RecordSignals()
	if err != nil {
		return nil, err
	}
	hh := *h
	hh.Signals = sigs
	return &hh, nil
}
