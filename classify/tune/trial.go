package tune

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/ecgkit/ecg/internal/atomicfile"
)

// Statuses of a trial.
const (
	// StatusOK: every fold was measured.
	StatusOK = "ok"
	// StatusStopped: stopped early, after the folds in Folds, because it
	// fell behind the median of the trials it could see.
	StatusStopped = "stopped"
	// StatusFailed: the trial could not be trained (Error says why).
	StatusFailed = "failed"
)

// Trial is one trial of a search: its parameters (as text, by name), the
// objective on each fold measured, their mean and sample standard
// deviation, its time and status.
type Trial struct {
	ID        int               `json:"trial"`
	Status    string            `json:"status"`
	Objective float64           `json:"objective"`
	SD        float64           `json:"sd"`
	Folds     []float64         `json:"folds"`
	Seconds   float64           `json:"seconds"`
	Params    map[string]string `json:"params"`
	Error     string            `json:"error,omitempty"`
}

// Point returns the trial's parameters as a point of s.
func (t *Trial) Point(s Space) (Point, error) {
	pt := make(Point, len(s))
	for i, p := range s {
		v, ok := t.Params[p.Name]
		if !ok {
			return nil, fmt.Errorf("trial %d has no value of %s", t.ID, p.Name)
		}
		var err error
		if pt[i], err = p.Value(v); err != nil {
			return nil, fmt.Errorf("trial %d: %w", t.ID, err)
		}
	}
	return pt, nil
}

// File names in a search's folder.
const (
	ConfigFile = "search.json"
	JSONLFile  = "trials.jsonl"
	CSVFile    = "trials.csv"
	ModelFile  = "best.model"
	ReportFile = "best.txt"
	PlotsDir   = "plots"
)

// MaxTrialLine bounds a line of trials.jsonl (bytes).
const MaxTrialLine = 1 << 20

// ReadTrials reads the trials of a trials.jsonl file (name is used in
// errors). A last line without its newline is a trial cut short by a
// kill and is left out; any other bad line is an error. Trials are
// returned in order of ID; an ID seen twice is an error.
func ReadTrials(name string, r io.Reader) ([]Trial, error) {
	br := bufio.NewReaderSize(r, MaxTrialLine+1)
	var out []Trial
	seen := map[int]bool{}
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull || len(line) > MaxTrialLine {
			return nil, fmt.Errorf("%s line %d: longer than %d bytes", name, n, MaxTrialLine)
		}
		if err == io.EOF {
			break // a line without its newline was cut short
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var t Trial
		if err := json.Unmarshal(line, &t); err != nil {
			return nil, fmt.Errorf("%s line %d: %v", name, n, err)
		}
		if err := t.check(); err != nil {
			return nil, fmt.Errorf("%s line %d: %v", name, n, err)
		}
		if seen[t.ID] {
			return nil, fmt.Errorf("%s line %d: trial %d is there twice", name, n, t.ID)
		}
		seen[t.ID] = true
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b Trial) int { return a.ID - b.ID })
	return out, nil
}

// check checks what a trial read from a file says.
func (t *Trial) check() error {
	switch {
	case t.ID < 0:
		return fmt.Errorf("trial %d: negative number", t.ID)
	case t.Status != StatusOK && t.Status != StatusStopped && t.Status != StatusFailed:
		return fmt.Errorf("trial %d: status %q (want ok, stopped or failed)", t.ID, t.Status)
	case len(t.Params) == 0:
		return fmt.Errorf("trial %d: no parameters", t.ID)
	}
	return nil
}

// readTrialsFile reads dir's trials.jsonl (none: no trials) and cuts off
// a last line a kill left without its newline, so that appends start on
// a line of their own.
func readTrialsFile(dir string) ([]Trial, error) {
	path := filepath.Join(dir, JSONLFile)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if i := bytes.LastIndexByte(b, '\n'); i+1 < len(b) {
		if err := os.Truncate(path, int64(i+1)); err != nil {
			return nil, err
		}
	}
	return ReadTrials(path, bytes.NewReader(b))
}

// appendTrial appends t to dir's trials.jsonl as one line, synced.
func appendTrial(dir string, t Trial) error {
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, JSONLFile)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// WriteTrialsCSV writes trials as CSV, one row per trial in the order
// given: trial, status, objective, sd, seconds, a column per parameter of
// s, a column per fold (empty after a stop), error.
func WriteTrialsCSV(w io.Writer, s Space, folds int, trials []Trial) error {
	cw := csv.NewWriter(w)
	head := []string{"trial", "status", "objective", "sd", "seconds"}
	for _, p := range s {
		head = append(head, p.Name)
	}
	for f := 1; f <= folds; f++ {
		head = append(head, "fold"+strconv.Itoa(f))
	}
	cw.Write(append(head, "error"))
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
	for _, t := range trials {
		row := []string{strconv.Itoa(t.ID), t.Status, num(t.Objective), num(t.SD), strconv.FormatFloat(t.Seconds, 'f', 2, 64)}
		if t.Status == StatusFailed {
			row[2], row[3] = "", ""
		}
		for _, p := range s {
			row = append(row, t.Params[p.Name])
		}
		for f := 0; f < folds; f++ {
			v := ""
			if f < len(t.Folds) {
				v = num(t.Folds[f])
			}
			row = append(row, v)
		}
		cw.Write(append(row, t.Error))
	}
	cw.Flush()
	return cw.Error()
}

// writeTrialsCSV rewrites dir's trials.csv atomically.
func writeTrialsCSV(dir string, s Space, folds int, trials []Trial) error {
	return atomicfile.WriteFile(filepath.Join(dir, CSVFile), func(w io.Writer) error {
		return WriteTrialsCSV(w, s, folds, trials)
	})
}
