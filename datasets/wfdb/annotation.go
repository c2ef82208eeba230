package wfdb

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/internal/atomicfile"
)

// Annotation is one entry of an MIT-format annotation file.
type Annotation struct {
	// Sample is the time of the annotation in samples (frames) from the
	// start of the record.
	Sample int64
	// Type is the annotation code (beat type, rhythm change, ...).
	Type Code
	// Subtype is the annotation subtype, -128..127 (WFDB "subtyp"); it
	// applies to this annotation only.
	Subtype int
	// Chan is the signal number the annotation refers to, 0..255.
	Chan int
	// Num is the annotator number, -128..127.
	Num int
	// Aux is the auxiliary information, at most 255 bytes; for rhythm
	// changes the rhythm ("(N", "(AFIB"), often with a trailing NUL.
	Aux string
}

// The MIT annotation word: a 6-bit code above a 10-bit field that is a
// time difference for annotation codes and an argument for the
// pseudo-annotations 59..63.
const (
	wordCodeShift = 10
	wordData      = 0x3ff // 10-bit data field
	maxRR         = 0x3ff // longest time difference a word can hold

	pseudoSkip = 59 // next 4 bytes: a signed 32-bit interval, high word first
	pseudoNum  = 60 // data: num of this and later annotations
	pseudoSub  = 61 // data: subtype of this annotation
	pseudoChan = 62 // data: chan of this and later annotations
	pseudoAux  = 63 // low 8 bits: length of aux bytes that follow, padded to even

	maxSkip = 0x7fffffff
	minSkip = -0x7fffffff

	// MaxAnnotationSample bounds |Sample| on writing (2^40 samples, 34
	// years at 1 kHz), so that no annotation needs more than 512 SKIPs.
	MaxAnnotationSample = 1 << 40
)

// AnnotationError reports a malformed annotation file: the file (when
// known), the byte offset where the problem lies, and what is wrong.
type AnnotationError struct {
	File   string // file name, "" when decoding a plain io.Reader
	Offset int64  // byte offset of the offending word (or of the cut SKIP interval or AUX bytes)
	Err    error  // what is wrong; io.ErrUnexpectedEOF for a truncated file
}

func (e *AnnotationError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("annotations: byte %d: %v", e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: byte %d: %v", e.File, e.Offset, e.Err)
}

func (e *AnnotationError) Unwrap() error { return e.Err }

// errTruncated describes an annotation file that ends before its end marker.
type truncatedError struct{ what string }

func (e *truncatedError) Error() string {
	return "annotation file truncated (" + e.what + ")"
}
func (e *truncatedError) Unwrap() error { return io.ErrUnexpectedEOF }

// annReader reads little-endian words from the file's bytes.
type annReader struct {
	data []byte
	off  int64
}

func (ar *annReader) word() (uint16, error) {
	rest := ar.data[ar.off:]
	switch len(rest) {
	case 0:
		return 0, io.EOF
	case 1:
		return 0, io.ErrUnexpectedEOF
	}
	ar.off += 2
	return uint16(rest[0]) | uint16(rest[1])<<8, nil
}

// bytes returns the next n bytes.
func (ar *annReader) bytes(n int) ([]byte, error) {
	rest := ar.data[ar.off:]
	if len(rest) < n {
		return nil, io.ErrUnexpectedEOF
	}
	ar.off += int64(n)
	return rest[:n], nil
}

// skip reads the 32-bit interval of a SKIP: two 16-bit words, the high
// word first (PDP-11 order), as a signed value.
func (ar *annReader) skip() (int64, error) {
	hi, err := ar.word()
	if err != nil {
		return 0, err
	}
	lo, err := ar.word()
	if err != nil {
		return 0, err
	}
	return int64(int32(uint32(hi)<<16 | uint32(lo))), nil
}

// DecodeAnnotations reads an MIT-format annotation file from r, applying
// the format as the WFDB library's getann does: the time field of each
// word is added to the running time; a SKIP adds its 32-bit interval to the
// time of the next annotation; SUB and AUX apply to the annotation they
// follow; CHAN and NUM set the field of the annotation they follow and of
// every later one until changed; a zero word ends the file (bytes after it
// are ignored).
//
// The annotations are returned as stored, including any leading
// annotation-definition notes (NOTE annotations at time 0 such as
// "## time resolution: 360") that the WFDB library consumes silently;
// SplitDefinitions gives what WFDB returns, and ReadAnnotations applies it.
//
// A file that ends before its end marker yields the annotations read so
// far together with an *AnnotationError wrapping io.ErrUnexpectedEOF.
// Memory use is bounded by the input size: every annotation takes at least
// two bytes of input, and Aux at most 255 bytes.
func DecodeAnnotations(r io.Reader) ([]Annotation, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &AnnotationError{Offset: int64(len(data)), Err: err}
	}
	return decodeAnnotations(data)
}

// decodeAnnotations decodes a whole annotation file held in data.
func decodeAnnotations(data []byte) ([]Annotation, error) {
	ar := &annReader{data: data}
	var (
		t     int64
		chan_ int
		num   int
	)
	// Most annotations take one word: size the slice once.
	anns := make([]Annotation, 0, min(len(data)/2, 1<<20))
	fail := func(off int64, err error) ([]Annotation, error) {
		return anns, &AnnotationError{Offset: off, Err: err}
	}
	truncated := func(what string, err error) ([]Annotation, error) {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fail(ar.off, &truncatedError{what})
		}
		return fail(ar.off, err)
	}

	w, err := ar.word()
	if err != nil {
		return truncated("no end marker", err)
	}
	// Leading SKIPs move the time of the first annotation.
	for w>>wordCodeShift == pseudoSkip {
		d, err := ar.skip()
		if err != nil {
			return truncated("in SKIP interval", err)
		}
		t += d
		if w, err = ar.word(); err != nil {
			return truncated("no end marker", err)
		}
	}
	for w != 0 {
		code := w >> wordCodeShift
		if code >= pseudoSkip {
			return fail(ar.off-2, fmt.Errorf("pseudo-annotation word %#04x (code %d) before the first annotation", w, code))
		}
		t += int64(w & wordData)
		a := Annotation{Sample: t, Type: Code(code), Chan: chan_, Num: num}
		for {
			if w, err = ar.word(); err != nil {
				if err == io.EOF {
					// Whole annotation read, but no end marker:
					// WFDB returns it, then reports the EOF.
					anns = append(anns, a)
				}
				return truncated("no end marker", err)
			}
			code := w >> wordCodeShift
			if code < pseudoSkip {
				break
			}
			data := int(w & wordData)
			switch code {
			case pseudoSkip:
				d, err := ar.skip()
				if err != nil {
					return truncated("in SKIP interval", err)
				}
				t += d
			case pseudoSub:
				a.Subtype = int(int8(data))
			case pseudoChan:
				chan_ = int(uint8(data))
				a.Chan = chan_
			case pseudoNum:
				num = int(int8(data))
				a.Num = num
			case pseudoAux:
				n := data & 0xff
				b, err := ar.bytes((n + 1) &^ 1)
				if err != nil {
					return truncated(fmt.Sprintf("in %d-byte AUX", n), err)
				}
				a.Aux = string(b[:n])
			}
		}
		anns = append(anns, a)
	}
	return anns, nil
}

// EncodeAnnotations writes anns to w in MIT format, in the order given,
// exactly as the WFDB library's putann followed by the end marker that
// annclose writes: a SKIP precedes an annotation more than 1023 samples
// after the previous one (or before it), and NotQRS annotations (code 0,
// whose word could read as the end marker) are written as a SKIP to one
// sample earlier and a word with time difference 1; SUB follows when
// Subtype != 0, CHAN and NUM when they differ from the previous
// annotation's (both start at 0), AUX when Aux is not empty.
// WriteAnnotations sorts; EncodeAnnotations does not.
func EncodeAnnotations(w io.Writer, anns []Annotation) error {
	for i := range anns {
		if err := checkAnnotation(&anns[i]); err != nil {
			return fmt.Errorf("annotation %d (sample %d): %w", i, anns[i].Sample, err)
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var buf [8]byte
	put16 := func(v uint16) {
		buf[0], buf[1] = byte(v), byte(v>>8)
		bw.Write(buf[:2])
	}
	putSkip := func(d int64) {
		put16(pseudoSkip << wordCodeShift)
		u := uint32(int32(d))
		put16(uint16(u >> 16))
		put16(uint16(u))
	}
	var prev Annotation
	for i := range anns {
		a := &anns[i]
		delta := a.Sample - prev.Sample
		for delta > maxSkip {
			putSkip(maxSkip)
			delta -= maxSkip
		}
		for delta < minSkip {
			putSkip(minSkip)
			delta -= minSkip
		}
		if a.Type == NotQRS {
			putSkip(delta - 1)
			delta = 1
		} else if delta < 0 || delta > maxRR {
			putSkip(delta)
			delta = 0
		}
		put16(uint16(a.Type)<<wordCodeShift | uint16(delta))
		if a.Subtype != 0 {
			put16(pseudoSub<<wordCodeShift | uint16(a.Subtype)&wordData)
		}
		if a.Chan != prev.Chan {
			put16(pseudoChan<<wordCodeShift | uint16(a.Chan)&wordData)
		}
		if a.Num != prev.Num {
			put16(pseudoNum<<wordCodeShift | uint16(a.Num)&wordData)
		}
		if n := len(a.Aux); n > 0 {
			put16(pseudoAux<<wordCodeShift | uint16(n))
			bw.WriteString(a.Aux)
			if n&1 == 1 {
				bw.WriteByte(0)
			}
		}
		prev = *a
	}
	put16(0)
	return bw.Flush()
}

// checkAnnotation rejects fields the MIT format cannot hold.
func checkAnnotation(a *Annotation) error {
	switch {
	case a.Type > MaxFileCode:
		return fmt.Errorf("type %d out of range 0..%d", a.Type, MaxFileCode)
	case a.Subtype < -128 || a.Subtype > 127:
		return fmt.Errorf("subtype %d out of range -128..127", a.Subtype)
	case a.Chan < 0 || a.Chan > 255:
		return fmt.Errorf("chan %d out of range 0..255", a.Chan)
	case a.Num < -128 || a.Num > 127:
		return fmt.Errorf("num %d out of range -128..127", a.Num)
	case len(a.Aux) > 255:
		return fmt.Errorf("aux of %d bytes (at most 255)", len(a.Aux))
	case a.Sample < -MaxAnnotationSample || a.Sample > MaxAnnotationSample:
		return fmt.Errorf("sample out of range ±2^40")
	}
	return nil
}

// AnnotationPath returns the file name of annotator ann of the record at
// recordPath (with or without ".hea"): "data/100" and "atr" give
// "data/100.atr".
func AnnotationPath(recordPath, annotator string) string {
	return strings.TrimSuffix(recordPath, ".hea") + "." + annotator
}

// ReadAnnotations reads the annotation file of annotator (such as "atr")
// for the record at recordPath (with or without ".hea") and returns the
// annotations the WFDB library would return (see SplitDefinitions: the
// definition table that wrann writes at the start is left out). Errors
// name the file; a truncated file returns the annotations before the cut
// together with an *AnnotationError. Times are returned in the file's own
// ticks: a "## time resolution" different from the record's frame rate
// (which WFDB would rescale) is not applied.
func ReadAnnotations(recordPath, annotator string) ([]Annotation, error) {
	if err := checkAnnotatorName(annotator); err != nil {
		return nil, err
	}
	path := AnnotationPath(recordPath, annotator)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	anns, err := decodeAnnotations(data)
	var ae *AnnotationError
	if errors.As(err, &ae) {
		ae.File = path
	}
	anns, _ = SplitDefinitions(anns)
	return anns, err
}

// WriteAnnotations writes anns as annotator (such as "atr") of the record
// at recordPath, atomically. Like WFDB's annclose (which runs sortann on
// out-of-order files), it writes the annotations in canonical order: by
// Sample, then Num, then Chan (a stable sort; anns is not modified). When
// the first annotation is one that WFDB readers would take for part of a
// definition table (a NotQRS annotation, or a NOTE at sample 0 with
// subtype 0), a NotQRS annotation at sample 0 is written before it, which
// those readers (and ReadAnnotations) drop, so that the file reads back as
// anns. Fields the format cannot hold are an error and nothing is
// written.
func WriteAnnotations(recordPath, annotator string, anns []Annotation) error {
	if err := checkAnnotatorName(annotator); err != nil {
		return err
	}
	sorted := slices.Clone(anns)
	slices.SortStableFunc(sorted, func(a, b Annotation) int {
		return cmp.Or(cmp.Compare(a.Sample, b.Sample), cmp.Compare(a.Num, b.Num), cmp.Compare(a.Chan, b.Chan))
	})
	path := AnnotationPath(recordPath, annotator)
	for i := range sorted {
		if err := checkAnnotation(&sorted[i]); err != nil {
			return fmt.Errorf("%s: annotation at sample %d: %w", path, sorted[i].Sample, err)
		}
	}
	sorted = protectFirst(sorted)
	return atomicfile.WriteFile(path, func(w io.Writer) error {
		return EncodeAnnotations(w, sorted)
	})
}

// checkAnnotatorName accepts names WFDB accepts: letters, digits, '_', '-',
// '.', not empty, no path separators.
func checkAnnotatorName(name string) error {
	if name == "" {
		return errors.New("annotator name is empty")
	}
	for _, r := range name {
		ok := r == '_' || r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok || name == "." || name == ".." || strings.ContainsRune(name, filepath.Separator) {
			return fmt.Errorf("annotator name %q: only letters, digits, '_', '-' and '.' are allowed", name)
		}
	}
	return nil
}

// AnnotationDefs are the settings that the definition notes at the start
// of an annotation file carry (see SplitDefinitions).
type AnnotationDefs struct {
	// Resolution is the time resolution in ticks per second from a
	// "## time resolution: F" note (wrann writes the record's frame
	// rate), 0 if absent.
	Resolution float64
	// Symbols and Descriptions are the mnemonics and descriptions that
	// "CODE MNEMONIC DESCRIPTION" notes define; nil if none.
	Symbols      map[Code]string
	Descriptions map[Code]string
	// Notes are the Aux strings of all the consumed notes.
	Notes []string
}

// protectFirst prepends a NotQRS annotation at sample 0 when WFDB readers
// would swallow the first annotation of anns (see SplitDefinitions).
func protectFirst(anns []Annotation) []Annotation {
	if len(anns) > 0 && (anns[0].Type == NotQRS || isDefinitionNote(&anns[0])) {
		return slices.Insert(anns, 0, Annotation{Type: NotQRS})
	}
	return anns
}

// isDefinitionNote reports whether a is a note of the kind the WFDB
// library reads as a setting at the start of a file.
func isDefinitionNote(a *Annotation) bool {
	return a.Sample == 0 && a.Type == Note && a.Subtype == 0
}

// SplitDefinitions returns the annotations that the WFDB library (getann,
// and hence rdann) returns for a file whose raw content is anns, and the
// settings it reads instead: WFDB consumes every leading NOTE annotation
// at sample 0 with subtype 0 as an entry of the annotation-definition
// table ("## time resolution: 360", "## annotation type definitions",
// "42 K custom beat", "## end of definitions"), and it also drops the
// annotation that ends that table when it is a NotQRS one (wrann and
// putann write such a terminator). The rule is WFDB's, including its
// corner cases: a first NotQRS annotation is dropped even without a table,
// and when every annotation is such a note, the last one comes back if its
// Aux is empty.
func SplitDefinitions(anns []Annotation) (visible []Annotation, defs AnnotationDefs) {
	i := 0
	for i < len(anns) && isDefinitionNote(&anns[i]) {
		defs.parse(anns[i].Aux)
		i++
	}
	if i == len(anns) {
		if i > 0 && anns[i-1].Aux == "" {
			return anns[i-1:], defs
		}
		return anns[i:], defs
	}
	if anns[i].Type == NotQRS {
		i++
	}
	return anns[i:], defs
}

// parse reads one definition note as WFDB's get_ann_table does.
func (d *AnnotationDefs) parse(aux string) {
	d.Notes = append(d.Notes, aux)
	if i := strings.IndexByte(aux, 0); i >= 0 {
		aux = aux[:i]
	}
	if aux == "" {
		return
	}
	if aux[0] == '#' {
		if rest, ok := strings.CutPrefix(aux, "## time resolution:"); ok {
			f, err := strconv.ParseFloat(leadingNumber(rest), 64)
			if err == nil {
				d.Resolution = f
			}
		}
		return
	}
	blank := func(r rune) bool { return r == ' ' || r == '\t' }
	rest := strings.TrimLeft(aux, " \t")
	num := leadingNumber(rest)
	code, err := strconv.Atoi(strings.TrimPrefix(num, "+"))
	if err != nil || code < 0 || code > int(MaxStdCode) || strings.ContainsAny(num, ".eE") {
		return
	}
	rest = rest[len(num):]
	if i := strings.IndexFunc(rest, blank); i >= 0 {
		rest = rest[i:]
	} else {
		rest = ""
	}
	rest = strings.TrimLeft(rest, " \t")
	mnemonic, desc := rest, ""
	if i := strings.IndexFunc(rest, blank); i >= 0 {
		mnemonic, desc = rest[:i], rest[i+1:]
	}
	if mnemonic == "" {
		return
	}
	if d.Symbols == nil {
		d.Symbols, d.Descriptions = map[Code]string{}, map[Code]string{}
	}
	d.Symbols[Code(code)] = mnemonic
	d.Descriptions[Code(code)] = desc
}

// leadingNumber returns the longest prefix of s (after blanks) that looks
// like a decimal number, as strtol/strtod would read it.
func leadingNumber(s string) string {
	s = strings.TrimLeft(s, " \t\n\r")
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	start := i
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == start {
		return ""
	}
	return s[:i]
}
