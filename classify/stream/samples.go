package stream

import (
	"bytes"
	"math"
)

// WriteSamples processes samples given as numbers rather than text: x in
// the input's units (InputOptions.Units, Gain and Baseline convert them
// to mV as the text decoder does), at the stream's rate, which must be
// known (Config.Fs; else ErrNoRate). The events are those of the same
// values written as text lines (strconv.FormatFloat(v, 'g', -1, 64) and a
// newline each), without formatting and parsing them: `ecg serve` hands
// its devices' samples over this way. A NaN or infinite value is a
// missing sample: its place is held by the last value and counted as
// malformed, as a "NaN" line is. Do not mix it with Write in one stream.
func (s *Stream) WriteSamples(x []float64) error {
	if s.err != nil {
		return s.err
	}
	if s.proc == nil {
		return ErrNoRate
	}
	d := s.dec
	for _, v := range x {
		d.lines++
		if math.IsNaN(v) || math.IsInf(v, 0) {
			s.problem(ProblemMalformed)
			d.hold()
			continue
		}
		d.emit(v, 0, false)
	}
	return nil
}

// ParseColumns parses a text line of numeric columns into dst (reset
// first): the columns split as the decoder splits them without a
// Delimiter (runs of spaces or tabs, or one comma or semicolon with
// blanks around it), each a finite decimal number, parsed exactly. It
// returns false, and dst holding the columns before the bad one, for an
// empty line or a column that is not such a number. It is the line
// parser of `ecg serve`'s CSV bodies ("value" or "time,value" lines).
func ParseColumns(dst []float64, line []byte) ([]float64, bool) {
	dst = dst[:0]
	t := bytes.TrimSpace(line)
	if len(t) == 0 {
		return dst, false
	}
	var buf [8][]byte
	for _, f := range splitFields(buf[:0], t, nil) {
		v, ok := parseFloat(f)
		if !ok {
			return dst, false
		}
		dst = append(dst, v)
	}
	return dst, true
}
