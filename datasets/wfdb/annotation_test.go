package wfdb

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const annTestdata = "testdata/annotations"

func readTestAnnotations(t testing.TB, name string) ([]Annotation, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(annTestdata, name))
	if err != nil {
		t.Fatal(err)
	}
	anns, err := DecodeAnnotations(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return anns, data
}

// The counts by type are those of `rdann -r 100 -a atr` and
// `rdann -r 203 -a atr` (WFDB 10.7.0); the whole rdann outputs are the
// golden files next to the annotation files.
func TestDecodeMITDB(t *testing.T) {
	for _, tc := range []struct {
		name   string
		total  int
		counts map[string]int
	}{
		{"100.atr", 2274, map[string]int{"N": 2239, "A": 33, "V": 1, "+": 1}},
		{"203.atr", 3108, map[string]int{"N": 2529, "V": 444, "~": 57, "+": 45, "|": 26, "Q": 4, "a": 2, "F": 1}},
	} {
		anns, _ := readTestAnnotations(t, tc.name)
		if len(anns) != tc.total {
			t.Errorf("%s: %d annotations, want %d", tc.name, len(anns), tc.total)
		}
		got := map[string]int{}
		for _, a := range anns {
			got[a.Type.Symbol()]++
		}
		if !reflect.DeepEqual(got, tc.counts) {
			t.Errorf("%s: counts %v, want %v", tc.name, got, tc.counts)
		}
	}
	anns, _ := readTestAnnotations(t, "100.atr")
	want := Annotation{Sample: 18, Type: Rhythm, Aux: "(N\x00"}
	if anns[0] != want {
		t.Errorf("100.atr first annotation %+v, want %+v", anns[0], want)
	}
	if anns[1].Sample != 77 || anns[1].Type != Normal {
		t.Errorf("100.atr second annotation %+v, want N at 77", anns[1])
	}
}

// Our rows equal rdann's, byte for byte.
func TestWriteRdannGolden(t *testing.T) {
	for _, name := range []string{"100.atr", "203.atr"} {
		anns, _ := readTestAnnotations(t, name)
		var buf bytes.Buffer
		if err := WriteRdann(&buf, anns, 360); err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(annTestdata, name+".rdann"))
		if err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(buf.String(), string(want)); d != "" {
			t.Errorf("%s: WriteRdann differs from rdann: %s", name, d)
		}
	}
}

// firstDiff describes the first differing line of got and want, or "".
func firstDiff(got, want string) string {
	if got == want {
		return ""
	}
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ": got " + strconv.Quote(gl) + ", want " + strconv.Quote(wl)
		}
	}
	return "trailing bytes differ"
}

func mustNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Re-encoding the PhysioNet files gives them back byte for byte: our
// writer makes the choices putann makes.
func TestEncodeByteIdentical(t *testing.T) {
	for _, name := range []string{"100.atr", "203.atr"} {
		anns, data := readTestAnnotations(t, name)
		var buf bytes.Buffer
		mustNil(t, EncodeAnnotations(&buf, anns))
		if !bytes.Equal(buf.Bytes(), data) {
			t.Errorf("%s: re-encoded %d bytes differ from the %d original bytes", name, buf.Len(), len(data))
		}
	}
}

// Hand-encoded words exercise every pseudo-annotation and the WFDB state
// rules: SUB and AUX apply to one annotation, CHAN and NUM persist.
func TestDecodeHandEncoded(t *testing.T) {
	w := func(code, data int) []byte {
		v := uint16(code<<10 | data&0x3ff)
		return []byte{byte(v), byte(v >> 8)}
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	file := cat(
		w(1, 100),                   // N at 100
		w(61, 5),                    // SUB 5 for it
		w(62, 2),                    // CHAN 2 from now on
		w(5, 20),                    // V at 120: chan 2, subtype 0
		w(60, 1023),                 // NUM -1 (10-bit 1023 read as signed char)
		w(63, 3), []byte("(VT\x00"), // AUX "(VT" padded to even
		w(59, 0), []byte{1, 0, 2, 0}, // SKIP 0x00010002 = 65538 for the next one
		w(28, 2), // + at 120+65538+2
		w(63, 4), []byte("(N\x00\x00"),
		w(59, 0), []byte{0xff, 0xff, 0xf0, 0xff}, // SKIP -16
		w(0, 1),         // NOTQRS at 65660-16+1
		w(62, 511),      // CHAN 511 -> 255 (unsigned char)
		w(61, 600),      // SUB 600 -> 88 (signed char of 0x258)
		w(0, 0),         // end
		[]byte{1, 2, 3}, // ignored after the end marker
	)
	got, err := DecodeAnnotations(bytes.NewReader(file))
	mustNil(t, err)
	want := []Annotation{
		{Sample: 100, Type: Normal, Subtype: 5, Chan: 2},
		{Sample: 120, Type: PVC, Chan: 2, Num: -1, Aux: "(VT"},
		{Sample: 65660, Type: Rhythm, Chan: 2, Num: -1, Aux: "(N\x00\x00"},
		{Sample: 65645, Type: NotQRS, Chan: 255, Num: -1, Subtype: 88},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("decoded\n%+v\nwant\n%+v", got, want)
	}
	// Our encoder writes the same content (its own canonical bytes) and
	// reads it back identically.
	var buf bytes.Buffer
	mustNil(t, EncodeAnnotations(&buf, want))
	back, err := DecodeAnnotations(&buf)
	mustNil(t, err)
	if !reflect.DeepEqual(back, want) {
		t.Fatalf("round trip\n%+v\nwant\n%+v", back, want)
	}
}

// Encoded bytes for the choices putann makes: SKIP for long and negative
// intervals, a SKIP to t-1 for NotQRS, CHAN/NUM only on change.
func TestEncodeBytes(t *testing.T) {
	anns := []Annotation{
		{Sample: 0, Type: NotQRS},                      // SKIP -1, then word 0|1
		{Sample: 1023, Type: Normal, Chan: 1},          // fits in 10 bits
		{Sample: 2047, Type: Normal, Chan: 1},          // 1024 later: SKIP
		{Sample: 2000, Type: PVC, Num: 3, Subtype: -1}, // backwards: SKIP
		{Sample: 2000, Type: Note, Num: 3, Aux: "ab"},
	}
	var buf bytes.Buffer
	mustNil(t, EncodeAnnotations(&buf, anns))
	want := []byte{
		0x00, 0xec, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, // SKIP -1; NOTQRS +1
		0xff, 0x07, 0x01, 0xf8, // N +1023; CHAN 1
		0x00, 0xec, 0x00, 0x00, 0x00, 0x04, 0x00, 0x04, // SKIP 1024; N +0
		0x00, 0xec, 0xff, 0xff, 0xd1, 0xff, 0x00, 0x14, 0xff, 0xf7, 0x00, 0xf8, 0x03, 0xf0, // SKIP -47; V; SUB -1; CHAN 0; NUM 3
		0x00, 0x58, 0x02, 0xfc, 'a', 'b', // " +0; AUX 2 "ab"
		0x00, 0x00,
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("encoded\n% x\nwant\n% x", buf.Bytes(), want)
	}
	back, err := DecodeAnnotations(bytes.NewReader(want))
	mustNil(t, err)
	if !reflect.DeepEqual(back, anns) {
		t.Fatalf("decoded %+v, want %+v", back, anns)
	}
}

func TestEncodeOutOfRange(t *testing.T) {
	for _, a := range []Annotation{
		{Type: 59}, {Type: 1, Subtype: 128}, {Type: 1, Subtype: -129}, {Type: 1, Chan: 256},
		{Type: 1, Chan: -1}, {Type: 1, Num: 128}, {Type: 1, Num: -129},
		{Type: 1, Aux: strings.Repeat("x", 256)}, {Type: 1, Sample: 1<<40 + 1},
	} {
		if err := EncodeAnnotations(io.Discard, []Annotation{a}); err == nil {
			t.Errorf("%+v: no error", a)
		}
		dir := t.TempDir()
		if err := WriteAnnotations(filepath.Join(dir, "r"), "atr", []Annotation{a}); err == nil {
			t.Errorf("WriteAnnotations %+v: no error", a)
		}
		if _, err := os.Stat(filepath.Join(dir, "r.atr")); err == nil {
			t.Errorf("WriteAnnotations %+v: left a file", a)
		}
	}
	// The extremes are accepted and survive.
	edge := []Annotation{{Sample: 1 << 40, Type: MaxFileCode, Subtype: -128, Chan: 255, Num: 127, Aux: strings.Repeat("y", 255)},
		{Sample: -(1 << 40), Type: 1, Subtype: 127, Num: -128}}
	var buf bytes.Buffer
	mustNil(t, EncodeAnnotations(&buf, edge))
	back, err := DecodeAnnotations(&buf)
	mustNil(t, err)
	if !reflect.DeepEqual(back, edge) {
		t.Fatalf("extremes: got %+v", back)
	}
}

// Every cut of a file gives an error naming the byte offset, never a
// panic, and the annotations before the cut.
func TestDecodeTruncated(t *testing.T) {
	anns, data := readTestAnnotations(t, "203.atr")
	for n := 0; n < len(data)-1; n += 1 + n/50 {
		got, err := DecodeAnnotations(bytes.NewReader(data[:n]))
		var ae *AnnotationError
		if !errors.As(err, &ae) || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("cut at %d: error %v, want a truncation AnnotationError", n, err)
		}
		if ae.Offset > int64(n) || ae.Offset < int64(n)-258 { // start of the cut word, SKIP or AUX data
			t.Errorf("cut at %d: offset %d", n, ae.Offset)
		}
		// As in WFDB, the annotation just before the cut is returned
		// when its code word is whole, even if its AUX etc. are cut off.
		k := len(got)
		if k > len(anns) || k > 0 && !slices.Equal(got[:k-1], anns[:k-1]) ||
			k > 0 && (got[k-1].Sample != anns[k-1].Sample || got[k-1].Type != anns[k-1].Type) {
			t.Fatalf("cut at %d: %d annotations are not a prefix", n, len(got))
		}
	}
	// Whole annotations but no end marker: all of them, and the error.
	got, err := DecodeAnnotations(bytes.NewReader(data[:len(data)-2]))
	if len(got) != len(anns) || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("no end marker: %d annotations, err %v", len(got), err)
	}
	// ReadAnnotations names the file.
	dir := t.TempDir()
	mustNil(t, os.WriteFile(filepath.Join(dir, "203.atr"), data[:101], 0o644))
	_, err = ReadAnnotations(filepath.Join(dir, "203"), "atr")
	if err == nil || !strings.Contains(err.Error(), "203.atr: byte 100") {
		t.Errorf("ReadAnnotations error %v, want one naming 203.atr and byte 100", err)
	}
}

func TestDecodeLeadingPseudo(t *testing.T) {
	_, err := DecodeAnnotations(bytes.NewReader([]byte{0x05, 0xf0, 0, 0}))
	if err == nil || !strings.Contains(err.Error(), "byte 0") {
		t.Errorf("NUM before the first annotation: error %v", err)
	}
}

func TestWriteReadAnnotations(t *testing.T) {
	anns, _ := readTestAnnotations(t, "203.atr")
	// Shuffle pairs: WriteAnnotations sorts as annclose/sortann do.
	shuffled := append([]Annotation(nil), anns...)
	for i := 0; i+1 < len(shuffled); i += 7 {
		shuffled[i], shuffled[i+1] = shuffled[i+1], shuffled[i]
	}
	rec := filepath.Join(t.TempDir(), "203")
	mustNil(t, WriteAnnotations(rec+".hea", "tst", shuffled))
	back, err := ReadAnnotations(rec, "tst")
	mustNil(t, err)
	if !reflect.DeepEqual(back, anns) {
		t.Fatal("written and read back annotations differ")
	}
	if err := WriteAnnotations(rec, "../x", anns); err == nil {
		t.Error("annotator ../x accepted")
	}
	if _, err := ReadAnnotations(rec, "nope"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestSplitDefinitions(t *testing.T) {
	n := func(aux string) Annotation { return Annotation{Type: Note, Aux: aux} }
	for _, tc := range []struct {
		name string
		in   []Annotation
		want []Annotation
	}{
		{"wrann table", []Annotation{n("## time resolution: 360"), {Type: NotQRS}, {Sample: 18, Type: Normal}}, []Annotation{{Sample: 18, Type: Normal}}},
		{"first NotQRS dropped", []Annotation{{Sample: 5, Type: NotQRS}, {Sample: 6, Type: NotQRS}}, []Annotation{{Sample: 6, Type: NotQRS}}},
		{"notes only, last kept without aux", []Annotation{n("a"), n("")}, []Annotation{n("")}},
		{"notes only", []Annotation{n(""), n("a")}, []Annotation{}},
		{"note with subtype is kept", []Annotation{{Type: Note, Subtype: 1}}, []Annotation{{Type: Note, Subtype: 1}}},
		{"empty", nil, nil},
	} {
		got, _ := SplitDefinitions(tc.in)
		if len(got) != len(tc.want) || len(got) > 0 && !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
		// What WriteAnnotations writes reads back as written.
		rec := filepath.Join(t.TempDir(), "r")
		mustNil(t, WriteAnnotations(rec, "atr", tc.want))
		back, err := ReadAnnotations(rec, "atr")
		mustNil(t, err)
		if len(back) != len(tc.want) || len(back) > 0 && !reflect.DeepEqual(back, tc.want) {
			t.Errorf("%s: wrote %+v, read back %+v", tc.name, tc.want, back)
		}
	}
	_, defs := SplitDefinitions([]Annotation{
		n("## time resolution: 1000"), n("## annotation type definitions"),
		n("42 K custom beat\x00"), n(" 43\tZ"), n("50 Y out of range"), n("x W not a code"),
		n("## end of definitions"), {Type: NotQRS}, {Sample: 1, Type: 42},
	})
	if defs.Resolution != 1000 || len(defs.Notes) != 7 ||
		!reflect.DeepEqual(defs.Symbols, map[Code]string{42: "K", 43: "Z"}) || defs.Descriptions[42] != "custom beat" {
		t.Errorf("defs %+v", defs)
	}
}

func BenchmarkDecodeAnnotations(b *testing.B) {
	_, data := readTestAnnotations(b, "203.atr")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeAnnotations(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteRdann(b *testing.B) {
	anns, _ := readTestAnnotations(b, "203.atr")
	for b.Loop() {
		if err := WriteRdann(io.Discard, anns, 360); err != nil {
			b.Fatal(err)
		}
	}
}
