package wfdb

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// FuzzDecodeAnnotations decodes arbitrary bytes (no panic, bounded
// allocation) and, when they decode, checks that encode -> decode gives
// the same annotations.
func FuzzDecodeAnnotations(f *testing.F) {
	for _, name := range []string{"100.atr", "203.atr"} {
		data, err := os.ReadFile(filepath.Join(annTestdata, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:200])
		f.Add(data[len(data)-64:])
	}
	f.Add([]byte{0x00, 0xec, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x01, 0xf8, 0x03, 0xf0, 0x02, 0xfc, 'a', 'b', 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		anns, err := DecodeAnnotations(bytes.NewReader(data))
		if len(anns) > len(data)/2 {
			t.Fatalf("%d annotations from %d bytes", len(anns), len(data))
		}
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := EncodeAnnotations(&buf, anns); err != nil {
			// Only times beyond ±2^40 (many large SKIPs) are refused.
			for _, a := range anns {
				if a.Sample > MaxAnnotationSample || a.Sample < -MaxAnnotationSample {
					return
				}
			}
			t.Fatalf("encoding decoded annotations: %v", err)
		}
		back, err := DecodeAnnotations(&buf)
		if err != nil {
			t.Fatalf("decoding re-encoded annotations: %v", err)
		}
		if len(anns) == 0 && len(back) == 0 {
			return
		}
		if !reflect.DeepEqual(back, anns) {
			t.Fatalf("round trip differs:\n%+v\n%+v", anns, back)
		}
		// What WFDB readers see survives WriteAnnotations' encoding.
		visible, _ := SplitDefinitions(anns)
		buf.Reset()
		if err := EncodeAnnotations(&buf, protectFirst(slices.Clone(visible))); err != nil {
			t.Fatal(err)
		}
		raw, err := DecodeAnnotations(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := SplitDefinitions(raw); len(again)+len(visible) > 0 && !reflect.DeepEqual(again, visible) {
			t.Fatalf("visible annotations change on rewriting:\n%+v\n%+v", visible, again)
		}
		var out bytes.Buffer
		if err := WriteRdann(&out, anns, 360); err != nil {
			t.Fatal(err)
		}
		_ = RhythmEpisodes(anns, 1000)
	})
}
