package classify

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// DefaultFeatureCacheMax is the size a feature cache is kept under when
// FeatureCache.MaxBytes is 0: 1 GiB, about forty featurizations of the
// CinC 2017 training set.
const DefaultFeatureCacheMax int64 = 1 << 30

// pruneStamp is the file whose modification time says when the cache was
// last pruned; pruneEvery is how often a featurization may prune.
const (
	pruneStamp = ".pruned"
	pruneEvery = time.Hour
)

// cacheEntry is one entry file seen by a prune.
type cacheEntry struct {
	path string
	size int64 // on disk: rounded up to 4 KiB blocks
	mod  time.Time
}

// Prune keeps the cache under maxBytes (DefaultFeatureCacheMax when 0, no
// limit when negative) by removing its oldest entries first. Entries are
// never refreshed when read, so oldest means written first: a rebuilt ecg
// keys its entries afresh and the older program's are the first to go.
// It returns how many entries it removed and their size; files that are
// not entries (other names, temporary files of a writer) are left alone.
func (c *FeatureCache) Prune(maxBytes int64) (removed int, freed int64, err error) {
	if c == nil || c.Dir == "" {
		return 0, 0, nil
	}
	if maxBytes == 0 {
		maxBytes = DefaultFeatureCacheMax
	}
	if maxBytes < 0 {
		return 0, 0, nil
	}
	ents, total, err := c.entries()
	if err != nil || total <= maxBytes {
		return 0, 0, err
	}
	sort.Slice(ents, func(i, j int) bool {
		if !ents[i].mod.Equal(ents[j].mod) {
			return ents[i].mod.Before(ents[j].mod)
		}
		return ents[i].path < ents[j].path
	})
	for _, e := range ents {
		if total <= maxBytes {
			break
		}
		if os.Remove(e.path) == nil {
			removed++
			freed += e.size
			total -= e.size
		}
	}
	return removed, freed, nil
}

// entries lists the cache's entry files (dir/xx/rest, hex names) and
// their total size on disk.
func (c *FeatureCache) entries() ([]cacheEntry, int64, error) {
	var (
		ents  []cacheEntry
		total int64
	)
	err := filepath.WalkDir(c.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == c.Dir {
				return err
			}
			return nil // a folder vanished under a concurrent prune
		}
		if d.IsDir() || !isEntryName(c.Dir, p) {
			return nil
		}
		st, err := d.Info()
		if err != nil {
			return nil
		}
		size := (st.Size() + 4095) &^ 4095
		ents = append(ents, cacheEntry{path: p, size: size, mod: st.ModTime()})
		total += size
		return nil
	})
	if os.IsNotExist(err) {
		return nil, 0, nil
	}
	return ents, total, err
}

// isEntryName reports whether p is dir/xx/yyyy... with a hex key.
func isEntryName(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	if err != nil {
		return false
	}
	sub, name := filepath.Split(rel)
	key := filepath.Clean(sub) + name
	if len(filepath.Clean(sub)) != 2 || len(key) != 64 {
		return false
	}
	for _, r := range key {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// maybePrune prunes the cache after a featurization that stored entries,
// at most once per pruneEvery (the stamp file's time, shared by all the
// processes using the folder); failures only cost the pruning.
func (c *FeatureCache) maybePrune(now time.Time) {
	if c == nil || c.Dir == "" {
		return
	}
	stamp := filepath.Join(c.Dir, pruneStamp)
	if st, err := os.Stat(stamp); err == nil && now.Sub(st.ModTime()) < pruneEvery {
		return
	}
	if f, err := os.Create(stamp); err == nil {
		f.Close()
	}
	_, _, _ = c.Prune(c.MaxBytes)
}
