package tune

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
)

// synthData writes a label-folder dataset of short noisy synthetic records
// (normal, pvc and tachy; one group each) into a temporary folder.
func synthData(t testing.TB) *datasets.LabelFolders {
	t.Helper()
	dir := t.TempDir()
	for ri, rh := range []string{synth.Normal, synth.PVC, synth.Tachy} {
		for r := 0; r < 8; r++ {
			hr := 75 + float64(r*3)
			if rh == synth.Tachy {
				hr = 101 + float64(r*4)
			}
			rec, err := synth.Generate(synth.Options{Rhythm: rh, HR: hr, Fs: 250, Duration: 12, Seed: int64(ri*100 + r), Noise: 0.05 + 0.08*float64(r%4), Wander: 0.2})
			if err != nil {
				t.Fatal(err)
			}
			d := filepath.Join(dir, rh)
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := rec.WriteWFDB(d, fmt.Sprintf("r%d", r)); err != nil {
				t.Fatal(err)
			}
		}
	}
	ds, err := datasets.ReadLabeled(dir, datasets.LabelSource{})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// testOptions are a small forest search of ds into dir.
func testOptions(t testing.TB, dir string, strategy string) Options {
	t.Helper()
	s := mustSpace(t, "trees=2:40:log", "max-depth=1:8", "min-leaf=1:6", "class-weight=balanced|none")
	obj, _ := ParseObjective("macro-f1", false)
	return Options{Dir: dir, Space: s, Strategy: strategy, Trials: 10, Objective: obj, Folds: 3, Seed: 5, Jobs: 1, EarlyStop: true,
		Base: Settings{Learner: classify.LearnerForest, Forest: classify.ForestOptions{ClassWeight: "balanced"}}, Final: true}
}

// csvWithoutTime returns dir's trials.csv without its seconds column.
func csvWithoutTime(t testing.TB, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, CSVFile))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, r := range rows {
		out.WriteString(strings.Join(append(r[:4:4], r[5:]...), ",") + "\n")
	}
	return out.String()
}

// TestResume: a search cancelled after 4 trials and run again ends with
// the trials.csv (times aside) and best.model of an uninterrupted run.
func TestResume(t *testing.T) {
	ds := synthData(t)
	for _, strategy := range []string{StrategyBayesian, StrategyRandom} {
		full := testOptions(t, filepath.Join(t.TempDir(), "full"), strategy)
		if _, err := Run(context.Background(), ds, full); err != nil {
			t.Fatal(err)
		}
		part := testOptions(t, filepath.Join(t.TempDir(), "part"), strategy)
		ctx, cancel := context.WithCancel(context.Background())
		part.Progress = func(stage string, done, total int) {
			if stage == StageTrials && done == 4 {
				cancel()
			}
		}
		if _, err := Run(ctx, ds, part); !errors.Is(err, context.Canceled) {
			t.Fatalf("%s: cancelled run: %v", strategy, err)
		}
		cut, _ := readTrialsFile(part.Dir)
		if len(cut) < 4 || len(cut) >= 10 {
			t.Fatalf("%s: %d trials kept after the interrupt, want 4 or a few more", strategy, len(cut))
		}
		// A kill in the middle of an append leaves a line without its
		// newline: the rerun drops it and appends after it.
		f, err := os.OpenFile(filepath.Join(part.Dir, JSONLFile), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"trial":9,"status":"o`)
		f.Close()
		part.Progress = nil
		res, err := Run(context.Background(), ds, part)
		if err != nil {
			t.Fatal(err)
		}
		if res.Resumed != len(cut) {
			t.Errorf("%s: resumed %d trials, want %d", strategy, res.Resumed, len(cut))
		}
		if a, b := csvWithoutTime(t, full.Dir), csvWithoutTime(t, part.Dir); a != b {
			t.Errorf("%s: resumed trials differ:\n%s\nuninterrupted:\n%s", strategy, b, a)
		}
		if all, err := readTrialsFile(part.Dir); err != nil || len(all) != 10 {
			t.Errorf("%s: trials.jsonl after the rerun: %d trials, %v", strategy, len(all), err)
		}
		ma, _ := os.ReadFile(filepath.Join(full.Dir, ModelFile))
		mb, _ := os.ReadFile(filepath.Join(part.Dir, ModelFile))
		if len(ma) == 0 || !bytes.Equal(ma, mb) {
			t.Errorf("%s: best.model of the resumed search differs", strategy)
		}
	}
}

// TestJobsSameSearch: two trials at once give the trials of one at a
// time when the lag is the same (a resumed search keeps its lag).
func TestJobsSameSearch(t *testing.T) {
	ds := synthData(t)
	a := testOptions(t, filepath.Join(t.TempDir(), "a"), StrategyBayesian)
	a.Jobs = 2
	if _, err := Run(context.Background(), ds, a); err != nil {
		t.Fatal(err)
	}
	b := testOptions(t, filepath.Join(t.TempDir(), "b"), StrategyBayesian)
	b.Jobs = 2
	b.Trials = 6
	if _, err := Run(context.Background(), ds, b); err != nil {
		t.Fatal(err)
	}
	b.Jobs, b.Trials = 1, 10 // resumed with one job and more trials: lag 2 is kept
	if _, err := Run(context.Background(), ds, b); err != nil {
		t.Fatal(err)
	}
	if x, y := csvWithoutTime(t, a.Dir), csvWithoutTime(t, b.Dir); x != y {
		t.Errorf("trials differ:\n%s\nvs\n%s", x, y)
	}
}

// TestShardsMerge: the shards of a random search, merged, are the
// trials of the unsharded search (random proposals see no history).
func TestShardsMerge(t *testing.T) {
	ds := synthData(t)
	full := testOptions(t, filepath.Join(t.TempDir(), "full"), StrategyRandom)
	full.EarlyStop = false
	if _, err := Run(context.Background(), ds, full); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for k := 0; k < 3; k++ {
		o := testOptions(t, filepath.Join(t.TempDir(), fmt.Sprint("s", k)), StrategyRandom)
		o.EarlyStop, o.Shard, o.Shards, o.Final = false, k, 3, false
		if _, err := Run(context.Background(), ds, o); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, o.Dir)
	}
	out := filepath.Join(t.TempDir(), "merged")
	res, err := Merge(dirs, out)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trials) != 10 || res.Best == nil {
		t.Fatalf("merged %d trials (best %v), want 10", len(res.Trials), res.Best)
	}
	if a, b := csvWithoutTime(t, full.Dir), csvWithoutTime(t, out); a != b {
		t.Errorf("merged trials differ:\n%s\nvs\n%s", b, a)
	}
	if _, err := Merge([]string{dirs[0], dirs[0]}, out); err == nil || !strings.Contains(err.Error(), "again") {
		t.Errorf("a shard merged twice: %v", err)
	}
	if _, err := Merge([]string{dirs[0], full.Dir}, out); err == nil || !strings.Contains(err.Error(), "another search") {
		t.Errorf("shards of two searches merged: %v", err)
	}
}

// TestAnotherSearch: a folder holding a search refuses a different one.
func TestAnotherSearch(t *testing.T) {
	ds := synthData(t)
	o := testOptions(t, t.TempDir(), StrategyRandom)
	o.Trials = 2
	if _, err := Run(context.Background(), ds, o); err != nil {
		t.Fatal(err)
	}
	o.Seed = 6
	if _, err := Run(context.Background(), ds, o); err == nil || !strings.Contains(err.Error(), "another search (seed 5, not 6)") {
		t.Errorf("got %v", err)
	}
}

// TestFailedTrial: a trial whose settings the learner refuses is recorded
// as failed, with why, and the search goes on.
func TestFailedTrial(t *testing.T) {
	ds := synthData(t)
	o := testOptions(t, t.TempDir(), StrategyRandom)
	p, _ := ParseParam("learner=forest|gbdt") // gbdt's options are all zero: refused
	o.Space = append(Space{p}, o.Space...)
	o.Trials = 8
	res, err := Run(context.Background(), ds, o)
	if err != nil {
		t.Fatal(err)
	}
	failed := 0
	for _, tr := range res.Trials {
		if tr.Status == StatusFailed {
			failed++
			if tr.Params["learner"] != "gbdt" || !strings.Contains(tr.Error, "rounds") {
				t.Errorf("trial %d failed: %+v", tr.ID, tr)
			}
		}
	}
	if failed == 0 || failed == len(res.Trials) || res.Best == nil || res.Best.Params["learner"] != "forest" {
		t.Errorf("%d of %d trials failed, best %+v", failed, len(res.Trials), res.Best)
	}
}

func TestReadTrials(t *testing.T) {
	good := `{"trial":1,"status":"ok","objective":0.5,"folds":[0.5],"params":{"trees":"5"}}` + "\n"
	trials, err := ReadTrials("t.jsonl", strings.NewReader(good+`{"trial":0,"status":"ok","params":{"trees":"7"}}`+"\n"+`{"trial":2,"sta`))
	if err != nil || len(trials) != 2 || trials[0].ID != 0 {
		t.Fatalf("got %+v, %v; want trials 0 and 1 (the cut last line left out)", trials, err)
	}
	for _, c := range []struct{ text, want string }{
		{good + good, "t.jsonl line 2: trial 1 is there twice"},
		{"{\n", "t.jsonl line 1"},
		{`{"trial":1,"status":"done","params":{"a":"1"}}` + "\n", "status \"done\""},
		{`{"trial":-1,"status":"ok","params":{"a":"1"}}` + "\n", "negative"},
		{`{"trial":1,"status":"ok"}` + "\n", "no parameters"},
	} {
		if _, err := ReadTrials("t.jsonl", strings.NewReader(c.text)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want an error with %q", c.text, err, c.want)
		}
	}
}

// FuzzReadTrials: any bytes give trials or an error, never a panic; the
// trials read are written back and read again unchanged.
func FuzzReadTrials(f *testing.F) {
	f.Add([]byte(`{"trial":1,"status":"ok","objective":0.5,"sd":0.1,"folds":[0.4,0.6],"seconds":1.5,"params":{"trees":"5"}}` + "\n"))
	f.Add([]byte(`{"trial":3,"status":"failed","params":{"learner":"gbdt"},"error":"x"}` + "\n{"))
	f.Fuzz(func(t *testing.T, b []byte) {
		trials, err := ReadTrials("fuzz", bytes.NewReader(b))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		for _, tr := range trials {
			line, err := json.Marshal(tr)
			if err != nil {
				return // a NaN or infinity cannot be written back; never written by a search
			}
			buf.Write(append(line, '\n'))
		}
		again, err := ReadTrials("again", &buf)
		if err != nil || len(again) != len(trials) {
			t.Fatalf("read back %d trials, %v; want %d", len(again), err, len(trials))
		}
	})
}

func TestObjectives(t *testing.T) {
	labels := []string{"A", "B"}
	truth := []int{0, 0, 1, 1}
	scores := [][]float64{{0.9, 0.1}, {0.25, 0.75}, {0.3, 0.7}, {0.2, 0.8}}
	for _, c := range []struct {
		name string
		want float64
	}{{"accuracy", 0.75}, {"f1:A", 2.0 / 3}, {"recall:B@1", 0.5}, {"recall:B@0.6", 1}, {"recall:A@1", 0.5}} {
		o, err := ParseObjective(c.name, false)
		if err == nil {
			err = o.Bind(labels, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		got, err := o.Measure(labels, truth, scores)
		if err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s = %v, %v; want %v", c.name, got, err, c.want)
		}
	}
	for _, bad := range []string{"auc", "f1:", "recall:A", "recall:A@0", "recall:A@1.5"} {
		if _, err := ParseObjective(bad, false); err == nil {
			t.Errorf("objective %q accepted", bad)
		}
	}
}

func TestBest(t *testing.T) {
	trials := []Trial{
		{ID: 0, Status: StatusOK, Objective: 0.5},
		{ID: 1, Status: StatusStopped, Objective: 0.9},
		{ID: 2, Status: StatusOK, Objective: 0.7},
		{ID: 3, Status: StatusOK, Objective: 0.7},
		{ID: 4, Status: StatusFailed},
	}
	max, _ := ParseObjective("accuracy", false)
	min, _ := ParseObjective("accuracy", true)
	if b := Best(trials, &max); b == nil || b.ID != 2 {
		t.Errorf("maximised: best %+v, want trial 2 (stopped trials do not count; the first of equals)", b)
	}
	if b := Best(trials, &min); b == nil || b.ID != 0 {
		t.Errorf("minimised: best %+v, want trial 0", b)
	}
	if b := Best(trials[4:], &max); b != nil {
		t.Errorf("failed trials only: best %+v", b)
	}
}
