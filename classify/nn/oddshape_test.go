package nn

import "testing"

// TestNetGradientOddShapes: a network on a non-square input whose sides
// its pooling leaves odd (13 x 37, then 6 x 18, 3 x 9 and 1 x 4 before the
// global pooling), with max and average pooling, against finite
// differences of its loss.
func TestNetGradientOddShapes(t *testing.T) {
	for _, avg := range []bool{false, true} {
		a := Arch{In: Shape{1, 13, 37}, Filters: []int{2, 3, 2}, Kernel: 3, Pool: 2, AvgPool: avg, Extra: 1, Hidden: 4, Classes: 3}
		if s := a.blockShape(); s.H != 1 || s.W != 4 {
			t.Fatalf("%v pooled to %v, want 1 x 4", a.In, s)
		}
		checkNetGradient(t, a, 5, 1, 1.3)
	}
}

// blockShape is the shape after a's convolution blocks.
func (a Arch) blockShape() Shape {
	n, err := New(a, 1)
	if err != nil {
		panic(err)
	}
	return n.trunk[len(n.trunk)-2].Out()
}
