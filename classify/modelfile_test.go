package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/spectro"
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
	checkGolden(t, "small.model", saved(t, m))
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
	gbdt, err := os.ReadFile(filepath.Join("testdata", "small-gbdt.model"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(gbdt)
	cnn, err := os.ReadFile(filepath.Join("testdata", "small-cnn.model"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(cnn)
	f.Add(cnn[:len(cnn)-100])
	f.Add(withSpectrogram(f, cnn))
	temporal, err := os.ReadFile(filepath.Join("testdata", "small-cnn-temporal.model"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(temporal)
	f.Add(cropModelFile(f))
	f.Add(mainsModelFile(f))
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
			x := make([]float64, m2.Info.Features.VectorLen())
			if _, err := m2.Predict(x); err != nil {
				t.Fatal(err)
			}
			if opt, err := m2.StrideOptions(); err != nil {
				t.Fatalf("loaded spectrogram settings refused: %v", err)
			} else if _, err := spectro.NewStrideRenderer(opt); err != nil {
				t.Fatalf("loaded spectrogram settings make no renderer: %v", err)
			}
		}
	})
}

// zeros is an endless reader of zero bytes that counts what was read and
// fails past limit (so that a reader that reads everything first fails
// fast instead of allocating a gigabyte).
type zeros struct{ n, limit int64 }

func (z *zeros) Read(p []byte) (int, error) {
	if z.n >= z.limit {
		return 0, errors.New("read past the limit")
	}
	p = p[:min(int64(len(p)), z.limit-z.n)]
	clear(p)
	z.n += int64(len(p))
	return len(p), nil
}

// Issue 19: --model /dev/zero read 1 GB before checking the magic bytes.
// The magic comes first; the counts bound what is read after it.
func TestLoadModelReadsHeaderFirst(t *testing.T) {
	z := &zeros{limit: 1 << 20}
	_, err := LoadModel(z)
	if !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "no ECGMODEL magic") {
		t.Fatalf("endless zeros: %v, want no ECGMODEL magic", err)
	}
	if z.n > 16 {
		t.Errorf("read %d bytes of endless zeros before refusing them, want at most 16", z.n)
	}

	// A header that declares a huge tree, then nothing: truncated, with
	// no allocation of what it declared.
	good, err := os.ReadFile(filepath.Join("testdata", "small.model"))
	if err != nil {
		t.Fatal(err)
	}
	infoLen := binary.LittleEndian.Uint32(good[12:])
	treeAt := 16 + int(infoLen) + 12
	bad := bytes.Clone(good[:treeAt])
	bad = binary.LittleEndian.AppendUint32(bad, MaxNodes)
	bad = binary.LittleEndian.AppendUint32(bad, MaxNodes)
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	_, err = LoadModel(bytes.NewReader(bad))
	runtime.ReadMemStats(&ms1)
	if grew := ms1.TotalAlloc - ms0.TotalAlloc; grew > 16<<20 {
		t.Errorf("a tree declaring %d nodes in %d bytes allocated %d bytes", MaxNodes, len(bad), grew)
	}
	if !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("huge declared tree: %v, want truncated", err)
	}

	// Bytes after the checksum are refused.
	if _, err := LoadModel(bytes.NewReader(append(bytes.Clone(good), 0))); !errors.Is(err, ErrModelFormat) {
		t.Errorf("a byte after the checksum: %v", err)
	}
	if _, err := LoadModel(bytes.NewReader(good)); err != nil {
		t.Errorf("the good model: %v", err)
	}
}

// withSpectrogram returns the model file b with spectrogram settings in
// its header (ecg spectro --nperseg 1024 --noverlap 896 --fmax 20 --size
// 96x64).
func withSpectrogram(tb testing.TB, b []byte) []byte {
	m, err := LoadModel(bytes.NewReader(b))
	if err != nil {
		tb.Fatal(err)
	}
	m.Info.Features.Spectrogram = &SpectrogramSettings{
		STFT:  SpectrogramSTFT{Window: "hann", NPerSeg: 1024, NOverlap: 896, NFFT: 1024, Detrend: "constant", Scaling: "density", Mode: "psd", FMin: 0.5, FMax: 20},
		Image: SpectrogramImage{Width: 96, Height: 64, Colormap: "gray", DBMin: -80, DBMax: -10}}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// TestSpectrogramSettingsVersion: a model whose header records spectrogram
// settings is written as version 5 (forest and cnn alike), so that an
// older program refuses it instead of rendering live windows with the
// defaults; the same header in an older version's file is refused, and
// without settings the versions stay as they were.
func TestSpectrogramSettingsVersion(t *testing.T) {
	forest, err := os.ReadFile(filepath.Join("testdata", "small.model"))
	if err != nil {
		t.Fatal(err)
	}
	cnn, err := os.ReadFile(filepath.Join("testdata", "small-cnn.model"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		file []byte
		was  uint32
	}{{"forest", forest, modelVersion}, {"cnn", cnn, modelVersionCNN}} {
		if v := binary.LittleEndian.Uint32(c.file[8:]); v != c.was {
			t.Errorf("%s without settings: version %d, want %d", c.name, v, c.was)
		}
		b := withSpectrogram(t, c.file)
		if v := binary.LittleEndian.Uint32(b[8:]); v != modelVersionSettings {
			t.Errorf("%s with settings: version %d, want %d", c.name, v, modelVersionSettings)
		}
		if _, err := LoadModel(bytes.NewReader(b)); err != nil {
			t.Errorf("%s with settings: %v", c.name, err)
		}
		old := bytes.Clone(b)
		binary.LittleEndian.PutUint32(old[8:], c.was)
		if _, err := LoadModel(bytes.NewReader(withCRC(old))); !errors.Is(err, ErrModelFormat) || !strings.Contains(err.Error(), "spectrogram settings in version") {
			t.Errorf("%s: settings in version %d loaded (%v)", c.name, c.was, err)
		}
	}
}
