package classify_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/spectro"
)

// longWindowOptions are ecg spectro --nperseg 1024 --noverlap 896 --fmax
// 20 --size 96x64: the long-window spectrograms of docs/classify.md, in
// smaller images.
func longWindowOptions() spectro.StrideOptions {
	nps, nov, fmax := 1024, 896, 20.0
	return spectro.StrideOptions{Set: spectro.Overrides{NPerSeg: &nps, NOverlap: &nov, FMax: &fmax},
		Image: spectro.ImageOptions{Width: 96, Height: 64, DBMin: -85, DBMax: -15}}
}

// defaultAndLong returns the renderers of ecg spectro's default flags and
// of longWindowOptions.
func defaultAndLong(t *testing.T) (def, long *spectro.StrideRenderer) {
	t.Helper()
	def, err := spectro.NewStrideRenderer(spectro.StrideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if long, err = spectro.NewStrideRenderer(longWindowOptions()); err != nil {
		t.Fatal(err)
	}
	return def, long
}

// rhythmArchive writes two AF and two normal synthetic recordings (30 s
// at 300 Hz, r0 to r3) and the archive of their 10 s strides, labelled
// by rhythm, as ecg spectro --label rhythm makes it with r; it returns
// the archive as a dataset, its manifest rows (image path, record,
// start, end) and the records' paths.
func rhythmArchive(t *testing.T, r *spectro.StrideRenderer) (ds *datasets.LabelFolders, rows [][]string, recs []string) {
	t.Helper()
	ds, rows, recs = rhythmArchiveWith(t, r, func(*datasets.ArchiveOptions) {})
	if len(rows) != 12 {
		t.Fatalf("%d strides of 10 s, want 12", len(rows))
	}
	return ds, rows, recs
}

// rhythmArchiveWith is rhythmArchive with the archive's options changed
// by set (another stride, whole records, a fill).
func rhythmArchiveWith(t *testing.T, r *spectro.StrideRenderer, set func(*datasets.ArchiveOptions)) (ds *datasets.LabelFolders, rows [][]string, recs []string) {
	t.Helper()
	dir := t.TempDir()
	for i, rh := range []string{synth.AFib, synth.Normal, synth.AFib, synth.Normal} {
		rec, err := synth.Generate(synth.Options{Rhythm: rh, Fs: 300, Duration: 30, Seed: int64(11 + i), Noise: 0.02})
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("r%d", i)
		if err := rec.WriteWFDB(dir, name); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, filepath.Join(dir, name))
	}
	out := filepath.Join(dir, "archive")
	opt := datasets.ArchiveOptions{Out: out, Label: datasets.LabelRhythm, Annotator: "atr", Stride: 10, Hop: 10,
		Outputs: []datasets.Output{r.PNG()}, OutputParams: r.Parameters(), MinSamples: r.MinSamples}
	set(&opt)
	if _, err := datasets.Archive(context.Background(), recs, opt); err != nil {
		t.Fatal(err)
	}
	ds, err := datasets.ReadLabeled(out, datasets.LabelSource{})
	if err != nil {
		t.Fatal(err)
	}
	return ds, manifestRows(t, out, 4), recs
}

// trainSaveLoad trains a model on ds as ecg train --test ds does, and
// returns it as its file loads.
func trainSaveLoad(t *testing.T, ds *datasets.LabelFolders, opt classify.DatasetOptions) *classify.Model {
	t.Helper()
	opt.Test, opt.Jobs = ds, 1
	res, err := classify.TrainDataset(context.Background(), ds, opt)
	if err != nil {
		t.Fatalf("%s: %v", opt.Learner, err)
	}
	var buf bytes.Buffer
	if err := res.Model.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m, err := classify.LoadModel(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestImageScorerArchiveSettings trains image models as ecg train does
// (TrainDataset) on an archive made with other spectrogram flags than
// ecg spectro's defaults: the model records them, keeps them through its
// file, and live windows rendered with them (Model.StrideOptions) score
// exactly as the archive's PNGs of the same spans, where windows
// rendered with the defaults do not.
func TestImageScorerArchiveSettings(t *testing.T) {
	r, err := spectro.NewStrideRenderer(longWindowOptions())
	if err != nil {
		t.Fatal(err)
	}
	ds, rows, recs := rhythmArchive(t, r)
	text, fs := samplesText(t, recs[0])
	for _, learner := range []string{classify.LearnerForest, classify.LearnerCNN} {
		m := trainSaveLoad(t, ds, classify.DatasetOptions{Learner: learner, Forest: classify.ForestOptions{Trees: 5, Seed: 1},
			CNN: classify.CNNOptions{Epochs: 2, Filters: []int{2, 2}, Hidden: 4, Seed: 1, Validation: 0.01}})
		sp := m.Info.Features.Spectrogram
		if sp == nil || sp.STFT.NPerSeg != 1024 || sp.STFT.NOverlap != 896 || sp.STFT.FMax != 20 || sp.Image.Width != 96 || sp.Image.DBMin != -85 {
			t.Fatalf("%s: recorded settings %+v", learner, sp)
		}
		sc := modelScorer(t, m)
		if got := sc.Renderer(); got.Params(fs) != r.Params(fs) || got.Image() != r.Image() {
			t.Fatalf("%s: renders with %+v %+v, the archive with %+v %+v", learner, got.Params(fs), got.Image(), r.Params(fs), r.Image())
		}
		def, err := classify.NewImageScorer(m, spectro.StrideOptions{})
		if err != nil {
			t.Fatal(err)
		}
		live, differ := liveWindows(t, sc, text, fs, 10), 0
		if len(live) != 3 {
			t.Fatalf("%s: %d windows, want 3", learner, len(live))
		}
		for i, w := range liveWindows(t, def, text, fs, 10) {
			png := archivePNG(rows, "r0", w)
			if d := livePNGDiff(t, m, live[i], png); d != "" {
				t.Errorf("%s, the model's settings: %s", learner, d)
			}
			if livePNGDiff(t, m, w, png) != "" {
				differ++
			}
		}
		if differ == 0 {
			t.Errorf("%s: windows rendered with the default flags score as the archive's PNGs: the test cannot tell", learner)
		}
	}
}

// modelScorer returns the scorer of live windows with image model m,
// rendered as its archive's images were (m.StrideOptions()).
func modelScorer(t *testing.T, m *classify.Model) *classify.ImageScorer {
	t.Helper()
	opt, err := m.StrideOptions()
	if err != nil {
		t.Fatal(err)
	}
	sc, err := classify.NewImageScorer(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestLoadModelSpectrogramBounds: the spectrogram settings of a model
// file are checked when it loads (segments of at most 65,536 samples,
// images of at most 8192 pixels a side,
// a finite increasing decibel range, a known colour map, STFT parameters
// a renderer takes, image input only); good ones load and render.
func TestLoadModelSpectrogramBounds(t *testing.T) {
	good := func() *classify.SpectrogramSettings {
		return &classify.SpectrogramSettings{
			STFT:  classify.SpectrogramSTFT{Window: "hann", NPerSeg: 1024, NOverlap: 896, NFFT: 1024, Detrend: "constant", Scaling: "density", Mode: "psd", FMin: 0.5, FMax: 20},
			Image: classify.SpectrogramImage{Width: 96, Height: 64, Colormap: "gray", DBMin: -80, DBMax: -10}}
	}
	image := classify.ImageSpec(classify.DefaultImageFeatures(), nil)
	signal := classify.SignalSpec(classify.DefaultSignalFeatures())
	for _, c := range []struct {
		name string
		spec classify.FeatureSpec
		mod  func(*classify.SpectrogramSettings)
		ok   bool
	}{
		{"good", image, func(*classify.SpectrogramSettings) {}, true},
		{"wide", image, func(s *classify.SpectrogramSettings) { s.Image.Width = 8193 }, false},
		{"no height", image, func(s *classify.SpectrogramSettings) { s.Image.Height = 0 }, false},
		{"db range", image, func(s *classify.SpectrogramSettings) { s.Image.DBMin = -10 }, false},
		{"colormap", image, func(s *classify.SpectrogramSettings) { s.Image.Colormap = "rainbow" }, false},
		{"nperseg", image, func(s *classify.SpectrogramSettings) { s.STFT.NPerSeg = 1 << 30 }, false},
		{"nfft", image, func(s *classify.SpectrogramSettings) { s.STFT.NFFT = 1<<16 + 2 }, false},
		{"noverlap", image, func(s *classify.SpectrogramSettings) { s.STFT.NOverlap = 1024 }, false},
		{"signal input", signal, func(*classify.SpectrogramSettings) {}, false},
	} {
		m, err := classify.Train([]string{"AF", "N"}, c.spec, [][]float64{zeros(c.spec), zeros(c.spec)}, []int{0, 1},
			classify.TrainOptions{Forest: classify.ForestOptions{Trees: 1, Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		s := good()
		c.mod(s)
		m.Info.Features.Spectrogram = s
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		got, err := classify.LoadModel(&buf)
		if !c.ok {
			if !errors.Is(err, classify.ErrModelFormat) {
				t.Errorf("%s: loaded (%v)", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		opt, err := got.StrideOptions()
		if err != nil || opt.Set.NPerSeg == nil || *opt.Set.NPerSeg != 1024 || opt.Set.NOverlap == nil || opt.Set.NFFT != nil || opt.Image.Width != 96 {
			t.Errorf("%s: options %+v, %v", c.name, opt, err)
		}
	}
}

// zeros returns a feature vector of spec of zeros.
func zeros(spec classify.FeatureSpec) []float64 { return make([]float64, len(spec.Names())) }

// TestCheckArchiveRendering: an image model trained on an archive of
// other spectrogram flags than the defaults accepts a folder rendered
// alike, and names both settings for a folder rendered with the
// defaults (and the other way round); folders without a parameter file
// and models of records are not checked. A model that records its
// archive's stride names both strides for a folder of another stride or
// of whole records; one that records none (whole records, default
// flags) is not checked for the stride.
func TestCheckArchiveRendering(t *testing.T) {
	def, long := defaultAndLong(t)
	longDS, _, recs := rhythmArchive(t, long)
	defDS, _, _ := rhythmArchive(t, def)
	ds15, _, _ := rhythmArchiveWith(t, def, func(o *datasets.ArchiveOptions) { o.Stride, o.Hop = 15, 15 })
	wholeDS, _, _ := rhythmArchiveWith(t, def, func(o *datasets.ArchiveOptions) { o.WholeRecord, o.Stride, o.Hop = true, 0, 0 })
	train := func(ds *datasets.LabelFolders) *classify.Model {
		return trainSaveLoad(t, ds, classify.DatasetOptions{Learner: classify.LearnerForest, Forest: classify.ForestOptions{Trees: 3, Seed: 1}})
	}
	longM, defM, wholeM := train(longDS), train(defDS), train(wholeDS)
	for _, c := range []struct {
		name string
		m    *classify.Model
		ds   *datasets.LabelFolders
		want []string // substrings of the error; none: no error
	}{
		{"long on long", longM, longDS, nil},
		{"default on default", defM, defDS, nil},
		{"long on default", longM, defDS, []string{datasets.ParamsName, "rendered with ecg spectro's default flags", "model's archive with nperseg 1024, noverlap 896", "96x64 pixels"}},
		{"default on long", defM, longDS, []string{"rendered with nperseg 1024", "the model's archive with ecg spectro's default flags"}},
		{"no parameter file", longM, &datasets.LabelFolders{Dir: t.TempDir()}, nil},
		{"records model", trainRecordsModel(t, recs), longDS, nil},
		// Strides (session 27): the archives above are of 10 s strides,
		// which the models record.
		{"10 s on 15 s", defM, ds15, []string{datasets.ParamsName, ": the images are of 15 s strides, the model's archive of 10 s strides: render them with the same ecg spectro --stride"}},
		{"10 s on whole records", defM, wholeDS, []string{"the images are of whole records, the model's archive of 10 s strides"}},
		{"long 10 s on 15 s", longM, ds15, []string{"rendered with ecg spectro's default flags, 15 s strides, the model's archive with nperseg 1024", "10 s strides"}},
		{"whole records on 15 s", wholeM, ds15, nil},
		{"whole records on whole records", wholeM, wholeDS, nil},
	} {
		err := classify.CheckArchiveRendering(c.m, c.ds)
		switch {
		case len(c.want) == 0 && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case len(c.want) > 0 && err == nil:
			t.Errorf("%s: no error", c.name)
		case len(c.want) > 0:
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: %q lacks %q", c.name, err, w)
				}
			}
		}
	}
}

// trainRecordsModel trains a forest on the records recs, two labels.
func trainRecordsModel(t *testing.T, recs []string) *classify.Model {
	t.Helper()
	dir := t.TempDir()
	for i, r := range recs {
		label := []string{"af", "n"}[i%2]
		for _, ext := range []string{".hea", ".dat", ".atr"} {
			b, err := os.ReadFile(r + ext)
			if err != nil {
				continue
			}
			if err := os.MkdirAll(filepath.Join(dir, label), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, label, filepath.Base(r)+ext), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	ds, err := datasets.ReadLabeled(dir, datasets.LabelSource{})
	if err != nil {
		t.Fatal(err)
	}
	return trainSaveLoad(t, ds, classify.DatasetOptions{Learner: classify.LearnerForest, Forest: classify.ForestOptions{Trees: 3, Seed: 1}})
}
