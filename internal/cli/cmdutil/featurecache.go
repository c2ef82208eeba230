package cmdutil

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/classify"
)

// FeatureCache returns the feature cache of ecg train and ecg eval, from
// the environment getenv reads: $ECG_FEATURE_CACHE (a folder, or "off"),
// else ecg/features in $XDG_CACHE_HOME, else in $HOME/.cache; nil (no
// cache) when it is off or neither variable is set. The cache is kept
// under $ECG_FEATURE_CACHE_MAX (bytes, or with a K, M or G suffix; "none"
// for no limit; classify.DefaultFeatureCacheMax when unset or unreadable).
func FeatureCache(getenv func(string) string) *classify.FeatureCache {
	dir := getenv("ECG_FEATURE_CACHE")
	switch {
	case dir == "off":
		return nil
	case dir != "":
	case getenv("XDG_CACHE_HOME") != "":
		dir = filepath.Join(getenv("XDG_CACHE_HOME"), "ecg", "features")
	case getenv("HOME") != "":
		dir = filepath.Join(getenv("HOME"), ".cache", "ecg", "features")
	default:
		return nil
	}
	c, err := classify.NewFeatureCache(dir)
	if err != nil {
		return nil
	}
	c.MaxBytes = cacheMax(getenv("ECG_FEATURE_CACHE_MAX"))
	return c
}

// cacheMax reads $ECG_FEATURE_CACHE_MAX: 0 (the default) when empty or
// unreadable, -1 for "none".
func cacheMax(s string) int64 {
	s = strings.TrimSpace(strings.ToUpper(s))
	if s == "NONE" {
		return -1
	}
	s = strings.TrimSuffix(s, "B")
	mult := int64(1)
	for i, suf := range []string{"K", "M", "G"} {
		if t, ok := strings.CutSuffix(s, suf); ok {
			s, mult = t, int64(1)<<(10*(i+1))
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult {
		return 0
	}
	return n * mult
}
