package fleet

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/atomicfile"
)

// Samples records samples that follow the ones before (in the units of
// RecordOptions.Input).
func (d *DeviceRecord) Samples(x []float64) {
	d.mu.Lock()
	if !d.started {
		d.setup()
	}
	if s := d.seg; s != nil && s.failed && d.r.opt.Now().Sub(s.failedAt) >= d.r.opt.Flush {
		d.closeSegment() // try a new segment
	}
	for len(x) > 0 {
		// A full segment is closed when the next sample comes, so that
		// the events of its last samples are in it.
		if d.seg != nil && d.seg.n >= d.segLen {
			d.closeSegment()
		}
		if d.seg == nil {
			d.openSegment()
		}
		s := d.seg
		k := int(min(int64(len(x)), d.segLen-s.n))
		for _, v := range x[:k] {
			s.pending = append(s.pending, d.r.digital(v))
		}
		s.n += int64(k)
		d.total += int64(k)
		x = x[k:]
	}
	errs := d.takeErrors()
	d.mu.Unlock()
	d.report(errs)
}

// digital is a sample as stored: NaN is WFDB's invalid sample, values
// beyond format 16's range are clamped to it.
func (r *Recorder) digital(v float64) int32 {
	if math.IsNaN(v) {
		return wfdb.InvalidSample
	}
	y := math.Round(v*r.k) + float64(r.base)
	return int32(min(max(y, -32767), 32767))
}

// Event records what an event of the device's stream says: a window's
// label as a note ("AFIB 0.83") and, when it changes, as a rhythm change
// at the window's middle ("(AFIB"; the first one at its start); an alert
// as a note ("alert raised AFIB 0.83"); an input gap as a note.
func (d *DeviceRecord) Event(e stream.Event) {
	var add []wfdb.Annotation
	switch b := Body(e).(type) {
	case *stream.WindowBody:
		if b.Label == "" {
			return
		}
		note := b.Label + " " + strconv.FormatFloat(b.Confidence, 'f', 2, 64)
		if b.Inconclusive {
			note += " inconclusive"
		}
		d.mu.Lock()
		if b.Label != d.rhythm {
			at := (b.Start + b.End) / 2
			if d.rhythm == "" {
				at = b.Start
			}
			d.rhythm = b.Label
			add = append(add, wfdb.Annotation{Sample: at, Type: wfdb.Rhythm, Aux: "(" + b.Label})
		}
		d.mu.Unlock()
		add = append(add, wfdb.Annotation{Sample: b.End - 1, Type: wfdb.Note, Aux: note})
	case *stream.AlertBody:
		add = append(add, wfdb.Annotation{Sample: e.Sample - 1, Type: wfdb.Note,
			Aux: "alert " + b.State + " " + b.Label + " " + strconv.FormatFloat(b.Confidence, 'f', 2, 64)})
	case *stream.StatusBody:
		if b.Input != "connected" && b.Input != "disconnected" {
			return
		}
		add = append(add, wfdb.Annotation{Sample: e.Sample, Type: wfdb.Note, Aux: "input " + b.Input})
	default:
		return
	}
	d.mu.Lock()
	for _, a := range add {
		d.annotate(a)
	}
	d.mu.Unlock()
}

// annotate puts a (stream sample) into the open segment, the first
// sample of it if earlier, or keeps it for the next segment.
func (d *DeviceRecord) annotate(a wfdb.Annotation) {
	a.Sample = max(a.Sample, 0)
	if s := d.seg; s != nil {
		a.Sample = max(a.Sample, s.from)
		s.anns = append(s.anns, a)
		s.annDirty = true
		return
	}
	d.anns = append(d.anns, a)
}

// setup makes the device's folder, closes the segments a crash left
// open, and reads its master record, if any, to extend it (d.mu held).
func (d *DeviceRecord) setup() {
	d.started = true
	d.start = d.r.opt.Now().UTC().Truncate(time.Millisecond) // a header's base time has ms
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		d.fail(fmt.Errorf("record: %w", err), 0)
	}
	d.seq = lastSegment(d.dir, d.name)
	m, err := wfdb.ReadHeader(filepath.Join(d.dir, d.name))
	if err == nil && m.IsMultiSegment() && m.Fs == d.fs && m.HasBaseTime && !m.BaseDate.IsZero() {
		d.master = m // else a new master (a device whose rate changed starts one)
	}
	d.recover()
	if d.master != nil {
		d.extendMaster(d.start, "", 0)
		d.masterOff = d.master.NSamples
	}
}

// extendMaster appends segment name of n samples starting at time at to
// the master: a gap in time before it is a null segment; an overlap
// (samples that came faster than real time, a clock set back) none, as
// each segment's own header keeps its true base time. name "" adds only
// the gap.
func (d *DeviceRecord) extendMaster(at time.Time, name string, n int64) {
	m := d.master
	end := m.BaseDate.Add(m.BaseTime).Add(time.Duration(float64(m.NSamples) / d.fs * float64(time.Second)))
	if gap := int64(math.Round(at.Sub(end).Seconds() * d.fs)); gap > 0 {
		m.Segments = append(m.Segments, wfdb.Segment{Name: "~", NSamples: gap})
		m.NSamples += gap
	}
	if name != "" {
		m.Segments = append(m.Segments, wfdb.Segment{Name: name, NSamples: n})
		m.NSamples += n
	}
}

// recover closes the segments of the device's folder that a crash left
// open (a header of unknown length): their length and checksum from their
// signal file, listed in RECORDS and added to the master (d.mu held).
func (d *DeviceRecord) recover() {
	ents, _ := os.ReadDir(d.dir)
	for _, e := range ents {
		seg, ok := strings.CutSuffix(e.Name(), ".hea")
		if !ok || !strings.HasPrefix(seg, d.name+"_") {
			continue
		}
		path := filepath.Join(d.dir, seg)
		h, err := wfdb.ReadHeader(path)
		if err != nil || h.IsMultiSegment() || h.NSamples != 0 || len(h.Signals) != 1 {
			continue
		}
		r, err := wfdb.ReadRecord(path)
		if err != nil || r.NumFrames() == 0 {
			continue
		}
		h.NSamples = int64(r.NumFrames())
		h.Signals[0].Checksum, h.Signals[0].HasChecksum = wfdb.Checksum(r.Digital(0), wfdb.Format16), true
		if err := writeHeaderFile(path+".hea", h); err != nil {
			d.fail(err, 0)
			continue
		}
		if err := d.r.list(d.id + "/" + seg); err != nil {
			d.fail(fmt.Errorf("record: %w", err), 0)
		}
		at := h.BaseDate.Add(h.BaseTime)
		if d.master == nil && h.Fs == d.fs {
			m := *h
			m.Name, m.Segments, m.NSamples = d.name, []wfdb.Segment{}, 0
			d.master = &m
		}
		if d.master != nil && h.Fs == d.fs {
			d.extendMaster(at, seg, h.NSamples)
		}
	}
	if d.master != nil {
		if err := writeHeaderFile(filepath.Join(d.dir, d.name+".hea"), d.master); err != nil {
			d.fail(err, 0)
		}
	}
}

// lastSegment returns the highest segment number in dir, so that a new
// run never overwrites one.
func lastSegment(dir, name string) int {
	ents, _ := os.ReadDir(dir)
	last := 0
	for _, e := range ents {
		n, ok := strings.CutPrefix(e.Name(), name+"_")
		if !ok {
			continue
		}
		n, ok = strings.CutSuffix(n, ".hea")
		if v, err := strconv.Atoi(n); ok && err == nil && v > last {
			last = v
		}
	}
	return last
}

// openSegment starts the next segment at the stream's sample d.total
// (d.mu held): its signal file and its header, of unknown length.
func (d *DeviceRecord) openSegment() {
	d.seq++
	s := &segment{name: fmt.Sprintf("%s_%04d", d.name, d.seq), from: d.total}
	d.seg = s
	base := d.start.Add(time.Duration(float64(d.total) / d.fs * float64(time.Second))).Round(time.Millisecond)
	s.spec = wfdb.Header{Name: s.name, Fs: d.fs, BaseTime: base.Sub(base.Truncate(24 * time.Hour)), HasBaseTime: true,
		BaseDate: base.Truncate(24 * time.Hour),
		Signals: []wfdb.SignalSpec{{FileName: s.name + ".dat", Format: wfdb.Format16, SamplesPerFrame: 1,
			Gain: d.r.gain, Baseline: d.r.base, Units: "mV", ADCResolution: 16, Description: "ECG"}},
		Comments: []string{" device " + d.id + ", recorded by ecg serve"}}
	if d.rhythm != "" {
		s.anns = append(s.anns, wfdb.Annotation{Sample: s.from, Type: wfdb.Rhythm, Aux: "(" + d.rhythm})
	}
	for _, a := range d.anns {
		a.Sample = max(a.Sample, s.from)
		s.anns = append(s.anns, a)
	}
	d.anns = nil
	s.annDirty = len(s.anns) > 0
	f, err := d.r.opt.Create(filepath.Join(d.dir, s.spec.Signals[0].FileName))
	if err != nil {
		s.failed, s.failedAt = true, d.r.opt.Now()
		d.fail(fmt.Errorf("record: %w", err), 0)
		return
	}
	s.f = f
	if err := d.writeHeader(s, 0); err != nil {
		d.fail(err, 0)
	}
}

// writeHeader writes s's header atomically with n samples (0: unknown,
// to the end of the signal file, and no checksum).
func (d *DeviceRecord) writeHeader(s *segment, n int64) error {
	h := s.spec
	h.NSamples = n
	h.Signals = append([]wfdb.SignalSpec(nil), s.spec.Signals...)
	if n > 0 {
		h.Signals[0].Checksum, h.Signals[0].HasChecksum = s.checksum, true
	}
	return writeHeaderFile(filepath.Join(d.dir, s.name+".hea"), &h)
}

func writeHeaderFile(path string, h *wfdb.Header) error {
	err := atomicfile.WriteFile(path, func(w io.Writer) error { return wfdb.WriteHeader(w, h) })
	if err != nil {
		return fmt.Errorf("record: %s: %w", path, err)
	}
	return nil
}

// flush writes the open segment's waiting samples and, when they
// changed, its annotations.
func (d *DeviceRecord) flush() {
	d.mu.Lock()
	if d.seg != nil {
		d.flushSegment(d.seg)
	}
	errs := d.takeErrors()
	d.mu.Unlock()
	d.report(errs)
}

// flushSegment writes s's waiting samples and annotations (d.mu held). A
// write that fails ends the segment there: the next samples start a new
// one, so that every segment's samples stay where they belong in time.
func (d *DeviceRecord) flushSegment(s *segment) {
	if len(s.pending) > 0 && !s.failed {
		if s.written == 0 {
			s.spec.Signals[0].InitialValue = s.pending[0]
			if err := d.writeHeader(s, 0); err != nil {
				d.fail(err, 0)
			}
		}
		s.buf = wfdb.EncodeSamples(wfdb.Format16, s.buf[:0], s.pending)
		n, err := s.f.Write(s.buf)
		ok := int64(n / 2)
		s.checksum += wfdb.Checksum(s.pending[:ok], wfdb.Format16)
		s.written += ok
		if err != nil {
			s.failed, s.failedAt = true, d.r.opt.Now()
			d.fail(fmt.Errorf("record: %s: %w", filepath.Join(d.dir, s.name+".dat"), err), int64(len(s.pending))-ok)
		}
		s.pending = s.pending[:0]
	}
	if s.failed && len(s.pending) > 0 {
		d.lost += int64(len(s.pending))
		s.pending = s.pending[:0]
	}
	if s.annDirty {
		s.annDirty = false
		if err := d.writeAnnotations(s); err != nil {
			d.fail(err, 0)
		}
	}
}

// writeAnnotations writes s's annotations, at the segment's samples.
func (d *DeviceRecord) writeAnnotations(s *segment) error {
	rel := make([]wfdb.Annotation, 0, len(s.anns))
	for _, a := range s.anns {
		a.Sample = min(a.Sample-s.from, max(s.n-1, 0))
		rel = append(rel, a)
	}
	if err := wfdb.WriteAnnotations(filepath.Join(d.dir, s.name), RecordAnnotator, rel); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	return nil
}

// closeSegment writes the open segment out, syncs and closes its file,
// rewrites its header with its length and checksum, and adds it to the
// master record and RECORDS (d.mu held). A segment of which nothing was
// written is removed.
func (d *DeviceRecord) closeSegment() {
	s := d.seg
	d.seg = nil
	if s == nil {
		return
	}
	d.flushSegment(s)
	if s.f != nil {
		if err := s.f.Sync(); err != nil && !s.failed {
			d.fail(fmt.Errorf("record: %s: %w", s.name+".dat", err), 0)
		}
		if err := s.f.Close(); err != nil && !s.failed {
			d.fail(fmt.Errorf("record: %s: %w", s.name+".dat", err), 0)
		}
	}
	if s.written == 0 {
		for _, ext := range []string{".hea", ".dat", "." + RecordAnnotator} {
			os.Remove(filepath.Join(d.dir, s.name+ext))
		}
		return
	}
	// Annotations beyond what was written are cut to its last sample.
	s.n = s.written
	if err := d.writeAnnotations(s); err != nil {
		d.fail(err, 0)
	}
	if err := d.writeHeader(s, s.written); err != nil {
		d.fail(err, 0)
		return
	}
	d.addToMaster(s)
	if err := d.r.list(d.id + "/" + s.name); err != nil {
		d.fail(fmt.Errorf("record: %w", err), 0)
	}
}

// addToMaster appends a closed segment to the device's master record
// (null segments for the samples lost before it) and rewrites it.
func (d *DeviceRecord) addToMaster(s *segment) {
	if d.master == nil {
		m := s.spec
		m.Name, m.Segments, m.NSamples, m.Comments = d.name, []wfdb.Segment{}, 0, []string{" device " + d.id + ", recorded by ecg serve"}
		d.master, d.masterOff = &m, -s.from
	}
	m := d.master
	if gap := s.from + d.masterOff - m.NSamples; gap > 0 {
		m.Segments = append(m.Segments, wfdb.Segment{Name: "~", NSamples: gap})
		m.NSamples += gap
	}
	m.Segments = append(m.Segments, wfdb.Segment{Name: s.name, NSamples: s.written})
	m.NSamples += s.written
	if err := writeHeaderFile(filepath.Join(d.dir, d.name+".hea"), m); err != nil {
		d.fail(err, 0)
	}
}

// Close closes the open segment: nothing more is recorded for this
// stream.
func (d *DeviceRecord) Close() {
	d.r.mu.Lock()
	delete(d.r.open, d)
	d.r.mu.Unlock()
	d.mu.Lock()
	d.closeSegment()
	errs := d.takeErrors()
	d.mu.Unlock()
	d.report(errs)
}

// fail notes a write error with the samples it lost (d.mu held): a record
// event, at most one every 10 s per device (the samples lost meanwhile
// are added to the next).
func (d *DeviceRecord) fail(err error, lost int64) {
	d.lost += lost
	now := d.r.opt.Now()
	if !d.lastErr.IsZero() && now.Sub(d.lastErr) < 10*time.Second {
		return
	}
	d.lastErr = now
	d.errs = append(d.errs, stream.Event{Type: EventRecord, Sample: d.total, T: float64(d.total) / d.fs, Wall: now,
		Body: &RecordBody{Error: err.Error(), Lost: d.lost}})
	d.lost = 0
}

func (d *DeviceRecord) takeErrors() []stream.Event {
	e := d.errs
	d.errs = nil
	return e
}

func (d *DeviceRecord) report(errs []stream.Event) {
	if d.onError == nil {
		return
	}
	for _, e := range errs {
		d.onError(e)
	}
}
