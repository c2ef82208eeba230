package nn

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestGlobalPoolGradients(t *testing.T) {
	for _, c := range []struct {
		name string
		l    Layer
	}{
		{"global max 2-D", NewGlobalMaxPool(Shape{2, 5, 7})},
		{"global max 1-D", NewGlobalMaxPool(Shape{3, 1, 9})},
		{"global avg+max 2-D", NewGlobalAvgMaxPool(Shape{2, 5, 7})},
		{"global avg+max 1-D", NewGlobalAvgMaxPool(Shape{3, 1, 9})},
		{"global max of one value", NewGlobalMaxPool(Shape{2, 1, 1})},
	} {
		checkLayer(t, c.name, c.l, 13)
	}
}

// The values of the poolings: the averages first, then the maxima; the
// maximum's gradient goes to the first of equal largest values only.
func TestGlobalPoolValues(t *testing.T) {
	in := []float64{1, 5, 5, -2 /* channel 2 */, -3, -1, -4, -1}
	s := Shape{2, 1, 4}
	out := make([]float64, 4)
	NewGlobalAvgMaxPool(s).Forward(nil, in, out)
	if want := []float64{2.25, -2.25, 5, -1}; !equalFloats(out, want) {
		t.Fatalf("avg+max %v, want %v", out, want)
	}
	din := make([]float64, len(in))
	NewGlobalAvgMaxPool(s).Backward(nil, in, out, []float64{4, 8, 1, 10}, din, nil)
	if want := []float64{1, 2, 1, 1, 2, 12, 2, 2}; !equalFloats(din, want) {
		t.Fatalf("avg+max gradient %v, want %v", din, want)
	}
	mx := make([]float64, 2)
	NewGlobalMaxPool(s).Forward(nil, in, mx)
	NewGlobalMaxPool(s).Backward(nil, in, mx, []float64{3, 7}, din, nil)
	if want := []float64{0, 3, 0, 0, 0, 7, 0, 0}; !equalFloats(din, want) {
		t.Fatalf("max gradient %v, want %v", din, want)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Whole networks, 1-D and 2-D, with each global pooling against finite
// differences; avg+max doubles the dense layer's inputs.
func TestNetGradientGlobalPool(t *testing.T) {
	for _, g := range []string{GlobalMax, GlobalAvgMax} {
		a := Arch{In: Shape{3, 1, 32}, OneD: true, Filters: []int{4, 5}, Kernel: 5, Strides: []int{2}, Pool: 2,
			Extra: 2, Hidden: 5, Classes: 3, GlobalPool: g}
		checkNetGradient(t, a, 3, 1, 1.3)
		a = Arch{In: Shape{1, 8, 12}, Filters: []int{3, 4}, Kernel: 3, Pool: 2, Extra: 1, Classes: 3, GlobalPool: g}
		checkNetGradient(t, a, 4, 2, 0.7)
	}
	a := Arch{In: Shape{3, 1, 32}, OneD: true, Filters: []int{4}, Kernel: 5, Pool: 2, Hidden: 6, Classes: 2}
	b := a
	b.GlobalPool = GlobalAvgMax
	if d := b.NumParams() - a.NumParams(); d != 4*6 {
		t.Errorf("avg+max adds %d parameters, want 24 (4 more inputs to 6 hidden units)", d)
	}
}

// The default (average) leaves the JSON of an architecture as before, so
// earlier model files read and write the same bytes; others are named
// and bounded.
func TestGlobalPoolJSONAndCheck(t *testing.T) {
	a := Arch{In: Shape{3, 1, 32}, OneD: true, Filters: []int{4}, Kernel: 5, Pool: 2, Classes: 2}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "global") {
		t.Errorf("the default global pooling is written: %s", b)
	}
	a.GlobalPool = GlobalAvgMax
	if b, _ = json.Marshal(a); !strings.Contains(string(b), `"global_pool":"avgmax"`) {
		t.Errorf("avg+max not written: %s", b)
	}
	for _, bad := range []string{"avg", "MAX", "sum", strings.Repeat("x", 100)} {
		a.GlobalPool = bad
		if err := a.Check(); !errors.Is(err, ErrArch) {
			t.Errorf("global pool %q: %v, want ErrArch", bad, err)
		}
		if _, err := New(a, 1); err == nil {
			t.Errorf("global pool %q: a network was built", bad)
		}
	}
}
