package classify

import (
	"bytes"
	"encoding/binary"
	"flag"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata files")

// withCRC returns data (without its last 4 bytes) followed by a valid
// checksum, so that the fuzzer reaches the parser behind the checksum.
func withCRC(data []byte) []byte {
	if len(data) < 4 {
		return data
	}
	body := bytes.Clone(data[:len(data)-4])
	return binary.LittleEndian.AppendUint32(body, crc32.ChecksumIEEE(body))
}

func TestSmallModelGolden(t *testing.T) {
	X, y := blobs(40, 3, 2, 1, 0.5)
	m, err := Train([]string{"a", "b"}, ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil), padTo(X, len(ImageSpec(ImageFeatures{Rows: 4, Cols: 4, Grid: 1}, nil).Names())), y,
		TrainOptions{Forest: ForestOptions{Trees: 2, MaxDepth: 3, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "small.model")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("model bytes differ from %s (run with -update if the format changed on purpose)", path)
	}
}

// padTo extends each row with zeros to n features.
func padTo(X [][]float64, n int) [][]float64 {
	out := make([][]float64, len(X))
	for i, r := range X {
		out[i] = append(append([]float64(nil), r...), make([]float64, n-len(r))...)
	}
	return out
}

func FuzzLoadModel(f *testing.F) {
	good, err := os.ReadFile(filepath.Join("testdata", "small.model"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("ECGMODEL"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, d := range [][]byte{data, withCRC(data)} {
			m, err := LoadModel(bytes.NewReader(d))
			if err != nil {
				continue
			}
			var buf bytes.Buffer
			if err := m.Save(&buf); err != nil {
				t.Fatal(err)
			}
			m2, err := LoadModel(&buf)
			if err != nil {
				t.Fatalf("re-load of a saved model: %v", err)
			}
			x := make([]float64, len(m2.Info.FeatureNames))
			if _, err := m2.Predict(x); err != nil {
				t.Fatal(err)
			}
		}
	})
}
