package classify

import (
	"errors"
	"testing"
)

func TestForestOptionsValidate(t *testing.T) {
	ok := ForestOptions{Trees: 100, MaxDepth: 32, MinLeaf: 1, ClassWeight: "balanced"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		change func(*ForestOptions)
		want   string
	}{
		{func(o *ForestOptions) { o.Trees = 0 }, "trees 0: want at least 1"},
		{func(o *ForestOptions) { o.MaxDepth = 65 }, "max-depth 65: want at most 64"},
		{func(o *ForestOptions) { o.MinLeaf = -1 }, "min-leaf -1: want at least 1"},
		{func(o *ForestOptions) { o.MaxFeatures = -2 }, "max-features -2: want 0 (square root of the feature count) or more"},
		{func(o *ForestOptions) { o.ClassWeight = "x" }, `class-weight "x": want balanced or none`},
	} {
		o := ok
		tc.change(&o)
		err := o.Validate()
		var oe *OptionError
		if !errors.As(err, &oe) || err.Error() != tc.want {
			t.Errorf("Validate: %v, want %q", err, tc.want)
		}
	}
}
