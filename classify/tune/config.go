package tune

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/ecgkit/ecg/internal/atomicfile"
)

// Config is what makes a search the same search: a rerun into a folder
// resumes it only when its config is the one stored there (search.json);
// the number of trials may change.
type Config struct {
	Data        string   `json:"data"`
	Files       int      `json:"files"`
	Labels      []string `json:"labels"`
	Space       []string `json:"space"`
	Strategy    string   `json:"strategy"`
	Objective   string   `json:"objective"`
	Minimize    bool     `json:"minimize,omitempty"`
	ScoreLabels []string `json:"score_labels,omitempty"`
	Folds       int      `json:"folds"`
	Seed        uint64   `json:"seed"`
	// Lag: trial i is proposed from the trials up to i-Lag (the number
	// of trials that may run at once without changing the search).
	Lag        int    `json:"lag"`
	GridPoints int    `json:"grid_points,omitempty"`
	EarlyStop  bool   `json:"early_stop"`
	Shard      int    `json:"shard"`
	Shards     int    `json:"shards"`
	Base       string `json:"base"`
	// Crops are the records' crop views ("2x0.75": 2 windows of 0.75 of
	// each record; empty for none, as searches before them had).
	Crops string `json:"crops,omitempty"`
	// MainsNotch: the records' features remove mains lines first
	// (classify.SignalFeatures.MainsNotch; false in searches before it).
	MainsNotch bool `json:"mains_notch,omitempty"`
	// SignalSet is the records' signal feature set when it is not
	// classify.DefaultSignalFeatureSet (0: that, as in searches before
	// ecg train took set 7 for records).
	SignalSet int `json:"signal_set,omitempty"`
}

// readConfig reads dir's search.json; nil when there is none.
func readConfig(dir string) (*Config, error) {
	path := filepath.Join(dir, ConfigFile)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &c, nil
}

// writeConfig writes c as dir's search.json.
func writeConfig(dir string, c *Config) error {
	return atomicfile.WriteFile(filepath.Join(dir, ConfigFile), func(w io.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(c)
	})
}

// diff names the first field where c and d differ (skipping those of
// skip), with both values; "" when none does.
func (c *Config) diff(d *Config, skip ...string) string {
	var a, b map[string]any
	ja, _ := json.Marshal(c)
	jb, _ := json.Marshal(d)
	json.Unmarshal(ja, &a)
	json.Unmarshal(jb, &b)
	for _, k := range skip {
		delete(a, k)
		delete(b, k)
	}
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		va, _ := json.Marshal(a[k])
		vb, _ := json.Marshal(b[k])
		if !bytes.Equal(va, vb) {
			return fmt.Sprintf("%s %s, not %s", k, va, vb)
		}
	}
	return ""
}
