package classify_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/spectro"
)

// imageArchive writes an AF and a normal synthetic recording (30 s at
// 300 Hz) and the archive of their 10 s strides as ecg spectro makes it
// with r; it returns the records' paths and the archive's manifest rows
// (image path, record, start, end).
func imageArchive(t *testing.T, r *spectro.StrideRenderer) (recs []string, rows [][]string) {
	t.Helper()
	dir := t.TempDir()
	for i, rh := range []string{synth.AFib, synth.Normal} {
		rec, err := synth.Generate(synth.Options{Rhythm: rh, Fs: 300, Duration: 30, Seed: int64(5 + i), Noise: 0.02})
		if err != nil {
			t.Fatal(err)
		}
		name := []string{"af", "n"}[i]
		if err := rec.WriteWFDB(dir, name); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, filepath.Join(dir, name))
	}
	out := filepath.Join(dir, "archive")
	opt := datasets.ArchiveOptions{Out: out, Stride: 10, Hop: 10, Outputs: []datasets.Output{r.PNG()}, OutputParams: r.Parameters()}
	if _, err := datasets.Archive(context.Background(), recs, opt); err != nil {
		t.Fatal(err)
	}
	return recs, manifestRows(t, out, 6)
}

// manifestRows returns the rows of the manifest of archive out (image
// path, record, start, end), at least n of them.
func manifestRows(t *testing.T, out string, n int) (rows [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "manifest.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil || len(all) < n+1 {
		t.Fatalf("manifest: %d rows, %v", len(all), err)
	}
	for _, row := range all[1:] {
		rows = append(rows, []string{filepath.Join(out, row[0]), row[1], row[3], row[4]})
	}
	return rows
}

// samplesText returns record rec's samples as text, one value a line,
// and its rate.
func samplesText(t *testing.T, rec string) (string, float64) {
	t.Helper()
	x, fs, err := classify.ReadSignal(rec)
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, v := range x {
		text.WriteString(strconv.FormatFloat(v, 'g', -1, 64) + "\n")
	}
	return text.String(), fs
}

// imageModels trains a forest on image features and a small network on
// the pixels of the archive's PNGs (AF strides against N).
func imageModels(t *testing.T, rows [][]string) map[string]*classify.Model {
	t.Helper()
	models := map[string]*classify.Model{}
	for _, c := range []struct {
		name string
		spec classify.FeatureSpec
		opt  classify.TrainOptions
	}{
		{"forest", classify.ImageSpec(classify.DefaultImageFeatures(), nil), classify.TrainOptions{Forest: classify.ForestOptions{Trees: 5, Seed: 1}}},
		{"cnn", classify.ImageSpec(classify.CNNImageFeatures(), nil), classify.TrainOptions{Learner: classify.LearnerCNN,
			CNN: classify.CNNOptions{Epochs: 2, Filters: []int{2, 2}, Hidden: 4, Seed: 1, Validation: 0.01}}},
	} {
		var X [][]float64
		var y []int
		for _, row := range rows {
			x, err := c.spec.FileVector(datasets.LabeledFile{Path: row[0], Kind: datasets.KindImage})
			if err != nil {
				t.Fatal(err)
			}
			X = append(X, x)
			y = append(y, map[string]int{"af": 0, "n": 1}[row[1]])
		}
		m, err := classify.Train([]string{"AF", "N"}, c.spec, X, y, c.opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		models[c.name] = m
	}
	return models
}

// TestImageScorerStream scores the strides of a live stream with image
// models (a forest and a network) through ImageScorer and checks that
// every window's scores equal those ecg predict gives the PNG ecg spectro
// wrote for the same stride.
func TestImageScorerStream(t *testing.T) {
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	recs, rows := imageArchive(t, r)
	text, fs := samplesText(t, recs[0])
	for name, m := range imageModels(t, rows) {
		sc, err := classify.NewImageScorer(m, spectro.StrideOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := liveWindows(t, sc, text, fs, 10)
		if len(got) != 3 {
			t.Fatalf("%s: %d windows, want 3", name, len(got))
		}
		for _, w := range got {
			if d := livePNGDiff(t, m, w, archivePNG(rows, "af", w)); d != "" {
				t.Errorf("%s: %s", name, d)
			}
		}
	}
}

// liveWindows streams the samples of text (one value a line, at fs Hz)
// through stream.Run with scorer sc and windows of win seconds, and
// returns the scored windows.
func liveWindows(t *testing.T, sc stream.Scorer, text string, fs, win float64) []*stream.WindowBody {
	t.Helper()
	var got []*stream.WindowBody
	cfg := stream.Config{Fs: fs, Window: win, Hop: win, Model: sc, Now: func() time.Time { return time.Time{} },
		Emit: func(e stream.Event) {
			if b, ok := e.Body.(*stream.WindowBody); ok && !b.Final {
				got = append(got, b)
			}
		}}
	s, err := stream.New(stream.InputOptions{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.Run(context.Background(), strings.NewReader(text), s, nil); err != nil {
		t.Fatal(err)
	}
	return got
}

// archivePNG returns the image of the manifest rows (image path, record,
// start, end) of record rec whose span is window w's ("" for none).
func archivePNG(rows [][]string, rec string, w *stream.WindowBody) string {
	for _, row := range rows {
		if row[1] == rec && row[2] == strconv.FormatInt(w.Start, 10) && row[3] == strconv.FormatInt(w.End, 10) {
			return row[0]
		}
	}
	return ""
}

// livePNGDiff says how window w's live scores differ from model m's
// prediction of the archive's PNG of the same span ("" when they are
// equal, exactly).
func livePNGDiff(t *testing.T, m *classify.Model, w *stream.WindowBody, png string) string {
	t.Helper()
	if png == "" || w.Error != "" {
		return fmt.Sprintf("window %d-%d: no PNG in the archive (%q)", w.Start, w.End, w.Error)
	}
	want, err := m.PredictFile(png, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w.Label != want.Label || len(w.Scores) != len(want.Scores) {
		return fmt.Sprintf("window %d-%d: live %s %v, PNG %s %v", w.Start, w.End, w.Label, w.Scores, want.Label, want.Scores)
	}
	for _, ls := range want.Scores {
		if w.Scores[ls.Label] != ls.Score {
			return fmt.Sprintf("window %d-%d: live %s %v, PNG %v", w.Start, w.End, ls.Label, w.Scores[ls.Label], ls.Score)
		}
	}
	return ""
}

// TestImageScorerRefusesSignalModel: a signal model is no image model.
func TestImageScorerRefusesSignalModel(t *testing.T) {
	spec := classify.SignalSpec(classify.DefaultSignalFeatures())
	X := [][]float64{make([]float64, len(spec.Names())), make([]float64, len(spec.Names()))}
	X[1][0] = 1
	m, err := classify.Train([]string{"A", "B"}, spec, X, []int{0, 1}, classify.TrainOptions{Forest: classify.ForestOptions{Trees: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := classify.NewImageScorer(m, spectro.StrideOptions{}); err == nil || !strings.Contains(err.Error(), "not spectrogram images") {
		t.Fatalf("signal model: %v", err)
	}
}

// TestArchiveStrideOptions reads the parameter file of archives made with
// the defaults and with other STFT and image settings, and renders as
// they did.
func TestArchiveStrideOptions(t *testing.T) {
	nps, nov, fmax := 1024, 896, 20.0
	// A given nperseg sets noverlap and nfft too: values equal to ecg
	// spectro's defaults at 360 Hz (128, 256) given with another nperseg
	// are given, not defaults.
	nps512, nov128, nps128, nfft256 := 512, 128, 128, 256
	for _, so := range []spectro.StrideOptions{
		{},
		{Set: spectro.Overrides{NPerSeg: &nps, NOverlap: &nov, FMax: &fmax}, Image: spectro.ImageOptions{Width: 64, Height: 96, DBMin: -90, DBMax: -20}},
		{Set: spectro.Overrides{NPerSeg: &nps512, NOverlap: &nov128}},
		{Set: spectro.Overrides{NPerSeg: &nps128, NFFT: &nfft256}},
		{Beat: true},
	} {
		r, err := spectro.NewStrideRenderer(so)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		label := datasets.LabelNone
		if so.Beat {
			label = datasets.LabelAAMI
		}
		rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, Fs: 250, Duration: 12, Seed: 2, Noise: 0.02})
		if err != nil {
			t.Fatal(err)
		}
		if err := rec.WriteWFDB(dir, "r"); err != nil {
			t.Fatal(err)
		}
		opt := datasets.ArchiveOptions{Out: filepath.Join(dir, "a"), Label: label, Stride: 12, Hop: 12, Outputs: []datasets.Output{r.PNG()}, OutputParams: r.Parameters()}
		if label != datasets.LabelNone {
			opt.Annotator = "atr"
		}
		if _, err := datasets.Archive(context.Background(), []string{filepath.Join(dir, "r")}, opt); err != nil && !so.Beat {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "a", datasets.ParamsName))
		if err != nil {
			if so.Beat {
				continue // no annotations: nothing written
			}
			t.Fatal(err)
		}
		got, err := classify.ArchiveStrideOptions(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r2, err := spectro.NewStrideRenderer(got)
		if err != nil {
			t.Fatal(err)
		}
		for _, fs := range []float64{250, 360, 500} {
			if r2.Params(fs) != r.Params(fs) || r2.Image() != r.Image() {
				t.Errorf("%+v at %g Hz: read %+v %+v, made with %+v %+v", so, fs, r2.Params(fs), r2.Image(), r.Params(fs), r.Image())
			}
		}
	}
	for _, bad := range []string{"", "{}", `{"stft_at_360hz":{}}`, `{"stft_at_360hz":{"nperseg":-3},"image":{"colormap":"gray"}}`, `{"stft_at_360hz":{},"image":{"colormap":"rainbow"}}`} {
		if _, err := classify.ArchiveStrideOptions(strings.NewReader(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// FuzzArchiveStrideOptions: any parameter file gives options that make a
// renderer, or an error; never a panic.
func FuzzArchiveStrideOptions(f *testing.F) {
	f.Add(`{"label":"none","stft_at_360hz":{"window":"hann","nperseg":256,"noverlap":128,"nfft":256,"detrend":"constant","scaling":"density","mode":"psd","fmin":0.5,"fmax":40},"image":{"width":224,"height":224,"colormap":"gray","db_min":-80,"db_max":-10}}`)
	f.Add(`{"label":"aami","stft_at_360hz":{"window":"tukey(0.5)","nperseg":64},"image":{"colormap":"viridis"}}`)
	f.Fuzz(func(t *testing.T, s string) {
		o, err := classify.ArchiveStrideOptions(strings.NewReader(s))
		if err != nil {
			return
		}
		if _, err := spectro.NewStrideRenderer(o); err != nil {
			t.Fatalf("options accepted but no renderer: %v", err)
		}
	})
}
