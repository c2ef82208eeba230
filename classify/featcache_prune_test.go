package classify

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
)

// writeEntry writes a fake entry of size bytes with modification time mod.
func writeEntry(t *testing.T, c *FeatureCache, key string, size int, mod time.Time) string {
	t.Helper()
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mod, mod); err != nil {
		t.Fatal(err)
	}
	return p
}

func hexKey(i int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 64)
	for j := range b {
		b[j] = digits[(i+j)%16]
	}
	return string(b)
}

// TestFeatureCachePrune: the oldest entries go first until the cache is
// under the limit; files that are not entries stay; no limit keeps all.
func TestFeatureCachePrune(t *testing.T) {
	c := &FeatureCache{Dir: t.TempDir()}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var paths []string
	for i := 0; i < 10; i++ { // 10 entries of one 4 KiB block each
		paths = append(paths, writeEntry(t, c, hexKey(i), 1000, t0.Add(time.Duration(i)*time.Minute)))
	}
	other := filepath.Join(c.Dir, "notes.txt")
	if err := os.WriteFile(other, make([]byte, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	if n, _, err := c.Prune(-1); n != 0 || err != nil {
		t.Fatalf("no limit: removed %d, %v", n, err)
	}
	n, freed, err := c.Prune(6 * 4096)
	if err != nil || n != 4 || freed != 4*4096 {
		t.Fatalf("removed %d entries (%d bytes), %v; want the 4 oldest", n, freed, err)
	}
	for i, p := range paths {
		_, err := os.Stat(p)
		if gone := os.IsNotExist(err); gone != (i < 4) {
			t.Errorf("entry %d (age rank %d): removed %v", i, i, gone)
		}
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file that is not an entry was removed: %v", err)
	}
}

// TestFeatureCachePrunedAfterFeaturizing: a featurization that stores
// entries prunes the cache to MaxBytes (its own entries, the newest,
// stay), and not again within the hour.
func TestFeatureCachePrunedAfterFeaturizing(t *testing.T) {
	dir, cdir := t.TempDir(), t.TempDir()
	cache, err := NewFeatureCache(cdir)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-48 * time.Hour)
	for i := 0; i < 8; i++ {
		writeEntry(t, cache, hexKey(i), 100, old)
	}
	cache.MaxBytes = 3 * 4096
	files := []datasets.LabeledFile{writeSynthRecord(t, dir, "a", synth.Normal, 1), writeSynthRecord(t, dir, "b", synth.AFib, 2)}
	spec := SignalSpec(DefaultSignalFeatures())
	if _, err := FeaturizeCached(context.Background(), spec, files, 2, nil, cache); err != nil {
		t.Fatal(err)
	}
	if n := entries(t, cdir); n != 3 {
		t.Fatalf("%d entries after pruning, want 3", n)
	}
	for _, f := range files {
		if _, ok := cache.get(cache.forSpec(spec).key(f), len(spec.Names())); !ok {
			t.Errorf("%s: the entry just written was pruned", f.Rel)
		}
	}
	for i := 8; i < 12; i++ {
		writeEntry(t, cache, hexKey(i), 100, old)
	}
	cache.maybePrune(time.Now())
	if n := entries(t, cdir); n != 7 {
		t.Errorf("%d entries: pruned again within the hour", n)
	}
	cache.maybePrune(time.Now().Add(2 * time.Hour))
	if n := entries(t, cdir); n != 3 {
		t.Errorf("%d entries two hours later, want 3", n)
	}
}
