package classify_test

import (
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/spectro"
)

// TestWithImageSize: the luminance matrix of image features takes any
// size a learner can read; the forest's grid shrinks to fit; sizes the
// network's pooling would empty, too many pixels and signal features are
// refused.
func TestWithImageSize(t *testing.T) {
	cnn := classify.ImageSpec(classify.CNNImageFeatures(), nil)
	forest := classify.ImageSpec(classify.DefaultImageFeatures(), []string{"prev_rr"})
	for _, c := range []struct {
		spec       classify.FeatureSpec
		rows, cols int
		filters    []int
		want       classify.ImageFeatures // zero: an error
		err        string
	}{
		{cnn, 32, 256, nil, classify.ImageFeatures{Rows: 32, Cols: 256, Pixels: true}, ""},
		{cnn, 13, 37, nil, classify.ImageFeatures{Rows: 13, Cols: 37, Pixels: true}, ""},
		{cnn, 8, 8, nil, classify.ImageFeatures{Rows: 8, Cols: 8, Pixels: true}, ""},
		{cnn, 7, 64, nil, classify.ImageFeatures{}, "at least 8 x 8"},
		{cnn, 4, 64, []int{4, 4}, classify.ImageFeatures{Rows: 4, Cols: 64, Pixels: true}, ""},
		{cnn, 256, 256, nil, classify.ImageFeatures{}, "pixels"},
		{forest, 64, 16, nil, classify.ImageFeatures{Rows: 64, Cols: 16, Grid: 8}, ""},
		{forest, 4, 100, nil, classify.ImageFeatures{Rows: 4, Cols: 100, Grid: 4}, ""},
		{forest, 3, 100, nil, classify.ImageFeatures{}, "out of range"},
		{forest, 1025, 100, nil, classify.ImageFeatures{}, "out of range"},
		{classify.SignalSpec(classify.DefaultSignalFeatures()), 32, 32, nil, classify.ImageFeatures{}, "for images"},
	} {
		got, err := c.spec.WithImageSize(c.rows, c.cols, c.filters)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%d x %d: %v, want an error with %q", c.rows, c.cols, err, c.err)
			}
			continue
		}
		if err != nil || *got.Image != c.want || len(got.Extra) != len(c.spec.Extra) {
			t.Errorf("%d x %d: %+v, %v; want %+v", c.rows, c.cols, got.Image, err, c.want)
		}
	}
	if *cnn.Image != classify.CNNImageFeatures() || *forest.Image != classify.DefaultImageFeatures() {
		t.Errorf("the specs given were changed: %+v %+v", cnn.Image, forest.Image)
	}
}

// TestCNNNonSquareImages trains networks on images resized to sizes that
// are not square and whose sides the 2x2 pooling leaves odd (13 x 37 and
// 20 x 50), as ecg train --image-size does, and checks the network's
// input, its file and that live windows still score as the archive's
// PNGs.
func TestCNNNonSquareImages(t *testing.T) {
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ds, rows, recs := rhythmArchive(t, r)
	text, fs := samplesText(t, recs[1])
	base, err := classify.CNNSpecFor(ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range [][2]int{{13, 37}, {20, 50}} {
		spec, err := base.WithImageSize(size[0], size[1], nil)
		if err != nil {
			t.Fatal(err)
		}
		m := trainSaveLoad(t, ds, classify.DatasetOptions{Learner: classify.LearnerCNN, Spec: &spec,
			CNN: classify.CNNOptions{Epochs: 2, Seed: 1, Validation: 0.01}})
		if in := m.CNN().Net.Arch.In; in.H != size[0] || in.W != size[1] || m.StrideSeconds() != 10 {
			t.Fatalf("%v: network input %v, spectrogram settings %+v (the archive has the default flags, 10 s strides)", size, in, m.Info.Features.Spectrogram)
		}
		if got := modelScorer(t, m).Renderer(); got.Params(fs) != r.Params(fs) || got.Image() != r.Image() {
			t.Fatalf("%v: renders with %+v %+v, the archive with the defaults", size, got.Params(fs), got.Image())
		}
		sc, err := classify.NewImageScorer(m, spectro.StrideOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range liveWindows(t, sc, text, fs, 10) {
			if d := livePNGDiff(t, m, w, archivePNG(rows, "r1", w)); d != "" {
				t.Errorf("%v: %s", size, d)
			}
		}
	}
}
