package tune

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Merge combines the trials of the shards of one search (each run into
// its own folder of dirs with Options.Shard) into out: search.json (with
// shard -1: a merged search is not resumed), trials.jsonl, trials.csv and
// the plots. The shards must be of the same search, each once; a trial
// in two of them is an error. The returned result has no model: train
// the best settings with ecg train.
func Merge(dirs []string, out string) (*Result, error) {
	if len(dirs) == 0 {
		return nil, fmt.Errorf("merge: no shard folders")
	}
	var cfg *Config
	var trials []Trial
	shards := map[int]string{}
	for _, dir := range dirs {
		c, err := readConfig(dir)
		if err != nil {
			return nil, err
		}
		if c == nil {
			return nil, fmt.Errorf("%s: no %s (not a search folder)", dir, ConfigFile)
		}
		if cfg == nil {
			cfg = c
		} else if d := c.diff(cfg, "shard"); d != "" {
			return nil, fmt.Errorf("%s: another search than %s (%s)", dir, dirs[0], d)
		}
		if prev, ok := shards[c.Shard]; ok {
			return nil, fmt.Errorf("%s: shard %d/%d again (also %s)", dir, c.Shard, c.Shards, prev)
		}
		shards[c.Shard] = dir
		path := filepath.Join(dir, JSONLFile)
		b, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		t, err := ReadTrials(path, bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		trials = append(trials, t...)
	}
	slices.SortFunc(trials, func(a, b Trial) int { return a.ID - b.ID })
	for i := 1; i < len(trials); i++ {
		if trials[i].ID == trials[i-1].ID {
			return nil, fmt.Errorf("merge: trial %d is in two shards", trials[i].ID)
		}
	}
	return writeMerged(out, cfg, trials)
}

// writeMerged writes the merged search of cfg with trials into out.
func writeMerged(out string, cfg *Config, trials []Trial) (*Result, error) {
	var params []Param
	for _, s := range cfg.Space {
		p, err := ParseParam(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ConfigFile, err)
		}
		params = append(params, p)
	}
	space, err := NewSpace(params)
	if err != nil {
		return nil, err
	}
	obj, err := ParseObjective(cfg.Objective, cfg.Minimize)
	if err != nil {
		return nil, err
	}
	m := *cfg
	m.Shard = -1
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	if err := writeConfig(out, &m); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(out, JSONLFile))
	for _, t := range trials {
		if err := appendTrial(out, t); err != nil {
			return nil, err
		}
	}
	if err := writeTrialsCSV(out, space, cfg.Folds, trials); err != nil {
		return nil, err
	}
	if err := WritePlots(filepath.Join(out, PlotsDir), space, &obj, trials); err != nil {
		return nil, err
	}
	return &Result{Config: &m, Space: space, Trials: trials, Best: Best(trials, &obj)}, nil
}
