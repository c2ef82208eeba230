package classify

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync/atomic"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/atomicfile"
)

// FeatureCache keeps the feature vectors of files on disk, so that a
// second ecg train, eval or cross-validation over the same files skips
// reading and featurizing them. An entry is found by a key that changes
// whenever anything the vector depends on may have changed: the feature
// settings, the program computing them (the executable's path, size and
// modification time: a rebuilt ecg starts afresh), and the file's own
// identity (absolute path, size and modification time of a record's
// header and signal files, or of an image, plus its manifest row). A
// file the key cannot be built for (a multi-segment record) is simply
// not cached. Entries are written atomically; a damaged or foreign entry
// is ignored and recomputed. The zero value (Dir "") caches nothing.
type FeatureCache struct {
	// Dir holds the entries (DefaultFeatureCacheDir, or any folder).
	Dir string
	// MaxBytes is the size the cache is pruned to, oldest entries first,
	// after a featurization that stored entries (at most once an hour):
	// 0 means DefaultFeatureCacheMax, negative no limit.
	MaxBytes int64

	prog string // the program's identity, set by NewFeatureCache
}

// featureCacheVersion changes when the entry format or the key changes.
const featureCacheVersion = 1

// featureCacheMagic starts every entry.
var featureCacheMagic = [8]byte{'e', 'c', 'g', 'f', 'e', 'a', 't', featureCacheVersion}

// DefaultFeatureCacheDir returns the folder ecg caches features in: in
// the user's cache folder ($XDG_CACHE_HOME or ~/.cache on Linux), ecg/features.
func DefaultFeatureCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "ecg", "features"), nil
}

// NewFeatureCache returns a cache in dir for the running program.
func NewFeatureCache(dir string) (*FeatureCache, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	id, err := statID(exe)
	if err != nil {
		return nil, err
	}
	return &FeatureCache{Dir: dir, prog: exe + "\x00" + id}, nil
}

// statID is a file's identity for the key: size and modification time.
func statID(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %d", st.Size(), st.ModTime().UnixNano()), nil
}

// specCache is a cache seen through one feature spec: what every key
// and entry of a featurization shares (the spec's JSON, the vector
// length) is computed once.
type specCache struct {
	c    *FeatureCache
	spec FeatureSpec
	js   []byte // the spec's JSON, nil when there is no cache
	n    int    // the vector length

	stored atomic.Bool // an entry was written: the featurization may prune
}

// forSpec returns the cache as spec's vectors are kept in it.
func (c *FeatureCache) forSpec(spec FeatureSpec) *specCache {
	sc := &specCache{c: c, spec: spec, n: spec.VectorLen()}
	if c != nil && c.Dir != "" {
		if js, err := json.Marshal(spec); err == nil {
			sc.js = js
		}
	}
	return sc
}

// key returns the entry name of f's vector, "" when f cannot be keyed
// (or there is no cache).
func (sc *specCache) key(f datasets.LabeledFile) string {
	if sc.js == nil {
		return ""
	}
	abs, err := filepath.Abs(f.Path)
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "v%d\x00%s\x00%s\x00%s\x00%d\x00", featureCacheVersion, sc.c.prog, sc.js, abs, f.Kind)
	files, ok := identityFiles(abs, f.Kind)
	if !ok {
		return ""
	}
	for _, p := range files {
		id, err := statID(p)
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s %s\x00", p, id)
	}
	if f.Manifest != nil {
		row, _ := json.Marshal(ManifestExtra(f.Manifest))
		h.Write(row)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// identityFiles lists the files a vector is computed from: an image
// itself; a record's header and its signal files.
func identityFiles(abs string, kind datasets.FileKind) ([]string, bool) {
	if kind != datasets.KindRecord {
		return []string{abs}, true
	}
	h, err := wfdb.ReadHeader(abs)
	if err != nil || h.IsMultiSegment() {
		return nil, false
	}
	seen := map[string]bool{abs + ".hea": true}
	for _, s := range h.Signals {
		seen[filepath.Join(filepath.Dir(abs), s.FileName)] = true
	}
	files := make([]string, 0, len(seen))
	for p := range seen {
		files = append(files, p)
	}
	sort.Strings(files)
	return files, true
}

func (c *FeatureCache) path(key string) string {
	return filepath.Join(c.Dir, key[:2], key[2:])
}

// get returns the cached vector of key, with n values.
func (c *FeatureCache) get(key string, n int) ([]float64, bool) {
	if key == "" {
		return nil, false
	}
	b, err := os.ReadFile(c.path(key))
	if err != nil || len(b) != len(featureCacheMagic)+8*n || [8]byte(b[:8]) != featureCacheMagic {
		return nil, false
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8+8*i:]))
	}
	return v, true
}

// put stores v under key; failures only cost the cache.
func (c *FeatureCache) put(key string, v []float64) error {
	if key == "" {
		return nil
	}
	p := c.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b := make([]byte, 8, 8+8*len(v))
	copy(b, featureCacheMagic[:])
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return atomicfile.WriteFileNoSync(p, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// fileVector returns spec.FileVector(f), from the cache when it holds it;
// a computed vector is stored (a failure to store only costs the cache).
func (sc *specCache) fileVector(f datasets.LabeledFile) ([]float64, error) {
	key := sc.key(f)
	if v, ok := sc.c.get(key, sc.n); ok {
		return v, nil
	}
	v, err := sc.spec.FileVector(f)
	if err == nil && len(v) == sc.n && sc.c.put(key, v) == nil && key != "" {
		sc.stored.Store(true)
	}
	return v, err
}
