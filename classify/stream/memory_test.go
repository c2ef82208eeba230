package stream

import (
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

// synthReader renders an endless synthetic ECG as text lines on the fly.
type synthReader struct {
	g    *synth.Generator
	buf  []float64
	out  []byte
	left int64 // samples still to produce
}

func (r *synthReader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.left == 0 {
			return 0, io.EOF
		}
		n := r.g.Read(r.buf[:min(int64(len(r.buf)), r.left)], nil)
		r.left -= int64(n)
		r.out = r.out[:0]
		for _, v := range r.buf[:n] {
			r.out = strconv.AppendFloat(r.out, v, 'f', 3, 64)
			r.out = append(r.out, '\n')
		}
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestFlatMemory streams hours of signal and checks that the heap does not
// grow between the first hour and the last (events are counted, not kept).
func TestFlatMemory(t *testing.T) {
	hours := int64(3)
	if testing.Short() {
		hours = 2
	}
	const fs = 100
	g, err := synth.NewGenerator(synth.Options{Rhythm: synth.AFib, Fs: fs, Seed: 1, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	var events int
	s, err := New(InputOptions{}, Config{Fs: fs, Beats: true, Model: rrScorer{}, Emit: func(Event) { events++ }})
	if err != nil {
		t.Fatal(err)
	}
	var heap []uint64
	for h := int64(0); h < hours; h++ {
		r := &synthReader{g: g, buf: make([]float64, 4096), left: 3600 * fs}
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				if err := s.Write(buf[:n]); err != nil {
					t.Fatal(err)
				}
			}
			if err == io.EOF {
				break
			}
		}
		heap = append(heap, heapAfterGC())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d h at %d Hz, %d events; heap after each hour (bytes): %v", hours, fs, events, heap)
	if growth := int64(heap[len(heap)-1]) - int64(heap[0]); growth > 64<<10 {
		t.Errorf("heap grew by %d bytes from hour 1 to hour %d", growth, hours)
	}
}
