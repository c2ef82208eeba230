package datasets

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// EDFSignal is one signal of an EDF or EDF+ file.
type EDFSignal struct {
	Label       string  // e.g. "ECG II"
	Transducer  string  // transducer type
	Units       string  // physical dimension, e.g. "uV"
	PhysMin     float64 // physical minimum
	PhysMax     float64 // physical maximum
	DigMin      int     // digital minimum
	DigMax      int     // digital maximum
	Prefilter   string  // prefiltering
	NSamples    int     // samples in each data record
	Annotations bool    // an "EDF Annotations" signal (EDF+ time-stamped annotation lists)
}

// Gain returns the ADC units per physical unit, (DigMax-DigMin)/(PhysMax-PhysMin).
func (s *EDFSignal) Gain() float64 {
	return float64(s.DigMax-s.DigMin) / (s.PhysMax - s.PhysMin)
}

// Baseline returns the digital value of physical zero,
// DigMin - PhysMin*Gain (not always an integer).
func (s *EDFSignal) Baseline() float64 { return float64(s.DigMin) - s.PhysMin*s.Gain() }

// EDFHeader is the header of an EDF or EDF+ file.
type EDFHeader struct {
	Version        string  // "0"
	Patient        string  // local patient identification
	Recording      string  // local recording identification
	StartDate      string  // dd.mm.yy
	StartTime      string  // hh.mm.ss
	HeaderBytes    int     // bytes in the header: 256 * (1 + number of signals)
	Reserved       string  // "EDF+C" or "EDF+D" for EDF+, else empty
	NumRecords     int     // number of data records (-1 in the file: computed from its size)
	RecordDuration float64 // seconds per data record
	Signals        []EDFSignal
}

// maxEDFSignals bounds the signal count (and so the header size) read
// before anything is checked.
const maxEDFSignals = 4096

// ParseEDFHeader reads an EDF/EDF+ header from r. size is the size of the
// whole file in bytes (-1 if unknown); with it, the number of data records
// is checked against (or, when the header says -1, computed from) the
// file size. Every field is checked; errors name the field.
func ParseEDFHeader(r io.Reader, size int64) (*EDFHeader, error) {
	var fixed [256]byte
	if _, err := io.ReadFull(r, fixed[:]); err != nil {
		return nil, fmt.Errorf("EDF header: %w", noEOF(err))
	}
	field := func(off, n int) string { return strings.TrimRight(string(fixed[off:off+n]), " \x00") }
	h := &EDFHeader{
		Version: field(0, 8), Patient: field(8, 80), Recording: field(88, 80),
		StartDate: field(168, 8), StartTime: field(176, 8), Reserved: field(192, 44),
	}
	if h.Version != "0" {
		return nil, fmt.Errorf("EDF header: version %q: not an EDF file (want \"0\")", h.Version)
	}
	var err error
	if h.HeaderBytes, err = edfInt(field(184, 8), "header bytes"); err != nil {
		return nil, err
	}
	if h.NumRecords, err = edfInt(field(236, 8), "number of data records"); err != nil {
		return nil, err
	}
	if h.RecordDuration, err = edfFloat(field(244, 8), "data record duration"); err != nil {
		return nil, err
	}
	ns, err := edfInt(field(252, 4), "number of signals")
	if err != nil {
		return nil, err
	}
	if ns < 1 || ns > maxEDFSignals {
		return nil, fmt.Errorf("EDF header: number of signals %d: want 1..%d", ns, maxEDFSignals)
	}
	if h.HeaderBytes != 256*(ns+1) {
		return nil, fmt.Errorf("EDF header: header bytes %d: want 256*(1+%d signals) = %d", h.HeaderBytes, ns, 256*(ns+1))
	}
	if size >= 0 && int64(h.HeaderBytes) > size {
		return nil, fmt.Errorf("EDF header: %d signals need %d header bytes, file has %d", ns, h.HeaderBytes, size)
	}
	sig := make([]byte, 256*ns)
	if _, err := io.ReadFull(r, sig); err != nil {
		return nil, fmt.Errorf("EDF signal headers: %w", noEOF(err))
	}
	if err := h.parseSignals(sig, ns); err != nil {
		return nil, err
	}
	if err := h.checkRecords(size); err != nil {
		return nil, err
	}
	return h, nil
}

// parseSignals parses the ns signal headers in sig, stored field by
// field: ns labels, then ns transducers, and so on.
func (h *EDFHeader) parseSignals(sig []byte, ns int) error {
	h.Signals = make([]EDFSignal, ns)
	off := 0
	next := func(width int) []string {
		out := make([]string, ns)
		for i := range out {
			out[i] = strings.TrimRight(string(sig[off+i*width:off+(i+1)*width]), " \x00")
		}
		off += ns * width
		return out
	}
	labels, trans, dims := next(16), next(80), next(8)
	pmin, pmax, dmin, dmax := next(8), next(8), next(8), next(8)
	pre, nsamp := next(80), next(8)
	var err error
	for i := range h.Signals {
		s := &h.Signals[i]
		s.Label, s.Transducer, s.Units, s.Prefilter = strings.TrimSpace(labels[i]), strings.TrimSpace(trans[i]), strings.TrimSpace(dims[i]), strings.TrimSpace(pre[i])
		s.Annotations = s.Label == "EDF Annotations"
		what := func(f string) string { return fmt.Sprintf("signal %d (%s) %s", i, s.Label, f) }
		if s.PhysMin, err = edfFloat(pmin[i], what("physical minimum")); err != nil {
			return err
		}
		if s.PhysMax, err = edfFloat(pmax[i], what("physical maximum")); err != nil {
			return err
		}
		if s.DigMin, err = edfInt(dmin[i], what("digital minimum")); err != nil {
			return err
		}
		if s.DigMax, err = edfInt(dmax[i], what("digital maximum")); err != nil {
			return err
		}
		if s.NSamples, err = edfInt(nsamp[i], what("samples per record")); err != nil {
			return err
		}
		if s.NSamples < 1 || s.NSamples > 1<<24 {
			return fmt.Errorf("EDF header: %s %d: want 1..%d", what("samples per record"), s.NSamples, 1<<24)
		}
		if s.DigMin < -32768 || s.DigMax > 32767 || s.DigMin >= s.DigMax {
			return fmt.Errorf("EDF header: %s: digital range %d..%d is not an increasing 16-bit range", what("digital range"), s.DigMin, s.DigMax)
		}
		if !s.Annotations && s.PhysMin == s.PhysMax {
			return fmt.Errorf("EDF header: %s: physical minimum equals maximum (%g)", what("physical range"), s.PhysMin)
		}
	}
	return nil
}

// checkRecords checks the number of data records against the file's size
// (-1 unknown; a count of -1 is computed from it), the record duration,
// and the rate of every signal.
func (h *EDFHeader) checkRecords(size int64) error {
	recordSamples := int64(0)
	for i := range h.Signals {
		recordSamples += int64(h.Signals[i].NSamples)
	}
	recordBytes := 2 * recordSamples
	if size >= 0 {
		avail := (size - int64(h.HeaderBytes)) / recordBytes
		switch {
		case h.NumRecords == -1:
			h.NumRecords = int(avail)
		case h.NumRecords < 0:
			return fmt.Errorf("EDF header: number of data records %d", h.NumRecords)
		case int64(h.NumRecords) > avail:
			return fmt.Errorf("EDF file truncated: header says %d data records of %d bytes, file holds %d", h.NumRecords, recordBytes, avail)
		}
	} else if h.NumRecords < 0 {
		return fmt.Errorf("EDF header: number of data records %d and file size unknown", h.NumRecords)
	}
	if !(h.RecordDuration > 0) && h.hasData() {
		return fmt.Errorf("EDF header: data record duration %g: must be positive", h.RecordDuration)
	}
	for i := range h.Signals {
		if s := &h.Signals[i]; !s.Annotations {
			if err := wfdb.CheckFs(h.Fs(i)); err != nil {
				return fmt.Errorf("EDF header: signal %d (%s): %d samples per data record of %g s: %w", i, s.Label, s.NSamples, h.RecordDuration, err)
			}
		}
	}
	return nil
}

func (h *EDFHeader) hasData() bool {
	for i := range h.Signals {
		if !h.Signals[i].Annotations {
			return true
		}
	}
	return false
}

// Fs returns the sampling frequency of signal i in Hz.
func (h *EDFHeader) Fs(i int) float64 {
	return float64(h.Signals[i].NSamples) / h.RecordDuration
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func edfInt(s, what string) (int, error) {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("EDF header: %s %q: not an integer", what, s)
	}
	return v, nil
}

func edfFloat(s, what string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("EDF header: %s %q: not a number", what, s)
	}
	return v, nil
}

// EDFRecord is the digital content of an EDF file: one slice per signal,
// in the file's order ("EDF Annotations" signals are left empty), and the
// annotations of its "EDF Annotations" signals.
type EDFRecord struct {
	Header  *EDFHeader
	Digital [][]int16
	// Annotations are the EDF+ annotations in file order, the data
	// records' time-keeping entries left out.
	Annotations []EDFAnnotation
	// Starts[k] is data record k's onset in seconds from the file's start
	// time, from its time-keeping annotation (EDF+), or k·RecordDuration
	// when the file has none (EDF).
	Starts []float64
}

// EDFAnnotation is one annotation of an EDF+ time-stamped annotation list.
type EDFAnnotation struct {
	// Onset is in seconds from the file's start time (header start date
	// and time); Duration in seconds, negative when none is given.
	Onset, Duration float64
	Text            string
}

// maxEDFAnnotations bounds the annotations kept from one file.
const maxEDFAnnotations = 1 << 20

// maxEDFSamples bounds the samples read from one file.
const maxEDFSamples = 1 << 28

// ReadEDF reads an EDF/EDF+ file of size bytes from r, with the
// annotations and data record onsets of EDF+ files (ToWFDB places the
// data records of a discontinuous EDF+D file at their onsets).
func ReadEDF(r io.Reader, size int64) (*EDFRecord, error) {
	h, err := ParseEDFHeader(r, size)
	if err != nil {
		return nil, err
	}
	var per int64
	for i := range h.Signals {
		per += int64(h.Signals[i].NSamples)
	}
	if per*int64(h.NumRecords) > maxEDFSamples {
		return nil, fmt.Errorf("EDF file: %d samples: more than %d", per*int64(h.NumRecords), maxEDFSamples)
	}
	rec := &EDFRecord{Header: h, Digital: make([][]int16, len(h.Signals))}
	for i := range h.Signals {
		if !h.Signals[i].Annotations {
			rec.Digital[i] = make([]int16, 0, h.Signals[i].NSamples*h.NumRecords)
		}
	}
	buf := make([]byte, 2*per)
	plus := strings.HasPrefix(h.Reserved, "EDF+")
	for k := 0; k < h.NumRecords; k++ {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("EDF data record %d of %d: %w", k+1, h.NumRecords, noEOF(err))
		}
		start := float64(k) * h.RecordDuration
		keeper := false
		off := 0
		for i := range h.Signals {
			n := h.Signals[i].NSamples
			if !h.Signals[i].Annotations {
				for j := 0; j < n; j++ {
					rec.Digital[i] = append(rec.Digital[i], int16(binary.LittleEndian.Uint16(buf[off+2*j:])))
				}
			} else if plus {
				anns, t, ok, err := parseTALs(buf[off:off+2*n], !keeper)
				if err != nil {
					return nil, fmt.Errorf("EDF data record %d of %d, signal %d (EDF Annotations): %w", k+1, h.NumRecords, i, err)
				}
				if ok {
					start, keeper = t, true
				}
				if len(rec.Annotations)+len(anns) > maxEDFAnnotations {
					return nil, fmt.Errorf("EDF file: more than %d annotations", maxEDFAnnotations)
				}
				rec.Annotations = append(rec.Annotations, anns...)
			}
			off += 2 * n
		}
		rec.Starts = append(rec.Starts, start)
	}
	return rec, nil
}

// parseTALs reads the time-stamped annotation lists (TALs) of one data
// record's "EDF Annotations" signal (EDF+ specification, section 2.2.2):
// "+onset[\x15duration]\x14text\x14[text\x14...]\x00", repeated, the rest
// of the signal filled with \x00. With first, the first TAL is the record's
// time-keeping TAL (its first text empty): its onset is returned as start
// (ok true) and its further texts, if any, as annotations.
func parseTALs(b []byte, first bool) (anns []EDFAnnotation, start float64, ok bool, err error) {
	for len(b) > 0 && b[0] != 0 {
		end := bytes.IndexByte(b, 0)
		if end < 0 {
			return nil, 0, false, errors.New("annotation list not ended by a NUL byte")
		}
		tal := b[:end]
		b = b[end+1:]
		head, rest, found := bytes.Cut(tal, []byte{0x14})
		if !found || len(rest) == 0 || rest[len(rest)-1] != 0x14 {
			return nil, 0, false, fmt.Errorf("annotation list %s: want +onset[\\x15duration]\\x14text\\x14", wfdb.QuoteInput(string(tal)))
		}
		on, dur, hasDur := bytes.Cut(head, []byte{0x15})
		onset, err := talNumber(on, true)
		if err != nil {
			return nil, 0, false, fmt.Errorf("annotation onset %s: %v", wfdb.QuoteInput(string(on)), err)
		}
		duration := -1.0
		if hasDur {
			if duration, err = talNumber(dur, false); err != nil {
				return nil, 0, false, fmt.Errorf("annotation duration %s: %v", wfdb.QuoteInput(string(dur)), err)
			}
		}
		texts := bytes.Split(rest[:len(rest)-1], []byte{0x14})
		if first {
			first = false
			if len(texts[0]) == 0 {
				start, ok = onset, true
				texts = texts[1:]
			}
		}
		for _, t := range texts {
			if len(t) > 0 {
				anns = append(anns, EDFAnnotation{Onset: onset, Duration: duration, Text: string(t)})
			}
		}
	}
	return anns, start, ok, nil
}

// talNumber parses a TAL onset (signed: '+' or '-' first) or duration
// (unsigned) in seconds: digits with at most one '.'.
func talNumber(b []byte, signed bool) (float64, error) {
	s := string(b)
	if signed {
		if s == "" || (s[0] != '+' && s[0] != '-') {
			return 0, errors.New("want + or - first")
		}
	}
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || (!signed && len(digits) != len(s)) || digits == "" || strings.Trim(digits, "0123456789.") != "" || strings.Count(digits, ".") > 1 {
		return 0, errors.New("not a number of seconds")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.Abs(v) > 1e12 {
		return 0, errors.New("not a number of seconds")
	}
	return v, nil
}

// WFDBAnnotations returns the EDF+ annotations as WFDB comment
// annotations (type NOTE, '"'), their text in Aux (with the duration
// appended, "Apnea (12.5 s)", when there is one), at the sample of their
// onset at fs frames per second counted from the first data record's
// start, clamped to [0, n). AUX is limited to 255 bytes: longer texts are
// cut at a UTF-8 boundary.
func (e *EDFRecord) WFDBAnnotations(fs float64, n int64) []wfdb.Annotation {
	if len(e.Annotations) == 0 {
		return nil
	}
	t0 := 0.0
	if len(e.Starts) > 0 {
		t0 = e.Starts[0]
	}
	out := make([]wfdb.Annotation, 0, len(e.Annotations))
	for _, a := range e.Annotations {
		smp := int64(math.Round((a.Onset - t0) * fs))
		smp = max(0, min(smp, n-1))
		text := a.Text
		if a.Duration >= 0 {
			text += " (" + strconv.FormatFloat(a.Duration, 'g', -1, 64) + " s)"
		}
		if len(text) > 255 {
			// Cut before the character that byte 255 falls in.
			i := 255
			for i > 0 && !utf8.RuneStart(text[i]) {
				i--
			}
			text = text[:i]
		}
		out = append(out, wfdb.Annotation{Sample: smp, Type: wfdb.Note, Aux: text})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sample < out[j].Sample })
	return out
}

// ErrNoSignals is returned for EDF files with only annotation signals.
var ErrNoSignals = errors.New("no signals (only EDF Annotations)")

// ToWFDB converts the EDF signals into one WFDB record in format 16. EDF
// digital values are kept as they are (16-bit in both), and each signal's
// gain and baseline are (DigMax-DigMin)/(PhysMax-PhysMin) and
// DigMin - PhysMin*gain rounded to an integer as WFDB requires (edf2mit
// computes DigMax - PhysMax*gain + 1 truncated, which is one unit higher
// when the exact baseline is an integer, as for most ECG exports; this
// conversion keeps the EDF formula). The start date and time become the
// record's base date and time. Signals at
// different rates become one multi-frequency record: the frame rate is the
// greatest common divisor of the per-record sample counts over the record
// duration, and each signal gets NSamples/gcd samples per frame, so no
// signal is resampled. Digital values outside DigMin..DigMax are kept;
// -32768 (format 16's invalid value) reads back as invalid. The data
// records of an EDF+D file with gaps between them are placed at their
// onsets (rounded to a frame) with invalid samples in the gaps; the gaps
// may add up to 15 times the recorded samples (more is refused rather than
// allocated because a time stamp says so).
func (e *EDFRecord) ToWFDB(name string) (*wfdb.Header, [][]int32, error) {
	h := e.Header
	g := 0
	for i := range h.Signals {
		if !h.Signals[i].Annotations {
			g = gcd(g, h.Signals[i].NSamples)
		}
	}
	if g == 0 {
		return nil, nil, ErrNoSignals
	}
	at, err := e.recordFrames(g)
	if err != nil {
		return nil, nil, err
	}
	out := &wfdb.Header{Name: name, Fs: float64(g) / h.RecordDuration}
	if err := wfdb.CheckFs(out.Fs); err != nil {
		return nil, nil, fmt.Errorf("EDF file: frame rate (%d samples per data record of %g s, the greatest common divisor of the signals'): %w", g, h.RecordDuration, err)
	}
	if d, ok := h.StartClock(); ok {
		out.BaseTime, out.HasBaseTime = d, true
		if date, ok := h.StartDay(); ok {
			out.BaseDate = date
		}
	}
	var data [][]int32
	for i := range h.Signals {
		s := &h.Signals[i]
		if s.Annotations {
			continue
		}
		gain := s.Gain()
		base := math.Round(s.Baseline())
		if math.IsNaN(gain) || math.IsInf(gain, 0) || math.Abs(base) > math.MaxInt32/2 {
			return nil, nil, fmt.Errorf("EDF signal %d (%s): gain %g, baseline %g unusable", i, s.Label, gain, base)
		}
		if gain < 0 {
			// WFDB gains are positive: flip the digital values instead.
			return nil, nil, fmt.Errorf("EDF signal %d (%s): negative gain %g (physical maximum below minimum) is not supported", i, s.Label, gain)
		}
		spf := int64(s.NSamples / g)
		var d []int32
		if at == nil {
			d = make([]int32, len(e.Digital[i]))
		} else {
			// EDF+D: each data record at its own start, the gaps invalid.
			d = make([]int32, (at[len(at)-1]+int64(g))*spf)
			for k := range d {
				d[k] = wfdb.InvalidSample
			}
		}
		for k, v := range e.Digital[i] {
			j := int64(k)
			if at != nil {
				rec := k / s.NSamples
				j = at[rec]*spf + int64(k%s.NSamples)
			}
			d[j] = int32(v)
			if v == math.MinInt16 {
				d[j] = wfdb.InvalidSample
			}
		}
		data = append(data, d)
		out.Signals = append(out.Signals, wfdb.SignalSpec{
			FileName: name + ".dat", Format: wfdb.Format16, SamplesPerFrame: s.NSamples / g,
			Gain: gain, Baseline: int32(base), Units: sanitizeField(s.Units, "mV"), ADCResolution: 16,
			Description: sanitizeDesc(s.Label, i),
		})
	}
	return out, data, nil
}

// recordFrames returns, for a discontinuous EDF+D file whose data records
// do not follow each other, the frame (g frames per data record) at which
// each data record starts, from their time-keeping onsets; nil when the
// records are contiguous (EDF, EDF+C, or EDF+D without gaps). Records that
// start before the previous one ends, and gaps that would make the record
// longer than the samples a file may hold, are errors.
func (e *EDFRecord) recordFrames(g int) ([]int64, error) {
	h := e.Header
	if !strings.HasPrefix(h.Reserved, "EDF+D") || len(e.Starts) == 0 {
		return nil, nil
	}
	fs := float64(g) / h.RecordDuration
	var per int64
	for i := range h.Signals {
		if !h.Signals[i].Annotations {
			per += int64(h.Signals[i].NSamples / g)
		}
	}
	at := make([]int64, len(e.Starts))
	gaps := false
	// Gaps may multiply the recorded samples by 16 at most.
	limit := min(float64(maxEDFSamples), 16*float64(len(e.Starts))*float64(g)*float64(per)+1<<20)
	for k, t := range e.Starts {
		f := math.Round((t - e.Starts[0]) * fs)
		if k > 0 {
			prevEnd := at[k-1] + int64(g)
			if f < float64(prevEnd) {
				return nil, fmt.Errorf("EDF+D data record %d starts at %g s, before data record %d ends", k+1, t, k)
			}
			if f > float64(prevEnd) {
				gaps = true
			}
		}
		if (f+float64(g))*float64(per) > limit {
			return nil, fmt.Errorf("EDF+D data record %d starts at %g s: with the gaps, more than %.0f samples (16 times those recorded)", k+1, t, limit)
		}
		at[k] = int64(f)
	}
	if !gaps {
		return nil, nil
	}
	return at, nil
}

// StartClock returns the start time of day (hh.mm.ss), if valid.
func (h *EDFHeader) StartClock() (time.Duration, bool) {
	var hh, mm, ss int
	if n, err := fmt.Sscanf(h.StartTime, "%d.%d.%d", &hh, &mm, &ss); n != 3 || err != nil || hh > 23 || mm > 59 || ss > 59 || hh < 0 || mm < 0 || ss < 0 {
		return 0, false
	}
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second, true
}

// StartDay returns the start date (dd.mm.yy; years 85..99 are 19yy, the
// others 20yy, as the EDF specification says), if valid.
func (h *EDFHeader) StartDay() (time.Time, bool) {
	t, err := time.Parse("02.01.06", h.StartDate)
	if err != nil {
		return time.Time{}, false
	}
	y := t.Year()%100 + 2000
	if y >= 2085 {
		y -= 100
	}
	return time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// IsEDF reports whether data starts like an EDF file: "0" and seven
// blanks, or, given the first 256 bytes or more, a fixed header of
// printable ASCII whose header size field is 256 times one more than its
// number of signals, whatever its version field says (ParseEDFHeader then
// names the bad version instead of a CSV reader reporting binary data).
func IsEDF(data []byte) bool {
	if len(data) >= 8 && bytes.Equal(data[:8], []byte("0       ")) {
		return true
	}
	_, ok := edfLike(data)
	return ok
}

// edfLike reports whether data starts with an EDF fixed header (whatever
// its version field), and its version field.
func edfLike(data []byte) (version string, ok bool) {
	if len(data) < 256 {
		return "", false
	}
	for _, c := range data[:256] {
		if c < 0x20 || c > 0x7e {
			return "", false
		}
	}
	hb, err1 := strconv.Atoi(strings.TrimSpace(string(data[184:192])))
	ns, err2 := strconv.Atoi(strings.TrimSpace(string(data[252:256])))
	if err1 != nil || err2 != nil || ns < 1 || ns > maxEDFSignals || hb != 256*(ns+1) {
		return "", false
	}
	return strings.TrimRight(string(data[:8]), " "), true
}
