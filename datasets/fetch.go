package datasets

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// DefaultFetchBase is where PhysioNet serves its databases:
// BASE/DATABASE/VERSION/FILE.
const DefaultFetchBase = "https://physionet.org/files"

// KnownVersions gives the version fetched when none is asked for.
var KnownVersions = map[string]string{
	"mitdb":    "1.0.0",
	"nsrdb":    "1.0.0",
	"afdb":     "1.0.0",
	"nstdb":    "1.0.0",
	"svdb":     "1.0.0",
	"incartdb": "1.0.0",
	"ltafdb":   "1.0.0",
	"edb":      "1.0.0",
	"qtdb":     "1.0.0",
}

// maxListBytes bounds the size of the SHA256SUMS.txt and RECORDS files we
// accept from a server.
const maxListBytes = 16 << 20

// FetchOptions say what to download and where.
type FetchOptions struct {
	// Base is the server's root (DefaultFetchBase when empty).
	Base string
	// Database is the database's short name, such as "mitdb".
	Database string
	// Version is the database version; KnownVersions[Database] when empty.
	Version string
	// Dir is the local directory the files go into (created if needed).
	Dir string
	// Client is the HTTP client (http.DefaultClient when nil).
	Client *http.Client
	// Progress, when set, is told the total size once known (total > 0)
	// and then every chunk of bytes received (total == 0).
	Progress func(total, done int64)
	// Log, when set, receives one line per file: fetched, resumed,
	// skipped (already verified).
	Log func(msg string)
}

// FetchResult counts what Fetch did.
type FetchResult struct {
	Files, Downloaded, Skipped, Resumed int
	Bytes                               int64
}

type sumEntry struct {
	name string
	sum  string // lowercase hex SHA-256
}

// Fetch downloads a PhysioNet database: SHA256SUMS.txt lists every file and
// its checksum; each file is downloaded to a ".part" file (resumed with an
// HTTP Range request when a previous run left one), verified, and renamed
// into place. Files already present with the right checksum are skipped, so
// a second run is a verification pass. Files whose checksum does not match
// are an error naming them.
func Fetch(ctx context.Context, opt FetchOptions) (FetchResult, error) {
	var res FetchResult
	if opt.Base == "" {
		opt.Base = DefaultFetchBase
	}
	if opt.Client == nil {
		opt.Client = http.DefaultClient
	}
	if opt.Version == "" {
		opt.Version = KnownVersions[opt.Database]
	}
	if opt.Database == "" || strings.ContainsAny(opt.Database, "/\\") || strings.HasPrefix(opt.Database, ".") {
		return res, fmt.Errorf("fetch: invalid database name %q", opt.Database)
	}
	if opt.Version == "" {
		return res, fmt.Errorf("fetch: no version known for %q: give one (e.g. %s/1.0.0)", opt.Database, opt.Database)
	}
	root := strings.TrimSuffix(opt.Base, "/") + "/" + url.PathEscape(opt.Database) + "/" + url.PathEscape(opt.Version) + "/"
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return res, err
	}
	sums, err := fetchSums(ctx, opt.Client, root+"SHA256SUMS.txt")
	if err != nil {
		return res, err
	}
	var total int64
	if opt.Progress != nil {
		// Sizes are learned as files start; report the count of files.
		opt.Progress(int64(len(sums)), 0)
	}
	for _, e := range sums {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		res.Files++
		local := filepath.Join(opt.Dir, filepath.FromSlash(e.name))
		if ok, _ := fileHasSum(local, e.sum); ok {
			res.Skipped++
			if opt.Log != nil {
				opt.Log("ok       " + e.name)
			}
			if opt.Progress != nil {
				opt.Progress(0, 1)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
			return res, err
		}
		n, resumed, err := fetchFile(ctx, opt.Client, root+escapePath(e.name), local, e.sum)
		if err != nil {
			return res, err
		}
		total += n
		res.Downloaded++
		if resumed {
			res.Resumed++
		}
		if opt.Log != nil {
			how := "fetched  "
			if resumed {
				how = "resumed  "
			}
			opt.Log(how + e.name)
		}
		if opt.Progress != nil {
			opt.Progress(0, 1)
		}
	}
	res.Bytes = total
	return res, nil
}

func escapePath(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// fetchSums downloads and parses a SHA256SUMS.txt listing ("HEX  NAME" per
// line, as sha256sum writes it).
func fetchSums(ctx context.Context, c *http.Client, u string) ([]sumEntry, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", u, resp.Status)
	}
	return parseSums(io.LimitReader(resp.Body, maxListBytes), u)
}

func parseSums(r io.Reader, name string) ([]sumEntry, error) {
	var out []sumEntry
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) != 2 || len(f[0]) != 64 {
			return nil, fmt.Errorf("%s line %d: want \"SHA256  FILE\", got %q", name, line, s)
		}
		if _, err := hex.DecodeString(f[0]); err != nil {
			return nil, fmt.Errorf("%s line %d: checksum %q: not hexadecimal", name, line, f[0])
		}
		file := strings.TrimPrefix(f[1], "*")
		file = strings.TrimPrefix(file, "./")
		clean := path.Clean(file)
		if clean != file || strings.HasPrefix(clean, "../") || clean == ".." || path.IsAbs(clean) {
			return nil, fmt.Errorf("%s line %d: file name %q leaves the database directory", name, line, file)
		}
		out = append(out, sumEntry{name: file, sum: strings.ToLower(f[0])})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no files listed", name)
	}
	return out, nil
}

func fileHasSum(p, want string) (bool, error) {
	f, err := os.Open(p)
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == want, nil
}

// fetchFile downloads u into local via local+".part", resuming a partial
// download with a Range request, and renames it into place once its SHA-256
// matches want.
func fetchFile(ctx context.Context, c *http.Client, u, local, want string) (n int64, resumed bool, err error) {
	part := local + ".part"
	var offset int64
	if st, err := os.Stat(part); err == nil {
		offset = st.Size()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, false, err
	}
	if offset > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(offset, 10)+"-")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, false, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	flags := os.O_CREATE | os.O_WRONLY
	switch {
	case offset > 0 && resp.StatusCode == http.StatusPartialContent:
		flags |= os.O_APPEND
		resumed = true
	case resp.StatusCode == http.StatusOK:
		flags |= os.O_TRUNC
		offset = 0
	case offset > 0 && resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		// The part file is already complete (or longer than the file):
		// verify it below, or start over.
		resumed = true
	default:
		return 0, false, fmt.Errorf("fetch %s: %s", u, resp.Status)
	}
	f, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return 0, false, err
	}
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		n, err = io.Copy(f, resp.Body)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		// Keep the part file: the next run resumes from it.
		return n, resumed, fmt.Errorf("fetch %s: %w", u, err)
	}
	ok, err := fileHasSum(part, want)
	if err != nil {
		return n, resumed, err
	}
	if !ok {
		os.Remove(part)
		return n, resumed, fmt.Errorf("fetch %s: SHA-256 does not match SHA256SUMS.txt (download discarded; run again)", u)
	}
	if err := os.Rename(part, local); err != nil {
		return n, resumed, err
	}
	return n, resumed, nil
}
