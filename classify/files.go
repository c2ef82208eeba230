package classify

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // decode JPEG inputs
	_ "image/png"  // decode PNG inputs
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// MaxImagePixels bounds the images ReadImage decodes (checked from the
// header before decoding); MaxImageSide bounds their width and height.
// A spectrogram of an hour at 1 kHz with a hop of 16 samples is 225,000
// columns wide.
const (
	MaxImagePixels = 64 << 20
	MaxImageSide   = 1 << 18
)

// ReadImage decodes the PNG or JPEG image at path, refusing images of more
// than MaxImagePixels pixels, or wider or taller than MaxImageSide, from
// their header before decoding them.
func ReadImage(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	cfg, _, err := image.DecodeConfig(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxImagePixels {
		return nil, fmt.Errorf("%s: image of %d x %d pixels (at most %d pixels)", path, cfg.Width, cfg.Height, MaxImagePixels)
	}
	if cfg.Width > MaxImageSide || cfg.Height > MaxImageSide {
		return nil, fmt.Errorf("%s: image of %d x %d pixels (at most %d on a side)", path, cfg.Width, cfg.Height, MaxImageSide)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// ReadSignal reads the first ECG signal of the WFDB record at path (with
// or without ".hea"; signal.FirstECG: else signal 0, the only one of an
// archive's window records) in physical units, and its sampling frequency.
// A rate outside the beat detector's is an error wrapping beats.ErrRate.
func ReadSignal(path string) ([]float64, float64, error) {
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		return nil, 0, err
	}
	if err := beats.CheckRate(h.Fs); err != nil { // the features find beats
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	rec, err := h.ReadSamples(0, -1)
	if err != nil {
		return nil, 0, err
	}
	if rec.NumSignals() == 0 || rec.NumFrames() == 0 {
		return nil, 0, fmt.Errorf("%s: record has no samples", path)
	}
	return rec.Physical(signal.FirstECG(wfdb.Descriptions(rec.Header.Signals))), rec.Header.Fs, nil
}

// ManifestExtra returns the manifest values a model may use as features
// (ExtraColumns), leaving out unknown (NaN) ones.
func ManifestExtra(row *datasets.ManifestRow) map[string]float64 {
	if row == nil {
		return nil
	}
	m := map[string]float64{}
	for k, v := range map[string]float64{"prev_rr": row.PrevRR, "next_rr": row.NextRR, "local_rr": row.LocalRR, "avg_rr": row.AvgRR} {
		if !math.IsNaN(v) {
			m[k] = v
		}
	}
	return m
}

// SpecFor returns the default feature settings for a dataset: image
// features (plus the manifest's RR columns when any row has them) when
// every file is an image, signal features when none is. It fails for a
// dataset that mixes both.
func SpecFor(ds *datasets.LabelFolders) (FeatureSpec, error) {
	images, signals := 0, 0
	rr := false
	for _, f := range ds.Files {
		if f.Kind == datasets.KindImage {
			images++
			if f.Manifest != nil && !math.IsNaN(f.Manifest.PrevRR) {
				rr = true
			}
		} else {
			signals++
		}
	}
	switch {
	case images > 0 && signals > 0:
		return FeatureSpec{}, fmt.Errorf("%s: mixes %d images and %d signal files; train on one kind", ds.Dir, images, signals)
	case images > 0:
		var extra []string
		if rr {
			extra = append(extra, ExtraColumns...)
		}
		return ImageSpec(DefaultImageFeatures(), extra), nil
	}
	return SignalSpec(DefaultSignalFeatures()), nil
}

// ErrNoManifestRow is wrapped by the error of an image that has no
// manifest row when the model uses the manifest's columns (FeatureSpec.Extra):
// without them its features would silently be missing.
var ErrNoManifestRow = errors.New("no manifest row for this image")

// FileVector returns the feature vector of one labelled file. An image
// for a spec with manifest columns (Extra) needs its manifest row
// (ErrNoManifestRow); a row whose values are unknown (empty) is fine.
func (s FeatureSpec) FileVector(f datasets.LabeledFile) ([]float64, error) {
	switch {
	case f.Kind == datasets.KindImage && s.Input == InputImage:
		if len(s.Extra) > 0 && f.Manifest == nil {
			return nil, fmt.Errorf("%s: %w (the model uses its %s)", f.Path, ErrNoManifestRow, strings.Join(s.Extra, ", "))
		}
		img, err := ReadImage(f.Path)
		if err != nil {
			return nil, err
		}
		v, err := s.ImageVector(img, ManifestExtra(f.Manifest))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		return v, nil
	case f.Kind == datasets.KindRecord && (s.Input == InputSignal || s.Input == InputJoint):
		x, fs, err := ReadSignal(f.Path)
		if err != nil {
			return nil, err
		}
		v, err := s.recordVector(x, fs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		return v, nil
	}
	return nil, s.mismatch(f.Path, kindNames[f.Kind].one)
}

// kindNames are the names of the kinds of input, one and many.
var kindNames = map[datasets.FileKind]struct{ one, many string }{
	datasets.KindImage:  {"an image", "images"},
	datasets.KindRecord: {"a WFDB record", "WFDB records"},
	datasets.KindCSV:    {"a CSV file", "CSV files"},
}

// mismatch explains why input found at path (what it is: "a WFDB
// record", "holds 12 WFDB records") cannot go to a model of spec s, and
// what would.
func (s FeatureSpec) mismatch(path, found string) error {
	if !strings.HasPrefix(found, "holds") {
		found = "is " + found
	}
	switch s.Input {
	case InputImage:
		return fmt.Errorf("%s %s; this model was trained on spectrogram images: give it images (ecg spectro makes them from records) or use a signal model", path, found)
	case InputSignal:
		return fmt.Errorf("%s %s; this model was trained on signals: give it WFDB records (ecg ingest converts CSV and EDF files) or use an image model", path, found)
	case InputBeats:
		return fmt.Errorf("%s %s; this model classifies beats, not files: use ecg beats RECORD --classify MODEL", path, found)
	}
	return fmt.Errorf("%s %s; the model takes %s input", path, found, s.Input)
}

// folderError says what the folder at path holds and what to give the
// model instead.
func (s FeatureSpec) folderError(path string) error {
	ents, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	count := map[datasets.FileKind]int{}
	folders := 0
	for _, e := range ents {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."):
		case e.IsDir():
			folders++
		default:
			switch strings.ToLower(filepath.Ext(name)) {
			case ".png", ".jpg", ".jpeg":
				count[datasets.KindImage]++
			case ".hea":
				count[datasets.KindRecord]++
			case ".csv":
				count[datasets.KindCSV]++
			}
		}
	}
	var parts []string
	for _, k := range []datasets.FileKind{datasets.KindRecord, datasets.KindImage, datasets.KindCSV} {
		if count[k] > 0 {
			name := kindNames[k].many
			if count[k] == 1 {
				_, name, _ = strings.Cut(kindNames[k].one, " ")
			}
			parts = append(parts, fmt.Sprintf("%d %s", count[k], name))
		}
	}
	if folders > 0 {
		parts = append(parts, fmt.Sprintf("%d folders (to score labelled folders: ecg eval MODEL %s)", folders, path))
	}
	if len(parts) == 0 {
		return fmt.Errorf("%s is a folder with no images, records or CSV files: give the files to label", path)
	}
	found := "holds " + strings.Join(parts, " and ")
	want := map[string]datasets.FileKind{InputImage: datasets.KindImage, InputSignal: datasets.KindRecord}[s.Input]
	if count[want] > 0 {
		return fmt.Errorf("%s is a folder: give the files to label, not the folder (it %s)", path, found)
	}
	return s.mismatch(path, found)
}

// InputFile describes the file at path as an input to a model: NAME.hea,
// or a name without an extension, is a WFDB record (Path is then the
// record name), a .csv file a CSV signal, anything else an image, whose
// manifest row (for the RR features) is row, when not nil.
func InputFile(path string, row *datasets.ManifestRow) datasets.LabeledFile {
	f := datasets.LabeledFile{Path: path, Kind: datasets.KindImage, Manifest: row}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".hea", "":
		f.Kind, f.Path = datasets.KindRecord, strings.TrimSuffix(path, ".hea")
	case ".csv":
		f.Kind = datasets.KindCSV
	}
	return f
}

// UsesManifest reports whether the features of s include manifest
// columns (Extra): the images then need their manifest rows.
func (s FeatureSpec) UsesManifest() bool { return len(s.Extra) > 0 }

// PredictFile classifies the input file at path (see InputFile); row is
// an image's manifest row, or nil. A folder, or a file of a kind the
// model does not take, is an error saying what was found and what the
// model takes.
func (m *Model) PredictFile(path string, row *datasets.ManifestRow) (Prediction, error) {
	if m.signet != nil {
		return m.predictFusedFile(path)
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return Prediction{}, m.Info.Features.folderError(path)
	}
	x, err := m.Info.Features.FileVector(InputFile(path, row))
	if err != nil {
		return Prediction{}, err
	}
	return m.Predict(x)
}

// Featurize computes the feature vectors of files with jobs goroutines,
// in input order. progress, when set, is called after each file (from one
// goroutine at a time). The first error stops the work.
func Featurize(ctx context.Context, spec FeatureSpec, files []datasets.LabeledFile, jobs int, progress func()) ([][]float64, error) {
	return FeaturizeCached(ctx, spec, files, jobs, progress, nil)
}

// FeaturizeCached is Featurize with the vectors looked up in cache first
// and stored there once computed (nil: no cache).
func FeaturizeCached(ctx context.Context, spec FeatureSpec, files []datasets.LabeledFile, jobs int, progress func(), cache *FeatureCache) ([][]float64, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	jobs = max(jobs, 1)
	sc := cache.forSpec(spec)
	out := make([][]float64, len(files))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
		next     = make(chan int)
	)
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				v, err := sc.fileVector(files[i])
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
					cancel()
				}
				out[i] = v
				if progress != nil {
					progress()
				}
				mu.Unlock()
			}
		}()
	}
loop:
	for i := range files {
		select {
		case next <- i:
		case <-ctx.Done():
			break loop
		}
	}
	close(next)
	wg.Wait()
	if sc.stored.Load() {
		cache.maybePrune(time.Now())
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
