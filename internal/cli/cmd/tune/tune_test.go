package tune

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	ctune "github.com/ecgkit/ecg/classify/tune"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

// writeRecords writes n short synthetic records of each rhythm into
// dir/RHYTHM/ (a label-folder dataset).
func writeRecords(t *testing.T, dir string, n int, rhythms ...string) {
	t.Helper()
	for ri, rh := range rhythms {
		d := filepath.Join(dir, rh)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		for r := 0; r < n; r++ {
			rec, err := synth.Generate(synth.Options{Rhythm: rh, Fs: 250, Duration: 10, Seed: int64(10*ri + r), Noise: 0.1 * float64(r%3)})
			if err != nil {
				t.Fatal(err)
			}
			if err := rec.WriteWFDB(d, fmt.Sprint("r", r)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// run runs ecg tune with args in process and returns its exit code,
// stdout and stderr.
func run(ctx context.Context, args ...string) (int, string, string) {
	ios, out, errOut := iostreams.Test("")
	quiet := true
	cmd := NewCmd(&cmdutil.Factory{IO: ios, Quiet: &quiet})
	cmd.SetArgs(args)
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	_, err := cmd.ExecuteContextC(ctx)
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return cmdutil.ExitCode(err), out.String(), errOut.String()
}

func TestTuneRun(t *testing.T) {
	data := t.TempDir()
	writeRecords(t, data, 6, synth.Normal, synth.AFib)
	out := filepath.Join(t.TempDir(), "search")
	args := []string{data, "--out", out, "--trials", "4", "--folds", "2", "--learner", "forest", "--param", "trees=5:50:log", "--param", "class-weight=balanced|none",
		"--min-leaf", "2", "--max-depth", "8", "--trees", "9"} // base settings: the ones searched (trees) are the trial's
	code, stdout, stderr := run(context.Background(), args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"4 trials (", "best: trial ", "ecg train flags: --learner forest --trees ", " --max-depth=8 --min-leaf=2\n", "wrote " + filepath.Join(out, "best.model")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "--trees=9") {
		t.Errorf("the base --trees 9 is printed though trees was searched:\n%s", stdout)
	}
	for _, f := range []string{"search.json", "trials.csv", "trials.jsonl", "best.model", "best.txt", "plots/history.png", "plots/folds.png", "plots/param-trees.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// A rerun resumes every trial and measures nothing again.
	code, stdout, _ = run(context.Background(), args...)
	if code != 0 || !strings.Contains(stdout, "4 resumed") {
		t.Errorf("rerun: exit %d, %s", code, stdout)
	}
	// Another seed into the same folder is another search.
	code, _, stderr = run(context.Background(), append(args, "--seed", "2")...)
	if code != 1 || !strings.Contains(stderr, "holds another search") {
		t.Errorf("another search into the folder: exit %d, %s", code, stderr)
	}
}

// TestTuneCrops: records tuned with gbdt get ecg train's crop views (with
// the forest only when asked for), its mains notch and, with gbdt, feature
// set 7; the search's config records them (a search without them is
// another one), and crops given are among the printed ecg train flags.
func TestTuneCrops(t *testing.T) {
	data := t.TempDir()
	writeRecords(t, data, 4, synth.Normal, synth.AFib)
	forest := []string{"--learner", "forest", "--param", "trees=3:6"}
	for _, tc := range []struct {
		flags []string
		crops string
	}{
		{nil, `"crops": "2x0.75"`}, {[]string{"--crops", "0"}, ""}, {[]string{"--crop-share", "0.6", "--crops", "1"}, `"crops": "1x0.6"`},
		{forest, ""}, {append([]string{"--crop-share", "0.6", "--crops", "1"}, forest...), `"crops": "1x0.6"`},
	} {
		out := filepath.Join(t.TempDir(), "search")
		args := append([]string{data, "--out", out, "--trials", "2", "--folds", "2"}, tc.flags...)
		if !slices.Contains(tc.flags, "forest") {
			args = append(args, "--param", "rounds=5:10")
		}
		code, stdout, stderr := run(context.Background(), args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.flags, code, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "search.json"))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(b), `"crops"`); got != (tc.crops != "") || !strings.Contains(string(b), tc.crops) {
			t.Errorf("%v: search.json lacks %q or has crops it should not:\n%s", tc.flags, tc.crops, b)
		}
		if len(tc.flags) > 0 && tc.flags[0] == "--crop-share" && !strings.Contains(stdout, "--crops=1 --crop-share=0.6") {
			t.Errorf("%v: the printed train flags lack the crops:\n%s", tc.flags, stdout)
		}
		gbdt := !slices.Contains(tc.flags, "forest")
		if !strings.Contains(string(b), `"mains_notch": true`) || strings.Contains(string(b), `"signal_set": 7`) != gbdt {
			t.Errorf("%v: search.json lacks the mains notch, or feature set 7 is there and gbdt is not (%v):\n%s", tc.flags, gbdt, b)
		}
	}
	// A search begun without the notch (before session 25) is another
	// search; --mains-notch=false resumes it.
	out := filepath.Join(t.TempDir(), "search")
	args := []string{data, "--out", out, "--trials", "1", "--folds", "2", "--param", "rounds=5:10", "--mains-notch=false"}
	if code, _, stderr := run(context.Background(), args...); code != 0 {
		t.Fatalf("--mains-notch=false: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(context.Background(), args[:len(args)-1]...); code != 1 || !strings.Contains(stderr, "mains_notch") {
		t.Errorf("resumed with the notch: exit %d: %s", code, stderr)
	}
	if code, _, stderr := run(context.Background(), data, "--out", out, "--trials", "2", "--folds", "2", "--param", "rounds=5:10", "--mains-notch=false"); code != 0 {
		t.Errorf("resumed without it: exit %d: %s", code, stderr)
	}
}

func TestTuneInterrupted(t *testing.T) {
	data := t.TempDir()
	writeRecords(t, data, 4, synth.Normal, synth.AFib)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, _ := run(ctx, data, "--out", filepath.Join(t.TempDir(), "s"), "--trials", "2", "--folds", "2")
	if code != cmdutil.ExitInterrupted {
		t.Errorf("exit %d, want %d", code, cmdutil.ExitInterrupted)
	}
}

func TestTuneShardsMerge(t *testing.T) {
	data := t.TempDir()
	writeRecords(t, data, 4, synth.Normal, synth.AFib)
	tmp := t.TempDir()
	var dirs []string
	for k := 0; k < 2; k++ {
		d := filepath.Join(tmp, fmt.Sprint("s", k))
		code, stdout, stderr := run(context.Background(), data, "--out", d, "--trials", "4", "--folds", "2", "--strategy", "random", "--shard", fmt.Sprintf("%d/2", k))
		if code != 0 || strings.Contains(stdout, "best.model") {
			t.Fatalf("shard %d: exit %d: %s%s", k, code, stdout, stderr)
		}
		dirs = append(dirs, d)
	}
	code, stdout, stderr := run(context.Background(), append([]string{"--merge", "--out", filepath.Join(tmp, "all")}, dirs...)...)
	if code != 0 || !strings.Contains(stdout, "4 trials (") {
		t.Errorf("merge: exit %d: %s%s", code, stdout, stderr)
	}
}

// TestTuneBadInput: every bad command line is a usage error (exit 2)
// that says what is wrong.
func TestTuneBadInput(t *testing.T) {
	data := t.TempDir()
	writeRecords(t, data, 3, synth.Normal, synth.AFib)
	one := t.TempDir()
	writeRecords(t, one, 3, synth.Normal)
	space := filepath.Join(t.TempDir(), "space.yaml")
	os.WriteFile(space, []byte("rounds: 400:50\n"), 0o644)
	out := filepath.Join(t.TempDir(), "s")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{data}, "--out DIR is required"},
		{[]string{data, "--out", out, "--param", "rounds=400:50"}, "empty or inverted range"},
		{[]string{data, "--out", out, "--param", "rounds=50:50"}, "empty or inverted range"},
		{[]string{data, "--out", out, "--param", "colour=1:2"}, "unknown parameter \"colour\""},
		{[]string{data, "--out", out, "--param", "class-weight=none"}, "at least two values"},
		{[]string{data, "--out", out, "--space", space}, "space.yaml: line 1: rounds=\"400:50\": empty or inverted range"},
		{[]string{data, "--out", out, "--space", space, "--param", "rounds=1:2"}, "do not go together"},
		{[]string{one, "--out", out}, "need at least 2 labels"},
		{[]string{data, "--out", out, "--objective", "auc"}, "--objective: objective \"auc\""},
		{[]string{data, "--out", out, "--objective", "f1:XX"}, "\"XX\": not a label"},
		{[]string{data, "--out", out, "--objective", "challenge-f1"}, "needs score labels"},
		{[]string{data, "--out", out, "--param", "trees=5:50"}, "forest's, but the learner is gbdt"},
		{[]string{data, "--out", out, "--strategy", "anneal"}, "--strategy \"anneal\""},
		{[]string{data, "--out", out, "--folds", "1"}, "--folds 1"},
		{[]string{data, "--out", out, "--shard", "2/2"}, "--shard \"2/2\""},
		{[]string{data, data, "--out", out}, "want one DATA folder"},
	} {
		code, _, stderr := run(context.Background(), c.args...)
		if code != cmdutil.ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, %q; want exit 2 with %q", c.args, code, stderr, c.want)
		}
	}
}

func TestHelp(t *testing.T) {
	ios, _, _ := iostreams.Test("")
	cmd := NewCmd(&cmdutil.Factory{IO: ios})
	if !strings.Contains(cmd.Long, "median stopping rule") || !strings.Contains(cmd.Long, "learning-rate") || !strings.Contains(cmd.Example, "--merge") {
		t.Errorf("help is missing parts:\n%s\n%s", cmd.Long, cmd.Example)
	}
}

// TestTrainFlagsRetrain: the ecg train flags printed for a best trial
// give ecg train exactly the trial's settings, for every parameter of
// either learner (none is left to best.model alone).
func TestTrainFlagsRetrain(t *testing.T) {
	var space ctune.Space
	for _, s := range []string{"feature-set=1:5", "trees=10:500", "rounds=50:400", "learning-rate=0.01:0.3", "max-depth=2:12",
		"min-leaf=1:10", "max-features=1:30", "subsample=0.5:1", "colsample=0.2:1", "lambda=0:10", "min-hessian=0:10",
		"class-weight=balanced|none", "bins=16:128"} {
		p, err := ctune.ParseParam(s)
		if err != nil {
			t.Fatal(err)
		}
		space = append(space, p)
	}
	forest := classify.ForestOptions{Trees: 70, MaxDepth: 9, MinLeaf: 3, MaxFeatures: 7, Bins: 40, ClassWeight: "none"}
	gbdt := classify.GBDTOptions{Rounds: 220, LearningRate: 0.07, MaxDepth: 5, Subsample: 0.9, ColSample: 0.4,
		Lambda: 2.5, MinHessian: 0.3, Bins: 90, ClassWeight: "balanced"}
	for _, st := range []ctune.Settings{
		{Learner: classify.LearnerForest, Forest: forest, FeatureSet: 2},
		{Learner: classify.LearnerGBDT, GBDT: gbdt, FeatureSet: 4, Forest: classify.ForestOptions{ClassWeight: "balanced"}},
	} {
		args := space.TrainFlags(st)
		var l cmdutil.LearnerFlags
		cmd := &cobra.Command{Use: "train", RunE: func(*cobra.Command, []string) error { return nil }}
		l.Declare(cmd)
		cmd.SetArgs(args)
		cmd.SetOut(&strings.Builder{})
		cmd.SetErr(&strings.Builder{})
		if err := cmd.Execute(); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		learner, err := l.Resolve(&datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindRecord}}}, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := ctune.Settings{Learner: learner, FeatureSet: l.FeatureSet}
		if learner == classify.LearnerGBDT {
			got.GBDT = l.GBDT
			got.Forest.ClassWeight = st.Forest.ClassWeight // a gbdt trial sets both learners' weights
		} else {
			got.Forest = l.Forest
		}
		if !reflect.DeepEqual(got, st) {
			t.Errorf("ecg train %s\n gives %+v\n want  %+v", strings.Join(args, " "), got, st)
		}
	}
}
