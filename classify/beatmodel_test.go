package classify

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/demodata"
)

// demoBeats reads the beats of the embedded MIT-BIH excerpts (100, 201,
// 221, 232).
func demoBeats(t *testing.T, labels string) (*BeatDataset, []string) {
	t.Helper()
	paths, err := demodata.Extract(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := ReadBeats(context.Background(), paths, BeatOptions{Labels: labels, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	return ds, paths
}

func TestReadBeats(t *testing.T) {
	ds, paths := demoBeats(t, "")
	if len(ds.X) != len(ds.Y) || len(ds.Y) != len(ds.Groups) || len(ds.Y) == 0 {
		t.Fatalf("rows %d, labels %d, groups %d", len(ds.X), len(ds.Y), len(ds.Groups))
	}
	// AAMI classes in their order, from the reference beats.
	if !slices.IsSortedFunc(ds.Labels, func(a, b string) int { return indexOf(aamiOrder, a) - indexOf(aamiOrder, b) }) || ds.Labels[0] != "N" {
		t.Errorf("labels %v: want AAMI classes in N S V F Q order", ds.Labels)
	}
	anns, err := wfdb.ReadAnnotations(paths[0], "atr")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range anns {
		if a.Type.IsBeat() && a.Type.AAMI() != 0 {
			n++
		}
	}
	if got := countGroup(ds.Groups, filepath.Base(paths[0])); got != n {
		t.Errorf("%s: %d beats read, the reference has %d", paths[0], got, n)
	}
	if w := len(BeatSpec().Names()); len(ds.X[0]) != w {
		t.Errorf("%d features, the beat spec names %d", len(ds.X[0]), w)
	}
	sym, _ := demoBeats(t, BeatLabelsSymbols)
	if !slices.Contains(sym.Labels, "A") || slices.Contains(sym.Labels, "S") {
		t.Errorf("symbols: labels %v, want annotation codes (A, not S)", sym.Labels)
	}
	if _, err := ReadBeats(context.Background(), paths, BeatOptions{Labels: "words"}); err == nil {
		t.Error("unknown beat labels: no error")
	}
}

func indexOf(s, l string) int {
	for i := range s {
		if s[i:i+1] == l {
			return i
		}
	}
	return len(s)
}

func countGroup(groups []string, g string) int {
	n := 0
	for _, x := range groups {
		if x == g {
			n++
		}
	}
	return n
}

// TestTrainBeats trains on three excerpts, tests on the fourth, writes
// and reads the model back and classifies a record's detected beats.
func TestTrainBeats(t *testing.T) {
	ds, paths := demoBeats(t, "")
	ctx := context.Background()
	train, err := ReadBeats(ctx, paths[:3], BeatOptions{})
	if err != nil {
		t.Fatal(err)
	}
	test, err := ReadBeats(ctx, paths[3:], BeatOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := TrainBeats(ctx, train, BeatTrainOptions{Test: test, Forest: ForestOptions{Trees: 20, MinLeaf: BeatMinLeaf, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	if m.Info.Features.Input != InputBeats || m.Info.Heldout == nil || m.Info.Heldout.Samples == 0 || m.Info.Training.Groups != 3 {
		t.Fatalf("model: input %q, heldout %v, groups %d", m.Info.Features.Input, m.Info.Heldout, m.Info.Training.Groups)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	a, err := beats.AnalyzeRecord(paths[1], beats.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bc, err := m2.ClassifyRecordBeats(paths[1], a.Samples())
	if err != nil {
		t.Fatal(err)
	}
	if len(bc.Class) != len(a.Beats) {
		t.Fatalf("%d classes for %d beats", len(bc.Class), len(a.Beats))
	}
	// The signal kept while the beats are detected (beats.Options.Tap)
	// gives the same classes and scores as reading the record again.
	var sig BeatSignal
	a2, err := beats.AnalyzeRecord(paths[1], beats.Options{Tap: sig.Add})
	if err != nil || !slices.Equal(a2.Samples(), a.Samples()) {
		t.Fatalf("analysis with a tap: err %v, beats differ", err)
	}
	bc2, err := m2.ClassifyBeatSignal(paths[1], &sig, a2.Samples())
	if err != nil || !slices.Equal(bc2.Class, bc.Class) || !slices.Equal(bc2.Score, bc.Score) {
		t.Errorf("classes from the tapped signal differ (err %v)", err)
	}
	if _, err := m2.ClassifyBeatSignal(paths[1], &sig, a2.Samples()); err == nil {
		t.Error("a BeatSignal used twice: no error")
	}
	// Record 201's excerpt: mostly N, and the classes reach the annotations.
	count := map[string]int{}
	anns := a.Annotations()
	bc.Annotate(anns)
	for i, an := range anns {
		count[bc.Label(i)]++
		if an.Type != bc.Code(i) || !an.Type.IsBeat() {
			t.Fatalf("beat %d: code %v for class %s", i, an.Type, bc.Label(i))
		}
	}
	if count["N"] < len(a.Beats)/2 {
		t.Errorf("classes %v: want mostly N", count)
	}
	// The same data and options give the same model.
	res2, err := TrainBeats(ctx, train, BeatTrainOptions{Test: test, Forest: ForestOptions{Trees: 20, MinLeaf: BeatMinLeaf, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var buf2 bytes.Buffer
	if err := res2.Model.Save(&buf2); err != nil || !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Errorf("a second training gives another model (err %v)", err)
	}
	// A split by record and cross-validation by record.
	if res, err := TrainBeats(ctx, ds, BeatTrainOptions{Split: 0.5, Forest: ForestOptions{Trees: 10, Seed: 1}}); err != nil || res.Model.Info.Training.Groups == len(paths) {
		t.Errorf("split: err %v", err)
	}
	cv, err := CrossValidateBeats(ctx, ds, CVOptions{Folds: 2, Seed: 1, Forest: ForestOptions{Trees: 10, Seed: 1}})
	if err != nil || cv.Report.Samples != len(ds.Y) || cv.Records != len(paths) {
		t.Errorf("cv: err %v", err)
	}
}

func TestBeatModelRefused(t *testing.T) {
	m := &Model{Info: ModelInfo{Features: FeatureSpec{Input: InputSignal}}}
	if _, err := m.ClassifyBeats(nil, 360, nil); !errors.Is(err, ErrNotBeatModel) {
		t.Errorf("a signal model classifies beats: err %v", err)
	}
	if err := (FeatureSpec{Input: InputBeats, Extra: []string{"prev_rr"}}).check(); err == nil {
		t.Error("beats input with extra columns: no error")
	}
}

func TestBeatClassCodes(t *testing.T) {
	bc := &BeatClasses{Labels: []string{"N", "S", "V", "F", "Q", "L", "x"}, Class: []int{0, 1, 2, 3, 4, 5, 6}}
	want := []wfdb.Code{wfdb.Normal, wfdb.APC, wfdb.PVC, wfdb.Fusion, wfdb.Unknown, wfdb.LBBB, wfdb.Unknown}
	for i, w := range want {
		if got := bc.Code(i); got != w {
			t.Errorf("class %s: code %v, want %v", bc.Label(i), got, w)
		}
	}
}
