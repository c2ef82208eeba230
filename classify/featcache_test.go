package classify

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// writeSynthRecord writes 20 s of a synthetic ECG as the WFDB record
// dir/name and returns its labelled file.
func writeSynthRecord(t *testing.T, dir, name, rhythm string, seed int64) datasets.LabeledFile {
	t.Helper()
	rec, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: 250, Duration: 20, Seed: seed, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	d := make([]int32, len(rec.MV))
	for i, v := range rec.MV {
		d[i] = int32(v * 1000)
	}
	h := &wfdb.Header{Name: name, Fs: 250, Signals: []wfdb.SignalSpec{{FileName: name + ".dat", Format: 16, Gain: 1000, Units: "mV", ADCResolution: 16, Description: "ECG"}}}
	if err := wfdb.WriteRecord(dir, h, [][]int32{d}); err != nil {
		t.Fatal(err)
	}
	return datasets.LabeledFile{Path: filepath.Join(dir, name), Rel: name, Label: rhythm, Kind: datasets.KindRecord, Group: name}
}

// entries counts the cache's entry files (not the prune stamp).
func entries(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isEntryName(dir, p) {
			n++
		}
		return nil
	})
	return n
}

// TestFeatureCache: a second featurization reads the stored vectors (the
// same values); a changed signal file, other feature settings or a
// damaged entry are computed afresh, never served stale.
func TestFeatureCache(t *testing.T) {
	dir, cdir := t.TempDir(), t.TempDir()
	files := []datasets.LabeledFile{
		writeSynthRecord(t, dir, "a", synth.Normal, 1),
		writeSynthRecord(t, dir, "b", synth.AFib, 2),
	}
	cache, err := NewFeatureCache(cdir)
	if err != nil {
		t.Fatal(err)
	}
	spec := SignalSpec(DefaultSignalFeatures())
	ctx := context.Background()
	want, err := Featurize(ctx, spec, files, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := FeaturizeCached(ctx, spec, files, 2, nil, cache)
	if err != nil {
		t.Fatal(err)
	}
	if n := entries(t, cdir); n != 2 {
		t.Fatalf("%d cache entries, want 2", n)
	}
	// Mark the stored vector of a: a cached read returns the mark.
	keyA := cache.forSpec(spec).key(files[0])
	marked := slices.Clone(want[0])
	marked[0] = 12345
	if err := cache.put(keyA, marked); err != nil {
		t.Fatal(err)
	}
	second, err := FeaturizeCached(ctx, spec, files, 2, nil, cache)
	if err != nil {
		t.Fatal(err)
	}
	if second[0][0] != 12345 || !equalNaN(first[1], want[1]) || !equalNaN(second[1], want[1]) || !equalNaN(first[0], want[0]) {
		t.Fatal("second run did not read the cache, or the cache changed a vector")
	}
	// A rewritten signal file (new content, later mtime) is a new key.
	time.Sleep(10 * time.Millisecond)
	writeSynthRecord(t, dir, "a", synth.AFib, 3)
	if cache.forSpec(spec).key(files[0]) == keyA {
		t.Fatal("the key did not change with the record")
	}
	third, err := FeaturizeCached(ctx, spec, files, 2, nil, cache)
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := Featurize(ctx, spec, files[:1], 1, nil)
	if !equalNaN(third[0], fresh[0]) {
		t.Fatal("changed record served from the cache")
	}
	// Other settings, other key.
	o := DefaultSignalFeatures()
	o.QRSHalfWidth = 0.12
	if cache.forSpec(SignalSpec(o)).key(files[1]) == cache.forSpec(spec).key(files[1]) {
		t.Fatal("the key does not depend on the feature settings")
	}
	// A damaged entry is ignored.
	keyB := cache.forSpec(spec).key(files[1])
	if err := os.WriteFile(cache.path(keyB), []byte("ecgfeat\x01short"), 0o644); err != nil {
		t.Fatal(err)
	}
	if v, ok := cache.get(keyB, len(want[1])); ok {
		t.Fatalf("damaged entry read as %v", v)
	}
	fourth, err := FeaturizeCached(ctx, spec, files, 2, nil, cache)
	if err != nil || !equalNaN(fourth[1], want[1]) {
		t.Fatalf("after a damaged entry: %v", err)
	}
}

func equalNaN(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && (a[i] == a[i] || b[i] == b[i]) {
			return false
		}
	}
	return true
}
