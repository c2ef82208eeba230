package atomicfile

import (
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// tempName matches the temporary files Create makes: ".NAME.tmp-DIGITS".
var tempName = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

// RemoveStale removes the temporary files of writers that were killed
// before they could commit or abort (kill -9, a power loss) from dir:
// files named as Create names them, not modified for olderThan, so that
// the files of a writer still at work (another process writing into the
// same folder) are left alone. It returns how many it removed; errors
// only cost the cleaning.
func RemoveStale(dir string, olderThan time.Duration, now time.Time) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !e.Type().IsRegular() || !tempName.MatchString(e.Name()) {
			continue
		}
		st, err := e.Info()
		if err != nil || now.Sub(st.ModTime()) < olderThan {
			continue
		}
		if os.Remove(filepath.Join(dir, e.Name())) == nil {
			n++
		}
	}
	return n
}
