package datasets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// ManifestName is the file name of an archive's manifest. An archive built
// in shards (ecg spectro --shard K/N) has one manifest per shard, named
// ManifestShardName(K, N); ReadArchiveManifests reads them all.
const ManifestName = "manifest.csv"

// ManifestShardName returns the manifest file name of shard k of n
// ("manifest-0-of-4.csv").
func ManifestShardName(k, n int) string { return fmt.Sprintf("manifest-%d-of-%d.csv", k, n) }

// ManifestColumns are the columns of a manifest, in the order WriteManifest
// writes them. ReadManifest finds columns by name, so files with extra or
// reordered columns read as well.
var ManifestColumns = []string{
	"image", "record", "signal", "start", "end", "fs", "label", "label_fraction",
	"beats", "n", "s", "v", "f", "q",
	"beat_sample", "prev_rr", "next_rr", "local_rr", "avg_rr",
}

// AAMIClasses are the AAMI EC57 beat classes in the order of
// ManifestRow.BeatCounts.
const AAMIClasses = "NSVFQ"

// ManifestRow describes one image of a pathology archive: where its samples
// come from and what label it was given.
type ManifestRow struct {
	// Image is the image path relative to the archive root, with '/'
	// separators: "AFIB/201_0005m00s_MLII.png".
	Image string
	// Record is the record name ("201"); Signal the signal description
	// ("MLII").
	Record, Signal string
	// Start and End delimit the window in samples (frames) of the record:
	// [Start, End).
	Start, End int64
	// Fs is the sampling frequency of the record in Hz.
	Fs float64
	// Label is the folder name the image is stored under ("AFIB", "N", "V").
	Label string
	// LabelFraction is the fraction (0-1) of the window covered by the label:
	// the rhythm's share for rhythm strides, 1 for beat labels.
	LabelFraction float64
	// Beats is the number of reference beat annotations in [Start, End).
	Beats int
	// BeatCounts counts those beats per AAMI class, in the order of
	// AAMIClasses (N, S, V, F, Q).
	BeatCounts [5]int
	// BeatSample is the sample of the beat a beat window is centred on, or
	// -1 for strides.
	BeatSample int64
	// PrevRR and NextRR are the intervals in seconds from the previous beat
	// to this one and from this one to the next; LocalRR is the mean RR of
	// the beats around it (up to 10 intervals before it); AvgRR the mean RR
	// of the whole record. NaN when unknown (strides, first or last beat);
	// written as empty fields.
	PrevRR, NextRR, LocalRR, AvgRR float64
}

// NewStrideRow returns a row with the per-beat fields marked unknown.
func NewStrideRow() ManifestRow {
	nan := math.NaN()
	return ManifestRow{BeatSample: -1, PrevRR: nan, NextRR: nan, LocalRR: nan, AvgRR: nan}
}

// ManifestWriter writes manifest rows as CSV, header first.
type ManifestWriter struct {
	w      *csv.Writer
	header bool
	rec    []string
}

// NewManifestWriter returns a writer that writes the header line before
// the first row (or on Flush when there are no rows).
func NewManifestWriter(w io.Writer) *ManifestWriter {
	return &ManifestWriter{w: csv.NewWriter(w), rec: make([]string, len(ManifestColumns))}
}

func (mw *ManifestWriter) writeHeader() error {
	if mw.header {
		return nil
	}
	mw.header = true
	return mw.w.Write(ManifestColumns)
}

// Write writes one row.
func (mw *ManifestWriter) Write(r *ManifestRow) error {
	if err := mw.writeHeader(); err != nil {
		return err
	}
	rec := mw.rec
	rec[0] = r.Image
	rec[1] = r.Record
	rec[2] = r.Signal
	rec[3] = strconv.FormatInt(r.Start, 10)
	rec[4] = strconv.FormatInt(r.End, 10)
	rec[5] = formatFloat(r.Fs)
	rec[6] = r.Label
	rec[7] = formatFloat(r.LabelFraction)
	rec[8] = strconv.Itoa(r.Beats)
	for i, c := range r.BeatCounts {
		rec[9+i] = strconv.Itoa(c)
	}
	if r.BeatSample >= 0 {
		rec[14] = strconv.FormatInt(r.BeatSample, 10)
	} else {
		rec[14] = ""
	}
	rec[15] = formatFloat(r.PrevRR)
	rec[16] = formatFloat(r.NextRR)
	rec[17] = formatFloat(r.LocalRR)
	rec[18] = formatFloat(r.AvgRR)
	return mw.w.Write(rec)
}

// Flush writes any buffered data (and the header if no row was written)
// and reports the first write error.
func (mw *ManifestWriter) Flush() error {
	if err := mw.writeHeader(); err != nil {
		return err
	}
	mw.w.Flush()
	return mw.w.Error()
}

// formatFloat writes the shortest decimal that reads back to the same
// float64; NaN and infinities become an empty field.
func formatFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WriteManifest writes rows as a CSV manifest with a header line.
func WriteManifest(w io.Writer, rows []ManifestRow) error {
	mw := NewManifestWriter(w)
	for i := range rows {
		if err := mw.Write(&rows[i]); err != nil {
			return err
		}
	}
	return mw.Flush()
}

// ManifestError reports a malformed manifest line.
type ManifestError struct {
	Line   int    // 1-based line number
	Column string // column name, empty for errors of the whole line
	Err    error
}

func (e *ManifestError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("manifest line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("manifest line %d: %s: %v", e.Line, e.Column, e.Err)
}

func (e *ManifestError) Unwrap() error { return e.Err }

// ErrManifestHeader is wrapped by errors about a missing or incomplete
// header line.
var ErrManifestHeader = errors.New("not a manifest header")

// maxManifestField bounds a field's length; longer fields are an error
// rather than an allocation the file's author chose.
const maxManifestField = 4096

// ReadManifest reads a CSV manifest as written by WriteManifest. The first
// line must be a header naming at least the columns image, record and
// label; columns are found by name and unknown columns are ignored. Header
// lines repeated later in the stream are skipped, so that the manifests of
// several shards can simply be concatenated. Empty numeric fields read as
// NaN (floats), -1 (beat_sample) or 0 (counts).
func ReadManifest(r io.Reader) ([]ManifestRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ManifestError{Line: 1, Err: fmt.Errorf("%w: empty file", ErrManifestHeader)}
	}
	if err != nil {
		return nil, &ManifestError{Line: 1, Err: err}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	for _, need := range []string{"image", "record", "label"} {
		if _, ok := col[need]; !ok {
			return nil, &ManifestError{Line: 1, Err: fmt.Errorf("%w: no %q column", ErrManifestHeader, need)}
		}
	}
	header = slices.Clone(header)
	idx := make([]int, len(ManifestColumns))
	for i, name := range ManifestColumns {
		if j, ok := col[name]; ok {
			idx[i] = j
		} else {
			idx[i] = -1
		}
	}
	var rows []ManifestRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ManifestError{Line: pe.Line, Err: pe.Err}
			}
			return nil, &ManifestError{Err: err}
		}
		line, _ := cr.FieldPos(0)
		if slices.Equal(rec, header) {
			continue
		}
		row, err := parseManifestRecord(rec, idx, line)
		if err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
}

func parseManifestRecord(rec []string, idx []int, line int) (ManifestRow, error) {
	row := NewStrideRow()
	field := func(i int) string {
		if idx[i] < 0 || idx[i] >= len(rec) {
			return ""
		}
		return rec[idx[i]]
	}
	var err error
	bad := func(i int, e error) error {
		return &ManifestError{Line: line, Column: ManifestColumns[i], Err: e}
	}
	for i := range ManifestColumns {
		if len(field(i)) > maxManifestField {
			return row, bad(i, fmt.Errorf("field longer than %d bytes", maxManifestField))
		}
	}
	row.Image, row.Record, row.Signal, row.Label = field(0), field(1), field(2), field(6)
	if row.Image == "" {
		return row, bad(0, errors.New("empty image path"))
	}
	if row.Label == "" {
		return row, bad(6, errors.New("empty label"))
	}
	ints := []struct {
		i   int
		dst *int64
	}{{3, &row.Start}, {4, &row.End}, {14, &row.BeatSample}}
	for _, f := range ints {
		s := field(f.i)
		if s == "" {
			continue
		}
		if *f.dst, err = strconv.ParseInt(s, 10, 64); err != nil {
			return row, bad(f.i, fmt.Errorf("%q: invalid integer", s))
		}
	}
	counts := []*int{&row.Beats, &row.BeatCounts[0], &row.BeatCounts[1], &row.BeatCounts[2], &row.BeatCounts[3], &row.BeatCounts[4]}
	for k, dst := range counts {
		s := field(8 + k)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 {
			return row, bad(8+k, fmt.Errorf("%q: invalid count", s))
		}
		*dst = v
	}
	floats := []struct {
		i   int
		dst *float64
	}{{5, &row.Fs}, {7, &row.LabelFraction}, {15, &row.PrevRR}, {16, &row.NextRR}, {17, &row.LocalRR}, {18, &row.AvgRR}}
	for _, f := range floats {
		s := field(f.i)
		if s == "" {
			if f.i == 5 || f.i == 7 {
				*f.dst = 0
			}
			continue
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(v, 0) {
			return row, bad(f.i, fmt.Errorf("%q: invalid number", s))
		}
		*f.dst = v
	}
	if row.End < row.Start {
		return row, bad(4, fmt.Errorf("end %d before start %d", row.End, row.Start))
	}
	return row, nil
}

// ReadManifestFile reads the manifest at path; errors name the file.
func ReadManifestFile(path string) ([]ManifestRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := ReadManifest(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// ReadArchiveManifests reads every manifest of the archive in dir:
// manifest.csv and the shard manifests manifest-K-of-N.csv, in name order,
// and returns their rows concatenated.
func ReadArchiveManifests(dir string) ([]ManifestRow, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "manifest*.csv"))
	if err != nil {
		return nil, err
	}
	var keep []string
	for _, p := range paths {
		b := filepath.Base(p)
		var k, n int
		if b == ManifestName {
			keep = append(keep, p)
		} else if _, err := fmt.Sscanf(b, "manifest-%d-of-%d.csv", &k, &n); err == nil && ManifestShardName(k, n) == b {
			keep = append(keep, p)
		}
	}
	sort.Strings(keep)
	if len(keep) == 0 {
		return nil, fmt.Errorf("%s: no %s in archive", dir, ManifestName)
	}
	var all []ManifestRow
	for _, p := range keep {
		rows, err := ReadManifestFile(p)
		if err != nil {
			return nil, err
		}
		all = append(all, rows...)
	}
	return all, nil
}

// ManifestIndex finds the manifest row of an image by the file the path
// names, however the path is spelled: relative or absolute, with "." or
// ".." parts, or through symbolic links (resolved where they exist). The
// rows' image paths are relative to the manifest's folder.
type ManifestIndex struct {
	rows map[string]*ManifestRow
	mu   sync.Mutex
	dirs map[string]string // resolved folders, by absolute clean path
}

// NewManifestIndex indexes rows whose image paths are relative to dir (an
// image listed twice keeps its first row).
func NewManifestIndex(dir string, rows []ManifestRow) *ManifestIndex {
	ix := &ManifestIndex{rows: make(map[string]*ManifestRow, len(rows)), dirs: map[string]string{}}
	for i := range rows {
		p := filepath.FromSlash(rows[i].Image)
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		k := ix.key(p)
		if _, dup := ix.rows[k]; !dup {
			ix.rows[k] = &rows[i]
		}
	}
	return ix
}

// ReadManifestIndex reads the manifest at path and indexes its rows
// (NewManifestIndex) relative to the manifest's folder.
func ReadManifestIndex(path string) (*ManifestIndex, error) {
	rows, err := ReadManifestFile(path)
	if err != nil {
		return nil, err
	}
	return NewManifestIndex(filepath.Dir(path), rows), nil
}

// Len returns the number of images indexed.
func (ix *ManifestIndex) Len() int { return len(ix.rows) }

// Lookup returns the row of the image at path, or nil when the manifest
// has none. A path that is itself a symbolic link finds the row of the
// file it points to when it has none of its own.
func (ix *ManifestIndex) Lookup(path string) *ManifestRow {
	if ix == nil {
		return nil
	}
	if r, ok := ix.rows[ix.key(path)]; ok {
		return r
	}
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return ix.rows[ix.key(real)]
	}
	return nil
}

// key is the absolute, clean path of path's folder with its symbolic
// links resolved (when it exists), joined with path's base name. The
// folders are resolved once each.
func (ix *ManifestIndex) key(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	dir, base := filepath.Split(abs)
	dir = filepath.Clean(dir)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	real, ok := ix.dirs[dir]
	if !ok {
		if real, err = filepath.EvalSymlinks(dir); err != nil {
			real = dir
		}
		ix.dirs[dir] = real
	}
	return filepath.Join(real, base)
}
