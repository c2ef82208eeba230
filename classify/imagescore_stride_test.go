package classify_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/spectro"
)

// TestImageModelRecordsStride: an image model trained (TrainDataset, as
// ecg train does) on an archive of 10 s strides made with ecg spectro's
// default STFT and image flags records the stride, keeps it through its
// file (version 5, as for other settings) and renders with the defaults;
// archives of the default 60 s strides (filled), of whole records or of
// no parameter file record nothing (file version 1, as before), and one
// with other settings records them with its stride, 60 s included, or
// none for whole records.
func TestImageModelRecordsStride(t *testing.T) {
	def, long := defaultAndLong(t)
	stride := func(s float64) func(*datasets.ArchiveOptions) {
		return func(o *datasets.ArchiveOptions) { o.Stride, o.Hop, o.Fill = s, s, datasets.FillRepeat }
	}
	whole := func(o *datasets.ArchiveOptions) { o.WholeRecord, o.Stride, o.Hop = true, 0, 0 }
	for _, c := range []struct {
		name     string
		r        *spectro.StrideRenderer
		set      func(*datasets.ArchiveOptions)
		settings bool    // the model records settings
		stride   float64 // the stride it records
		version  uint32
	}{
		{"10 s", def, func(*datasets.ArchiveOptions) {}, true, 10, 5},
		{"60 s", def, stride(60), false, 0, 1},
		{"whole records", def, whole, false, 0, 1},
		{"long 10 s", long, func(*datasets.ArchiveOptions) {}, true, 10, 5},
		{"long 60 s", long, stride(60), true, 60, 5},
		{"long whole records", long, whole, true, 0, 5},
	} {
		ds, _, _ := rhythmArchiveWith(t, c.r, c.set)
		res, err := classify.TrainDataset(t.Context(), ds, classify.DatasetOptions{Learner: classify.LearnerForest, Forest: classify.ForestOptions{Trees: 3, Seed: 1}, Jobs: 1})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var buf bytes.Buffer
		if err := res.Model.Save(&buf); err != nil {
			t.Fatal(err)
		}
		if v := binary.LittleEndian.Uint32(buf.Bytes()[8:]); v != c.version {
			t.Errorf("%s: file version %d, want %d", c.name, v, c.version)
		}
		file := bytes.Clone(buf.Bytes())
		m, err := classify.LoadModel(&buf)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		sp := m.Info.Features.Spectrogram
		if (sp != nil) != c.settings || m.StrideSeconds() != c.stride {
			t.Errorf("%s: settings %+v, stride %g; want settings %v, stride %g", c.name, sp, m.StrideSeconds(), c.settings, c.stride)
		}
		if got := bytes.Contains(file, []byte(`"stride_s":`)); got != (c.stride > 0) {
			t.Errorf("%s: stride_s in the header: %v", c.name, got)
		}
		if got := modelScorer(t, m).Renderer(); got.Params(300) != c.r.Params(300) || got.Image() != c.r.Image() {
			t.Errorf("%s: renders with %+v %+v, the archive with %+v %+v", c.name, got.Params(300), got.Image(), c.r.Params(300), c.r.Image())
		}
	}
}

// TestLoadModelStrideBounds: a model file's stride is checked when it
// loads (0 to 86,400 s); a good one loads and is the model's stride.
func TestLoadModelStrideBounds(t *testing.T) {
	spec := classify.ImageSpec(classify.DefaultImageFeatures(), nil)
	for _, c := range []struct {
		stride float64
		ok     bool
	}{{30, true}, {0.5, true}, {86400, true}, {-10, false}, {86401, false}} {
		m, err := classify.Train([]string{"AF", "N"}, spec, [][]float64{zeros(spec), zeros(spec)}, []int{0, 1},
			classify.TrainOptions{Forest: classify.ForestOptions{Trees: 1, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		m.Info.Features.Spectrogram = &classify.SpectrogramSettings{
			STFT:    classify.SpectrogramSTFT{Window: "hann", NPerSeg: 256, NOverlap: 128, NFFT: 256, Detrend: "constant", Scaling: "density", Mode: "psd", FMin: 0, FMax: 50},
			Image:   classify.SpectrogramImage{Width: 224, Height: 224, Colormap: "gray", DBMin: -80, DBMax: -10},
			StrideS: c.stride}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := classify.LoadModel(&buf)
		switch {
		case !c.ok && !errors.Is(err, classify.ErrModelFormat):
			t.Errorf("stride %g: loaded (%v)", c.stride, err)
		case !c.ok && !strings.Contains(err.Error(), "stride"):
			t.Errorf("stride %g: %v does not name the stride", c.stride, err)
		case c.ok && err != nil:
			t.Errorf("stride %g: %v", c.stride, err)
		case c.ok && got.StrideSeconds() != c.stride:
			t.Errorf("stride %g: loaded %g", c.stride, got.StrideSeconds())
		}
	}
}
