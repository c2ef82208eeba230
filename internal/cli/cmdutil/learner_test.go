package cmdutil

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
)

// TestLearnerFlags: --learner auto takes gbdt for records and the network
// for images (the forest with --max-depth or --bins) unless a flag of one
// learner picks it; flags of the other
// learner, of both, or an unknown learner are usage errors; gbdt's depth
// and class weight have their own defaults unless given.
func TestLearnerFlags(t *testing.T) {
	records := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindRecord}}}
	images := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	for _, tc := range []struct {
		args     []string
		code     int
		rec, img string // learner resolved for records and images
		depth    int    // gbdt depth
	}{
		{nil, ExitOK, classify.LearnerGBDT, classify.LearnerCNN, 6},
		{[]string{"--class-weight", "none"}, ExitOK, classify.LearnerGBDT, classify.LearnerCNN, 6},
		{[]string{"--max-depth", "9"}, ExitOK, classify.LearnerGBDT, classify.LearnerForest, 9},
		{[]string{"--trees", "50"}, ExitOK, classify.LearnerForest, classify.LearnerForest, 6},
		{[]string{"--rounds", "50", "--max-depth", "4"}, ExitOK, classify.LearnerGBDT, classify.LearnerGBDT, 4},
		{[]string{"--learner", "forest"}, ExitOK, classify.LearnerForest, classify.LearnerForest, 6},
		{[]string{"--learner", "gbdt"}, ExitOK, classify.LearnerGBDT, classify.LearnerGBDT, 6},
		{[]string{"--learner", "gbdt", "--trees", "5"}, ExitUsage, "", "", 0},
		{[]string{"--learner", "forest", "--colsample", "0.3"}, ExitUsage, "", "", 0},
		{[]string{"--min-leaf", "2", "--rounds", "9"}, ExitUsage, "", "", 0},
		{[]string{"--learner", "svm"}, ExitUsage, "", "", 0},
		{[]string{"--max-depth", "0"}, ExitUsage, "", "", 0},
		{[]string{"--learning-rate", "0"}, ExitUsage, "", "", 0},
		{[]string{"--lambda", "2", "--min-hessian", "0.5"}, ExitOK, classify.LearnerGBDT, classify.LearnerGBDT, 6},
		{[]string{"--learner", "forest", "--lambda", "2"}, ExitUsage, "", "", 0},
		{[]string{"--min-hessian", "-1"}, ExitUsage, "", "", 0},
		{[]string{"--lambda", "-0.1"}, ExitUsage, "", "", 0},
		{[]string{"--bins", "32"}, ExitOK, classify.LearnerGBDT, classify.LearnerForest, 6},
		{[]string{"--bins", "1"}, ExitUsage, "", "", 0},
		{[]string{"--bins", "257"}, ExitUsage, "", "", 0},
		{[]string{"--feature-set", "9"}, ExitUsage, "", "", 0},
	} {
		name := strings.Join(tc.args, " ")
		l, ok := parseLearner(t, tc.args, tc.code)
		if !ok || tc.code != ExitOK {
			continue
		}
		rec, err1 := l.Resolve(records, 3, 2)
		img, err2 := l.Resolve(images, 3, 2)
		if err1 != nil || err2 != nil || rec != tc.rec || img != tc.img {
			t.Errorf("%q: records %s (%v), images %s (%v); want %s, %s", name, rec, err1, img, err2, tc.rec, tc.img)
		}
		if l.GBDT.MaxDepth != tc.depth || l.GBDT.Seed != 3 || l.Forest.Jobs != 2 {
			t.Errorf("%q: gbdt depth %d seed %d, forest jobs %d", name, l.GBDT.MaxDepth, l.GBDT.Seed, l.Forest.Jobs)
		}
	}
}

// TestLearnerAutoImages: auto takes the forest for an archive of beat
// windows (spectro-params.json says label aami) and for ecg tune
// (TreesOnly), the network for other image folders; the network gets the
// --class-weight given.
func TestLearnerAutoImages(t *testing.T) {
	dir := t.TempDir()
	images := &datasets.LabelFolders{Dir: dir, Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	resolve := func(args []string, treesOnly bool) (string, *LearnerFlags) {
		l, ok := parseLearner(t, args, ExitOK)
		if !ok {
			return "", nil
		}
		l.TreesOnly = treesOnly
		got, err := l.Resolve(images, 1, 1)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return got, l
	}
	if got, l := resolve([]string{"--class-weight", "none"}, false); got != classify.LearnerCNN || l.CNN.ClassWeight != "none" {
		t.Errorf("images: %s, class weight %q; want cnn, none", got, l.CNN.ClassWeight)
	}
	if got, _ := resolve(nil, true); got != classify.LearnerForest {
		t.Errorf("images, trees only: %s, want the forest", got)
	}
	params := filepath.Join(dir, datasets.ParamsName)
	if err := os.WriteFile(params, []byte(`{"label": "rhythm"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := resolve(nil, false); got != classify.LearnerCNN {
		t.Errorf("rhythm archive: %s, want cnn", got)
	}
	if err := os.WriteFile(params, []byte(`{"label": "aami"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := resolve(nil, false); got != classify.LearnerForest {
		t.Errorf("beat-window archive: %s, want the forest", got)
	}
}

// $ECG_FEATURE_CACHE_MAX: sizes with suffixes, "none", and anything
// unreadable falling back to the library's default (0).
// TestLearnerFlagsTreeSettings: --lambda, --min-hessian and --bins reach
// the learners' options (their defaults are the learners' own), and
// --feature-set gives records that signal feature set; images have none.
func TestLearnerFlagsTreeSettings(t *testing.T) {
	l, ok := parseLearner(t, nil, ExitOK)
	if !ok {
		return
	}
	if l.GBDT.Lambda != 1 || l.GBDT.MinHessian != 1 || l.GBDT.Bins != 0 || l.Forest.Bins != 0 {
		t.Errorf("defaults: lambda %g min-hessian %g bins %d/%d", l.GBDT.Lambda, l.GBDT.MinHessian, l.GBDT.Bins, l.Forest.Bins)
	}
	if spec, err := l.Spec(&datasets.LabelFolders{}, ""); spec != nil || err != nil {
		t.Errorf("no --feature-set: spec %v (%v), want the default (nil)", spec, err)
	}
	l, ok = parseLearner(t, []string{"--lambda", "3", "--min-hessian", "0.25", "--bins", "40", "--feature-set", "3"}, ExitOK)
	if !ok {
		return
	}
	if l.GBDT.Lambda != 3 || l.GBDT.MinHessian != 0.25 || l.GBDT.Bins != 40 || l.Forest.Bins != 40 {
		t.Errorf("lambda %g min-hessian %g bins %d/%d", l.GBDT.Lambda, l.GBDT.MinHessian, l.GBDT.Bins, l.Forest.Bins)
	}
	records := &datasets.LabelFolders{Dir: "r", Files: []datasets.LabeledFile{{Kind: datasets.KindRecord}}}
	spec, err := l.Spec(records, "")
	if err != nil || spec == nil || spec.Signal == nil || spec.Signal.FeatureSet != 3 {
		t.Errorf("--feature-set 3 on records: %+v (%v)", spec, err)
	}
	images := &datasets.LabelFolders{Dir: "i", Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	if _, err := l.Spec(images, ""); ExitCode(err) != ExitUsage {
		t.Errorf("--feature-set on images: %v, want a usage error", err)
	}
	parseLearner(t, []string{"--learner", "cnn", "--bins", "8"}, ExitUsage)
	parseLearner(t, []string{"--learner", "cnn", "--feature-set", "2"}, ExitUsage)
}

func TestCacheMax(t *testing.T) {
	for in, want := range map[string]int64{
		"": 0, "1048576": 1 << 20, "512M": 512 << 20, "512mb": 512 << 20, "2G": 2 << 30,
		"64k": 64 << 10, "100B": 100, "none": -1, "-5": 0, "lots": 0, "9999999999G": 0,
	} {
		if got := cacheMax(in); got != want {
			t.Errorf("cacheMax(%q) = %d, want %d", in, got, want)
		}
	}
}

// parseLearner declares the learner flags on a command and runs it with
// args; it reports whether the exit code is code.
func parseLearner(t *testing.T, args []string, code int) (*LearnerFlags, bool) {
	t.Helper()
	var l LearnerFlags
	cmd := &cobra.Command{Use: "x"}
	l.Declare(cmd)
	if got := execute(cmd, args...); got != code {
		t.Errorf("%q: exit %d, want %d", strings.Join(args, " "), got, code)
		return nil, false
	}
	return &l, true
}

// TestLearnerFlagsCNN: --learner cnn (or a cnn flag with auto) trains a
// network on images; tree flags with it, cnn flags without it, bad cnn
// settings and cnn for records are usage errors.
func TestLearnerFlagsCNN(t *testing.T) {
	records := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindRecord}}}
	images := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--learner", "cnn"}, ExitOK},
		{[]string{"--epochs", "3", "--batch", "8", "--lr", "0.01"}, ExitOK},
		{[]string{"--learner", "cnn", "--class-weight", "none"}, ExitOK},
		{[]string{"--learner", "cnn", "--trees", "5"}, ExitUsage},
		{[]string{"--learner", "cnn", "--max-depth", "5"}, ExitUsage},
		{[]string{"--learner", "forest", "--epochs", "5"}, ExitUsage},
		{[]string{"--rounds", "5", "--batch", "5"}, ExitUsage},
		{[]string{"--learner", "cnn", "--lr", "0"}, ExitUsage},
		{[]string{"--learner", "cnn", "--epochs", "0"}, ExitUsage},
		{[]string{"--cnn-arch", "temporal"}, ExitOK},
		{[]string{"--learner", "cnn", "--cnn-arch", "2d"}, ExitOK},
		{[]string{"--learner", "cnn", "--cnn-arch", "1d"}, ExitUsage},
		{[]string{"--learner", "gbdt", "--cnn-arch", "temporal"}, ExitUsage},
		{[]string{"--learner", "gbdt+signet", "--cnn-arch", "temporal"}, ExitUsage},
		{[]string{"--cnn-ensemble", "3"}, ExitOK},
		{[]string{"--learner", "cnn", "--cnn-ensemble", "16"}, ExitOK},
		{[]string{"--learner", "cnn", "--cnn-ensemble", "0"}, ExitUsage},
		{[]string{"--learner", "cnn", "--cnn-ensemble", "17"}, ExitUsage},
		{[]string{"--learner", "gbdt", "--cnn-ensemble", "2"}, ExitUsage},
		{[]string{"--learner", "gbdt+signet", "--cnn-ensemble", "2"}, ExitUsage},
	} {
		name := strings.Join(tc.args, " ")
		l, ok := parseLearner(t, tc.args, tc.code)
		if !ok || tc.code != ExitOK {
			continue
		}
		if got, err := l.Resolve(images, 3, 2); err != nil || got != classify.LearnerCNN || l.CNN.Seed != 3 || l.CNN.Jobs != 2 {
			t.Errorf("%q: images: %s (%v), seed %d jobs %d", name, got, err, l.CNN.Seed, l.CNN.Jobs)
		}
		if _, err := l.Resolve(records, 3, 2); ExitCode(err) != ExitUsage {
			t.Errorf("%q: records: %v, want a usage error", name, err)
		}
	}
}

// TestLearnerFlagsFusion: --learner gbdt+signet takes the trees' flags,
// --epochs for its network and --fusion-weight (default 0.4, more than 0
// and at most 1); forest flags, the other network flags, images, and
// --fusion-weight or --stack with another learner, and --stack with
// --fusion-weight, are usage errors.
func TestLearnerFlagsFusion(t *testing.T) {
	records := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindRecord}}}
	images := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	for _, tc := range []struct {
		args   []string
		code   int
		weight float64
		epochs int
	}{
		{[]string{"--learner", "gbdt+signet"}, ExitOK, 0.4, 20},
		{[]string{"--learner", "gbdt+signet", "--fusion-weight", "0.3", "--epochs", "5", "--rounds", "40", "--max-depth", "4"}, ExitOK, 0.3, 5},
		{[]string{"--learner", "gbdt+signet", "--fusion-weight", "1"}, ExitOK, 1, 20},
		{[]string{"--learner", "gbdt+signet", "--fusion-weight", "0"}, ExitUsage, 0, 0},
		{[]string{"--learner", "gbdt+signet", "--fusion-weight", "1.1"}, ExitUsage, 0, 0},
		{[]string{"--learner", "gbdt+signet", "--trees", "5"}, ExitUsage, 0, 0},
		{[]string{"--learner", "gbdt+signet", "--batch", "8"}, ExitUsage, 0, 0},
		{[]string{"--learner", "gbdt", "--fusion-weight", "0.5"}, ExitUsage, 0, 0},
		{[]string{"--fusion-weight", "0.5"}, ExitUsage, 0, 0},
		{[]string{"--learner", "gbdt+signet", "--stack"}, ExitOK, 0.4, 20},
		{[]string{"--learner", "gbdt+signet", "--stack", "--fusion-weight", "0.5"}, ExitUsage, 0, 0},
		{[]string{"--learner", "gbdt", "--stack"}, ExitUsage, 0, 0},
		{[]string{"--stack"}, ExitUsage, 0, 0},
	} {
		name := strings.Join(tc.args, " ")
		l, ok := parseLearner(t, tc.args, tc.code)
		if !ok || tc.code != ExitOK {
			continue
		}
		got, err := l.Resolve(records, 3, 2)
		if err != nil || got != classify.LearnerGBDTSignet {
			t.Errorf("%q: records %s (%v)", name, got, err)
		}
		if stack := slices.Contains(tc.args, "--stack"); l.Fusion.Stack != stack {
			t.Errorf("%q: stack %v", name, l.Fusion.Stack)
		}
		if l.Fusion.Weight != tc.weight || l.Fusion.Signet.Epochs != tc.epochs || l.Fusion.Signet.Seed != 3 || l.GBDT.Seed != 3 || l.GBDT.ClassWeight != "none" {
			t.Errorf("%q: weight %g epochs %d seeds %d/%d class weight %q", name, l.Fusion.Weight, l.Fusion.Signet.Epochs, l.Fusion.Signet.Seed, l.GBDT.Seed, l.GBDT.ClassWeight)
		}
		if _, err := l.Resolve(images, 3, 2); ExitCode(err) != ExitUsage {
			t.Errorf("%q: images: %v", name, err)
		}
	}
}

// TestLearnerFlagsCNNArch: --cnn-arch picks the network's architecture
// (2d by default), a bad one is a usage error naming the flag, and a
// --from network of the other architecture is refused only when
// --cnn-arch is given (else its architecture is taken).
func TestLearnerFlagsCNNArch(t *testing.T) {
	images := &datasets.LabelFolders{Files: []datasets.LabeledFile{{Kind: datasets.KindImage}}}
	for _, tc := range []struct {
		args []string
		want string // the architecture, or a usage error's text
	}{
		{[]string{"--learner", "cnn"}, classify.CNNArch2D},
		{[]string{"--cnn-arch", "temporal"}, classify.CNNArchTemporal},
		{[]string{"--learner", "cnn", "--cnn-arch", "rnn"}, "--cnn-arch rnn: want 2d or temporal"},
		{[]string{"--learner", "cnn", "--from", "default"}, classify.CNNArchTemporal},
		{[]string{"--cnn-arch", "2d", "--from", "default"}, "--cnn-arch 2d: the network of --from default is temporal"},
	} {
		name := strings.Join(tc.args, " ")
		var l LearnerFlags
		cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { return nil }}
		cmd.SilenceUsage, cmd.SilenceErrors = true, true
		l.Declare(cmd)
		cmd.SetArgs(tc.args)
		err := cmd.Execute()
		if err == nil {
			_, err = l.Resolve(images, 1, 1)
		}
		switch {
		case strings.HasPrefix(tc.want, "--"):
			if ExitCode(err) != ExitUsage || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%q: %v, want a usage error %q", name, err, tc.want)
			}
		case err != nil || l.CNN.Arch != tc.want:
			t.Errorf("%q: arch %q (%v), want %q", name, l.CNN.Arch, err, tc.want)
		}
	}
}

// TestLearnerFlagsStackMembers: --stack-feature-sets and --signet-seeds
// add members to --stack: the sets become the feature set (their
// highest) and the networks the fusion's, each its own member unless
// --signet-mean; without --stack or gbdt+signet, one set, a set out of
// 4-6 or given twice, with --feature-set, seeds out of 1-8, --signet-mean
// with one network, or more than 8 members, they are usage errors.
func TestLearnerFlagsStackMembers(t *testing.T) {
	stack := []string{"--learner", "gbdt+signet", "--stack"}
	for _, tc := range []struct {
		args       []string
		code       int
		sets       []int
		featureSet int
		nets       int
		apart      bool
	}{
		{append(stack, "--stack-feature-sets", "5,6"), ExitOK, []int{5, 6}, 6, 1, false},
		{append(stack, "--stack-feature-sets", "6,4", "--signet-seeds", "3"), ExitOK, []int{6, 4}, 6, 3, true},
		{append(stack, "--signet-seeds", "5", "--signet-mean"), ExitOK, nil, 0, 5, false},
		{append(stack, "--stack-feature-sets", "4,5,6", "--signet-seeds", "5"), ExitOK, []int{4, 5, 6}, 6, 5, true},
		{append(stack, "--stack-feature-sets", "4,5,6", "--signet-seeds", "6", "--signet-mean"), ExitOK, []int{4, 5, 6}, 6, 6, false},
		{append(stack, "--stack-feature-sets", "4,5,6", "--signet-seeds", "6"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--stack-feature-sets", "6"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--stack-feature-sets", "3,6"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--stack-feature-sets", "5,7"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--stack-feature-sets", "5,5"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--stack-feature-sets", "5,6", "--feature-set", "6"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--signet-seeds", "0"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--signet-seeds", "9"), ExitUsage, nil, 0, 0, false},
		{append(stack, "--signet-mean"), ExitUsage, nil, 0, 0, false},
		{[]string{"--learner", "gbdt+signet", "--signet-seeds", "2"}, ExitUsage, nil, 0, 0, false},
		{[]string{"--learner", "gbdt", "--stack-feature-sets", "5,6"}, ExitUsage, nil, 0, 0, false},
		{[]string{"--stack-feature-sets", "5,6"}, ExitUsage, nil, 0, 0, false},
	} {
		name := strings.Join(tc.args, " ")
		l, ok := parseLearner(t, tc.args, tc.code)
		if !ok || tc.code != ExitOK {
			continue
		}
		if !slices.Equal(l.Fusion.StackSets, tc.sets) || l.FeatureSet != tc.featureSet || l.Fusion.Networks != tc.nets || l.Fusion.NetworksApart != tc.apart {
			t.Errorf("%q: sets %v feature set %d networks %d apart %v", name, l.Fusion.StackSets, l.FeatureSet, l.Fusion.Networks, l.Fusion.NetworksApart)
		}
	}
}
