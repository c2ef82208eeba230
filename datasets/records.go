package datasets

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// ErrNoRecords is wrapped by ListRecords for a folder with no RECORDS file
// and no .hea headers.
var ErrNoRecords = errors.New("no RECORDS file and no .hea headers")

// ListRecords returns the record paths (directory joined with record name,
// no extension) of the database in dir: the names in its RECORDS file when
// there is one, else every *.hea file in dir, sorted by name.
// Lines of RECORDS may end in CR LF; blank lines and lines starting with
// '#' are skipped, and a name listed twice is returned once. Names may
// contain subdirectories ("p00/p000123"). A folder with neither is an
// error wrapping ErrNoRecords.
func ListRecords(dir string) ([]string, error) {
	f, err := os.Open(filepath.Join(dir, "RECORDS"))
	switch {
	case err == nil:
		defer f.Close()
		var out []string
		seen := make(map[string]bool)
		sc := bufio.NewScanner(f)
		line := 0
		for sc.Scan() {
			line++
			name := strings.TrimSpace(sc.Text())
			if name == "" || strings.HasPrefix(name, "#") {
				continue
			}
			name = strings.TrimSuffix(name, "/")
			if !LocalRecordName(name) {
				return nil, fmt.Errorf("%s line %d: record name %q leaves the database directory", filepath.Join(dir, "RECORDS"), line, name)
			}
			if seen[name] {
				continue // a record listed twice is read once
			}
			seen[name] = true
			out = append(out, filepath.Join(dir, filepath.FromSlash(name)))
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "RECORDS"), err)
		}
		return out, nil
	case errors.Is(err, fs.ErrNotExist):
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".hea") {
				out = append(out, filepath.Join(dir, strings.TrimSuffix(e.Name(), ".hea")))
			}
		}
		sort.Strings(out)
		if len(out) == 0 {
			return nil, fmt.Errorf("%s: %w", dir, ErrNoRecords)
		}
		return out, nil
	default:
		return nil, err
	}
}

// IsDatabaseDir reports whether path is a directory (a database) rather
// than a record path.
func IsDatabaseDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// LocalRecordName reports whether a record name read from a file (a
// RECORDS line, a labels CSV) stays inside the folder it is listed in: a
// relative, slash-separated path with no ".." element, no backslash, and
// not the folder itself. Every list of records read from outside bytes
// follows this rule.
func LocalRecordName(name string) bool {
	return !strings.ContainsRune(name, '\\') && filepath.IsLocal(name) && path.Clean(name) != "."
}
