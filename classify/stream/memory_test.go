package stream

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
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
	const fs = 125
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

// Issue 19: "ecg stream --fs 100000 --window 3600s" allocated 5.8 GB up
// front. Rates outside the detector's range are refused, so is a window
// longer than MaxWindowSamples at its rate, and the window's buffers grow
// with the input: 10 s into an hour's window at 1 kHz holds 10 s, not an
// hour.
func TestWindowBuffersGrowWithInput(t *testing.T) {
	for _, fs := range []float64{100000, 8001, 49, 10} {
		if _, err := New(InputOptions{}, Config{Fs: fs, Window: 3600, Emit: func(Event) {}}); !errors.Is(err, beats.ErrRate) {
			t.Errorf("Fs %g: %v, want ErrRate", fs, err)
		}
	}
	if _, err := New(InputOptions{}, Config{Fs: 2000, Window: 3600, Emit: func(Event) {}}); err == nil || !strings.Contains(err.Error(), "take a shorter window") {
		t.Errorf("an hour at 2 kHz: %v, want the window refused", err)
	}
	if _, err := New(InputOptions{}, Config{Fs: 2000, Window: 1800, Emit: func(Event) {}}); err != nil {
		t.Errorf("half an hour at 2 kHz: %v", err)
	}
	// A rate from timestamps is checked the same way.
	s, err := New(InputOptions{TimeColumn: 1}, Config{Emit: func(Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for i := 0; i < 4000; i++ {
		fmt.Fprintf(&in, "%g,0.1\n", float64(i)/20000)
	}
	if err := s.Write([]byte(in.String())); !errors.Is(err, beats.ErrRate) {
		t.Errorf("timestamps at 20 kHz: %v, want ErrRate", err)
	}

	before := heapAfterGC()
	const fs = 1000
	s, err = New(InputOptions{}, Config{Fs: fs, Window: 3600, Hop: 60, Model: rrScorer{}, Emit: func(Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	line := []byte("0.1\n")
	for i := 0; i < 10*fs; i++ {
		if err := s.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	held := int64(heapAfterGC()) - int64(before)
	runtime.KeepAlive(s)
	if held > 4<<20 {
		t.Errorf("10 s at %d Hz into a 3600 s window holds %d bytes of heap, want under 4 MiB", fs, held)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
