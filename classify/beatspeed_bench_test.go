package classify

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/internal/refdata"
)

// The parts of ecg beats --classify default on one record (mitdb 208, 30
// min at 360 Hz, 2,955 beats, many of them ventricular), each timed on its
// own: loading the embedded beat model, reading the signal and removing its
// baseline, the features, and the forest.

// benchBeatModel loads the embedded beat model file.
func benchBeatModel(b *testing.B) *Model {
	b.Helper()
	f, err := os.Open(filepath.Join("..", "internal", "defaultmodel", "beats.model"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	m, err := LoadModel(f)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// benchDetected returns the path of mitdb 208 and the samples of the beats
// the detector finds in it.
func benchDetected(b *testing.B) (string, []int64) {
	b.Helper()
	path := filepath.Join(refdata.MITDB(b), "208")
	a, err := beats.AnalyzeRecord(path, beats.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return path, a.Samples()
}

func BenchmarkLoadBeatModel(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "internal", "defaultmodel", "beats.model"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := LoadModel(bytes.NewReader(raw)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadBeatSignal(b *testing.B) {
	path, _ := benchDetected(b)
	set := benchBeatModel(b).Info.Features.Beats
	for b.Loop() {
		if _, _, err := ReadBeatSignal(path, set); err != nil {
			b.Fatal(err)
		}
	}
}

// benchSignal returns mitdb 208's signal as ReadBeatSignal reads it for
// the embedded beat model, its rate and the samples of its detected beats.
func benchSignal(b *testing.B) ([]float64, float64, []int64) {
	b.Helper()
	path, r := benchDetected(b)
	x, fs, err := ReadBeatSignal(path, benchBeatModel(b).Info.Features.Beats)
	if err != nil {
		b.Fatal(err)
	}
	return x, fs, r
}

func BenchmarkBeatVectors(b *testing.B) {
	x, fs, r := benchSignal(b)
	for b.Loop() {
		beatVectors(x, fs, r)
	}
}

func BenchmarkClassifyBeats(b *testing.B) {
	m := benchBeatModel(b)
	x, fs, r := benchSignal(b)
	for b.Loop() {
		if _, err := m.ClassifyBeats(x, fs, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassifyRecordBeats(b *testing.B) {
	m := benchBeatModel(b)
	path, r := benchDetected(b)
	for b.Loop() {
		if _, err := m.ClassifyRecordBeats(path, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRemoveBaselineKeyed: the baseline of mitdb 208 from its digital
// samples (keyed medians), what ReadBeatSignal adds to reading.
func BenchmarkRemoveBaselineKeyed(b *testing.B) {
	path, _ := benchDetected(b)
	s, err := readFirstECG(path)
	if err != nil {
		b.Fatal(err)
	}
	key, x0, fs := s.key, s.x, s.fs
	x, k := make([]float64, len(x0)), make([]int32, len(key))
	for b.Loop() {
		copy(x, x0)
		copy(k, key)
		if !removeBaselineKeyed(x, k, fs) {
			b.Fatal("keys refused")
		}
	}
}

// BenchmarkForestRows: the forest's scores of mitdb 208's detected beats.
func BenchmarkForestRows(b *testing.B) {
	m := benchBeatModel(b)
	x, fs, r := benchSignal(b)
	X := beatVectors(x, fs, r)
	var dst []float64
	for b.Loop() {
		dst = m.forest.predictRows(dst, X)
	}
}
