package datasets

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// records makes nRec groups of items; record r holds mostly label r%3.
func records(nRec, perRec int) ([]int, []string) {
	var labels []int
	var groups []string
	for r := 0; r < nRec; r++ {
		for i := 0; i < perRec+r%5; i++ {
			l := r % 3
			if i%4 == 0 {
				l = (r + 1) % 3
			}
			labels = append(labels, l)
			groups = append(groups, fmt.Sprintf("rec%02d", r))
		}
	}
	return labels, groups
}

func TestSplitByGroup(t *testing.T) {
	labels, groups := records(30, 20)
	train, test, err := SplitByGroup(labels, groups, 3, 0.8, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(train)+len(test) != len(labels) {
		t.Fatalf("%d + %d items, want %d", len(train), len(test), len(labels))
	}
	inTrain := map[string]bool{}
	for _, i := range train {
		inTrain[groups[i]] = true
	}
	for _, i := range test {
		if inTrain[groups[i]] {
			t.Fatalf("group %s in both sets", groups[i])
		}
	}
	frac := float64(len(train)) / float64(len(labels))
	if math.Abs(frac-0.8) > 0.05 {
		t.Errorf("training fraction %.3f, want about 0.8", frac)
	}
	for l := 0; l < 3; l++ {
		var nt, n float64
		for i, x := range labels {
			if x == l {
				n++
				if inTrain[groups[i]] {
					nt++
				}
			}
		}
		if math.Abs(nt/n-0.8) > 0.07 {
			t.Errorf("label %d: %.3f of items in training, want about 0.8 (stratified)", l, nt/n)
		}
	}
	// Same seed, same split; another seed, another split; input order does
	// not matter.
	train2, _, _ := SplitByGroup(labels, groups, 3, 0.8, 1)
	if !slices.Equal(train, train2) {
		t.Error("same seed gave another split")
	}
	train3, _, _ := SplitByGroup(labels, groups, 3, 0.8, 2)
	if slices.Equal(train, train3) {
		t.Error("seeds 1 and 2 gave the same split")
	}
	if _, _, err := SplitByGroup(labels, groups, 3, 1, 1); err == nil {
		t.Error("fraction 1 accepted")
	}
}

func TestSplitTwoGroups(t *testing.T) {
	train, test, err := SplitByGroup([]int{0, 0, 1}, []string{"a", "a", "b"}, 2, 0.8, 1)
	if err != nil || len(train) == 0 || len(test) == 0 {
		t.Fatalf("train %v test %v err %v: both sides need a group", train, test, err)
	}
}

func TestGroupKFold(t *testing.T) {
	labels, groups := records(22, 30)
	fold, err := GroupKFold(labels, groups, 3, 5, 7)
	if err != nil {
		t.Fatal(err)
	}
	of := map[string]int{}
	count := make([]int, 5)
	for i, f := range fold {
		if g, ok := of[groups[i]]; ok && g != f {
			t.Fatalf("group %s in folds %d and %d", groups[i], g, f)
		}
		of[groups[i]] = f
		count[f]++
	}
	for f, c := range count {
		share := float64(c) / float64(len(labels))
		if share < 0.12 || share > 0.28 {
			t.Errorf("fold %d holds %.3f of the items, want about 0.2", f, share)
		}
	}
	if _, err := GroupKFold(labels, groups, 3, 23, 7); err == nil {
		t.Error("23 folds of 22 groups accepted")
	}
}
