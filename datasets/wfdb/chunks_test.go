package wfdb

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// ReadChunks gives, chunk after chunk, the samples ReadSamples gives for
// the same range: formats read a chunk at a time (212, 16 with two
// samples per frame and a skew) and one read whole (8); AppendPhysical
// converts as Physical does, by table (212) or not (16).
func TestReadChunks(t *testing.T) {
	dir := t.TempDir()
	n := 40000
	ramp := func(k, mod int) []int32 {
		d := make([]int32, n*k)
		for i := range d {
			d[i] = int32(i%mod - mod/2)
		}
		d[7] = InvalidSample
		return d
	}
	cases := []struct {
		name  string
		specs []SignalSpec
		data  [][]int32
	}{
		{"f212", []SignalSpec{{Format: Format212, Gain: 200, Baseline: 3}, {Format: Format212, Gain: 100}}, [][]int32{ramp(1, 4000), ramp(1, 300)}},
		{"f16", []SignalSpec{{Format: Format16, Gain: 200, SamplesPerFrame: 2}, {Format: Format16, Gain: 50, Skew: 3}}, [][]int32{ramp(2, 20000), ramp(1, 999)}},
		{"f8", []SignalSpec{{Format: Format8, Gain: 200}}, [][]int32{ramp(1, 50)}},
	}
	for _, c := range cases {
		for i := range c.specs {
			c.specs[i].FileName = c.name + ".dat"
		}
		h := &Header{Name: c.name, Fs: 360, Signals: c.specs}
		if err := WriteRecord(dir, h, c.data); err != nil {
			t.Fatal(err)
		}
		hr, err := ReadHeader(filepath.Join(dir, c.name))
		if err != nil {
			t.Fatal(err)
		}
		for _, rng := range [][2]int64{{0, -1}, {5, 33000}, {17000, 17000}} {
			want, err := hr.ReadSamples(rng[0], rng[1])
			if err != nil {
				t.Fatal(err)
			}
			got := make([][]int32, len(c.specs))
			phys := make([][]float64, len(c.specs))
			chunks := 0
			err = hr.ReadChunks(rng[0], rng[1], func(r *Record) error {
				if r.Start() != want.Start()+int64(len(got[0]))/int64(max(c.specs[0].SamplesPerFrame, 1)) {
					t.Errorf("%s %v: chunk %d starts at %d", c.name, rng, chunks, r.Start())
				}
				for s := range got {
					got[s] = append(got[s], r.HighRes(s)...)
					phys[s] = r.AppendPhysical(phys[s], s)
				}
				chunks++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for s := range got {
				if !slices.Equal(got[s], want.HighRes(s)) {
					t.Errorf("%s %v signal %d: chunks differ from ReadSamples", c.name, rng, s)
				}
				if p := want.Physical(s); !slices.EqualFunc(phys[s], p, func(a, b float64) bool { return a == b || a != a && b != b }) {
					t.Errorf("%s %v signal %d: AppendPhysical differs from Physical", c.name, rng, s)
				}
			}
			if c.name != "f8" && rng[1] < 0 && chunks < 2 {
				t.Errorf("%s: read in %d chunk", c.name, chunks)
			}
		}
	}
}

// ReadChunks opens a signal file once for all its chunks: the chunks
// after the file is removed (still open) read as before.
func TestReadChunksOpensOnce(t *testing.T) {
	dir := t.TempDir()
	x := make([]int32, 50000)
	for i := range x {
		x[i] = int32(i%2000 - 1000)
	}
	h := &Header{Name: "r", Fs: 360, Signals: []SignalSpec{{Format: Format212, Gain: 200, FileName: "r.dat"}}}
	if err := WriteRecord(dir, h, [][]int32{x}); err != nil {
		t.Fatal(err)
	}
	hr, err := ReadHeader(filepath.Join(dir, "r"))
	if err != nil {
		t.Fatal(err)
	}
	var got []int32
	err = hr.ReadChunks(0, -1, func(r *Record) error {
		if r.Start() == 0 {
			if err := os.Remove(filepath.Join(dir, "r.dat")); err != nil {
				return err
			}
		}
		got = append(got, r.Digital(0)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, x) {
		t.Error("samples differ")
	}
}
