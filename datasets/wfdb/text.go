package wfdb

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// TextOptions says how WriteSamples prints a record.
type TextOptions struct {
	// Format is "tsv" (default), "csv" or "json" (one JSON object per row:
	// {"sample":N,"values":[...]}, invalid physical values as null).
	Format string
	// Signals lists the signals to print, in order; nil means all.
	Signals []int
	// Physical prints (digital-baseline)/gain; invalid samples print
	// "NaN" (null in JSON). Without it, digital values print as integers,
	// invalid ones as -32768 (WFDB's invalid value, as rdsamp prints them).
	Physical bool
	// Precision is the number of decimals of physical values (1 to 17).
	// 0 chooses: in tsv 3, as rdsamp -p prints; in csv and json as many as
	// each signal's gain needs for its digital values to read back
	// exactly (LosslessDecimals, at least 3).
	Precision int
	// HighRes prints one row per sample of the fastest signal (rdsamp -H);
	// slower signals repeat their last sample. Without it, one row per
	// frame with multi-sample signals averaged.
	HighRes bool
	// Header prints a first line naming the columns (and, for JSON, the
	// signals' units and the sampling rate).
	Header bool
	// From and To select rows [From, To) by sample number (frames, or
	// high-resolution samples with HighRes); To <= 0 means to the end.
	// Rows outside the record's samples are not printed.
	From, To int64
}

// rdsampInvalid is how rdsamp prints an invalid sample in raw units.
const rdsampInvalid = -32768

// MaxSamplesPerFrame returns the largest samples-per-frame of h's signals
// (the high-resolution rate is Fs times this).
func (h *Header) MaxSamplesPerFrame() int {
	m := 1
	for i := range h.Signals {
		m = max(m, h.Signals[i].SamplesPerFrame)
	}
	return m
}

// WriteSamples prints the samples of rec as rdsamp does (formatting aside):
// each row the sample number then one value per selected signal.
func WriteSamples(w io.Writer, rec *Record, opt TextOptions) error {
	h := rec.Header
	sigs := opt.Signals
	if sigs == nil {
		sigs = make([]int, rec.NumSignals())
		for i := range sigs {
			sigs[i] = i
		}
	}
	for _, s := range sigs {
		if s < 0 || s >= rec.NumSignals() {
			return fmt.Errorf("record %s: no signal %d", h.Name, s)
		}
	}
	var sep byte = '\t'
	switch opt.Format {
	case "", "tsv":
	case "csv":
		sep = ','
	case "json":
	default:
		return fmt.Errorf("unknown text format %q (want tsv, csv or json)", opt.Format)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	var b []byte
	if opt.Header {
		b = appendTextHeader(b, h, sigs, opt, sep)
	}

	// Rows [first, last) in output sample numbers.
	mult := int64(1)
	if opt.HighRes {
		mult = int64(h.MaxSamplesPerFrame())
	}
	start := rec.Start() * mult
	first, last := start, start+int64(rec.NumFrames())*mult
	if opt.From > first {
		first = opt.From
	}
	if opt.To > 0 && opt.To < last {
		last = opt.To
	}
	cols := textColumns(rec, sigs, opt)
	for n := first; n < last; n++ {
		b = appendRow(b, n, n-start, mult, cols, opt, sep)
		if len(b) > 1<<15 {
			if _, err := bw.Write(b); err != nil {
				return err
			}
			b = b[:0]
		}
	}
	if _, err := bw.Write(b); err != nil {
		return err
	}
	return bw.Flush()
}

// textColumn is the source of one printed column: a signal's samples and
// their number per output row step.
type textColumn struct {
	x    []int32
	spf  int64
	spec *SignalSpec
	text [][]byte // preformatted physical values, indexed by v-lo
	lo   int32
	dec  int // decimals of physical values
}

// textColumns returns the columns of the selected signals.
func textColumns(rec *Record, sigs []int, opt TextOptions) []textColumn {
	h := rec.Header
	cols := make([]textColumn, len(sigs))
	for i, s := range sigs {
		c := textColumn{spec: &h.Signals[s], spf: 1}
		if opt.HighRes {
			c.x = rec.HighRes(s)
			c.spf = int64(h.Signals[s].SamplesPerFrame)
		} else {
			c.x = rec.Digital(s)
		}
		if opt.Physical {
			c.dec = physicalDecimals(c.spec, opt)
			c.text, c.lo = physicalTable(c.x, c.spec, c.dec)
		}
		cols[i] = c
	}
	return cols
}

// appendRow appends the row of output sample n, row j of the record held
// (mult output rows per frame).
func appendRow(b []byte, n, j, mult int64, cols []textColumn, opt TextOptions, sep byte) []byte {
	json := opt.Format == "json"
	if json {
		b = append(b, `{"sample":`...)
		b = strconv.AppendInt(b, n, 10)
		b = append(b, `,"values":[`...)
	} else {
		b = strconv.AppendInt(b, n, 10)
	}
	for i := range cols {
		c := &cols[i]
		var v int32
		if mult == 1 {
			v = c.x[j]
		} else {
			t, k := j/mult, j%mult
			v = c.x[t*c.spf+k*c.spf/mult]
		}
		if json {
			if i > 0 {
				b = append(b, ',')
			}
		} else {
			b = append(b, sep)
		}
		switch {
		case !opt.Physical && v == InvalidSample:
			b = strconv.AppendInt(b, rdsampInvalid, 10)
		case !opt.Physical:
			b = strconv.AppendInt(b, int64(v), 10)
		case v == InvalidSample && json:
			b = append(b, "null"...)
		case v == InvalidSample:
			b = append(b, "NaN"...)
		case c.text != nil:
			b = append(b, c.text[v-c.lo]...)
		default:
			b = appendPhysical(b, v, c.spec, c.dec)
		}
	}
	if json {
		b = append(b, "]}"...)
	}
	return append(b, '\n')
}

// appendPhysical formats (v-baseline)/gain with dec decimals (rdsamp -p's
// %.3lf for 3, -P's %.8lf for 8).
func appendPhysical(b []byte, v int32, spec *SignalSpec, dec int) []byte {
	x := (float64(v) - float64(spec.Baseline)) / spec.effectiveGain()
	return strconv.AppendFloat(b, x, 'f', dec, 64)
}

// LosslessDecimals returns the number of decimals with which the physical
// values of a signal of this gain (ADC units per physical unit) read back
// as their digital values: the fewest, at least 3 (rdsamp -p's precision)
// and at most 17, for which either every value k/gain is written exactly
// (an integer gain dividing 10^d: 3 for 200 or 1000) or the rounding stays
// under half of the values' spacing (10^-d < 1/(2 gain)).
func LosslessDecimals(gain float64) int {
	if !(gain > 0) || math.IsInf(gain, 0) {
		return 17
	}
	for d := 3; d < 17; d++ {
		p := math.Pow10(d)
		if gain == math.Trunc(gain) && gain <= p && math.Mod(p, gain) == 0 || p > 2*gain {
			return d
		}
	}
	return 17
}

// physicalDecimals returns the decimals of a signal's physical values
// under opt (see TextOptions.Precision).
func physicalDecimals(spec *SignalSpec, opt TextOptions) int {
	switch {
	case opt.Precision > 0:
		return min(opt.Precision, 17)
	case opt.Format == "" || opt.Format == "tsv":
		return 3
	}
	return LosslessDecimals(spec.effectiveGain())
}

// physicalTable preformats the physical values of every digital value
// between the smallest and largest of x when that range is small, so that
// printing costs a copy per sample.
func physicalTable(x []int32, spec *SignalSpec, dec int) ([][]byte, int32) {
	lo, hi := int32(math.MaxInt32), int32(math.MinInt32)
	for _, v := range x {
		if v == InvalidSample {
			continue
		}
		lo = min(lo, v)
		hi = max(hi, v)
	}
	if lo > hi || int64(hi)-int64(lo) >= 1<<16 || int64(hi)-int64(lo) > int64(len(x)) {
		return nil, 0
	}
	tab := make([][]byte, hi-lo+1)
	var buf []byte
	for i := range tab {
		start := len(buf)
		buf = appendPhysical(buf, lo+int32(i), spec, dec)
		tab[i] = buf[start:len(buf):len(buf)]
	}
	return tab, lo
}

func appendTextHeader(b []byte, h *Header, sigs []int, opt TextOptions, sep byte) []byte {
	if opt.Format == "json" {
		b = append(b, `{"record":`...)
		b = strconv.AppendQuote(b, h.Name)
		fs := h.Fs
		if opt.HighRes {
			fs *= float64(h.MaxSamplesPerFrame())
		}
		b = append(b, `,"fs":`...)
		b = strconv.AppendFloat(b, fs, 'g', -1, 64)
		b = append(b, `,"signals":[`...)
		for i, s := range sigs {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, h.Signals[s].Description)
		}
		b = append(b, `],"units":[`...)
		for i, s := range sigs {
			if i > 0 {
				b = append(b, ',')
			}
			u := "adu"
			if opt.Physical {
				u = h.Signals[s].Units
			}
			b = strconv.AppendQuote(b, u)
		}
		return append(b, "]}\n"...)
	}
	b = append(b, "sample"...)
	for _, s := range sigs {
		b = append(b, sep)
		b = appendCell(b, h.Signals[s].Description, sep)
	}
	return append(b, '\n')
}

// appendCell appends a header cell, quoted as RFC 4180 asks when it holds
// the separator, a quote, a line break or leading or trailing blanks.
func appendCell(b []byte, s string, sep byte) []byte {
	if !strings.ContainsAny(s, string(sep)+"\"\r\n") && strings.TrimSpace(s) == s {
		return append(b, s...)
	}
	b = append(b, '"')
	b = append(b, strings.ReplaceAll(s, `"`, `""`)...)
	return append(b, '"')
}
