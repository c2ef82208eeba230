package stream

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Input formats.
const (
	FormatText   = "text"   // text lines, one or more numeric columns
	FormatJSON   = "json"   // JSON lines: {"ecg": 0.12, "ts": 1.5} or {"ecg": [..], "ts": ..}
	FormatBinary = "binary" // raw little-endian int16 samples
)

// DefaultMaxLine is the default longest input line in bytes; longer lines
// are dropped and counted.
const DefaultMaxLine = 4096

// InputOptions say how input bytes become samples in mV.
type InputOptions struct {
	// Format is FormatText (default), FormatJSON or FormatBinary.
	Format string
	// Column is the 1-based column of the ECG value in text lines; 0 means
	// the first column that is not TimeColumn.
	Column int
	// TimeColumn is the 1-based column of a timestamp in text lines, 0 for
	// none. Timestamps give the sampling rate when Config.Fs is 0.
	TimeColumn int
	// Delimiter separates text columns; "" means any run of spaces or
	// tabs, or a single comma or semicolon.
	Delimiter string
	// Field is the JSON member with the ECG value, a number or an array of
	// numbers (consecutive samples); "" means "ecg".
	Field string
	// TimeField is the JSON member with the timestamp (of the first sample
	// when Field is an array); "" means "ts".
	TimeField string
	// TimeUnits are the units of timestamps: "s", "ms", "us", or "" to
	// infer them from the sample spacing (ECG is sampled at 50 Hz or more:
	// spacings of 20 units or more are taken as milliseconds, then
	// microseconds).
	TimeUnits string
	// Units of the values: "mV" (default for text and JSON), "uV", "V", or
	// "adu" (ADC units, default for binary) converted as (v-Baseline)/Gain.
	Units string
	// Gain is ADC units per mV for Units "adu"; 0 means 200 (WFDB's default).
	Gain float64
	// Baseline is the ADC value of 0 mV for Units "adu".
	Baseline float64
	// MaxLine is the longest line in bytes, newline excluded; 0 means
	// DefaultMaxLine.
	MaxLine int
}

// Problem kinds counted by the decoder and reported in status events.
const (
	ProblemMalformed = iota // not a number, NaN, blank, wrong column count, bad JSON
	ProblemTooLong          // longer than MaxLine, dropped unread
	ProblemPartial          // a half line after a reconnection, or a lone trailing byte
	ProblemHeader           // a non-numeric first line, skipped as a column header
	// ProblemHeld counts the samples held in place of a malformed, blank
	// or over-long line: the line stood where a sample was due, so the
	// last good value is repeated (the first good value for bad lines
	// before it) to keep the sample clock: time, heart rate and windows
	// stay true. Message lines (no digit, no NaN) hold no place.
	ProblemHeld
	numProblems
)

// sink receives what the decoder finds, in input order.
type sink interface {
	sample(v, ts float64, hasTS bool)
	problem(kind int)
}

// decoder turns bytes into samples, whatever the chunking of the bytes.
type decoder struct {
	opt      InputOptions
	scale    float64 // mV per unit
	offset   float64 // subtracted before scaling
	delim    []byte
	line     []byte  // the current line, at most MaxLine bytes
	skipping bool    // inside an over-long line
	partial  bool    // drop the next line (after a reconnection)
	lines    int64   // complete lines seen
	odd      []byte  // binary: a byte waiting for its pair
	anySeen  bool    // a sample was decoded
	last     float64 // the last sample decoded, in mV, held in place of bad lines
	owed     int64   // bad lines before the first sample, held with its value
	cur      []byte  // the text line being decoded, trimmed
	autoCols bool    // neither Column nor TimeColumn given: a header may name them
	fields   [][]byte
	out      sink
}

func newDecoder(opt InputOptions, out sink) (*decoder, error) {
	if opt.Format == "" {
		opt.Format = FormatText
	}
	if opt.Field == "" {
		opt.Field = "ecg"
	}
	if opt.TimeField == "" {
		opt.TimeField = "ts"
	}
	if opt.MaxLine == 0 {
		opt.MaxLine = DefaultMaxLine
	}
	if opt.MaxLine < 16 || opt.MaxLine > 1<<24 {
		return nil, fmt.Errorf("stream: max line %d bytes (want 16 to 16M)", opt.MaxLine)
	}
	if opt.Column < 0 || opt.TimeColumn < 0 || opt.Column > 1024 || opt.TimeColumn > 1024 {
		return nil, fmt.Errorf("stream: column %d, time column %d (want 1-1024)", opt.Column, opt.TimeColumn)
	}
	autoCols := opt.Column == 0 && opt.TimeColumn == 0
	if opt.Column == 0 {
		opt.Column = 1
		if opt.TimeColumn == 1 {
			opt.Column = 2
		}
	}
	if opt.Column == opt.TimeColumn {
		return nil, fmt.Errorf("stream: value and time in the same column %d", opt.Column)
	}
	d := &decoder{opt: opt, out: out, scale: 1, delim: []byte(opt.Delimiter), autoCols: autoCols}
	if opt.Units == "" {
		opt.Units = "mV"
		if opt.Format == FormatBinary {
			opt.Units = "adu"
		}
	}
	switch strings.ToLower(opt.Units) {
	case "mv":
	case "uv", "µv":
		d.scale = 1e-3
	case "v":
		d.scale = 1e3
	case "adu":
		g := opt.Gain
		if g == 0 {
			g = 200
		}
		if !(g > 0) || math.IsInf(g, 0) {
			return nil, fmt.Errorf("stream: gain %g (want ADC units per mV, positive)", opt.Gain)
		}
		d.scale, d.offset = 1/g, opt.Baseline
	default:
		return nil, fmt.Errorf("stream: units %q (want mV, uV, V or adu)", opt.Units)
	}
	switch opt.Format {
	case FormatText, FormatJSON, FormatBinary:
	default:
		return nil, fmt.Errorf("stream: input format %q (want text, json or binary)", opt.Format)
	}
	switch opt.TimeUnits {
	case "", "s", "ms", "us":
	default:
		return nil, fmt.Errorf("stream: time units %q (want s, ms or us)", opt.TimeUnits)
	}
	d.opt = opt
	d.line = make([]byte, 0, opt.MaxLine)
	return d, nil
}

func (d *decoder) hasTime() bool {
	return (d.opt.Format == FormatText && (d.opt.TimeColumn > 0 || d.autoCols)) || d.opt.Format == FormatJSON
}

// write decodes p. It never fails: problems are counted.
func (d *decoder) write(p []byte) {
	if d.opt.Format == FormatBinary {
		d.writeBinary(p)
		return
	}
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		chunk := p
		if i >= 0 {
			chunk = p[:i]
		}
		if !d.skipping {
			if len(d.line)+len(chunk) > d.opt.MaxLine {
				d.skipping = true
				d.line = d.line[:0]
			} else {
				d.line = append(d.line, chunk...)
			}
		}
		if i < 0 {
			return
		}
		p = p[i+1:]
		d.endLine()
	}
}

// endLine handles the line in d.line (or an over-long one).
func (d *decoder) endLine() {
	d.lines++
	if d.skipping {
		d.skipping = false
		d.out.problem(ProblemTooLong)
		d.hold()
		return
	}
	line := d.line
	d.line = d.line[:0]
	if d.partial {
		d.partial = false
		if len(bytes.TrimSpace(line)) > 0 {
			d.out.problem(ProblemPartial)
		}
		return
	}
	d.decodeLine(line)
}

// flush ends the input: a last line without a newline is decoded (files
// often lack one); an over-long one is counted.
func (d *decoder) flush() {
	if d.opt.Format == FormatBinary {
		if len(d.odd) > 0 {
			d.odd = d.odd[:0]
			d.out.problem(ProblemPartial)
		}
		return
	}
	if d.skipping || len(d.line) > 0 {
		d.endLine()
	}
}

// reset drops the current partial line and the next line: the input was
// reconnected and may resume in the middle of a line.
func (d *decoder) reset() {
	if len(d.line) > 0 || d.skipping {
		d.out.problem(ProblemPartial)
	}
	d.line = d.line[:0]
	d.skipping = false
	d.odd = d.odd[:0]
	d.partial = d.opt.Format != FormatBinary
}

// emit passes a decoded sample (in input units) on in mV, after the
// samples owed to bad lines before it when it is the first.
func (d *decoder) emit(v, ts float64, hasTS bool) {
	d.last = (v - d.offset) * d.scale
	if !d.anySeen {
		d.anySeen = true
		for ; d.owed > 0; d.owed-- {
			d.out.problem(ProblemHeld)
			d.out.sample(d.last, 0, false)
		}
	}
	d.out.sample(d.last, ts, hasTS)
}

// hold repeats the last sample in place of a bad line, and counts it; a
// bad line before the first sample is owed one, given the first sample's
// value when it comes.
func (d *decoder) hold() {
	if !d.anySeen {
		d.owed++
		return
	}
	d.out.problem(ProblemHeld)
	d.out.sample(d.last, 0, false)
}

func (d *decoder) decodeLine(line []byte) {
	line = bytes.TrimRight(line, "\r")
	t := bytes.TrimSpace(line)
	if len(t) > 0 && t[0] == '#' {
		return
	}
	if len(t) == 0 {
		// A blank line stands where a sample was due (a missing value).
		d.out.problem(ProblemMalformed)
		d.hold()
		return
	}
	if d.opt.Format == FormatJSON {
		d.decodeJSON(t)
		return
	}
	d.cur = t
	d.fields = splitFields(d.fields[:0], t, d.delim)
	need := max(d.opt.Column, d.opt.TimeColumn)
	if len(d.fields) < need {
		d.bad(!isMessage(t))
		return
	}
	v, ok := parseFloat(d.fields[d.opt.Column-1])
	var ts float64
	if ok && d.opt.TimeColumn > 0 {
		ts, ok = parseFloat(d.fields[d.opt.TimeColumn-1])
	}
	if !ok {
		d.bad(!isMessage(t))
		return
	}
	d.emit(v, ts, d.opt.TimeColumn > 0)
}

// namesColumns reports whether the bad text line in d.cur can be a
// column header: it has a letter, and its value field does not spell a
// missing value (NaN, null, NA, Inf), which is a sample that was due.
func (d *decoder) namesColumns() bool {
	if d.opt.Format != FormatText {
		return true
	}
	if !bytes.ContainsFunc(d.cur, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) {
		return false
	}
	if len(d.fields) < d.opt.Column {
		return true
	}
	return !isMissingWord(d.fields[d.opt.Column-1])
}

// isMissingWord reports whether b spells a missing value: NaN, null, NA,
// Inf (any case and sign).
func isMissingWord(b []byte) bool {
	switch strings.ToLower(strings.TrimLeft(string(b), "+-")) {
	case "nan", "null", "na", "inf", "infinity":
		return true
	}
	return false
}

// isMessage reports whether a bad text line is a message rather than a
// damaged sample: it has no digit and no spelling of a missing value (NaN,
// Inf, null), as a device's "lead off" or "battery low" lines. Such a line
// was no sample, so it holds no place in the sample clock.
func isMessage(t []byte) bool {
	if bytes.ContainsAny(t, "0123456789") {
		return false
	}
	l := bytes.ToLower(t)
	return !isMissingWord(l) && !bytes.Contains(l, []byte("nan")) && !bytes.Contains(l, []byte("inf")) && !bytes.Contains(l, []byte("null"))
}

// bad counts a line that is not a sample, and holds its place when it
// stood where a sample was due (held); a non-numeric first line is a
// column header.
func (d *decoder) bad(held bool) {
	if !d.anySeen && d.lines == 1 && d.namesColumns() {
		d.out.problem(ProblemHeader)
		if d.autoCols {
			d.columnsFromHeader()
		}
		return
	}
	d.out.problem(ProblemMalformed)
	if held {
		d.hold()
	}
}

// splitFields splits a trimmed line at delim, or at runs of blanks or
// single commas and semicolons when delim is empty.
func splitFields(dst [][]byte, s, delim []byte) [][]byte {
	if len(delim) > 0 {
		for {
			i := bytes.Index(s, delim)
			if i < 0 {
				return append(dst, bytes.TrimSpace(s))
			}
			dst = append(dst, bytes.TrimSpace(s[:i]))
			s = s[i+len(delim):]
		}
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) {
			c := s[i]
			if c != ',' && c != ';' && c != ' ' && c != '\t' {
				continue
			}
		}
		dst = append(dst, s[start:i])
		if i == len(s) {
			break
		}
		// A comma or semicolon may be surrounded by blanks; runs of blanks are one separator.
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j < len(s) && (s[j] == ',' || s[j] == ';') && (s[i] == ' ' || s[i] == '\t') {
			j++
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
		} else if s[i] == ',' || s[i] == ';' {
			j = i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
		}
		start = j
		i = j - 1
	}
	return dst
}

func (d *decoder) decodeJSON(line []byte) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(line, &m); err != nil {
		d.bad(true)
		return
	}
	raw, ok := m[d.opt.Field]
	if !ok {
		// Another kind of message (a device's status): no sample was due.
		d.bad(false)
		return
	}
	var ts float64
	hasTS := false
	if r, ok := m[d.opt.TimeField]; ok {
		if err := json.Unmarshal(r, &ts); err != nil || math.IsNaN(ts) || math.IsInf(ts, 0) {
			d.bad(true)
			return
		}
		hasTS = true
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		// null marks a missing sample: it holds its place.
		var vs []*float64
		if err := json.Unmarshal(raw, &vs); err != nil || len(vs) == 0 {
			d.bad(true)
			return
		}
		missing := false
		for i, v := range vs {
			if v == nil {
				missing = true
				d.hold()
				continue
			}
			// Timestamps of the later samples of an array are unknown.
			d.emit(*v, ts, hasTS && i == 0)
		}
		if missing {
			d.out.problem(ProblemMalformed)
		}
		return
	}
	v, ok := parseFloat(raw)
	if !ok {
		d.bad(true)
		return
	}
	d.emit(v, ts, hasTS)
}

func (d *decoder) writeBinary(p []byte) {
	if len(d.odd) > 0 && len(p) > 0 {
		d.odd = append(d.odd, p[0])
		p = p[1:]
		d.out.sample((float64(int16(binary.LittleEndian.Uint16(d.odd)))-d.offset)*d.scale, 0, false)
		d.odd = d.odd[:0]
	}
	for len(p) >= 2 {
		d.out.sample((float64(int16(binary.LittleEndian.Uint16(p)))-d.offset)*d.scale, 0, false)
		p = p[2:]
	}
	if len(p) == 1 {
		d.odd = append(d.odd[:0], p[0])
	}
}

// ErrNoRate is returned when the sampling rate is neither given nor
// inferable from timestamps.
var ErrNoRate = errors.New("stream: no sampling rate: give --fs, or timestamps that increase")

// columnsFromHeader reads the column header line in d.fields when no
// column was given: a column named like a time ("time", "t", "ts",
// "timestamp", "sec", "seconds", "time (s)") is the time column, and the
// value is the first other column, so that `ecg simulate --format csv`
// (time,ecg) streams as it reads.
func (d *decoder) columnsFromHeader() {
	tcol := 0
	for i, f := range d.fields {
		name := strings.ToLower(strings.Trim(string(f), `"' `))
		if j := strings.IndexAny(name, " ([_"); j > 0 {
			name = name[:j]
		}
		switch name {
		case "time", "t", "ts", "timestamp", "sec", "seconds", "elapsed":
			tcol = i + 1
		}
		if tcol > 0 {
			break
		}
	}
	if tcol == 0 || len(d.fields) < 2 {
		return
	}
	d.opt.TimeColumn = tcol
	d.opt.Column = 1
	if tcol == 1 {
		d.opt.Column = 2
	}
}
