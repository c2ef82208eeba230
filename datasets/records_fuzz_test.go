package datasets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzListRecords reads arbitrary RECORDS files (a listing that comes with
// a download): no panic, and every record path it returns lies inside the
// database directory (its header, PATH.hea, too).
func FuzzListRecords(f *testing.F) {
	for _, s := range []string{"100\n101\r\n# c\n\n", "p00/p000123\n", "../x\n", ".\n", "/\n", "a/./b\n", "x/\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "RECORDS"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		recs, err := ListRecords(dir)
		if err != nil {
			return
		}
		for _, r := range recs {
			if !strings.HasPrefix(r, dir+string(filepath.Separator)) || filepath.Clean(r) != r {
				t.Fatalf("record %q is not inside %q", r, dir)
			}
		}
	})
}
