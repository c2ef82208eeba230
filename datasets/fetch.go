package datasets

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/datasets/wfdb"
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
	// MaxFileBytes bounds the size of one file (0: DefaultMaxFileBytes):
	// a body that goes on past it, or past its Content-Length, is cut
	// off, deleted and reported.
	MaxFileBytes int64
}

// DefaultMaxFileBytes is the default FetchOptions.MaxFileBytes: 1 GiB,
// more than ten times the largest file of the PhysioNet ECG databases
// (a day of a long-term record is under 100 MB).
const DefaultMaxFileBytes = 1 << 30

// ErrTooLarge is wrapped by the errors about a body larger than it may be.
var ErrTooLarge = errors.New("larger than allowed")

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
// its checksum (names that would leave Dir, or start with a dot, are
// refused: see parseSums); each file is downloaded to a hidden
// ".NAME.part" file beside it (no listed name can be one; resumed with an
// HTTP Range request when a previous run left one), cut off at
// MaxFileBytes, verified, and renamed into place. Files already present with the right checksum are skipped, so
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
	maxBytes := opt.MaxFileBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxFileBytes
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
	listed := make(map[string]bool, len(sums))
	for _, e := range sums {
		listed[e.name] = true
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
		adoptLegacyPart(local, listed[e.name+".part"])
		n, resumed, err := fetchFile(ctx, opt.Client, root+escapePath(e.name), local, e.sum, maxBytes)
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

// parseSums parses a SHA256SUMS.txt listing read from r (name is used in
// errors). Every file name must stay inside the database directory: a
// relative slash-separated path, clean, without backslashes or control
// characters, no component starting with a dot (".", "..", hidden files,
// and so the temporary ".NAME.part" files), and listed once.
func parseSums(r io.Reader, name string) ([]sumEntry, error) {
	var out []sumEntry
	seen := map[string]bool{}
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
			return nil, fmt.Errorf("%s line %d: want \"SHA256  FILE\", got %s", name, line, wfdb.QuoteInput(s))
		}
		if _, err := hex.DecodeString(f[0]); err != nil {
			return nil, fmt.Errorf("%s line %d: checksum %s: not hexadecimal", name, line, wfdb.QuoteInput(f[0]))
		}
		file := strings.TrimPrefix(f[1], "*")
		file = strings.TrimPrefix(file, "./")
		if err := checkListedName(file); err != nil {
			return nil, fmt.Errorf("%s line %d: file name %s %w", name, line, wfdb.QuoteInput(file), err)
		}
		if seen[file] {
			return nil, fmt.Errorf("%s line %d: file name %s listed twice", name, line, wfdb.QuoteInput(file))
		}
		seen[file] = true
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

// checkListedName returns an error (to follow the quoted name) unless
// name is a path that stays inside the directory it is listed for.
func checkListedName(name string) error {
	if name == "" || path.IsAbs(name) || path.Clean(name) != name {
		return errors.New("is not a clean relative path: it leaves the database directory")
	}
	if strings.ContainsAny(name, "\\:") {
		return errors.New("holds a backslash or colon: it may leave the database directory")
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return errors.New("holds a control character")
		}
	}
	for _, part := range strings.Split(name, "/") {
		if strings.HasPrefix(part, ".") {
			return errors.New("has a part starting with a dot (., .., hidden or temporary files)")
		}
	}
	return nil
}

// partName returns the temporary file a download of local goes to: hidden
// beside it, a name no listed file can have (checkListedName).
func partName(local string) string {
	dir, base := filepath.Split(local)
	return filepath.Join(dir, "."+base+".part")
}

// adoptLegacyPart moves a "NAME.part" file left by an earlier version of
// Fetch to partName, so that its download resumes, unless NAME.part is a
// file of the listing itself (listed).
func adoptLegacyPart(local string, listed bool) {
	legacy := local + ".part"
	if listed {
		return
	}
	if _, err := os.Stat(partName(local)); err == nil {
		return
	}
	if st, err := os.Lstat(legacy); err == nil && st.Mode().IsRegular() {
		os.Rename(legacy, partName(local))
	}
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

// fetchFile downloads u into local via partName(local), resuming a partial
// download with a Range request, and renames it into place once its SHA-256
// matches want. A body longer than its Content-Length or than maxBytes is
// cut off: the part file is deleted and the error wraps ErrTooLarge.
func fetchFile(ctx context.Context, c *http.Client, u, local, want string, maxBytes int64) (n int64, resumed bool, err error) {
	part := partName(local)
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
	limit := maxBytes - offset
	if resp.ContentLength > limit {
		os.Remove(part)
		return 0, resumed, fmt.Errorf("fetch %s: %w: Content-Length %d bytes after %d, at most %d allowed", u, ErrTooLarge, resp.ContentLength, offset, maxBytes)
	}
	f, err := os.OpenFile(part, flags, 0o644)
	if err != nil {
		return 0, false, err
	}
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		// One byte more than allowed tells a body that goes on.
		n, err = io.Copy(f, io.LimitReader(resp.Body, limit+1))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		os.Remove(part)
		return n, resumed, fmt.Errorf("fetch %s: %w: body goes on past %d bytes; cut off and discarded", u, ErrTooLarge, maxBytes)
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
