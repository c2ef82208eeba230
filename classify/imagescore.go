package classify

import (
	"encoding/json"
	"fmt"
	"image"
	"io"

	"github.com/ecgkit/ecg/spectro"
)

// ImageScorer scores signal windows with a model trained on spectrogram
// images (a forest on image features or a cnn on pixels): it renders each
// window's raw spectrogram image in memory exactly as `ecg spectro`
// writes its PNG (spectro.StrideRenderer with the archive's options) and
// predicts that image as ecg predict predicts the PNG. It is a
// stream.Scorer, so that `ecg stream` and `ecg serve` score live strides
// with image models. Its methods are safe for concurrent use.
type ImageScorer struct {
	model *Model
	r     *spectro.StrideRenderer
}

// NewImageScorer returns a scorer of windows with image model m, their
// images rendered with opt (the zero value: ecg spectro's defaults at
// each window's rate, 224x224 grayscale, -80 to -10 dB). It fails for a
// model that does not read images.
func NewImageScorer(m *Model, opt spectro.StrideOptions) (*ImageScorer, error) {
	if m.Info.Features.Input != InputImage {
		return nil, fmt.Errorf("classify: the model takes %s input, not spectrogram images", m.Info.Features.Input)
	}
	r, err := spectro.NewStrideRenderer(opt)
	if err != nil {
		return nil, fmt.Errorf("classify: spectrogram of the image model: %w", err)
	}
	return &ImageScorer{model: m, r: r}, nil
}

// Model returns the scorer's model.
func (s *ImageScorer) Model() *Model { return s.model }

// PredictSignal classifies a single-lead window x in mV sampled at fs Hz
// by its spectrogram image. The model's manifest columns (beat RR
// intervals), if any, are unknown for a window, as for a PNG given to
// ecg predict without a manifest.
func (s *ImageScorer) PredictSignal(x []float64, fs float64) (Prediction, error) {
	var p Prediction
	err := s.r.RenderImage(x, fs, func(img image.Image) error {
		var err error
		p, err = s.model.PredictImage(img, nil)
		return err
	})
	if err != nil {
		return Prediction{}, fmt.Errorf("classify: window of %d samples at %g Hz: %w", len(x), fs, err)
	}
	return p, nil
}

// archiveParams is the part of an archive's parameter file
// (datasets.ParamsName, as spectro.StrideRenderer.Parameters writes it)
// that says how its images were rendered.
type archiveParams struct {
	Label string `json:"label"`
	STFT  *struct {
		Window   string  `json:"window"`
		NPerSeg  int     `json:"nperseg"`
		NOverlap int     `json:"noverlap"`
		NFFT     int     `json:"nfft"`
		Detrend  string  `json:"detrend"`
		Scaling  string  `json:"scaling"`
		Mode     string  `json:"mode"`
		FMin     float64 `json:"fmin"`
		FMax     float64 `json:"fmax"`
	} `json:"stft_at_360hz"`
	Image *struct {
		Width    int     `json:"width"`
		Height   int     `json:"height"`
		Colormap string  `json:"colormap"`
		DBMin    float64 `json:"db_min"`
		DBMax    float64 `json:"db_max"`
	} `json:"image"`
}

// ArchiveStrideOptions reads an archive's parameter file
// (spectro-params.json) and returns the options that render windows as
// its images were rendered. The file records the STFT at 360 Hz; a value
// equal to the default there (DefaultParams, or BeatParams for a beat
// archive) is taken as the default, which follows each window's rate as
// ecg spectro's does; any other is set at every rate, as the flag that
// made it was.
func ArchiveStrideOptions(r io.Reader) (spectro.StrideOptions, error) {
	var ap archiveParams
	if err := json.NewDecoder(io.LimitReader(r, 1<<20)).Decode(&ap); err != nil {
		return spectro.StrideOptions{}, fmt.Errorf("archive parameters: %w", err)
	}
	if ap.STFT == nil || ap.Image == nil {
		return spectro.StrideOptions{}, fmt.Errorf("archive parameters: no stft_at_360hz or image (not made by ecg spectro)")
	}
	opt := spectro.StrideOptions{Beat: ap.Label == "aami"}
	def := spectro.DefaultParams(360)
	if opt.Beat {
		def = spectro.BeatParams(360)
	}
	st, set := ap.STFT, &opt.Set
	set.Window = ifChanged(st.Window, def.Window)
	set.NPerSeg = ifChanged(st.NPerSeg, def.NPerSeg)
	set.NOverlap = ifChanged(st.NOverlap, def.NOverlap)
	set.NFFT = ifChanged(st.NFFT, def.NFFT)
	set.Detrend = ifChanged(spectro.Detrend(st.Detrend), def.Detrend)
	set.Scaling = ifChanged(spectro.Scaling(st.Scaling), def.Scaling)
	set.Mode = ifChanged(spectro.Mode(st.Mode), def.Mode)
	set.FMin = ifChanged(st.FMin, def.FMin)
	set.FMax = ifChanged(st.FMax, def.FMax)
	im := ap.Image
	cm, err := spectro.ParseColormap(im.Colormap)
	if err != nil {
		return spectro.StrideOptions{}, fmt.Errorf("archive parameters: %w", err)
	}
	opt.Image = spectro.ImageOptions{Width: im.Width, Height: im.Height, Colormap: cm, DBMin: im.DBMin, DBMax: im.DBMax}
	if _, err := spectro.NewStrideRenderer(opt); err != nil {
		return spectro.StrideOptions{}, fmt.Errorf("archive parameters: %w", err)
	}
	return opt, nil
}

// ifChanged returns &v when v differs from the default d, else nil.
func ifChanged[T comparable](v, d T) *T {
	if v == d {
		return nil
	}
	return &v
}
