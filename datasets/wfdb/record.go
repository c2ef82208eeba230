package wfdb

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Record is a WFDB record with all its samples in memory.
type Record struct {
	// Header is the record's header. For a multi-segment record, Signals
	// describes the signals as they are presented (layout or first segment).
	Header *Header

	nframes int
	start   int64 // number of the first frame held
	// samples[s] holds signal s at its own rate: NumFrames*SamplesPerFrame
	// values.
	samples [][]int32
	// digital[s] is samples[s] averaged per frame (same slice when spf is 1).
	digital [][]int32
	// segmentErrs holds checksum mismatches of whole segments read.
	segmentErrs error
	// tables holds a physical-value table per signal for the chunks of
	// ReadChunks (nil for other records).
	tables []physTable
}

// NumFrames returns the number of frames (samples of a signal with one
// sample per frame).
func (r *Record) NumFrames() int { return r.nframes }

// Start returns the number of the record's first frame held (0 unless the
// record was read from a later frame with ReadRecordRange).
func (r *Record) Start() int64 { return r.start }

// NumSignals returns the number of signals.
func (r *Record) NumSignals() int { return len(r.samples) }

// Digital returns signal sig in ADC units, one value per frame; invalid
// samples are InvalidSample. For a signal with several samples per frame,
// each value is the mean of the frame's samples rounded to the nearest
// integer (halves up), or InvalidSample if any of them is invalid, as
// rdsamp prints without -H. The slice is shared: do not modify it.
func (r *Record) Digital(sig int) []int32 { return r.digital[sig] }

// HighRes returns signal sig at its own rate: NumFrames*SamplesPerFrame
// values in ADC units (the same as Digital for one sample per frame). The
// slice is shared: do not modify it.
func (r *Record) HighRes(sig int) []int32 { return r.samples[sig] }

// Physical returns signal sig in physical units, one value per frame:
// (digital - baseline) / gain, NaN where invalid (DefaultGain when the
// header gain is 0).
func (r *Record) Physical(sig int) []float64 {
	d := r.digital[sig]
	out := make([]float64, len(d))
	r.toPhysical(out, d, sig)
	return out
}

// AppendPhysical appends signal sig in physical units, as Physical gives
// it, to dst and returns the extended slice; with dst[:0] of a chunk's
// length it converts without allocating.
func (r *Record) AppendPhysical(dst []float64, sig int) []float64 {
	d := r.digital[sig]
	n := len(dst)
	dst = slices.Grow(dst, len(d))[:n+len(d)]
	r.toPhysical(dst[n:], d, sig)
	return dst
}

// physTable is a table of a signal's physical values by digital value,
// built once for the chunks of ReadChunks.
type physTable struct {
	once sync.Once
	tab  []float64
}

// toPhysical converts digital samples of signal sig to physical units.
// For a format of at most 12 bits, the values are looked up in a table of
// every value's conversion (the same arithmetic, done once per value
// instead of once per sample) when src is long enough to repay it, or
// when the record is a chunk of ReadChunks (the table is then built for
// the first chunk and kept for the next) of a long enough record.
func (r *Record) toPhysical(dst []float64, src []int32, sig int) {
	spec := &r.Header.Signals[sig]
	var tab []float64
	if lo, hi := spec.Format.Range(); spec.Format.Bits() <= 12 && lo <= hi {
		size := int64(hi) - int64(lo) + 1
		switch {
		case sig < len(r.tables) && r.Header.NSamples >= 4*size:
			t := &r.tables[sig]
			t.once.Do(func() { t.tab = physicalValues(spec) })
			tab = t.tab
		case int64(len(src)) >= 4*size:
			tab = physicalValues(spec)
		}
	}
	g := spec.effectiveGain()
	b := float64(spec.Baseline)
	dst = dst[:len(src)] // (no bounds checks in the loops)
	if tab != nil {
		lo, _ := spec.Format.Range()
		for i := range src {
			// k as a uint, so that k < len(tab) also drops tab's bounds
			// check; the rare values outside the table in a call, so that
			// the loop keeps its registers.
			if k := uint(uint32(src[i] - lo)); k < uint(len(tab)) {
				dst[i] = tab[k]
			} else {
				dst[i] = physicalValue(src[i], b, g)
			}
		}
		return
	}
	for i, v := range src {
		dst[i] = physicalValue(v, b, g)
	}
}

// physicalValue returns digital value v in physical units with baseline b
// and gain g: NaN for InvalidSample.
//
//go:noinline
func physicalValue(v int32, b, g float64) float64 {
	if v == InvalidSample {
		return math.NaN()
	}
	return (float64(v) - b) / g
}

// physicalValues returns the physical value of each digital value of
// spec's format (at most 12 bits), from the lowest.
func physicalValues(spec *SignalSpec) []float64 {
	g := spec.effectiveGain()
	b := float64(spec.Baseline)
	lo, hi := spec.Format.Range()
	tab := make([]float64, hi-lo+1)
	for i := range tab {
		tab[i] = (float64(lo+int32(i)) - b) / g
	}
	return tab
}

// ReadRecord reads a record's header and all its samples. path is the
// record path with or without ".hea" (e.g. "data/mitdb/100"); signal files
// are found next to the header. Multi-segment records are read as one.
func ReadRecord(path string) (*Record, error) {
	h, err := ReadHeader(path)
	if err != nil {
		return nil, err
	}
	return readRecordRange(h, 0, -1)
}

// NewRecord makes a record in memory from a header and its samples in ADC
// units, laid out as WriteRecord takes them: data[s] holds signal s at its
// own rate, NumFrames*SamplesPerFrame values. The record's header is a
// copy of h with NSamples set to the number of frames; data is kept, not
// copied. It is how a signal read from another format (CSV, EDF) is
// handled like a record read from disk.
func NewRecord(h *Header, data [][]int32) (*Record, error) {
	if h.IsMultiSegment() {
		return nil, fmt.Errorf("record %s: multi-segment records are read, not made: %w", h.Name, ErrUnsupported)
	}
	out, nframes, err := withFrames(h, data)
	if err != nil {
		return nil, err
	}
	r := &Record{Header: out, nframes: int(nframes), samples: data}
	r.average()
	return r, nil
}

// ReadRecordRange reads frames [from, to) of a record (to < 0: to the end).
// For formats with a fixed number of bytes per frame only the bytes of the
// range are read; format 8 and FLAC are decoded from the start.
func ReadRecordRange(path string, from, to int64) (*Record, error) {
	h, err := ReadHeader(path)
	if err != nil {
		return nil, err
	}
	return readRecordRange(h, from, to)
}

// ReadSamples reads frames [from, to) (to < 0: to the end) of the record
// that h describes; h must come from ReadHeader, so that the signal files
// can be found next to it.
func (h *Header) ReadSamples(from, to int64) (*Record, error) { return readRecordRange(h, from, to) }

func readRecordRange(h *Header, from, to int64) (*Record, error) {
	if from < 0 || to >= 0 && to < from {
		return nil, fmt.Errorf("record %s: invalid range [%d, %d)", h.Name, from, to)
	}
	if h.IsMultiSegment() {
		return readMultiSegment(h, from, to)
	}
	return readSingleSegment(h, from, to)
}

// group is a run of consecutive signals stored in one file.
type group struct {
	file   string
	format Format
	first  int // index of the first signal
	n      int // number of signals
	offset int64
	spf    int // samples per frame of the whole group
	skew   int // largest skew in the group, in frames

	limitFrames int64   // frames needed at most (0: all), bounds FLAC decoding
	flac        []int32 // decoded FLAC samples in frame order

	// decodeChunks' buffers, kept for the next chunk of ReadChunks
	buf  []byte
	flat []int32
	// f is the group's file kept open from one chunk of ReadChunks to
	// the next (nil: decodeChunks opens and closes it itself).
	f    *os.File
	keep bool // keep the file open in f (ReadChunks, which closes it)
}

// grow returns (*s)[:n], reallocating *s when it is too short.
func grow[T any](s *[]T, n int) []T {
	if cap(*s) < n {
		*s = make([]T, n)
	}
	return (*s)[:n]
}

// groups splits h's signals into signal files.
func groups(h *Header) ([]group, error) {
	var gs []group
	for i := range h.Signals {
		s := &h.Signals[i]
		if len(gs) > 0 {
			g := &gs[len(gs)-1]
			if g.file == s.FileName && s.FileName != "~" {
				if s.Format != g.format {
					return nil, fmt.Errorf("%s: signals %d and %d share file %s but have formats %d and %d", h.Name, g.first, i, s.FileName, g.format, s.Format)
				}
				if s.Format.IsFLAC() && s.SamplesPerFrame != h.Signals[g.first].SamplesPerFrame {
					return nil, fmt.Errorf("%s: signals %d and %d share FLAC file %s but have %d and %d samples per frame", h.Name, g.first, i, s.FileName, h.Signals[g.first].SamplesPerFrame, s.SamplesPerFrame)
				}
				g.n++
				g.spf += s.SamplesPerFrame
				g.skew = max(g.skew, s.skewFrames())
				continue
			}
		}
		gs = append(gs, group{file: s.FileName, format: s.Format, first: i, n: 1, offset: s.ByteOffset, spf: s.SamplesPerFrame, skew: s.skewFrames()})
	}
	return gs, nil
}

// readSingleSegment reads frames [from, to) of a single-segment record.
func readSingleSegment(h *Header, from, to int64) (*Record, error) {
	lay, err := layoutOf(h)
	if err != nil {
		return nil, err
	}
	from, to, err = lay.clamp(h, from, to)
	if err != nil {
		return nil, err
	}
	r := &Record{Header: h}
	if err := lay.read(h, r, from, to); err != nil {
		return nil, err
	}
	return r, nil
}

// layout is where a single-segment record's samples are: its signal
// files, the frames each holds, and the record's number of frames.
type layout struct {
	gs    []group
	avail []int64 // whole frames in each group's file, -1 for no file
	total int64   // frames in the record
}

// layoutOf establishes the layout of h's signal files: the number of
// frames is the header's, else the shortest file's, and a file shorter
// than the header says is an error.
func layoutOf(h *Header) (*layout, error) {
	gs, err := groups(h)
	if err != nil {
		return nil, err
	}
	total := h.NSamples
	avail := make([]int64, len(gs))
	for i := range gs {
		g := &gs[i]
		if g.format == FormatNull || g.file == "~" {
			avail[i] = -1
			continue
		}
		if h.NSamples > 0 {
			g.limitFrames = h.NSamples + int64(g.skew)
		}
		a, err := g.availableFrames(h.dir)
		if err != nil {
			return nil, err
		}
		avail[i] = a
		if h.NSamples == 0 && (total == 0 || a < total) {
			total = a
		}
	}
	maxSkew := int64(0)
	for i, g := range gs {
		if avail[i] >= 0 && avail[i] < total {
			return nil, fmt.Errorf("%s: %w: header gives %d frames, the file holds %d", filepath.Join(h.dir, g.file), ErrTruncated, total, avail[i])
		}
		maxSkew = max(maxSkew, int64(g.skew))
	}
	// As the WFDB library does, a skewed record ends when the frame read
	// maxSkew frames ahead is missing.
	for i := range gs {
		if avail[i] >= 0 && avail[i]-maxSkew < total {
			total = max(avail[i]-maxSkew, 0)
		}
	}
	return &layout{gs: gs, avail: avail, total: total}, nil
}

// clamp limits [from, to) (to < 0: to the end) to the record and checks
// the samples no file backs.
func (lay *layout) clamp(h *Header, from, to int64) (int64, int64, error) {
	if to < 0 || to > lay.total {
		to = lay.total
	}
	if from > to {
		from = to
	}
	unbacked := int64(0)
	for _, g := range lay.gs {
		if g.format == FormatNull || g.file == "~" {
			unbacked += (to - from) * int64(g.spf)
		}
	}
	return from, to, checkUnbacked(h, unbacked)
}

// read reads frames [from, to) (within the record) into r, reusing its
// sample slices when they are large enough.
func (lay *layout) read(h *Header, r *Record, from, to int64) error {
	n := to - from
	r.nframes, r.start = int(n), from
	if len(r.samples) != len(h.Signals) {
		r.samples = make([][]int32, len(h.Signals))
	}
	for s := range h.Signals {
		ns := n * int64(h.Signals[s].SamplesPerFrame)
		if int64(cap(r.samples[s])) >= ns {
			r.samples[s] = r.samples[s][:ns]
		} else {
			r.samples[s] = make([]int32, ns)
		}
	}
	for i := range lay.gs {
		if err := lay.gs[i].read(h, r, from, to, lay.avail[i]); err != nil {
			return err
		}
	}
	r.average()
	return nil
}

// chunked reports whether the layout's files can be read a chunk at a
// time: no format-8 or FLAC file, which are decoded from the start.
func (lay *layout) chunked() bool {
	for _, g := range lay.gs {
		if g.format == Format8 || g.format.IsFLAC() {
			return false
		}
	}
	return true
}

// ReadChunks reads frames [from, to) (to < 0: to the end) of the record
// that h describes, as ReadSamples does, but a chunk of frames at a time
// (about 2^14 samples; the whole range at once for multi-segment
// records and for format 8 and FLAC, which are decoded from the start),
// and calls fn with each chunk in order: its Start is the chunk's first
// frame. The Record given to fn and its slices are reused for the next
// chunk: fn must not keep them. A long record is so read in constant
// memory. ReadChunks stops at the first error, from reading or from fn.
func (h *Header) ReadChunks(from, to int64, fn func(chunk *Record) error) error {
	if from < 0 || to >= 0 && to < from {
		return fmt.Errorf("record %s: invalid range [%d, %d)", h.Name, from, to)
	}
	var lay *layout
	if !h.IsMultiSegment() {
		var err error
		if lay, err = layoutOf(h); err != nil {
			return err
		}
	}
	if lay == nil || !lay.chunked() {
		r, err := readRecordRange(h, from, to)
		if err != nil {
			return err
		}
		return fn(r)
	}
	from, to, err := lay.clamp(h, from, to)
	if err != nil {
		return err
	}
	// Chunks of about 2^14 samples (whole packing groups of 6 frames):
	// their buffers stay in the cache and need few fresh pages.
	const align = 6
	step := max(align, (1<<14)/int64(max(lay.gs[0].spf, 1))/align*align)
	r := &Record{Header: h, tables: make([]physTable, len(h.Signals))}
	lay.keepOpen()
	defer lay.close()
	c0 := from
	for {
		c1 := min((c0/step+1)*step, to)
		if err := lay.read(h, r, c0, c1); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
		if c1 >= to {
			break
		}
		c0 = c1
	}
	return nil
}

// availableFrames returns the number of whole frames in g's file.
func (g *group) availableFrames(dir string) (int64, error) {
	path := filepath.Join(dir, g.file)
	if g.format.IsFLAC() {
		return flacFrames(path, g)
	}
	st, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	if st.IsDir() {
		return 0, fmt.Errorf("%s: is a directory", path)
	}
	return g.format.samplesIn(st.Size()-g.offset) / int64(g.spf), nil
}

// read decodes frames [from, to) of group g into r, reading the file in
// chunks of whole frames (aligned to the format's packing groups) and
// de-interleaving each chunk into the signals.
func (g *group) read(h *Header, r *Record, from, to, avail int64) error {
	if g.format == FormatNull || g.file == "~" {
		for s := g.first; s < g.first+g.n; s++ {
			fill(r.samples[s], InvalidSample)
		}
		return nil
	}
	if to <= from {
		return nil
	}
	path := filepath.Join(h.dir, g.file)
	// File frames needed: skewed signals read up to skew frames ahead.
	fileFrom := from
	fileTo := min(to+int64(g.skew), avail)
	// Samples whose file frame lies outside [0, fileTo) are invalid.
	for s := g.first; s < g.first+g.n; s++ {
		spec := &h.Signals[s]
		spf := int64(spec.SamplesPerFrame)
		dst := r.samples[s]
		sk := int64(spec.skewFrames())
		if end := min(to, -sk); end > from {
			fill(dst[:(end-from)*spf], InvalidSample)
		}
		if begin := max(from, fileTo-sk); begin < to {
			fill(dst[(begin-from)*spf:], InvalidSample)
		}
	}
	if fileTo <= fileFrom {
		return nil
	}
	if g.format.IsFLAC() {
		flat, err := decodeFLACFile(path, g, fileTo)
		if err != nil {
			return err
		}
		g.scatter(h, r, flat, 0, fileTo, from, to)
		return nil
	}
	if g.pairs212() {
		// Straight into the signals (skew 0: file frames are record frames).
		return g.readPairs212(path, r.samples[g.first][fileFrom-from:], r.samples[g.first+1][fileFrom-from:], fileFrom, fileTo)
	}
	return g.decodeChunks(h, path, fileFrom, fileTo, func(c0, c1 int64, flat []int32) {
		g.scatter(h, r, flat, c0, c1, from, to)
	})
}

// decodeChunks decodes frames [from, to) of group g's file at path (not
// FLAC) in chunks of whole frames, aligned to the format's packing groups
// (a chunk may start up to 5 frames before from; format 8 is decoded from
// frame 0, its differences accumulating from the start), and calls fn with
// each chunk's first and end frame and its interleaved samples, format-8
// differences already turned into values. flat is reused by the next
// chunk.
func (g *group) decodeChunks(h *Header, path string, from, to int64, fn func(c0, c1 int64, flat []int32)) error {
	acc := make([]int32, g.n) // format 8 running values
	for i := range acc {
		acc[i] = h.Signals[g.first+i].InitialValue
	}
	if g.format == Format8 {
		from = 0 // differences are accumulated from the start
	}
	const align = 6 // frames: k*6 samples always fill whole 212/310/311 groups
	k := int64(g.spf)
	scratch := grow(&g.flat, int(min(max(align, (1<<16)/k/align*align), to-from+align)*k))
	return g.readChunks(path, from/align*align, to, func(c0, c1 int64, raw []byte) {
		flat := scratch[:(c1-c0)*k]
		DecodeSamples(g.format, flat, raw)
		if g.format == Format8 {
			g.accumulate(h, flat, acc)
		}
		fn(c0, c1, flat)
	})
}

// readChunks reads the bytes of frames [from, to) of group g's file at
// path (not FLAC; from at the start of a packing group) in chunks of
// whole frames, aligned to the format's packing groups, and calls fn with
// each chunk's first and end frame and its bytes (reused by the next
// chunk). A file too short for a chunk's samples is an error wrapping
// ErrTruncated.
func (g *group) readChunks(path string, from, to int64, fn func(c0, c1 int64, raw []byte)) error {
	f, err := g.open(path)
	if err != nil {
		return err
	}
	if !g.keep {
		defer f.Close()
	}
	k := int64(g.spf)
	const align = 6 // frames: k*6 samples always fill whole 212/310/311 groups
	chunk := max(align, (1<<16)/k/align*align)
	buf := grow(&g.buf, int(g.format.bytesFor(min(chunk, to-from+align)*k)))
	for c0 := from; c0 < to; c0 += chunk {
		c1 := min(c0+chunk, to)
		ns := (c1 - c0) * k
		start := g.offset + g.format.bytesFor(c0*k)
		m, err := f.ReadAt(buf[:g.format.bytesFor(ns)], start)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("%s: %w", path, err)
		}
		if got := g.format.samplesIn(int64(m)); got < ns {
			return fmt.Errorf("%s: %w: %d samples at byte %d, found %d", path, ErrTruncated, ns, start, got)
		}
		fn(c0, c1, buf[:m])
	}
	return nil
}

// pairs212 reports whether g is two signals of one sample per frame in
// format 212 with no skew (the MIT-BIH layout): each frame is then 3
// bytes, which decode212Pairs decodes straight into the two signals.
func (g *group) pairs212() bool {
	return g.format == Format212 && g.n == 2 && g.spf == 2 && g.skew == 0
}

// readPairs212 decodes frames [from, to) of a pairs212 group's file at
// path into a and b (the two signals' samples of those frames).
func (g *group) readPairs212(path string, a, b []int32, from, to int64) error {
	return g.readChunks(path, from, to, func(c0, c1 int64, raw []byte) {
		decode212Pairs(a[c0-from:c1-from], b[c0-from:c1-from], raw)
	})
}

// open returns g's file at path: the one kept open by ReadChunks, or a
// newly opened one that the caller closes unless g.keep.
func (g *group) open(path string) (*os.File, error) {
	if g.f != nil {
		return g.f, nil
	}
	f, err := os.Open(path)
	if err == nil && g.keep {
		g.f = f
	}
	return f, err
}

// keepOpen has the groups' files kept open from one read to the next
// until close: ReadChunks reads a record's files chunk by chunk with one
// open each.
func (lay *layout) keepOpen() {
	for i := range lay.gs {
		lay.gs[i].keep = true
	}
}

// close closes the files keepOpen kept open.
func (lay *layout) close() {
	for i := range lay.gs {
		if g := &lay.gs[i]; g.f != nil {
			g.f.Close()
			g.f = nil
		}
	}
}

// accumulate turns the format-8 differences of whole frames in flat into
// values, continuing from acc (one running value per signal).
func (g *group) accumulate(h *Header, flat []int32, acc []int32) {
	k := g.spf
	for base := 0; base+k <= len(flat); base += k {
		j := base
		for i := 0; i < g.n; i++ {
			a := acc[i]
			for c := 0; c < h.Signals[g.first+i].SamplesPerFrame; c++ {
				a += flat[j]
				flat[j] = a
				j++
			}
			acc[i] = a
		}
	}
}

// scatter copies decoded file frames [c0, c1) (flat, frame-interleaved)
// into the record's signals for record frames [from, to): frame t of a
// signal with skew sk is file frame t+sk.
func (g *group) scatter(h *Header, r *Record, flat []int32, c0, c1, from, to int64) {
	k := int64(g.spf)
	if k == 2 && g.n == 2 && g.skew == 0 {
		// Two signals of one sample per frame (the MIT-BIH layout): one
		// pass over the frames.
		t0, t1 := max(from, c0), min(to, c1)
		if t0 < t1 {
			deinterleave2(r.samples[g.first][t0-from:t1-from], r.samples[g.first+1][t0-from:t1-from], flat[2*(t0-c0):2*(t1-c0)])
		}
		return
	}
	off := int64(0)
	for s := g.first; s < g.first+g.n; s++ {
		spec := &h.Signals[s]
		spf := int64(spec.SamplesPerFrame)
		sk := int64(spec.skewFrames())
		t0, t1 := max(from, c0-sk), min(to, c1-sk)
		dst := r.samples[s]
		if t0 < t1 {
			src := flat[(t0+sk-c0)*k+off:]
			out := dst[(t0-from)*spf : (t1-from)*spf]
			if spf == 1 {
				if k == 1 {
					copy(out, src)
				} else {
					for i := range out {
						out[i] = src[int64(i)*k]
					}
				}
			} else {
				for i := int64(0); i < t1-t0; i++ {
					copy(out[i*spf:(i+1)*spf], src[i*k:i*k+spf])
				}
			}
		}
		off += spf
	}
}

// deinterleave2 copies the frames of two signals in src (a0 b0 a1 b1 ...)
// into a and b (of len(src)/2 each).
func deinterleave2(a, b, src []int32) {
	b = b[:len(a)]
	src = src[:2*len(a)]
	for i := range a {
		a[i], b[i] = src[2*i], src[2*i+1]
	}
}

func fill(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}

// average computes the per-frame values of multi-frequency signals.
func (r *Record) average() {
	r.digital = make([][]int32, len(r.samples))
	for s, x := range r.samples {
		spf := r.Header.Signals[s].SamplesPerFrame
		if spf <= 1 {
			r.digital[s] = x
			continue
		}
		d := make([]int32, r.nframes)
		for t := range d {
			d[t] = meanSample(x[t*spf : t*spf+spf])
		}
		r.digital[s] = d
	}
}

// meanSample returns the mean of x rounded to the nearest integer, halves
// up, or InvalidSample if any value is invalid.
func meanSample(x []int32) int32 {
	n := int64(len(x))
	sum := n / 2
	for _, v := range x {
		if v == InvalidSample {
			return InvalidSample
		}
		sum += int64(v)
	}
	q := sum / n
	if sum%n != 0 && sum < 0 {
		q--
	}
	return int32(q)
}

// skewFrames returns the signal's skew in frames: the header gives it in
// samples of the signal, and WFDB rounds it to whole frames (negative
// skews count as 0).
func (s *SignalSpec) skewFrames() int {
	if s.Skew <= 0 {
		return 0
	}
	spf := max(s.SamplesPerFrame, 1)
	return int(float64(s.Skew)/float64(spf) + 0.5)
}

// maxUnbacked bounds the samples a record may hold that no signal file
// backs (null signals and null segments), so that a header cannot make a
// reader allocate more than the files justify.
const maxUnbacked = 1 << 26

func checkUnbacked(h *Header, n int64) error {
	if n > maxUnbacked {
		return fmt.Errorf("record %s: %w: %d samples with no signal data behind them (null signals or segments); read a shorter range", h.Name, ErrBadHeader, n)
	}
	return nil
}
