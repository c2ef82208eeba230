package wfdb

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// DefaultFs is the frame rate assumed when a header gives none (WFDB_DEFFREQ).
const DefaultFs = 250

// DefaultGain is the gain, in ADC units per physical unit, used to convert
// samples of a signal whose header gain is 0 (uncalibrated) (WFDB_DEFGAIN).
const DefaultGain = 200

// maxHeaderSize bounds the size of a header file read into memory.
const maxHeaderSize = 64 << 20

// MinFs and MaxFs bound the sampling rates, in samples per second, that
// the readers accept (frame rates, and frame rates times samples per
// frame): slower records (one sample every 1,000 s) or faster ones (a
// megahertz) are not physiological recordings, and a rate a file declares
// sizes the buffers of everything downstream.
const (
	MinFs = 1e-3
	MaxFs = 1e6
)

// ErrRate is wrapped by errors about a sampling rate outside [MinFs, MaxFs].
var ErrRate = errors.New("sampling rate out of range")

// CheckFs returns an error wrapping ErrRate unless fs, in samples per
// second, is within [MinFs, MaxFs].
func CheckFs(fs float64) error {
	if !(fs >= MinFs && fs <= MaxFs) {
		return fmt.Errorf("%w: %g Hz (want %g to %g)", ErrRate, fs, MinFs, MaxFs)
	}
	return nil
}

// maxQuoted is the longest input quoted whole in an error; longer input
// is cut (QuoteInput).
const maxQuoted = 64

// QuoteInput returns s quoted for an error message, cut to its first 64
// bytes (and "..." after the quote) when longer: a megabyte of input
// never reaches a terminal through an error.
func QuoteInput(s string) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:maxQuoted]) + "..."
}

// Header is the content of a WFDB header (.hea) file.
//
// A single-segment header describes its signals in Signals. A multi-segment
// header (record line "name/n") lists its segments in Segments; ReadRecord
// reads those transparently, and fills Signals from the layout segment
// (variable layout) or the first non-null segment (fixed layout).
type Header struct {
	// Name is the record name from the record line.
	Name string
	// Segments lists the segments of a multi-segment record; nil otherwise.
	Segments []Segment
	// Fs is the frame rate in frames per second (DefaultFs if absent).
	Fs float64
	// CounterFreq is the counter frequency in ticks per second, 0 if absent.
	CounterFreq float64
	// BaseCounter is the counter value at sample 0 (meaningful only with CounterFreq).
	BaseCounter float64
	// NSamples is the number of frames per signal; 0 means unknown (the
	// length is then taken from the signal files).
	NSamples int64
	// BaseTime is the time of day of sample 0; valid when HasBaseTime.
	BaseTime time.Duration
	// HasBaseTime reports whether the record line gives a base time.
	HasBaseTime bool
	// BaseDate is the date of sample 0 (UTC midnight); the zero Time if absent.
	BaseDate time.Time
	// Signals describes each signal, in the header's order.
	Signals []SignalSpec
	// Comments holds the comment lines ('#' removed, the rest kept as is),
	// in order, wherever they occur in the file.
	Comments []string

	// dir is the directory of the header file, for locating signal files.
	dir string
	// signalsDeclared is the number of signals on a multi-segment record line.
	signalsDeclared int
}

// Segment is one segment of a multi-segment record.
type Segment struct {
	// Name is the segment's record name, or "~" for a null segment
	// (NSamples frames of invalid samples).
	Name string
	// NSamples is the length of the segment in frames (0 for a layout segment).
	NSamples int64
}

// SignalSpec is one signal line of a header.
type SignalSpec struct {
	// FileName is the signal file, relative to the header's directory
	// ("~" for a null signal in a layout header).
	FileName string
	// Format is the storage format (8, 16, 24, 32, 61, 80, 160, 212, 310,
	// 311, 508, 516, 524; 0 for a null signal).
	Format Format
	// SamplesPerFrame is the number of samples per frame (1 unless the
	// record is multi-frequency).
	SamplesPerFrame int
	// Skew is the number of samples of this signal by which it is delayed
	// in the file, as the header gives it; readers round it to whole frames
	// (frame t of the signal is the file's frame t+round(Skew/spf)).
	Skew int
	// ByteOffset is the number of bytes before the first sample in the file.
	ByteOffset int64
	// Gain is ADC units per physical unit as written; 0 means uncalibrated
	// (conversions then use DefaultGain).
	Gain float64
	// Baseline is the ADC value of physical zero (ADCZero if not written).
	Baseline int32
	// Units are the physical units ("mV" if not written).
	Units string
	// ADCResolution is the ADC resolution in bits (a per-format default if
	// not written).
	ADCResolution int
	// ADCZero is the ADC value at the middle of its range.
	ADCZero int32
	// InitialValue is the value of the first sample (ADCZero if not written);
	// format 8 starts its differences from it.
	InitialValue int32
	// Checksum is the 16-bit sum of all samples; valid when HasChecksum.
	Checksum int16
	// HasChecksum reports whether the header gives a checksum.
	HasChecksum bool
	// BlockSize is the block size in bytes (0 for ordinary files).
	BlockSize int
	// Description is the signal's name, e.g. "MLII" (default
	// "record NAME, signal N").
	Description string
}

// effectiveGain returns the gain to use for conversions.
func (s *SignalSpec) effectiveGain() float64 {
	if s.Gain == 0 {
		return DefaultGain
	}
	return s.Gain
}

// IsMultiSegment reports whether h describes a multi-segment record.
func (h *Header) IsMultiSegment() bool { return h.Segments != nil }

// Dir returns the directory holding the header file ("" if h was parsed
// from memory).
func (h *Header) Dir() string { return h.dir }

// HeaderError reports an unusable header value, naming the file, the line
// (1-based) and the field.
type HeaderError struct {
	File  string // header file name as given
	Line  int    // 1-based line number, 0 if not tied to a line
	Field string // field name, e.g. "gain"
	Value string // offending text
	Err   error  // what is wrong
}

func (e *HeaderError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		if e.Value != "" {
			b.WriteString(" ")
			b.WriteString(QuoteInput(e.Value))
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *HeaderError) Unwrap() error { return e.Err }

// Sentinel errors wrapped by HeaderError and the record readers.
var (
	ErrInvalidNumber = errors.New("invalid number")
	ErrMissingField  = errors.New("missing field")
	ErrUnknownFormat = errors.New("unknown signal format")
	ErrTruncated     = errors.New("truncated signal file")
	ErrBadHeader     = errors.New("malformed header")
	ErrChecksum      = errors.New("checksum mismatch")
	ErrUnsupported   = errors.New("unsupported")
)

// ReadHeader reads and parses a header file. path may name the .hea file or
// the record (without extension).
func ReadHeader(path string) (*Header, error) {
	hp := headerPath(path)
	f, err := os.Open(hp)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > maxHeaderSize {
		return nil, &HeaderError{File: hp, Err: fmt.Errorf("%w: file of %d bytes is too large for a header", ErrBadHeader, st.Size())}
	}
	buf := make([]byte, st.Size())
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, fmt.Errorf("%s: %w", hp, err)
	}
	h, err := ParseHeader(buf, hp)
	if err != nil {
		return nil, err
	}
	h.dir = filepath.Dir(hp)
	return h, nil
}

// headerPath returns the header file path for a record path given with or
// without the ".hea" extension.
func headerPath(path string) string {
	if strings.HasSuffix(path, ".hea") {
		return path
	}
	return path + ".hea"
}

// ParseHeader parses the text of a header file. name is used in error
// messages (usually the file name). Lines may end in LF or CR LF; comment
// lines (starting with '#') and blank lines may occur anywhere.
func ParseHeader(data []byte, name string) (*Header, error) {
	p := headerParser{name: name}
	return p.parse(data)
}

type headerParser struct {
	name string
	line int
}

func (p *headerParser) errf(field, value string, err error) error {
	return &HeaderError{File: p.name, Line: p.line, Field: field, Value: value, Err: err}
}

func (p *headerParser) parse(data []byte) (*Header, error) {
	h := &Header{}
	nsig := -1
	nseg := -1
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		p.line++
		// A CR ends the line's content (CR LF line ends; WFDB also stops
		// the description at a CR).
		if i := bytes.IndexByte(line, '\r'); i >= 0 {
			line = line[:i]
		}
		trimmed := bytes.TrimLeft(line, " \t")
		if len(trimmed) == 0 {
			continue
		}
		if trimmed[0] == '#' {
			h.Comments = append(h.Comments, string(trimmed[1:]))
			continue
		}
		s := string(trimmed)
		switch {
		case nsig < 0:
			var err error
			nsig, nseg, err = p.recordLine(h, s)
			if err != nil {
				return nil, err
			}
		case nseg > 0 && len(h.Segments) < nseg:
			seg, err := p.segmentLine(s)
			if err != nil {
				return nil, err
			}
			h.Segments = append(h.Segments, seg)
		case nseg <= 0 && len(h.Signals) < nsig:
			sig, err := p.signalLine(h, s, len(h.Signals))
			if err != nil {
				return nil, err
			}
			h.Signals = append(h.Signals, sig)
		default:
			return nil, p.errf("", "", fmt.Errorf("%w: unexpected line %s after the last %s", ErrBadHeader, QuoteInput(s), map[bool]string{true: "segment", false: "signal"}[nseg > 0]))
		}
	}
	if nsig < 0 {
		p.line = 0
		return nil, p.errf("", "", fmt.Errorf("%w: no record line", ErrBadHeader))
	}
	p.line = 0
	if nseg > 0 && len(h.Segments) < nseg {
		return nil, p.errf("segments", "", fmt.Errorf("%w: record line declares %d segments, header lists %d", ErrBadHeader, nseg, len(h.Segments)))
	}
	if nseg <= 0 && len(h.Signals) < nsig {
		return nil, p.errf("signals", "", fmt.Errorf("%w: record line declares %d signals, header describes %d", ErrBadHeader, nsig, len(h.Signals)))
	}
	if nseg > 0 {
		h.signalsDeclared = nsig
	}
	return h, nil
}

// recordLine parses "name[/nseg] [nsig [fs[/cfreq[(base)]] [nsamples [time [date]]]]]".
func (p *headerParser) recordLine(h *Header, s string) (nsig, nseg int, err error) {
	f := fieldsSep(s)
	name := f[0]
	nseg = 0
	if i := strings.IndexByte(name, '/'); i >= 0 {
		n, err := strconv.Atoi(name[i+1:])
		if err != nil || n <= 0 {
			return 0, 0, p.errf("number of segments", name[i+1:], ErrInvalidNumber)
		}
		nseg = n
		name = name[:i]
	}
	if name == "" {
		return 0, 0, p.errf("record name", f[0], fmt.Errorf("%w: empty", ErrBadHeader))
	}
	h.Name = name
	h.Fs = DefaultFs
	if len(f) < 2 {
		return 0, 0, p.errf("number of signals", "", ErrMissingField)
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n < 0 {
		return 0, 0, p.errf("number of signals", f[1], ErrInvalidNumber)
	}
	nsig = n
	if len(f) > 2 {
		if err := p.frequency(h, f[2]); err != nil {
			return 0, 0, err
		}
	}
	if len(f) > 3 {
		ns, err := strconv.ParseInt(f[3], 10, 64)
		if err != nil || ns < 0 {
			return 0, 0, p.errf("number of samples", f[3], ErrInvalidNumber)
		}
		h.NSamples = ns
	}
	if len(f) > 4 {
		rest := strings.Join(f[4:], " ")
		if err := p.baseTimeDate(h, rest); err != nil {
			return 0, 0, err
		}
	}
	if nseg > 0 {
		h.Segments = make([]Segment, 0, min(nseg, 1024))
	}
	return nsig, nseg, nil
}

// frequency parses "fs[/cfreq[(base)]]".
func (p *headerParser) frequency(h *Header, tok string) error {
	fs, rest := tok, ""
	if i := strings.IndexByte(tok, '/'); i >= 0 {
		fs, rest = tok[:i], tok[i+1:]
	}
	v, err := strconv.ParseFloat(fs, 64)
	if err != nil || !(v > 0) || math.IsInf(v, 0) {
		return p.errf("sampling frequency", tok, ErrInvalidNumber)
	}
	if err := CheckFs(v); err != nil {
		return p.errf("sampling frequency", tok, err)
	}
	h.Fs = v
	if rest == "" {
		return nil
	}
	cf, base := rest, ""
	if i := strings.IndexByte(rest, '('); i >= 0 {
		if !strings.HasSuffix(rest, ")") {
			return p.errf("base counter", rest[i:], fmt.Errorf("%w: missing ')'", ErrInvalidNumber))
		}
		cf, base = rest[:i], rest[i+1:len(rest)-1]
	}
	c, err := strconv.ParseFloat(cf, 64)
	if err != nil || c < 0 || math.IsInf(c, 0) {
		return p.errf("counter frequency", cf, ErrInvalidNumber)
	}
	h.CounterFreq = c
	if base != "" {
		b, err := strconv.ParseFloat(base, 64)
		if err != nil || math.IsInf(b, 0) {
			return p.errf("base counter", base, ErrInvalidNumber)
		}
		h.BaseCounter = b
	}
	return nil
}

// baseTimeDate parses the base time and date: "hh:mm:ss[.sss] [dd/mm/yyyy]",
// optionally in brackets, with the date also accepted as yyyy-mm-dd or
// dd.mm.yyyy, and either part alone.
func (p *headerParser) baseTimeDate(h *Header, s string) error {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "[]"))
	for _, tok := range fieldsSep(s) {
		switch {
		case strings.Contains(tok, ":"):
			d, err := parseClock(tok)
			if err != nil {
				return p.errf("base time", tok, err)
			}
			h.BaseTime, h.HasBaseTime = d, true
		default:
			t, err := parseDate(tok)
			if err != nil {
				return p.errf("base date", tok, err)
			}
			h.BaseDate = t
		}
	}
	return nil
}

// parseClock parses "hh:mm:ss[.fff]" or "mm:ss[.fff]" as a time of day.
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, fmt.Errorf("%w: want hh:mm:ss", ErrInvalidNumber)
	}
	var total float64
	for i, part := range parts {
		last := i == len(parts)-1
		var v float64
		if last {
			f, err := strconv.ParseFloat(part, 64)
			if err != nil || f < 0 || f >= 60 && len(parts) > 1 || strings.ContainsAny(part, "eEnNiIxX+-") {
				return 0, fmt.Errorf("%w: want hh:mm:ss", ErrInvalidNumber)
			}
			v = f
		} else {
			n, err := strconv.Atoi(part)
			if err != nil || n < 0 || i > 0 && n >= 60 || n > 1e6 {
				return 0, fmt.Errorf("%w: want hh:mm:ss", ErrInvalidNumber)
			}
			v = float64(n)
		}
		total = total*60 + v
	}
	return time.Duration(math.Round(total * 1e9)), nil
}

// parseDate parses dd/mm/yyyy, yyyy-mm-dd or dd.mm.yyyy (one- or two-digit
// day and month).
func parseDate(s string) (time.Time, error) {
	var sep string
	switch {
	case strings.Contains(s, "/"):
		sep = "/"
	case strings.Contains(s, "-"):
		sep = "-"
	case strings.Contains(s, "."):
		sep = "."
	default:
		return time.Time{}, fmt.Errorf("%w: want dd/mm/yyyy", ErrInvalidNumber)
	}
	parts := strings.Split(s, sep)
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("%w: want dd/mm/yyyy", ErrInvalidNumber)
	}
	var n [3]int
	for i, part := range parts {
		v, err := strconv.Atoi(part)
		if err != nil || v < 0 || len(part) > 4 {
			return time.Time{}, fmt.Errorf("%w: want dd/mm/yyyy", ErrInvalidNumber)
		}
		n[i] = v
	}
	d, m, y := n[0], n[1], n[2]
	if sep == "-" || len(parts[0]) == 4 {
		y, m, d = n[0], n[1], n[2]
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, fmt.Errorf("%w: want dd/mm/yyyy", ErrInvalidNumber)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("%w: no such day", ErrInvalidNumber)
	}
	return t, nil
}

// segmentLine parses "segname nsamples".
func (p *headerParser) segmentLine(s string) (Segment, error) {
	f := fieldsSep(s)
	if len(f) < 2 {
		return Segment{}, p.errf("segment length", "", ErrMissingField)
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || n < 0 {
		return Segment{}, p.errf("segment length", f[1], ErrInvalidNumber)
	}
	if f[0] == "" || f[0][0] == '+' || strings.ContainsAny(f[0], "/\\") && f[0] != "~" {
		return Segment{}, p.errf("segment name", f[0], fmt.Errorf("%w: not a record name", ErrBadHeader))
	}
	return Segment{Name: f[0], NSamples: n}, nil
}

// nextField splits off the first whitespace-separated field of s.
func nextField(s string) (field, rest string) {
	s = strings.TrimLeft(s, " \t")
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// signalLine parses "file format[xspf][:skew][+offset] [gain[(baseline)][/units]
// [adcres [adczero [initval [checksum [blocksize [description]]]]]]]".
func (p *headerParser) signalLine(h *Header, s string, index int) (SignalSpec, error) {
	var sig SignalSpec
	var tok string
	tok, s = nextField(s)
	sig.FileName = tok
	tok, s = nextField(s)
	if tok == "" {
		return sig, p.errf("format", "", ErrMissingField)
	}
	if err := p.formatField(&sig, tok); err != nil {
		return sig, err
	}
	if err := CheckFs(h.Fs * float64(sig.SamplesPerFrame)); err != nil {
		return sig, p.errf("samples per frame", tok, fmt.Errorf("%d at %g frames per second: %w", sig.SamplesPerFrame, h.Fs, err))
	}
	hasBaseline := false
	gainTok, s := nextField(s)
	if gainTok != "" {
		g := gainTok
		if i := strings.IndexByte(g, '/'); i >= 0 {
			sig.Units = g[i+1:]
			g = g[:i]
		}
		if i := strings.IndexByte(g, '('); i >= 0 {
			if !strings.HasSuffix(g, ")") {
				return sig, p.errf("baseline", g[i:], fmt.Errorf("%w: missing ')'", ErrInvalidNumber))
			}
			b, err := strconv.ParseInt(g[i+1:len(g)-1], 10, 32)
			if err != nil {
				return sig, p.errf("baseline", g[i+1:len(g)-1], ErrInvalidNumber)
			}
			sig.Baseline = int32(b)
			hasBaseline = true
			g = g[:i]
		}
		v, err := strconv.ParseFloat(g, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return sig, p.errf("gain", g, ErrInvalidNumber)
		}
		sig.Gain = v
	}
	if sig.Units == "" {
		sig.Units = "mV"
	}
	sig.ADCResolution = sig.Format.defaultResolution()
	if tok, s = nextField(s); tok != "" {
		v, err := strconv.Atoi(tok)
		if err != nil || v < 0 || v > 64 {
			return sig, p.errf("ADC resolution", tok, ErrInvalidNumber)
		}
		sig.ADCResolution = v
	}
	if tok, s = nextField(s); tok != "" {
		v, err := strconv.ParseInt(tok, 10, 32)
		if err != nil {
			return sig, p.errf("ADC zero", tok, ErrInvalidNumber)
		}
		sig.ADCZero = int32(v)
	}
	sig.InitialValue = sig.ADCZero
	if tok, s = nextField(s); tok != "" {
		v, err := strconv.ParseInt(tok, 10, 32)
		if err != nil {
			return sig, p.errf("initial value", tok, ErrInvalidNumber)
		}
		sig.InitialValue = int32(v)
	}
	if tok, s = nextField(s); tok != "" {
		v, err := strconv.ParseInt(tok, 10, 64)
		if err != nil {
			return sig, p.errf("checksum", tok, ErrInvalidNumber)
		}
		sig.Checksum = int16(v)
		sig.HasChecksum = true
	}
	if tok, s = nextField(s); tok != "" {
		v, err := strconv.Atoi(tok)
		if err != nil || v < 0 {
			return sig, p.errf("block size", tok, ErrInvalidNumber)
		}
		sig.BlockSize = v
	}
	sig.Description = strings.TrimSpace(s)
	if sig.Description == "" {
		sig.Description = fmt.Sprintf("record %s, signal %d", h.Name, index)
	}
	if !hasBaseline {
		sig.Baseline = sig.ADCZero
	}
	return sig, nil
}

// formatField parses "format[xspf][:skew][+offset]".
func (p *headerParser) formatField(sig *SignalSpec, tok string) error {
	i := 0
	for i < len(tok) && tok[i] >= '0' && tok[i] <= '9' {
		i++
	}
	f, err := strconv.Atoi(tok[:i])
	if err != nil {
		return p.errf("format", tok, ErrInvalidNumber)
	}
	sig.Format = Format(f)
	if !sig.Format.Known() {
		return p.errf("format", tok[:i], ErrUnknownFormat)
	}
	sig.SamplesPerFrame = 1
	rest := tok[i:]
	for rest != "" {
		c := rest[0]
		j := 1
		if j < len(rest) && rest[j] == '-' && c == ':' {
			j++
		}
		for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
			j++
		}
		num := rest[1:j]
		switch c {
		case 'x':
			v, err := strconv.Atoi(num)
			if err != nil || v < 1 || v > 1<<20 {
				return p.errf("samples per frame", num, ErrInvalidNumber)
			}
			sig.SamplesPerFrame = v
		case ':':
			v, err := strconv.Atoi(num)
			if err != nil || v < -(1<<30) || v > 1<<30 {
				return p.errf("skew", num, ErrInvalidNumber)
			}
			sig.Skew = v
		case '+':
			v, err := strconv.ParseInt(num, 10, 64)
			if err != nil || v < 0 {
				return p.errf("byte offset", num, ErrInvalidNumber)
			}
			sig.ByteOffset = v
		default:
			return p.errf("format", tok, fmt.Errorf("%w: unexpected %q", ErrInvalidNumber, c))
		}
		rest = rest[j:]
	}
	return nil
}

// fieldsSep splits s at runs of spaces and tabs, the separators of header
// fields.
func fieldsSep(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' })
}
