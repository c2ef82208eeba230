package wfdb

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/ecgkit/ecg/internal/atomicfile"
)

// WriteHeader writes h in header-file syntax: the record line, then the
// segment lines (multi-segment) or one line per signal with every field,
// then the comments. ParseHeader reads the result back to an equal Header.
// A signal without a checksum is written with checksum 0 when later fields
// (block size, description) must follow it.
func WriteHeader(w io.Writer, h *Header) error {
	var b []byte
	b = append(b, h.Name...)
	nsig := len(h.Signals)
	if h.IsMultiSegment() {
		b = append(b, '/')
		b = strconv.AppendInt(b, int64(len(h.Segments)), 10)
		if h.signalsDeclared > 0 {
			nsig = h.signalsDeclared
		}
	}
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(nsig), 10)
	b = append(b, ' ')
	b = strconv.AppendFloat(b, h.Fs, 'f', -1, 64)
	if h.CounterFreq != 0 || h.BaseCounter != 0 {
		b = append(b, '/')
		b = strconv.AppendFloat(b, h.CounterFreq, 'f', -1, 64)
		if h.BaseCounter != 0 {
			b = append(b, '(')
			b = strconv.AppendFloat(b, h.BaseCounter, 'f', -1, 64)
			b = append(b, ')')
		}
	}
	if h.NSamples > 0 || h.HasBaseTime || !h.BaseDate.IsZero() {
		b = append(b, ' ')
		b = strconv.AppendInt(b, h.NSamples, 10)
	}
	if h.HasBaseTime {
		b = append(b, ' ')
		b = appendClock(b, h.BaseTime)
	}
	if !h.BaseDate.IsZero() {
		b = append(b, ' ')
		b = h.BaseDate.AppendFormat(b, "02/01/2006")
	}
	b = append(b, '\n')
	if h.IsMultiSegment() {
		for _, s := range h.Segments {
			b = append(b, s.Name...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, s.NSamples, 10)
			b = append(b, '\n')
		}
	} else {
		for i := range h.Signals {
			b = appendSignalLine(b, h, i)
		}
	}
	for _, c := range h.Comments {
		b = append(b, '#')
		b = append(b, strings.ReplaceAll(c, "\n", " ")...)
		b = append(b, '\n')
	}
	_, err := w.Write(b)
	return err
}

// appendClock formats a time of day as h:mm:ss with milliseconds if any.
func appendClock(b []byte, d time.Duration) []byte {
	ms := int64(d / time.Millisecond)
	s := ms / 1000
	b = strconv.AppendInt(b, s/3600, 10)
	b = append(b, ':')
	b = append2(b, s/60%60)
	b = append(b, ':')
	b = append2(b, s%60)
	if frac := d % time.Second; frac != 0 {
		f := strconv.FormatFloat(float64(frac)/1e9, 'f', -1, 64)
		b = append(b, f[1:]...)
	}
	return b
}

func append2(b []byte, v int64) []byte {
	if v < 10 {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, v, 10)
}

func appendSignalLine(b []byte, h *Header, i int) []byte {
	s := &h.Signals[i]
	b = append(b, s.FileName...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(s.Format), 10)
	if s.SamplesPerFrame > 1 {
		b = append(b, 'x')
		b = strconv.AppendInt(b, int64(s.SamplesPerFrame), 10)
	}
	if s.Skew != 0 {
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(s.Skew), 10)
	}
	if s.ByteOffset != 0 {
		b = append(b, '+')
		b = strconv.AppendInt(b, s.ByteOffset, 10)
	}
	b = append(b, ' ')
	b = strconv.AppendFloat(b, s.Gain, 'g', -1, 64)
	if s.Baseline != s.ADCZero {
		b = append(b, '(')
		b = strconv.AppendInt(b, int64(s.Baseline), 10)
		b = append(b, ')')
	}
	units := s.Units
	if units == "" {
		units = "mV"
	}
	b = append(b, '/')
	b = append(b, strings.Join(fieldsSep(units), "_")...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(s.ADCResolution), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(s.ADCZero), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(s.InitialValue), 10)
	desc := strings.TrimSpace(strings.NewReplacer("\n", " ", "\r", " ").Replace(s.Description))
	if !s.HasChecksum && s.BlockSize == 0 && (desc == "" || desc == fmt.Sprintf("record %s, signal %d", h.Name, i)) {
		return append(b, '\n')
	}
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(s.Checksum), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(s.BlockSize), 10)
	if desc != "" {
		b = append(b, ' ')
		b = append(b, desc...)
	}
	return append(b, '\n')
}

// SignalFile is one encoded signal file of a record.
type SignalFile struct {
	// Name is the file name (SignalSpec.FileName).
	Name string
	// Data are the file's bytes, the zeros of a byte offset included.
	Data []byte
}

// EncodeRecord encodes a single-segment record: it returns a copy of h
// with NSamples and each signal's initial value and checksum computed
// from data, ready for WriteHeader, and the bytes of its signal files in
// the order the signals first use them. h describes the signals (file
// name, format, samples per frame, gain, baseline, units, ADC resolution
// and zero, description); data[s] holds signal s at its own rate
// (NumFrames*SamplesPerFrame values, InvalidSample where invalid). Format
// 8 stores clamped differences, so its checksum is that of the values a
// reader will get. Byte offsets and skews are kept as given (the offset
// bytes are zeros). Values outside a format's range are clamped to it.
func EncodeRecord(h *Header, data [][]int32) (*Header, []SignalFile, error) {
	if h.IsMultiSegment() {
		return nil, nil, fmt.Errorf("record %s: writing multi-segment records: %w", h.Name, ErrUnsupported)
	}
	if h.Name == "" || strings.ContainsAny(h.Name, "/\\ \t\n") {
		return nil, nil, fmt.Errorf("record name %q: not a valid WFDB record name", h.Name)
	}
	out, nframes, err := withFrames(h, data)
	if err != nil {
		return nil, nil, err
	}
	for s := range out.Signals {
		spec := &out.Signals[s]
		if !spec.Format.Known() || spec.Format == FormatNull {
			return nil, nil, fmt.Errorf("record %s signal %d: format %d: %w", h.Name, s, spec.Format, ErrUnknownFormat)
		}
		if spec.FileName == "" || strings.ContainsAny(spec.FileName, "/\\ \t\n") {
			return nil, nil, fmt.Errorf("record %s signal %d: file name %q: not a plain file name", h.Name, s, spec.FileName)
		}
	}
	gs, err := groups(out)
	if err != nil {
		return nil, nil, err
	}
	var files []SignalFile
	seen := map[string]bool{}
	for _, g := range gs {
		if seen[g.file] {
			return nil, nil, fmt.Errorf("record %s: signal file %s is used by signals that are not consecutive", h.Name, g.file)
		}
		seen[g.file] = true
		body, err := encodeGroup(out, g, data, nframes)
		if err != nil {
			return nil, nil, err
		}
		if g.offset > 0 {
			body = append(make([]byte, g.offset, int64(len(body))+g.offset), body...)
		}
		files = append(files, SignalFile{Name: g.file, Data: body})
	}
	return out, files, nil
}

// WriteRecordTo writes a single-segment record whose signals share one
// signal file: its header to hea and its signal file to dat (see
// EncodeRecord for h and data). Either writer may be io.Discard.
func WriteRecordTo(hea, dat io.Writer, h *Header, data [][]int32) error {
	out, files, err := EncodeRecord(h, data)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return fmt.Errorf("record %s: %d signal files, want one", h.Name, len(files))
	}
	if _, err := dat.Write(files[0].Data); err != nil {
		return err
	}
	return WriteHeader(hea, out)
}

// WriteRecord writes a single-segment record into dir: NAME.hea and its
// signal files (see EncodeRecord), each written atomically.
func WriteRecord(dir string, h *Header, data [][]int32) error {
	out, files, err := EncodeRecord(h, data)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := atomicfile.WriteFile(filepath.Join(dir, f.Name), func(w io.Writer) error {
			_, err := w.Write(f.Data)
			return err
		}); err != nil {
			return err
		}
	}
	return atomicfile.WriteFile(filepath.Join(dir, out.Name+".hea"), func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		if err := WriteHeader(bw, out); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// encodeGroup encodes the signals of group g (frame-interleaved) and sets
// their initial values and checksums in h.
func encodeGroup(h *Header, g group, data [][]int32, nframes int64) ([]byte, error) {
	k := int64(g.spf)
	flat := make([]int32, 0, nframes*k)
	for t := int64(0); t < nframes; t++ {
		for s := g.first; s < g.first+g.n; s++ {
			spf := int64(h.Signals[s].SamplesPerFrame)
			flat = append(flat, data[s][t*spf:(t+1)*spf]...)
		}
	}
	// Values as a reader will see them, for checksums and initial values.
	stored := make([][]int32, g.n)
	lo, hi := g.format.Range()
	for i := 0; i < g.n; i++ {
		spec := &h.Signals[g.first+i]
		x := data[g.first+i]
		v := make([]int32, len(x))
		if g.format == Format8 {
			// Differences clamped to 8 bits; the file cannot mark invalid samples.
			acc := int32(0)
			if len(x) > 0 {
				acc = x[0]
				if acc == InvalidSample {
					acc = -1 << 15
				}
			}
			spec.InitialValue = acc
			for j, y := range x {
				if y == InvalidSample {
					y = -1 << 15
				}
				d := min(max(int64(y)-int64(acc), -128), 127)
				acc += int32(d)
				v[j] = acc
			}
		} else {
			for j, y := range x {
				if y != InvalidSample {
					y = min(max(y, lo), hi)
				}
				v[j] = y
			}
			if len(v) > 0 && v[0] != InvalidSample {
				spec.InitialValue = v[0]
			} else if len(v) > 0 {
				spec.InitialValue = rdsampInvalid // as WFDB's putvec records it
			}
		}
		spec.Checksum = Checksum(v, g.format)
		spec.HasChecksum = true
		stored[i] = v
	}
	if g.format == Format8 {
		// Turn the stored values into differences, frame-interleaved.
		prev := make([]int32, g.n)
		for i := range prev {
			prev[i] = h.Signals[g.first+i].InitialValue
		}
		j := 0
		pos := make([]int, g.n)
		for t := int64(0); t < nframes; t++ {
			for i := 0; i < g.n; i++ {
				spf := h.Signals[g.first+i].SamplesPerFrame
				for c := 0; c < spf; c++ {
					v := stored[i][pos[i]]
					pos[i]++
					flat[j] = v - prev[i]
					prev[i] = v
					j++
				}
			}
		}
	}
	if g.format.IsFLAC() {
		var buf bytes.Buffer
		if err := EncodeFLAC(&buf, g.format, g.n, g.spf/g.n, flat); err != nil {
			return nil, fmt.Errorf("record %s file %s: %w", h.Name, g.file, err)
		}
		return buf.Bytes(), nil
	}
	return EncodeSamples(g.format, make([]byte, 0, g.format.bytesFor(int64(len(flat)))), flat), nil
}

// withFrames checks that data holds whole frames of h's signals, the same
// number for each signal, and returns a copy of h with that number of
// frames (NSamples) and samples per frame of at least 1.
func withFrames(h *Header, data [][]int32) (*Header, int64, error) {
	if len(data) != len(h.Signals) {
		return nil, 0, fmt.Errorf("record %s: %d signals in the header, %d in data", h.Name, len(h.Signals), len(data))
	}
	out := *h
	out.Signals = append([]SignalSpec(nil), h.Signals...)
	nframes := int64(-1)
	for s := range out.Signals {
		spec := &out.Signals[s]
		if spec.SamplesPerFrame < 1 {
			spec.SamplesPerFrame = 1
		}
		n := int64(len(data[s]))
		if n%int64(spec.SamplesPerFrame) != 0 {
			return nil, 0, fmt.Errorf("record %s signal %d: %d samples is not a whole number of %d-sample frames", h.Name, s, n, spec.SamplesPerFrame)
		}
		n /= int64(spec.SamplesPerFrame)
		if nframes >= 0 && n != nframes {
			return nil, 0, fmt.Errorf("record %s signal %d: %d frames, signal 0 has %d", h.Name, s, n, nframes)
		}
		nframes = n
	}
	if nframes < 0 {
		nframes = 0
	}
	out.NSamples = nframes
	return &out, nframes, nil
}
