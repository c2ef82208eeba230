package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Signals is a recording in physical units, all signals at one rate, as
// read from a CSV or EDF export before it becomes a WFDB record.
type Signals struct {
	// Fs is the sampling frequency in Hz.
	Fs float64
	// Names and Units describe each signal.
	Names []string
	Units []string
	// Data[s] holds signal s in physical units; NaN marks a missing value.
	Data [][]float64
	// Decimals[s] is the largest number of decimals written for a value
	// of signal s in the input (CSV), or -1 when unknown; it lets
	// ToWFDB pick a gain that keeps the values exact.
	Decimals []int
}

// CSVOptions control ReadCSV. The zero value detects everything it can.
type CSVOptions struct {
	// Delimiter separates fields; 0 picks the first of ',', ';', '\t'
	// found in the first line, else runs of blanks. When it is not ',', a
	// comma in a number is its decimal separator ("0,125;-1,5", as
	// spreadsheets write numbers in many locales); a number has at most
	// one of ',' and '.'.
	Delimiter rune
	// Header says whether the first row names the columns: "auto" (or
	// ""), when any of its fields is not a number; "yes"; "no". A second
	// non-numeric row (units, as rdsamp -v prints) is read as units.
	Header string
	// TimeColumn is the column holding the time in seconds ("auto" or
	// "": a column named time, t, sec, seconds, "elapsed time", or with
	// "(ms)"/"_ms" for milliseconds; "none"; or a name or a 1-based index,
	// counted as cut -f and ecg stream --column count).
	// Values may also be written [hh:]mm:ss.sss. An evenly spaced time
	// column (within 1%) gives the rate, whatever Fs says; an uneven one
	// needs Fs.
	TimeColumn string
	// Fs is the sampling frequency in Hz of files without an evenly
	// spaced time column; required for them.
	Fs float64
	// Units for every signal when the file has no units row ("mV" if empty).
	Units string
	// MaxValues bounds the number of values read (default 1<<28).
	MaxValues int
}

// CSVError locates a problem in a CSV file.
type CSVError struct {
	Line   int // 1-based line number, 0 when the problem is the whole file
	Column int // 1-based column, 0 when not about one field
	Err    error
}

func (e *CSVError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("line %d column %d: %v", e.Line, e.Column, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return e.Err.Error()
}

func (e *CSVError) Unwrap() error { return e.Err }

// ErrNoFs is returned when a CSV file has no time column and no Fs was given.
var ErrNoFs = errors.New("sampling frequency unknown: give --fs or a time column")

// ErrNotText is wrapped by the CSVError ReadCSV returns for binary input.
var ErrNotText = errors.New("binary data, not CSV text")

// ReadCSV reads a table of samples, one row per sample time and one column
// per signal (plus an optional time column), as devices and spreadsheet
// tools export them. Blank lines and lines starting with '#' are skipped;
// fields may be quoted with " or '; empty fields and NaN are missing
// values. Every row must have the same number of fields.
func ReadCSV(r io.Reader, opt CSVOptions) (*Signals, error) {
	headerMode := strings.ToLower(opt.Header)
	switch headerMode {
	case "", "auto", "yes", "no":
	default:
		return nil, &CSVError{Err: fmt.Errorf("header %s: want auto, yes or no", wfdb.QuoteInput(opt.Header))}
	}
	if opt.Fs < 0 || math.IsNaN(opt.Fs) || math.IsInf(opt.Fs, 0) {
		return nil, &CSVError{Err: fmt.Errorf("sampling frequency %v: must be positive", opt.Fs)}
	}
	t, err := readTable(r, opt.Delimiter, headerMode, opt.MaxValues)
	if err != nil {
		return nil, err
	}
	tcol, msec, err := t.timeColumn(opt.TimeColumn)
	if err != nil {
		return nil, err
	}
	fs, err := t.rate(tcol, msec, opt.Fs)
	if err != nil {
		return nil, err
	}
	s := &Signals{Fs: fs}
	for c := 0; c < t.ncol; c++ {
		if c == tcol {
			continue
		}
		name := fmt.Sprintf("sig%d", len(s.Names))
		if t.names != nil && t.names[c] != "" {
			name = t.names[c]
		}
		u := opt.Units
		if t.units != nil && strings.TrimSpace(t.units[c]) != "" {
			u = strings.TrimSpace(t.units[c])
		}
		if u == "" {
			u = "mV"
		}
		s.Names = append(s.Names, name)
		s.Units = append(s.Units, u)
		s.Data = append(s.Data, t.cols[c])
		s.Decimals = append(s.Decimals, t.decimals[c])
	}
	if len(s.Data) == 0 {
		return nil, &CSVError{Err: errors.New("no signal columns (only a time column)")}
	}
	return s, nil
}

// csvTable is a CSV file read by columns.
type csvTable struct {
	names, units []string // header rows, nil when absent
	ncol         int
	cols         [][]float64
	decimals     []int // per column, as Signals.Decimals
}

func csvFail(line, col int, format string, args ...any) error {
	return &CSVError{Line: line, Column: col, Err: fmt.Errorf(format, args...)}
}

// readTable reads the rows of a CSV file: an optional header row and
// units row (headerMode "", "auto", "yes", "no"), then at most maxValues
// (0: 1<<28) numbers.
func readTable(r io.Reader, delim rune, headerMode string, maxValues int) (*csvTable, error) {
	if maxValues <= 0 {
		maxValues = 1 << 28
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(256); len(head) == 256 {
		if v, ok := edfLike(head); ok {
			return nil, &CSVError{Err: fmt.Errorf("%w: an EDF header with version field %s (want \"0\"); not read as CSV", ErrNotText, wfdb.QuoteInput(v))}
		}
	}
	t := &csvTable{ncol: -1}
	lineNo, rows := 0, 0
	for {
		line, err := readLine(br, 1<<20)
		if err == errLineTooLong {
			return nil, csvFail(lineNo+1, 0, "line longer than 1 MiB")
		}
		if err != nil && line == "" {
			if err == io.EOF {
				break
			}
			return nil, err
		}
		lineNo++
		line = strings.TrimRight(line, "\r\n")
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // byte-order mark
		}
		if strings.IndexByte(line, 0) >= 0 {
			return nil, csvFail(lineNo, 0, "%w (a NUL byte; UTF-16 text?)", ErrNotText)
		}
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if delim == 0 {
			delim = detectDelimiter(line)
		}
		fields := splitFields(line, delim)
		if t.ncol < 0 {
			t.ncol = len(fields)
		} else if len(fields) != t.ncol {
			return nil, csvFail(lineNo, 0, "%d fields, earlier rows have %d", len(fields), t.ncol)
		}
		comma := delim != ','
		if rows == 0 && t.names == nil && headerMode != "no" && (headerMode == "yes" || !allNumeric(fields, comma)) {
			t.names = fields
			continue
		}
		if rows == 0 && t.names != nil && t.units == nil && headerMode != "no" && !allNumeric(fields, comma) {
			t.units = fields
			continue
		}
		if (rows+1)*t.ncol > maxValues {
			return nil, csvFail(lineNo, 0, "more than %d values", maxValues)
		}
		if err := t.addRow(fields, comma, lineNo); err != nil {
			return nil, err
		}
		rows++
	}
	if rows == 0 {
		return nil, csvFail(0, 0, "no data rows")
	}
	for i := range t.names {
		t.names[i] = strings.TrimSpace(t.names[i])
	}
	return t, nil
}

// addRow parses one data row into the columns.
func (t *csvTable) addRow(fields []string, comma bool, lineNo int) error {
	if t.cols == nil {
		t.cols = make([][]float64, t.ncol)
		t.decimals = make([]int, t.ncol)
	}
	for c, f := range fields {
		v, dec, err := parseCSVValue(f, comma)
		if err != nil {
			return csvFail(lineNo, c+1, "%s: %v", wfdb.QuoteInput(f), err)
		}
		t.cols[c] = append(t.cols[c], v)
		if dec < 0 || t.decimals[c] < 0 {
			t.decimals[c] = -1
		} else {
			t.decimals[c] = max(t.decimals[c], dec)
		}
	}
	return nil
}

// timeColumn resolves CSVOptions.TimeColumn: the 0-based time column (-1
// for none) and whether it holds milliseconds.
func (t *csvTable) timeColumn(spec string) (tcol int, msec bool, err error) {
	tcol = -1
	switch tc := strings.TrimSpace(spec); strings.ToLower(tc) {
	case "none":
	case "", "auto":
		for i, n := range t.names {
			if isTimeName(n) {
				tcol = i
				break
			}
		}
	default:
		for i, n := range t.names {
			if n == tc {
				tcol = i
			}
		}
		if tcol < 0 {
			i, err := strconv.Atoi(tc)
			if err != nil || i < 1 || i > t.ncol {
				return -1, false, csvFail(0, 0, "time column %s: no such column (%d columns, counted from 1)", wfdb.QuoteInput(tc), t.ncol)
			}
			tcol = i - 1
		}
	}
	if tcol >= 0 && t.names != nil {
		ln := strings.ToLower(t.names[tcol])
		msec = strings.Contains(ln, "(ms)") || strings.HasSuffix(ln, "_ms") || strings.Contains(ln, "[ms]") || ln == "ms"
	}
	if tcol >= 0 && t.units != nil && strings.Contains(strings.ToLower(t.units[tcol]), "ms") {
		msec = true
	}
	return tcol, msec, nil
}

// rate returns the sampling rate: from an evenly spaced time column tcol
// (a file's own time column gives its rate), else fs; checked against
// wfdb.MinFs and wfdb.MaxFs.
func (t *csvTable) rate(tcol int, msec bool, fs float64) (float64, error) {
	given := fs
	if tcol >= 0 {
		times := t.cols[tcol]
		if msec {
			times = scaled(times, 1e-3)
		}
		r, err := rateFromTimes(times)
		switch {
		case err == nil:
			fs = r
		case fs == 0:
			return 0, csvFail(0, tcol+1, "time column: %v", err)
		}
	}
	if fs == 0 {
		return 0, ErrNoFs
	}
	if err := wfdb.CheckFs(fs); err != nil {
		if fs != given {
			return 0, csvFail(0, tcol+1, "time step %g s: %w", 1/fs, err)
		}
		return 0, csvFail(0, 0, "%w", err)
	}
	return fs, nil
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most max bytes (without failing for good
// on long lines as bufio.Scanner does: the caller reports it).
func readLine(br *bufio.Reader, max int) (string, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > max {
			return "", errLineTooLong
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		return string(buf), err
	}
}

func detectDelimiter(line string) rune {
	best, bestN := rune(0), 0
	for _, d := range []rune{',', ';', '\t'} {
		if n := strings.Count(line, string(d)); n > bestN {
			best, bestN = d, n
		}
	}
	if best == 0 {
		return ' '
	}
	return best
}

// splitFields splits line at delim (' ' means runs of blanks), removing
// surrounding quotes and blanks from each field.
func splitFields(line string, delim rune) []string {
	var fields []string
	if delim == ' ' {
		fields = strings.Fields(line)
	} else {
		fields = strings.Split(line, string(delim))
	}
	for i, f := range fields {
		f = strings.TrimSpace(f)
		if len(f) >= 2 && (f[0] == '"' && f[len(f)-1] == '"' || f[0] == '\'' && f[len(f)-1] == '\'') {
			f = f[1 : len(f)-1]
		}
		fields[i] = f
	}
	return fields
}

func allNumeric(fields []string, comma bool) bool {
	for _, f := range fields {
		if _, _, err := parseCSVValue(f, comma); err != nil {
			return false
		}
	}
	return true
}

// parseCSVValue parses a number (or [hh:]mm:ss.sss, or a missing value)
// and returns the number of decimals written (-1 with an exponent). With
// comma, a single ',' in a field without '.' is the decimal separator.
func parseCSVValue(f string, comma bool) (float64, int, error) {
	switch strings.ToLower(f) {
	case "", "nan", "na", "-", "null":
		return math.NaN(), 0, nil
	}
	if comma && strings.Count(f, ",") == 1 && !strings.Contains(f, ".") {
		f = strings.Replace(f, ",", ".", 1)
	}
	if strings.Contains(f, ":") {
		parts := strings.Split(f, ":")
		if len(parts) > 3 {
			return 0, 0, errors.New("not a number or time")
		}
		sec := 0.0
		for _, p := range parts {
			v, err := strconv.ParseFloat(p, 64)
			if err != nil || v < 0 || strings.ContainsAny(p, "eExXpPnNiI_") {
				return 0, 0, errors.New("not a number or time")
			}
			sec = sec*60 + v
		}
		return sec, -1, nil
	}
	if strings.ContainsAny(f, "xXpPnNiI_") { // no hex, inf, nan spellings, underscores
		return 0, 0, errors.New("not a number")
	}
	v, err := strconv.ParseFloat(f, 64)
	if err != nil {
		return 0, 0, errors.New("not a number")
	}
	dec := 0
	if strings.ContainsAny(f, "eE") {
		dec = -1
	} else if i := strings.IndexByte(f, '.'); i >= 0 {
		dec = len(f) - i - 1
	}
	return v, dec, nil
}

func isTimeName(n string) bool {
	n = strings.ToLower(strings.Trim(n, " '\""))
	// A unit after the name: "time (s)", "Zeit [ms]", "time_ms".
	if i := strings.IndexAny(n, "([_"); i > 0 {
		switch u := strings.Trim(n[i:], "()[]_ "); u {
		case "s", "sec", "ms":
			n = strings.TrimSpace(n[:i])
		default:
			return false
		}
	}
	switch n {
	case "time", "t", "sec", "secs", "seconds", "elapsed time", "timestamp", "ms",
		"zeit", "tiempo", "temps", "tempo", "tijd": // de, es, fr, it/pt, nl
		return true
	}
	return false
}

func scaled(x []float64, k float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v * k
	}
	return out
}

// rateFromTimes returns the sampling frequency of evenly spaced times.
func rateFromTimes(t []float64) (float64, error) {
	if len(t) < 2 {
		return 0, errors.New("fewer than two times: give --fs")
	}
	for _, v := range t {
		if math.IsNaN(v) {
			return 0, errors.New("missing time value")
		}
	}
	span := t[len(t)-1] - t[0]
	if !(span > 0) {
		return 0, errors.New("times do not increase")
	}
	step := span / float64(len(t)-1)
	for i := 1; i < len(t); i++ {
		if d := t[i] - t[i-1]; math.Abs(d-step) > 0.01*step {
			return 0, fmt.Errorf("uneven time step %.6g s at row %d (mean %.6g s): resample or give --fs", d, i+1, step)
		}
	}
	fs := 1 / step
	// Times printed with limited precision: snap to a near round rate.
	for _, q := range []float64{1, 10, 100, 1000} {
		if r := math.Round(fs*q) / q; math.Abs(r-fs) <= 1e-4*fs {
			return r, nil
		}
	}
	return fs, nil
}

// maxDigital is the largest format-16 value used (−32768 marks invalid).
const maxDigital = 32767

// Conversion says how one signal's physical values became digital ones
// (Signals.Convert).
type Conversion struct {
	Signal   string  // the signal's name
	Units    string  // its physical units
	Gain     float64 // ADC units per physical unit
	Baseline int32   // the ADC value of physical 0
	// Lossless reports that every value reads back as written: with the
	// decimals the input used (CSV), or to within a millionth of the
	// largest magnitude when that is unknown.
	Lossless bool
	// MaxError is the largest difference, in physical units, between a
	// value and its digital value read back, clipped values left out.
	MaxError float64
	// Clipped counts values outside what the gain and 16 bits can hold
	// (ClipLo..ClipHi), stored at the nearest limit: outliers beyond the
	// signal's robust range, kept out of the gain so that they do not
	// cost the rest of the signal its resolution.
	Clipped        int
	ClipLo, ClipHi float64
}

// Warning returns a sentence on what the conversion lost, or "" when it
// was lossless and clipped nothing.
func (c *Conversion) Warning() string {
	var parts []string
	if c.Clipped > 0 {
		parts = append(parts, fmt.Sprintf("%d values outside %.6g..%.6g %s clipped", c.Clipped, c.ClipLo, c.ClipHi, c.Units))
	}
	if !c.Lossless {
		parts = append(parts, fmt.Sprintf("values rounded to 1/%g %s (up to %.3g %s off)", c.Gain, c.Units, c.MaxError, c.Units))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("signal %s: %s at gain %g/%s", c.Signal, strings.Join(parts, "; "), c.Gain, c.Units)
}

// ToWFDB converts s into a WFDB header and digital samples in format 16,
// ready for wfdb.WriteRecord, as Convert does, without its report.
func (s *Signals) ToWFDB(name string, gain float64) (*wfdb.Header, [][]int32, error) {
	h, data, _, err := s.Convert(name, gain)
	return h, data, err
}

// Convert converts s into a WFDB header and digital samples in format 16,
// ready for wfdb.WriteRecord, and says per signal what the conversion kept
// (Conversion; print the Warning of each). When gain is 0, each signal
// gets the gain that keeps its values exact: 10^d for values written with
// d decimals (d ≤ 6), with the baseline centring the signal's range, when
// that fits in 16 bits. Otherwise the gain comes from the signal's robust
// range (its 0.1 % to 99.9 % quantiles, widened twofold about their
// middle) when the whole range is more than 4 times wider, else from the
// whole range: exact (10^d) when that range fits, else the largest gain
// with three significant digits that fits. A few outliers (a single 99999
// in a minute of ECG) are then clipped and counted instead of collapsing
// the signal to a handful of levels. A given gain applies to every signal,
// and values it cannot hold are an error. Missing values become
// wfdb.InvalidSample.
func (s *Signals) Convert(name string, gain float64) (*wfdb.Header, [][]int32, []Conversion, error) {
	if gain < 0 || math.IsNaN(gain) || math.IsInf(gain, 0) {
		return nil, nil, nil, fmt.Errorf("gain %v: must be positive", gain)
	}
	h := &wfdb.Header{Name: name, Fs: s.Fs}
	data := make([][]int32, len(s.Data))
	conv := make([]Conversion, len(s.Data))
	for i, x := range s.Data {
		dec := -1
		if i < len(s.Decimals) {
			dec = s.Decimals[i]
		}
		c := &conv[i]
		c.Signal, c.Units = s.Names[i], sanitizeField(s.Units[i], "mV")
		d, err := digitize(x, gain, dec, c)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("signal %d (%s): %w", i, s.Names[i], err)
		}
		data[i] = d
		h.Signals = append(h.Signals, wfdb.SignalSpec{
			FileName: name + ".dat", Format: wfdb.Format16, SamplesPerFrame: 1,
			Gain: c.Gain, Baseline: c.Baseline, Units: c.Units, ADCResolution: 16,
			Description: sanitizeDesc(s.Names[i], i),
		})
	}
	return h, data, conv, nil
}

// digitize converts x (NaN missing) at gain (0: chosen, see Convert) for
// values written with dec decimals (-1 unknown), filling in c.
func digitize(x []float64, gain float64, dec int, c *Conversion) ([]int32, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if !math.IsNaN(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 0
	}
	g, base := gain, int64(0)
	switch {
	case gain != 0:
		if math.Abs(math.Round(hi*g)) > maxDigital || math.Abs(math.Round(lo*g)) > maxDigital {
			return nil, fmt.Errorf("values %g..%g do not fit 16 bits at gain %g", lo, hi, g)
		}
	default:
		var exact bool
		if g, base, exact = chooseGain(lo, hi, dec); !exact {
			// Outliers must not cost the rest of the signal its
			// resolution: when the range is more than 4 times the
			// robust one, the robust one sets the gain.
			if rlo, rhi := robustRange(x); hi-lo > 4*(rhi-rlo) {
				g, base, _ = chooseGain(max(lo, rlo), min(hi, rhi), dec)
			}
		}
	}
	c.Gain, c.Baseline = g, int32(base)
	c.ClipLo, c.ClipHi = float64(-maxDigital-base)/g, float64(maxDigital-base)/g
	d := make([]int32, len(x))
	var mag float64
	for k, v := range x {
		if math.IsNaN(v) {
			d[k] = wfdb.InvalidSample
			continue
		}
		qf := math.Round(v*g) + float64(base)
		if qf > maxDigital || qf < -maxDigital {
			c.Clipped++
			d[k] = int32(min(max(qf, -maxDigital), maxDigital))
			continue
		}
		q := int64(qf)
		d[k] = int32(q)
		c.MaxError = max(c.MaxError, math.Abs(float64(q-base)/g-v))
		mag = max(mag, math.Abs(v))
	}
	tol := 1e-6 * mag
	if dec >= 0 {
		tol = 0.5 * math.Pow10(-dec) * (1 - 1e-9)
	}
	c.Lossless = c.MaxError <= tol
	return d, nil
}

// robustRange returns the 0.1 % and 99.9 % quantiles of the values of x
// that are not NaN (from at most 2^18 of them, evenly strided), widened
// twofold about their middle.
func robustRange(x []float64) (lo, hi float64) {
	stride := max(1, len(x)>>18)
	v := make([]float64, 0, len(x)/stride+1)
	for k := 0; k < len(x); k += stride {
		if !math.IsNaN(x[k]) {
			v = append(v, x[k])
		}
	}
	if len(v) == 0 {
		return 0, 0
	}
	slices.Sort(v)
	q := func(p float64) float64 { return v[int(math.Round(p*float64(len(v)-1)))] }
	a, b := q(0.001), q(0.999)
	mid, half := (a+b)/2, (b-a)/2
	return mid - 2*half, mid + 2*half
}

// chooseGain picks gain and baseline for values in [lo, hi] written with
// dec decimals (-1 unknown); exact reports that the gain is 10^dec, which
// keeps such values exact.
func chooseGain(lo, hi float64, dec int) (g float64, base int64, exact bool) {
	mid := (lo + hi) / 2
	if dec >= 0 && dec <= 6 {
		g := math.Pow10(dec)
		base := -int64(math.Round(mid * g))
		if float64(int64(math.Round(hi*g))+base) <= maxDigital && float64(int64(math.Round(lo*g))+base) >= -maxDigital {
			// Prefer the smallest baseline shift: 0 when the range fits.
			if math.Round(hi*g) <= maxDigital && math.Round(lo*g) >= -maxDigital {
				base = 0
			}
			return g, base, true
		}
	}
	span := max(math.Abs(hi-mid), math.Abs(lo-mid))
	if span == 0 {
		span = 1
	}
	g = float64(maxDigital-1) / span
	// Three significant digits, rounded down so that the range fits.
	e := math.Pow10(int(math.Floor(math.Log10(g))) - 2)
	g = math.Floor(g/e) * e
	b := -math.Round(mid * g)
	if math.Abs(b) > math.MaxInt32/2 {
		// Values far from zero with a tiny spread: a smaller gain keeps
		// the baseline representable.
		g = math.Max(1e-300, float64(math.MaxInt32/2)/math.Max(math.Abs(mid), 1))
		b = -math.Round(mid * g)
	}
	return g, int64(b), false
}

// sanitizeField makes s usable as a blank-free header field.
func sanitizeField(s, def string) string {
	s = strings.Join(strings.Fields(s), "_")
	if s == "" {
		return def
	}
	return s
}

func sanitizeDesc(s string, i int) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return fmt.Sprintf("signal %d", i)
	}
	return s
}
