package classify

import (
	"bufio"
	"context"
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

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// MaxImagePixels bounds the images ReadImage decodes (checked from the
// header before decoding).
const MaxImagePixels = 64 << 20

// ReadImage decodes the PNG or JPEG image at path, refusing images of more
// than MaxImagePixels pixels before decoding them.
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
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// ReadSignal reads the first signal of the WFDB record at path (with or
// without ".hea") in physical units, and its sampling frequency.
func ReadSignal(path string) ([]float64, float64, error) {
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		return nil, 0, err
	}
	if rec.NumSignals() == 0 || rec.NumFrames() == 0 {
		return nil, 0, fmt.Errorf("%s: record has no samples", path)
	}
	return rec.Physical(0), rec.Header.Fs, nil
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

// FileVector returns the feature vector of one labelled file.
func (s FeatureSpec) FileVector(f datasets.LabeledFile) ([]float64, error) {
	switch {
	case f.Kind == datasets.KindImage && s.Input == InputImage:
		img, err := ReadImage(f.Path)
		if err != nil {
			return nil, err
		}
		v, err := s.ImageVector(img, ManifestExtra(f.Manifest))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		return v, nil
	case f.Kind == datasets.KindRecord && s.Input == InputSignal:
		x, fs, err := ReadSignal(f.Path)
		if err != nil {
			return nil, err
		}
		v, err := s.SignalVector(x, fs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		return v, nil
	}
	return nil, fmt.Errorf("%s: a %s model cannot read %s files", f.Path, s.Input, f.Kind)
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

// PredictFile classifies the input file at path (see InputFile); row is
// an image's manifest row, or nil.
func (m *Model) PredictFile(path string, row *datasets.ManifestRow) (Prediction, error) {
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
	if err := spec.check(); err != nil {
		return nil, err
	}
	jobs = max(jobs, 1)
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
				v, err := spec.FileVector(files[i])
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
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
