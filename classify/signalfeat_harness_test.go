//go:build harness

package classify

// A harness for choosing signal features by grouped cross-validation on
// the CinC 2017 shared set: the features of the latest set are computed
// once (optionally cached in a gob file), then every variant (a set, or
// the latest set without the features of some name prefixes) is
// cross-validated as ecg train --folds 5 --score-labels N,AF,Other does.
//
//	go test -tags harness ./classify -run TestHarnessCinC -v -timeout 1h \
//	    -args -variants 'set4;set5;-sqi.;-ect.+hr.' -cache /tmp/feat5.gob

import (
	"context"
	"encoding/gob"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets"
)

var (
	featHarnessDir  = flag.String("data", "/work/shared/data/cinc2017-train", "CinC 2017 directory (records/, REFERENCE.csv)")
	harnessVariants = flag.String("variants", "set4;set5", "semicolon-separated variants: setN, or -prefix[+prefix...] (the latest set without them)")
	harnessCache    = flag.String("cache", "", "gob file caching the latest set's features")
	harnessSet      = flag.Int("featureset", LatestSignalFeatureSet, "feature set to compute (variants must be subsets of it)")
	harnessSeeds    = flag.Int("seeds", 1, "forest seeds 1..N per variant: the pooled score of each and their mean (forest noise)")
	harnessDump     = flag.String("dump", "", "CSV file: every record's label, out-of-fold prediction of the last variant and latest-set features")
)

func TestHarnessCinC(t *testing.T) {
	m, err := datasets.ParseLabelMap("A=AF,~=Noisy,O=Other")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := datasets.ReadLabeled(filepath.Join(*featHarnessDir, "records"), datasets.LabelSource{CSV: filepath.Join(*featHarnessDir, "REFERENCE.csv"), Map: m})
	if err != nil {
		t.Skip(err)
	}
	spec := SignalSpec(DefaultSignalFeatures())
	spec.Signal.FeatureSet = *harnessSet
	names := spec.Names()
	X := harnessFeatures(t, spec, ds)
	y, groups := ds.LabelIndex(), fileGroups(ds)
	opt := CVOptions{Folds: 5, Seed: 1, ScoreLabels: []string{"N", "AF", "Other"}, Forest: ForestOptions{Seed: 1}}
	plan, err := planCV(ds.Labels, y, groups, opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range strings.Split(*harnessVariants, ";") {
		cols := harnessColumns(t, v, names)
		var pooled []float64
		for seed := 1; seed <= *harnessSeeds; seed++ {
			opt.Forest.Seed = uint64(seed)
			res := harnessCV(t, X, y, groups, cols, ds, plan, opt)
			pooled = append(pooled, res.PooledScore)
			if seed == 1 {
				fmt.Printf("\n=== variant %s: %d features\n", v, len(cols))
				if err := res.WriteReport(os.Stdout, "text"); err != nil {
					t.Fatal(err)
				}
			}
		}
		ms := meanSD(pooled)
		fmt.Printf("=== variant %s: pooled Challenge F1 over %d forest seeds %.4f ± %.4f %v\n", v, len(pooled), ms.Mean, ms.SD, pooled)
	}
}

// harnessCV cross-validates the columns cols of X as planned.
func harnessCV(t *testing.T, X [][]float64, y []int, groups []string, cols []int, ds *datasets.LabelFolders, plan cvPlan, opt CVOptions) *CVResult {
	res := &CVResult{Folds: 5, Seed: 1, Files: len(X), Records: countDistinct(groups), ScoreLabels: opt.ScoreLabels}
	scores := make([][]float64, len(X))
	start := time.Now()
	for f := 0; f < 5; f++ {
		var trX [][]float64
		var trY []int
		for i := range X {
			if plan.fold[i] != f {
				trX, trY = append(trX, pick(X[i], cols)), append(trY, y[i])
			}
		}
		forest, _, err := TrainForest(trX, trY, len(ds.Labels), opt.Forest.withDefaults(len(cols)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range X {
			if plan.fold[i] == f {
				scores[i] = forest.PredictProba(nil, pick(X[i], cols))
			}
		}
	}
	if err := res.evaluate(ds.Labels, y, groups, plan.fold, scores, plan.score); err != nil {
		t.Fatal(err)
	}
	if *harnessDump != "" && opt.Forest.Seed == 1 {
		harnessWriteDump(t, *harnessDump, ds, X, scores)
	}
	fmt.Printf("(trees %.1fs)\n", time.Since(start).Seconds())
	return res
}

// harnessFeatures returns the features of ds, from the cache when it
// holds as many rows and columns.
func harnessFeatures(t *testing.T, spec FeatureSpec, ds *datasets.LabelFolders) [][]float64 {
	var X [][]float64
	if *harnessCache != "" {
		if f, err := os.Open(*harnessCache); err == nil {
			err = gob.NewDecoder(f).Decode(&X)
			f.Close()
			if err == nil && len(X) == len(ds.Files) && len(X[0]) == len(spec.Names()) {
				return X
			}
		}
	}
	start := time.Now()
	X, err := Featurize(context.Background(), spec, ds.Files, 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("features of %d files: %.1fs\n", len(X), time.Since(start).Seconds())
	if *harnessCache != "" {
		f, err := os.Create(*harnessCache)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := gob.NewEncoder(f).Encode(X); err != nil {
			t.Fatal(err)
		}
	}
	return X
}

// harnessColumns returns the columns of variant v among names.
func harnessColumns(t *testing.T, v string, names []string) []int {
	var cols []int
	if strings.HasPrefix(v, "set") {
		var set int
		if _, err := fmt.Sscanf(v, "set%d", &set); err != nil {
			t.Fatalf("variant %q", v)
		}
		o := DefaultSignalFeatures()
		o.FeatureSet = set
		want := o.Names()
		for j, n := range names {
			for _, w := range want {
				if n == w {
					cols = append(cols, j)
				}
			}
		}
		if len(cols) != len(want) {
			t.Fatalf("variant %q: set %d is not a subset of the latest", v, set)
		}
		return cols
	}
	drop := strings.Split(strings.TrimPrefix(v, "-"), "+")
	keep := v[0] == '+'
	if keep {
		drop = strings.Split(v[1:], "+")
	}
	for j, n := range names {
		hit := false
		for _, p := range drop {
			hit = hit || strings.HasPrefix(n, p)
		}
		// "-a+b": the latest set without a and b; "+a+b": set 4 with a and b.
		if (!keep && !hit) || (keep && (hit || j < 37)) {
			cols = append(cols, j)
		}
	}
	return cols
}

func harnessWriteDump(t *testing.T, path string, ds *datasets.LabelFolders, X, scores [][]float64) {
	o := DefaultSignalFeatures()
	o.FeatureSet = *harnessSet
	names := o.Names()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintf(f, "record,label,pred,%s\n", strings.Join(names, ","))
	y := ds.LabelIndex()
	for i, file := range ds.Files {
		fmt.Fprintf(f, "%s,%s,%s", filepath.Base(file.Path), ds.Labels[y[i]], ds.Labels[argmax(scores[i])])
		for _, v := range X[i] {
			fmt.Fprintf(f, ",%g", v)
		}
		fmt.Fprintln(f)
	}
}

func pick(row []float64, cols []int) []float64 {
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = row[c]
	}
	return out
}
