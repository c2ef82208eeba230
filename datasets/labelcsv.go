package datasets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Errors of labels CSV files, wrapped with the file and line.
var (
	// ErrLabelCSV is wrapped by every error about the content of a labels
	// CSV (a row that is not record,label; a bad record name; no rows).
	ErrLabelCSV = errors.New("bad labels CSV")
	// ErrDuplicateRecord is wrapped when a labels CSV lists a record twice.
	ErrDuplicateRecord = errors.New("record listed twice")
)

// LabelRow is one row of a labels CSV.
type LabelRow struct {
	// Record is the record name, '/'-separated, cleaned, without ".hea"
	// ("A00001", "p00/p000123").
	Record string
	// Label is the record's label as written (spaces around it trimmed).
	Label string
	// Group is the optional third column: the patient (or any unit that
	// must not be split between training and test) the record belongs
	// to; "" when the row has two fields, and the record is then its own
	// group.
	Group string
	// Line is the row's 1-based line number in the file.
	Line int
}

// Header names ReadLabelRows takes for a header row: the first row is a
// header when its first field is one of headerRecord or its second is one
// of headerLabel (in any case).
var (
	headerRecord = []string{"record", "records", "recording", "name", "file", "filename", "id"}
	headerLabel  = []string{"label", "labels", "class", "rhythm", "diagnosis"}
	headerGroup  = []string{"group", "patient", "subject", "person"}
)

// ReadLabelRows reads a labels CSV (the CinC Challenge's REFERENCE.csv):
// rows of two fields, record,label, or three, record,label,group where
// group names the patient a record belongs to (records of one group are
// never split between training and test; a two-field row is its own
// group). Lines may end in CR LF; blank lines and lines starting with
// '#' are skipped; a first row naming its columns ("record,label",
// "name,class,patient", ...) is a header and skipped; fields may be
// quoted as in RFC 4180. A record name is a path inside the records
// directory ("A00001", "p00/p000123"; a ".hea" suffix is dropped). name
// (the file's path) starts every error, with the line: a row without two
// or three fields, an empty record, label or (given) group, or a name
// leaving the directory wraps ErrLabelCSV; a record listed twice wraps
// ErrDuplicateRecord and gives both lines. At most MaxLabelFiles rows are
// read.
func ReadLabelRows(r io.Reader, name string) ([]LabelRow, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	var rows []LabelRow
	first := map[string]int{} // record -> line
	started := false          // a row was read (a header comes first)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if !started {
			started = true
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // a byte-order mark
			if isLabelHeader(rec) {
				continue
			}
		}
		row, err := labelRow(rec, line)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", name, line, err)
		}
		if l, ok := first[row.Record]; ok {
			return nil, fmt.Errorf("%s line %d: record %q (first on line %d): %w", name, line, row.Record, l, ErrDuplicateRecord)
		}
		if len(rows) >= MaxLabelFiles {
			return nil, fmt.Errorf("%s line %d: more than %d records: %w", name, line, MaxLabelFiles, ErrLabelCSV)
		}
		first[row.Record] = line
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no record,label rows: %w", name, ErrLabelCSV)
	}
	return rows, nil
}

// labelRow checks one CSV row and returns it as a LabelRow.
func labelRow(rec []string, line int) (LabelRow, error) {
	if len(rec) != 2 && len(rec) != 3 {
		return LabelRow{}, fmt.Errorf("%d fields, want 2 or 3 (record,label[,group]): %w", len(rec), ErrLabelCSV)
	}
	r := strings.TrimSpace(rec[0])
	l := strings.TrimSpace(rec[1])
	r = strings.TrimSuffix(r, ".hea")
	var g string
	if len(rec) == 3 {
		g = strings.TrimSpace(rec[2])
	}
	switch {
	case r == "":
		return LabelRow{}, fmt.Errorf("empty record name: %w", ErrLabelCSV)
	case l == "":
		return LabelRow{}, fmt.Errorf("record %q has an empty label: %w", r, ErrLabelCSV)
	case len(rec) == 3 && g == "":
		return LabelRow{}, fmt.Errorf("record %q has an empty group (third column): %w", r, ErrLabelCSV)
	case !LocalRecordName(r):
		return LabelRow{}, fmt.Errorf("record name %q leaves the records directory: %w", r, ErrLabelCSV)
	}
	return LabelRow{Record: path.Clean(r), Label: l, Group: g, Line: line}, nil
}

// isLabelHeader reports whether a first row names its columns.
func isLabelHeader(rec []string) bool {
	if len(rec) == 3 && isHeaderWord(strings.TrimSpace(rec[2]), headerGroup) {
		return true
	}
	return (len(rec) == 2 || len(rec) == 3) && (isHeaderWord(strings.TrimSpace(rec[0]), headerRecord) ||
		isHeaderWord(strings.TrimSpace(rec[1]), headerLabel))
}

func isHeaderWord(s string, words []string) bool {
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// ReadLabelCSV reads a dataset of WFDB records in dir labelled by the
// labels CSV at csvPath (ReadLabelRows), labels renamed by m (nil keeps
// them): every listed record is an input (Kind KindRecord, Path
// dir/RECORD, Rel the record name, Group the row's group or else the
// record name), and records in dir the CSV
// does not list are not used. A listed record without its header
// (dir/RECORD.hea) is an error naming the CSV line. Labels are sorted;
// Files are in the order label folders of the same records would give
// (by LABEL/RECORD), so that a dataset trains the same whichever way it
// is labelled.
func ReadLabelCSV(dir, csvPath string, m LabelMap) (*LabelFolders, error) {
	f, err := os.Open(csvPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := ReadLabelRows(f, csvPath)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory (labels from a CSV need a directory of records)", dir)
	}
	ds := &LabelFolders{Dir: dir, Files: make([]LabeledFile, 0, len(rows))}
	for _, r := range rows {
		p := filepath.Join(dir, filepath.FromSlash(r.Record))
		if st, err := os.Stat(p + ".hea"); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s line %d: record %q not found (no %s.hea): %w", csvPath, r.Line, r.Record, p, fs.ErrNotExist)
		} else if err != nil {
			return nil, fmt.Errorf("%s line %d: record %q: %w", csvPath, r.Line, r.Record, err)
		} else if st.IsDir() {
			return nil, fmt.Errorf("%s line %d: record %q: %s.hea is a directory", csvPath, r.Line, r.Record, p)
		}
		g := r.Group
		if g == "" {
			g = r.Record
		}
		ds.Files = append(ds.Files, LabeledFile{Path: p, Rel: r.Record, Label: m.Label(r.Label), Kind: KindRecord, Group: g})
	}
	sort.Slice(ds.Files, func(i, j int) bool {
		a, b := ds.Files[i], ds.Files[j]
		return a.Label+"/"+a.Rel < b.Label+"/"+b.Rel
	})
	ds.relabel()
	return ds, nil
}

// relabel sets Labels to the sorted distinct labels of Files.
func (ds *LabelFolders) relabel() {
	seen := map[string]bool{}
	ds.Labels = ds.Labels[:0]
	for _, f := range ds.Files {
		if !seen[f.Label] {
			seen[f.Label] = true
			ds.Labels = append(ds.Labels, f.Label)
		}
	}
	sort.Strings(ds.Labels)
}

// ErrLabelMap is wrapped by ParseLabelMap's errors.
var ErrLabelMap = errors.New("bad label map")

// LabelMap renames labels: a label that is a key becomes its value; other
// labels are kept. It is applied once (A=B,B=C renames A to B, not to C);
// several labels may map to one (merging them).
type LabelMap map[string]string

// ParseLabelMap parses comma-separated FROM=TO pairs ("A=AF,~=Noisy";
// spaces around names are trimmed). An empty spec is an empty map; an
// item without '=', an empty name, a '=' in TO or a FROM given twice is
// an error wrapping ErrLabelMap.
func ParseLabelMap(spec string) (LabelMap, error) {
	m := LabelMap{}
	if strings.TrimSpace(spec) == "" {
		return m, nil
	}
	for _, item := range strings.Split(spec, ",") {
		from, to, ok := strings.Cut(item, "=")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		switch {
		case !ok:
			return nil, fmt.Errorf("%q: want FROM=TO: %w", item, ErrLabelMap)
		case from == "" || to == "":
			return nil, fmt.Errorf("%q: empty label: %w", item, ErrLabelMap)
		case strings.Contains(to, "="):
			return nil, fmt.Errorf("%q: one '=' per pair: %w", item, ErrLabelMap)
		}
		if prev, dup := m[from]; dup {
			return nil, fmt.Errorf("%q: %q already maps to %q: %w", item, from, prev, ErrLabelMap)
		}
		m[from] = to
	}
	return m, nil
}

// Label returns the new name of label l.
func (m LabelMap) Label(l string) string {
	if to, ok := m[l]; ok {
		return to
	}
	return l
}

// String returns the map as ParseLabelMap takes it, sorted by FROM.
func (m LabelMap) String() string {
	pairs := make([]string, 0, len(m))
	for from, to := range m {
		pairs = append(pairs, from+"="+to)
	}
	sort.Strings(pairs)
	return strings.Join(pairs, ",")
}

// Apply renames the labels of ds's files and sets ds.Labels to the sorted
// distinct new labels; the files keep their order. Keys ds does not have
// are ignored; an empty map changes nothing.
func (m LabelMap) Apply(ds *LabelFolders) {
	if len(m) == 0 {
		return
	}
	for i := range ds.Files {
		ds.Files[i].Label = m.Label(ds.Files[i].Label)
	}
	ds.relabel()
}

// LabelSource says where a dataset's labels come from.
type LabelSource struct {
	// CSV is a labels CSV (ReadLabelCSV) over the records of the
	// dataset directory; "" reads label folders (ReadLabelFolders).
	CSV string
	// Map renames the labels; nil keeps them.
	Map LabelMap
}

// ReadLabeled reads the dataset in dir as ecg train and ecg eval do: from
// label folders, or from src.CSV when it is set, with labels renamed by
// src.Map.
func ReadLabeled(dir string, src LabelSource) (*LabelFolders, error) {
	if src.CSV != "" {
		return ReadLabelCSV(dir, src.CSV, src.Map)
	}
	ds, err := ReadLabelFolders(dir)
	if err != nil {
		return nil, err
	}
	src.Map.Apply(ds)
	return ds, nil
}
