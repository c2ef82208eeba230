package wfdb

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseTime converts a WFDB time string into a sample number at fs
// samples per second, as WFDB's strtim does for the forms that do not
// depend on a record:
//
//	"s12500"        sample number 12500
//	"50", "0.002"   seconds
//	"mm:ss"         minutes and seconds ("1:30.5")
//	"hh:mm:ss.sss"  hours, minutes and seconds
//
// Seconds are converted as WFDB does, (seconds*fs + 0.5) truncated, with
// seconds = 3600*h + 60*m + s computed in float64 in that order, so that a
// time gives the same sample here as in rdsamp and rdann. Leading and
// trailing blanks are ignored. Unlike strtim, which reads garbage as 0,
// anything else is an error, and so are negative times (strtim's
// time-of-day forms "[hh:mm:ss]" and the record-relative "e", "i", "c"
// forms are not supported).
func ParseTime(s string, fs float64) (int64, error) {
	orig := s
	s = strings.Trim(s, " \t\r\n")
	bad := func(why string) (int64, error) {
		return 0, fmt.Errorf("time %q: %s", orig, why)
	}
	if s == "" {
		return bad("empty")
	}
	if s[0] == 's' {
		digits := s[1:]
		if digits == "" || strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			return bad("sample number must be digits after 's'")
		}
		n, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return bad("sample number out of range")
		}
		return n, nil
	}
	if !(fs > 0) || math.IsInf(fs, 0) {
		return bad(fmt.Sprintf("sampling frequency %v is not positive", fs))
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return bad("more than three ':'-separated fields")
	}
	var v [3]float64
	for i, p := range parts {
		if !plainNumber(p) {
			return bad("want seconds, mm:ss or hh:mm:ss.sss")
		}
		x, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return bad("want seconds, mm:ss or hh:mm:ss.sss")
		}
		v[i] = x
	}
	var sec float64
	switch len(parts) {
	case 1:
		sec = v[0]
	case 2:
		sec = float64(60.0*v[0]) + v[1]
	case 3:
		sec = float64(float64(3600.0*v[0])+float64(60.0*v[1])) + v[2]
	}
	x := float64(sec*fs) + 0.5
	if x >= math.MaxInt64/2 || math.IsNaN(x) {
		return bad("out of range")
	}
	return int64(x), nil
}

// FormatTime formats the time of sample at fs samples per second as rdann
// prints its first column (WFDB's mstimstr for an elapsed time):
// "    0:00.050", "   12:34.567", " 1:02:03.004" (hours appear only when
// nonzero, and widen beyond two digits as needed). Milliseconds are
// rounded half up, carrying into the seconds as WFDB does. Negative
// samples are formatted as their absolute value, as in WFDB.
func FormatTime(sample int64, fs float64) string {
	return string(appendTime(make([]byte, 0, 16), sample, fs))
}

// appendTime appends FormatTime(sample, fs) to b.
func appendTime(b []byte, t int64, f float64) []byte {
	if t < 0 {
		t = -t
	}
	if !(f > 0) {
		f = 1
	}
	// WFDB: s = (WFDB_Time)(t/f); msec = (int)((t - s*f)*1000/f + 0.5).
	// Each step is rounded to float64 as in C (no fused multiply-add).
	ft := float64(t)
	s := int64(ft / f)
	rem := ft - float64(float64(s)*f)
	msec := int64(float64(float64(rem*1000)/f) + 0.5)
	if msec == 1000 {
		msec = 0
		s++
	}
	seconds := s % 60
	s /= 60
	minutes := s % 60
	hours := s / 60
	if hours > 0 {
		b = appendPad(b, hours, 2, ' ')
		b = append(b, ':')
		b = appendPad(b, minutes, 2, '0')
	} else {
		b = append(b, "   "...)
		b = appendPad(b, minutes, 2, ' ')
	}
	b = append(b, ':')
	b = appendPad(b, seconds, 2, '0')
	b = append(b, '.')
	return appendPad(b, msec, 3, '0')
}

// appendPad appends v (non-negative) right-aligned in width, padded with pad.
func appendPad(b []byte, v int64, width int, pad byte) []byte {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	for n := len(d) - i; n < width; n++ {
		b = append(b, pad)
	}
	return append(b, d[i:]...)
}

// plainNumber reports whether p is a decimal number without sign: digits
// with at most one '.', and an optional exponent ("1e3", "2.5E-1").
func plainNumber(p string) bool {
	mant, exp, hasExp := strings.Cut(strings.ToLower(p), "e")
	digits, dots := 0, 0
	for _, r := range mant {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.':
			dots++
		default:
			return false
		}
	}
	if digits == 0 || dots > 1 {
		return false
	}
	if hasExp {
		exp = strings.TrimLeft(exp, "+-")
		if len(exp) == 0 || len(exp) > 4 || strings.Trim(exp, "0123456789") != "" || strings.Count(p, "+")+strings.Count(p, "-") > 1 {
			return false
		}
	}
	return true
}

// Clock formats annotation times as rdann prints them by default: as
// times of day, "[08:30:00.050]" ("[00:00:01.028 1]" once past midnight,
// the number of days appended) or "[08:30:00.050 01/02/2000]" when the
// header gives a date, for records whose header gives a base time or date
// that is not zero; otherwise as FormatTime (rdann -e, elapsed time).
type Clock struct {
	fs       float64
	baseMs   float64   // base time in milliseconds since midnight
	date     time.Time // base date, zero if none
	absolute bool
}

// NewClock returns the Clock of records with header h.
func NewClock(h *Header) Clock {
	c := Clock{fs: h.Fs, date: h.BaseDate}
	if h.HasBaseTime {
		c.baseMs = float64(h.BaseTime.Milliseconds())
	}
	// WFDB prints elapsed times when base time and date are both zero.
	c.absolute = c.baseMs != 0 || !h.BaseDate.IsZero()
	if !(c.fs > 0) {
		c.fs = 1
	}
	return c
}

// Absolute reports whether c prints times of day.
func (c Clock) Absolute() bool { return c.absolute }

// Format returns the time of sample as rdann prints it.
func (c Clock) Format(sample int64) string { return string(c.Append(nil, sample)) }

// Append appends Format(sample) to b.
func (c Clock) Append(b []byte, t int64) []byte {
	if !c.absolute {
		return appendTime(b, t, c.fs)
	}
	if t < 0 {
		t = -t
	}
	// Milliseconds since midnight of the base date, each step rounded to
	// float64 as WFDB computes it; milliseconds rounded half up.
	ms := c.baseMs + float64(float64(float64(t)*1000.0)/c.fs)
	s := int64(ms / 1000.0)
	msec := int64(ms - float64(float64(s)*1000.0) + 0.5)
	if msec == 1000 {
		msec = 0
		s++
	}
	days := s / 86400
	s %= 86400
	b = append(b, '[')
	b = appendPad(b, s/3600, 2, '0')
	b = append(b, ':')
	b = appendPad(b, s/60%60, 2, '0')
	b = append(b, ':')
	b = appendPad(b, s%60, 2, '0')
	b = append(b, '.')
	b = appendPad(b, msec, 3, '0')
	switch {
	case !c.date.IsZero():
		d := c.date.AddDate(0, 0, int(days))
		b = append(b, ' ')
		b = appendPad(b, int64(d.Day()), 2, '0')
		b = append(b, '/')
		b = appendPad(b, int64(d.Month()), 2, '0')
		b = append(b, '/')
		b = appendPad(b, int64(d.Year()), 4, ' ')
	case days > 0:
		b = append(b, ' ')
		b = strconv.AppendInt(b, days, 10)
	}
	return append(b, ']')
}
