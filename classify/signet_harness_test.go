//go:build harness

// The signet harness: record-grouped 5-fold CV (the folds of ecg train
// --folds 5 --seed 1) of the 1-D network on the CinC 2017 shared set, of
// the gbdt of ecg train's defaults, and of their late fusion (a weighted
// mean of class probabilities, the weight chosen on out-of-fold
// predictions only). Each fold's network predictions are saved in
// -signet-out, so a run can stop and resume. Run with
//
//	nice -n 10 go test -tags harness -run TestSignetHarness -v -timeout 10h ./classify \
//	    -args -signet-out /tmp/signet-oof
package classify

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets"
)

var (
	signetOut      = flag.String("signet-out", "/tmp/signet-oof", "folder of each fold's out-of-fold network probabilities")
	signetFolds    = flag.String("signet-folds", "0,1,2,3,4", "folds to train (those already in -signet-out are read)")
	signetEpochs   = flag.Int("signet-epochs", 0, "most epochs (0: the default)")
	signetLimit    = flag.Int("signet-limit", 0, "train on at most this many recordings (timing runs; 0: all)")
	signetJobs     = flag.Int("signet-jobs", 2, "recordings run at once")
	signetArch     = flag.String("signet-arch", "", "filters/kernels, e.g. 8,16,16,32,32,64/7,7,7,5,5,3 (empty: the default)")
	signetWeight   = flag.String("signet-class-weight", "", "balanced or none (empty: the default, none)")
	signetAlso     = flag.String("signet-also", "", "folder of another run's saved folds: its probabilities are averaged with this run's (equal weights)")
	signetSeed     = flag.Uint64("signet-seed", 1, "the network's seed (weights, validation split, shuffles, crops); the folds keep seed 1")
	signetPatience = flag.Int("signet-patience", 0, "epochs without a lower validation loss before stopping (0: the default)")
	signetDump     = flag.String("signet-dump", "", "file to write the labels, folds and both models' out-of-fold probabilities to (JSON)")
	signetCrop     = flag.Float64("signet-crop", 0, "the network's input in seconds (0: the default)")
	signetAnnealEp = flag.Int("signet-anneal", 0, "most epochs of a second stage at a tenth of the learning rate (0: the default)")
)

// signetFold is what one fold's training saved.
type signetFold struct {
	Probs   map[int][]float64 `json:"probs"` // by dataset row
	Info    *SignetInfo       `json:"info"`
	Seconds float64           `json:"seconds"`
	Epochs  []nn.EpochResult  `json:"epochs"`
}

func TestSignetHarness(t *testing.T) {
	ds, spec := harnessCinC(t)
	o := SignetOptions{Seed: *signetSeed, Jobs: *signetJobs, Epochs: *signetEpochs, ClassWeight: *signetWeight, Patience: *signetPatience,
		Crop: *signetCrop, Anneal: *signetAnnealEp}
	if *signetArch != "" {
		f, k, _ := strings.Cut(*signetArch, "/")
		o.Filters, o.Kernels = parseInts(t, f), parseInts(t, k)
	}
	o = o.withDefaults()
	start := time.Now()
	inputs := signetInputs(t, ds, o.Rate)
	t.Logf("inputs of %d recordings at %g Hz: %.1f s", len(inputs), o.Rate, time.Since(start).Seconds())
	y, groups := ds.LabelIndex(), fileGroups(ds)
	fold, err := datasets.GroupKFold(y, groups, len(ds.Labels), 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(*signetOut, 0o755); err != nil {
		t.Fatal(err)
	}
	net := make([][]float64, len(y))
	for f := 0; f < 5; f++ {
		sf := signetRunFold(t, f, inputs, y, groups, fold, len(ds.Labels), o)
		if sf == nil {
			continue
		}
		t.Logf("fold %d: %.0f s, %d of %d epochs, kept %d (validation loss %.4f)", f, sf.Seconds, sf.Info.Ran, sf.Info.Epochs+sf.Info.Anneal, sf.Info.BestEpoch, sf.Info.ValLoss)
		for i, p := range sf.Probs {
			net[i] = p
		}
	}
	for _, p := range net {
		if p == nil {
			signetPartial(t, ds, spec, y, fold, net)
			t.Skip("not every fold trained: no CV report")
		}
	}
	if *signetAlso != "" {
		net = signetAverage(t, net, *signetAlso)
	}
	gb := signetGBDTOOF(t, ds, spec, y, fold)
	if *signetDump != "" {
		b, _ := json.Marshal(map[string]any{"labels": ds.Labels, "y": y, "fold": fold, "gbdt": gb, "net": net})
		if err := os.WriteFile(*signetDump, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	score, _ := labelIndexes(ds.Labels, []string{"N", "AF", "Other"})
	report := func(name string, s [][]float64) {
		r := &CVResult{Folds: 5, Seed: 1, Files: len(y), Records: len(y), ScoreLabels: []string{"N", "AF", "Other"}}
		if err := r.evaluate(ds.Labels, y, groups, fold, s, score); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		r.WriteReport(&b, "text")
		t.Logf("%s:\n%s", name, b.String())
	}
	report("gbdt (ecg train defaults)", gb)
	report("network alone", net)
	lateFusion(t, ds.Labels, y, fold, score, net, gb, report)
}

func parseInts(t *testing.T, s string) []int {
	var v []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatal(err)
		}
		v = append(v, n)
	}
	return v
}

// signetInputs reads every file of ds and makes its network input.
func signetInputs(t *testing.T, ds *datasets.LabelFolders, rate float64) [][]float64 {
	in := make([][]float64, len(ds.Files))
	errs := make([]error, len(ds.Files))
	var wg sync.WaitGroup
	for j := 0; j < 2; j++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := j; i < len(ds.Files); i += 2 {
				x, fs, err := ReadSignal(ds.Files[i].Path)
				if err == nil {
					in[i], err = SignetInput(x, fs, rate)
				}
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// signetRunFold trains fold f's network (or reads it from -signet-out)
// and returns its out-of-fold probabilities; nil when f is not to be
// trained and was not saved.
func signetRunFold(t *testing.T, f int, inputs [][]float64, y []int, groups []string, fold []int, k int, o SignetOptions) *signetFold {
	path := filepath.Join(*signetOut, fmt.Sprintf("fold-%d.json", f))
	if b, err := os.ReadFile(path); err == nil {
		var sf signetFold
		if err := json.Unmarshal(b, &sf); err != nil {
			t.Fatal(err)
		}
		return &sf
	}
	if !strings.Contains(","+*signetFolds+",", fmt.Sprintf(",%d,", f)) {
		return nil
	}
	var trIn [][]float64
	var trY []int
	var trG []string
	for i := range y {
		if fold[i] != f && (*signetLimit == 0 || len(trY) < *signetLimit) {
			trIn, trY, trG = append(trIn, inputs[i]), append(trY, y[i]), append(trG, groups[i])
		}
	}
	sf := &signetFold{Probs: map[int][]float64{}}
	start, last := time.Now(), time.Now()
	o.Progress = func(e nn.EpochResult) {
		sf.Epochs = append(sf.Epochs, e)
		t.Logf("fold %d epoch %d: train loss %.4f, validation loss %.4f (%.0f s)", f, e.Epoch, e.TrainLoss, e.ValLoss, time.Since(last).Seconds())
		last = time.Now()
	}
	s, info, err := TrainSignet(context.Background(), trIn, trY, trG, k, o)
	if err != nil {
		t.Fatal(err)
	}
	sf.Info, sf.Seconds = info, time.Since(start).Seconds()
	for i := range y {
		if fold[i] == f {
			sf.Probs[i] = s.Probs(nil, inputs[i])
		}
	}
	if *signetLimit > 0 {
		return nil // a timing run: nothing saved
	}
	b, _ := json.Marshal(sf)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return sf
}

// signetGBDTOOF returns the out-of-fold probabilities of ecg train's
// default learner (gbdt, seed 1) on ds's default features.
func signetGBDTOOF(t *testing.T, ds *datasets.LabelFolders, spec FeatureSpec, y, fold []int) [][]float64 {
	cache, err := NewFeatureCache("/tmp/fc-harness")
	if err != nil {
		t.Fatal(err)
	}
	X, err := FeaturizeCached(context.Background(), spec, ds.Files, 2, nil, cache)
	if err != nil {
		t.Fatal(err)
	}
	g, err := CrossValidate(ds.Labels, spec, X, y, fold, 5, TrainOptions{Learner: LearnerGBDT,
		GBDT: GBDTOptions{Seed: 1, Jobs: 2, MaxDepth: 6, ClassWeight: "none", MinHessian: 1, Lambda: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// fuse returns w times a plus 1-w times b, row by row.
func fuse(a, b [][]float64, w float64) [][]float64 {
	out := make([][]float64, len(a))
	for i := range a {
		out[i] = make([]float64, len(a[i]))
		for c := range a[i] {
			out[i][c] = w*a[i][c] + (1-w)*b[i][c]
		}
	}
	return out
}

// bestWeight returns the weight of net in 0, 0.05, ..., 1 whose fusion
// scores the highest Challenge F1 on the rows in (the lowest on ties).
func bestWeight(t *testing.T, labels []string, y []int, score []int, net, gb [][]float64, in func(i int) bool) (float64, float64) {
	var sy []int
	var sn, sg [][]float64
	for i := range y {
		if in(i) {
			sy, sn, sg = append(sy, y[i]), append(sn, net[i]), append(sg, gb[i])
		}
	}
	bw, bs := 0.0, math.Inf(-1)
	for s := 0; s <= 20; s++ {
		w := float64(s) / 20
		r, err := Evaluate(labels, sy, fuse(sn, sg, w), 0)
		if err != nil {
			t.Fatal(err)
		}
		if f := meanF1(r, score); f > bs {
			bw, bs = w, f
		}
	}
	return bw, bs
}

// lateFusion reports the fusion of a network's out-of-fold probabilities
// net with gb's at the weight best on all of them (optimistic) and
// nested: each fold fused with the weight best on the other four folds'
// out-of-fold predictions. The signet and cnn harnesses share it.
func lateFusion(t *testing.T, labels []string, y, fold, score []int, net, gb [][]float64, report func(string, [][]float64)) {
	for s := 0; s <= 20; s += 2 {
		w := float64(s) / 20
		r, err := Evaluate(labels, y, fuse(net, gb, w), 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("network weight %.2f: Challenge F1 %.4f, %v", w, meanF1(r, score), f1s(r))
	}
	w, s := bestWeight(t, labels, y, score, net, gb, func(int) bool { return true })
	t.Logf("weight best on all out-of-fold predictions: %.2f (Challenge F1 %.4f; optimistic)", w, s)
	report(fmt.Sprintf("fusion, network weight %.2f", w), fuse(net, gb, w))
	nested := make([][]float64, len(y))
	for f := 0; f < 5; f++ {
		w, s := bestWeight(t, labels, y, score, net, gb, func(i int) bool { return fold[i] != f })
		t.Logf("fold %d: weight %.2f chosen on the other folds (their Challenge F1 %.4f)", f, w, s)
		for i := range y {
			if fold[i] == f {
				nested[i] = fuse(net[i:i+1], gb[i:i+1], w)[0]
			}
		}
	}
	report("fusion, weight chosen per fold on the other four folds (nested)", nested)
}

// signetAverage returns the mean of net and the probabilities saved in
// the folds of dir (another run), row by row.
func signetAverage(t *testing.T, net [][]float64, dir string) [][]float64 {
	out := make([][]float64, len(net))
	for f := 0; f < 5; f++ {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("fold-%d.json", f)))
		if err != nil {
			t.Fatal(err)
		}
		var sf signetFold
		if err := json.Unmarshal(b, &sf); err != nil {
			t.Fatal(err)
		}
		for i, p := range sf.Probs {
			out[i] = fuse(net[i:i+1], [][]float64{p}, 0.5)[0]
		}
	}
	return out
}

// signetPartial logs, for each fold whose network probabilities are
// known, the Challenge F1 of the network alone, of gbdt and of their
// fusion with network weight 0.40.
func signetPartial(t *testing.T, ds *datasets.LabelFolders, spec FeatureSpec, y, fold []int, net [][]float64) {
	gb := signetGBDTOOF(t, ds, spec, y, fold)
	score, _ := labelIndexes(ds.Labels, []string{"N", "AF", "Other"})
	for f := 0; f < 5; f++ {
		var fy []int
		var fn, fg [][]float64
		for i := range y {
			if fold[i] == f && net[i] != nil {
				fy, fn, fg = append(fy, y[i]), append(fn, net[i]), append(fg, gb[i])
			}
		}
		if len(fy) == 0 {
			continue
		}
		var sc []float64
		for _, s := range [][][]float64{fn, fg, fuse(fn, fg, 0.4)} {
			r, err := Evaluate(ds.Labels, fy, s, 0)
			if err != nil {
				t.Fatal(err)
			}
			sc = append(sc, meanF1(r, score))
		}
		t.Logf("fold %d: Challenge F1 network %.4f, gbdt %.4f, fusion at 0.40 %.4f", f+1, sc[0], sc[1], sc[2])
	}
}
