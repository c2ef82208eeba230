package classify

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"

	"github.com/ecgkit/ecg/datasets"
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
// images rendered with opt: m.StrideOptions() renders them as the archive
// m was trained on rendered its images; the zero value gives ecg
// spectro's defaults at each window's rate (224x224 grayscale, -80 to
// -10 dB). It fails for a model that does not read images.
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

// Renderer returns the renderer of the windows' images.
func (s *ImageScorer) Renderer() *spectro.StrideRenderer { return s.r }

// PredictSignal classifies a single-lead window x in mV sampled at fs Hz
// by its spectrogram image. The model's manifest columns (beat RR
// intervals), if any, are unknown for a window, as for a PNG given to
// ecg predict without a manifest. A window longer than the stride the
// model records (Model.StrideSeconds; ImagePieces of them) is scored as
// the mean of the scores of that many stride-long pieces, evenly spaced
// from its start to its end, so that every image keeps the time scale
// the model learned (a 60 s window of a 30 s model: its two halves).
func (s *ImageScorer) PredictSignal(x []float64, fs float64) (Prediction, error) {
	stride := s.model.StrideSeconds()
	n := int(math.Round(stride * fs))
	k := 1
	if n > 0 {
		k = ImagePieces(float64(len(x)), float64(n))
	}
	if k == 1 {
		return s.predictImage(x, fs)
	}
	var mean []float64
	for i := range k {
		at := int(math.Round(float64(i) * float64(len(x)-n) / float64(k-1)))
		p, err := s.predictImage(x[at:at+n], fs)
		if err != nil {
			return Prediction{}, err
		}
		if mean == nil {
			mean = make([]float64, len(p.Scores))
		}
		for j, ls := range p.Scores {
			mean[j] += ls.Score / float64(k)
		}
	}
	return s.model.prediction(mean), nil
}

// ImagePieces is the number of stride-long images a window of the given
// length (seconds or samples, as stride) is scored by (ImageScorer): 1
// for a window at most 1 % longer than the stride (or a stride of 0),
// else the stride's multiple that covers the window.
func ImagePieces(window, stride float64) int {
	if !(stride > 0) || !(window > stride) {
		return 1
	}
	return max(1, int(math.Ceil(window/stride-0.01)))
}

// predictImage scores window x as one image.
func (s *ImageScorer) predictImage(x []float64, fs float64) (Prediction, error) {
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

// SpectrogramSettings record how the images of an image model were
// rendered, as the archive's parameter file (datasets.ParamsName, written
// by spectro.StrideRenderer.Parameters and datasets.Archive) says: the
// STFT at 360 Hz, the raw image and the stride's length. A model keeps
// them (FeatureSpec.Spectrogram) so that live windows (ImageScorer) are
// rendered as its training images were, over as many seconds.
// StrideOptions turns them back into the renderer's options.
type SpectrogramSettings struct {
	// Beat says the archive is of beat windows (ecg spectro --label
	// aami), whose defaults are spectro.BeatParams.
	Beat  bool             `json:"beat,omitempty"`
	STFT  SpectrogramSTFT  `json:"stft_at_360hz"`
	Image SpectrogramImage `json:"image"`
	// StrideS is the length in seconds of the archive's strides (ecg
	// spectro --stride; the seconds an image's width stands for): 0 for
	// an archive of whole records (--stride record) or of beat windows,
	// and in models from before session 27, which did not record it.
	// A stride other than datasets.DefaultStride alone makes a model
	// record its settings (isDefault).
	StrideS float64 `json:"stride_s,omitempty"`

	// wholeRecord says an archive's images are of whole records (its
	// parameter file's whole_record), for describe; models do not keep
	// it.
	wholeRecord bool
}

// SpectrogramSTFT are the STFT parameters of an archive at 360 Hz, named
// as spectro.Params's (scipy's) are.
type SpectrogramSTFT struct {
	Window   string  `json:"window"`
	NPerSeg  int     `json:"nperseg"`
	NOverlap int     `json:"noverlap"`
	NFFT     int     `json:"nfft"`
	Detrend  string  `json:"detrend"`
	Scaling  string  `json:"scaling"`
	Mode     string  `json:"mode"`
	FMin     float64 `json:"fmin"` // Hz
	FMax     float64 `json:"fmax"` // Hz
}

// SpectrogramImage are the raw image options of an archive
// (spectro.ImageOptions): pixels, colour map and the decibel range mapped
// to levels 0 and 255.
type SpectrogramImage struct {
	Width    int     `json:"width"`
	Height   int     `json:"height"`
	Colormap string  `json:"colormap"`
	DBMin    float64 `json:"db_min"`
	DBMax    float64 `json:"db_max"`
}

// maxSpectrogramSide bounds the width and height of the images a model's
// settings render (ecg spectro --size's bound); maxSpectrogramSegment
// bounds their nperseg and nfft (65,536 samples: 3 minutes at 360 Hz), so
// that checking a model's settings, which makes an STFT plan, stays cheap.
// maxStrideS bounds the stride a model's settings record (a day).
const (
	maxSpectrogramSide    = 8192
	maxSpectrogramSegment = 1 << 16
	maxStrideS            = 86400
)

// errNoSpectrogram: a parameter file without the STFT and image sections
// (not written by ecg spectro's stride renderer).
var errNoSpectrogram = errors.New("no stft_at_360hz or image (not made by ecg spectro)")

// ReadArchiveSpectrogram reads an archive's parameter file
// (spectro-params.json, at most 1 MiB of it) and returns its rendering
// settings, with its stride_s as StrideS unless its images are of whole
// records or of beats.
func ReadArchiveSpectrogram(r io.Reader) (*SpectrogramSettings, error) {
	var ap struct {
		Label       string            `json:"label"`
		StrideS     float64           `json:"stride_s"`
		WholeRecord bool              `json:"whole_record"`
		STFT        *SpectrogramSTFT  `json:"stft_at_360hz"`
		Image       *SpectrogramImage `json:"image"`
	}
	if err := json.NewDecoder(io.LimitReader(r, datasets.MaxParamsBytes)).Decode(&ap); err != nil {
		return nil, fmt.Errorf("archive parameters: %w", err)
	}
	if ap.STFT == nil || ap.Image == nil {
		return nil, fmt.Errorf("archive parameters: %w", errNoSpectrogram)
	}
	s := &SpectrogramSettings{Beat: ap.Label == string(datasets.LabelAAMI), STFT: *ap.STFT, Image: *ap.Image, wholeRecord: ap.WholeRecord}
	if !s.Beat && !ap.WholeRecord {
		s.StrideS = ap.StrideS
	}
	if _, err := s.StrideOptions(); err != nil {
		return nil, fmt.Errorf("archive parameters: %w", err)
	}
	return s, nil
}

// ArchiveStrideOptions reads an archive's parameter file
// (spectro-params.json) and returns the options that render windows as
// its images were rendered (ReadArchiveSpectrogram, then StrideOptions).
func ArchiveStrideOptions(r io.Reader) (spectro.StrideOptions, error) {
	s, err := ReadArchiveSpectrogram(r)
	if err != nil {
		return spectro.StrideOptions{}, err
	}
	return s.StrideOptions()
}

// StrideOptions returns the options that render windows as s says. The
// settings are of the STFT at 360 Hz: a value equal to ecg spectro's
// default there (spectro.DefaultParams, or BeatParams for beat windows;
// for noverlap and nfft, the value a given nperseg implies) is taken as
// the default, which follows each window's rate as ecg spectro's does;
// any other is set at every rate, as the flag that made it was. It fails
// for settings no renderer takes, for segments over 65,536 samples, for
// images over 8192 pixels a side or a decibel range that is not finite
// and increasing, and for a stride outside 0 to 86,400 s.
func (s *SpectrogramSettings) StrideOptions() (spectro.StrideOptions, error) {
	im := s.Image
	switch {
	case !(s.StrideS >= 0 && s.StrideS <= maxStrideS):
		return spectro.StrideOptions{}, fmt.Errorf("stride %g s (0 to %d)", s.StrideS, maxStrideS)
	case im.Width < 1 || im.Width > maxSpectrogramSide || im.Height < 1 || im.Height > maxSpectrogramSide:
		return spectro.StrideOptions{}, fmt.Errorf("image of %d x %d pixels (1 to %d a side)", im.Width, im.Height, maxSpectrogramSide)
	case !(im.DBMin < im.DBMax) || math.IsInf(im.DBMin, 0) || math.IsInf(im.DBMax, 0):
		return spectro.StrideOptions{}, fmt.Errorf("image decibel range %g to %g (want finite, increasing)", im.DBMin, im.DBMax)
	case math.IsInf(s.STFT.FMin, 0) || math.IsInf(s.STFT.FMax, 0):
		return spectro.StrideOptions{}, fmt.Errorf("band %g to %g Hz (want finite)", s.STFT.FMin, s.STFT.FMax)
	case s.STFT.NPerSeg > maxSpectrogramSegment || s.STFT.NFFT > maxSpectrogramSegment:
		return spectro.StrideOptions{}, fmt.Errorf("nperseg %d, nfft %d: at most %d samples", s.STFT.NPerSeg, s.STFT.NFFT, maxSpectrogramSegment)
	}
	cm, err := spectro.ParseColormap(im.Colormap)
	if err != nil {
		return spectro.StrideOptions{}, err
	}
	opt := spectro.StrideOptions{Beat: s.Beat, Image: spectro.ImageOptions{Width: im.Width, Height: im.Height, Colormap: cm, DBMin: im.DBMin, DBMax: im.DBMax}}
	def := spectro.DefaultParams(360)
	if s.Beat {
		def = spectro.BeatParams(360)
	}
	st, set := s.STFT, &opt.Set
	set.Window = ifChanged(st.Window, def.Window)
	if set.NPerSeg = ifChanged(st.NPerSeg, def.NPerSeg); set.NPerSeg != nil {
		// A given nperseg sets noverlap and nfft too (spectro.Overrides.Apply).
		def.NOverlap, def.NFFT = st.NPerSeg/2, st.NPerSeg
	}
	set.NOverlap = ifChanged(st.NOverlap, def.NOverlap)
	set.NFFT = ifChanged(st.NFFT, def.NFFT)
	set.Detrend = ifChanged(spectro.Detrend(st.Detrend), def.Detrend)
	set.Scaling = ifChanged(spectro.Scaling(st.Scaling), def.Scaling)
	set.Mode = ifChanged(spectro.Mode(st.Mode), def.Mode)
	set.FMin = ifChanged(st.FMin, def.FMin)
	set.FMax = ifChanged(st.FMax, def.FMax)
	if _, err := spectro.NewStrideRenderer(opt); err != nil {
		return spectro.StrideOptions{}, err
	}
	return opt, nil
}

// isDefault reports whether s renders as ecg spectro's default flags do
// (StrideOptions's zero value), at every rate, over strides of the
// default length or of none (whole records): settings a model need not
// record.
func (s *SpectrogramSettings) isDefault() bool {
	if s.StrideS != 0 && s.StrideS != datasets.DefaultStride {
		return false
	}
	opt, err := s.StrideOptions()
	if err != nil || opt.Beat || opt.Set != (spectro.Overrides{}) {
		return false
	}
	r, err1 := spectro.NewStrideRenderer(opt)
	r0, err0 := spectro.NewStrideRenderer(spectro.StrideOptions{})
	return err1 == nil && err0 == nil && r.Image() == r0.Image()
}

// StrideOptions returns the options that render a window's spectrogram as
// the images model m was trained on were rendered: the settings the model
// records (FeatureSpec.Spectrogram), or the zero value (ecg spectro's
// default flags) when it records none, as models trained on an archive
// made with the defaults, on images from elsewhere, or before models
// recorded them do.
func (m *Model) StrideOptions() (spectro.StrideOptions, error) {
	s := m.Info.Features.Spectrogram
	if s == nil {
		return spectro.StrideOptions{}, nil
	}
	return s.StrideOptions()
}

// StrideSeconds returns the length in seconds of the strides of the
// archive model m was trained on, when it records one
// (SpectrogramSettings.StrideS): the seconds each of its images stands
// for, which a live window should last. It is 0 when the model records
// none: models trained on an archive made with ecg spectro's default
// flags (60 s strides), on whole records, beat windows or images from
// elsewhere, and those from before session 27.
func (m *Model) StrideSeconds() float64 {
	if s := m.Info.Features.Spectrogram; s != nil {
		return s.StrideS
	}
	return 0
}

// CheckArchiveRendering reports, for a model m of images and a folder ds
// of images to score, whether ds's archive was rendered as the one m was
// trained on: an error describing both settings when ds's parameter file
// (datasets.ParamsName) records other spectrogram settings than m does
// (ecg spectro's defaults when m records none), or, when m records its
// archive's stride (Model.StrideSeconds), another stride (or whole
// records, or beats), so that scores of images the model cannot read are
// not taken for its accuracy. A model of another input, or a folder
// without the file or whose file has no rendering settings (images made
// elsewhere), is not checked (nil); nor is the stride of a model that
// records none.
func CheckArchiveRendering(m *Model, ds *datasets.LabelFolders) error {
	return checkArchiveRendering(m, ds.Dir)
}

// checkArchiveRendering is CheckArchiveRendering for the archive in
// folder dir ("": none).
func checkArchiveRendering(m *Model, dir string) error {
	if m.Info.Features.Input != InputImage {
		return nil
	}
	folder, found, err := archiveSpectrogram(dir)
	if err != nil || !found {
		return err
	}
	model := m.Info.Features.Spectrogram
	path := filepath.Join(dir, datasets.ParamsName)
	sameStride := m.StrideSeconds() == 0 || m.StrideSeconds() == folder.StrideS
	switch {
	case !sameRendering(model, folder):
		return fmt.Errorf("%s: the images were rendered with %s, the model's archive with %s: render them with the same ecg spectro flags",
			path, folder.describe(), model.describe())
	case !sameStride:
		return fmt.Errorf("%s: the images are of %s, the model's archive of %s: render them with the same ecg spectro --stride",
			path, folder.strides(), model.strides())
	}
	return nil
}

// sameRendering reports whether a and b render alike, whatever their
// strides (nil: ecg spectro's default flags).
func sameRendering(a, b *SpectrogramSettings) bool {
	ra, rb := a.rendering(), b.rendering()
	return ra == nil && rb == nil || ra != nil && rb != nil && *ra == *rb
}

// rendering returns s without its stride, nil when that renders as ecg
// spectro's default flags do.
func (s *SpectrogramSettings) rendering() *SpectrogramSettings {
	if s == nil {
		return nil
	}
	r := *s
	r.StrideS, r.wholeRecord = 0, false
	if r.isDefault() {
		return nil
	}
	return &r
}

// describe names the settings in ecg spectro's terms ("ecg spectro's
// default flags" for nil, or for defaults but the stride), with the
// stride when known (strides).
func (s *SpectrogramSettings) describe() string {
	d := "ecg spectro's default flags"
	if s.rendering() != nil {
		st, im := s.STFT, s.Image
		d = fmt.Sprintf("nperseg %d, noverlap %d, nfft %d at 360 Hz, %g-%g Hz, %dx%d pixels, %g to %g dB",
			st.NPerSeg, st.NOverlap, st.NFFT, st.FMin, st.FMax, im.Width, im.Height, im.DBMin, im.DBMax)
	}
	if st := s.strides(); st != "" {
		d += ", " + st
	}
	return d
}

// strides names what s's images are of: "30 s strides", "whole
// records", "beat windows", or "" when s does not say (nil, or a model
// from before session 27).
func (s *SpectrogramSettings) strides() string {
	switch {
	case s == nil:
		return ""
	case s.StrideS > 0:
		return fmt.Sprintf("%g s strides", s.StrideS)
	case s.wholeRecord:
		return "whole records"
	case s.Beat:
		return "beat windows"
	}
	return ""
}

// archiveSpectrogram reads the rendering settings of the archive in
// folder dir (its parameter file, datasets.ParamsName); found false for
// "", for a folder without the file, or whose file has no rendering
// settings; an error naming the file for one that cannot be read or is
// invalid.
func archiveSpectrogram(dir string) (s *SpectrogramSettings, found bool, err error) {
	if dir == "" {
		return nil, false, nil
	}
	path := filepath.Join(dir, datasets.ParamsName)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	s, err = ReadArchiveSpectrogram(f) // reads at most datasets.MaxParamsBytes
	switch {
	case errors.Is(err, errNoSpectrogram):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	return s, true, nil
}

// withArchiveSpectrogram returns spec with the rendering settings of the
// archive ds is (its parameter file, datasets.ParamsName) when spec reads
// images, records none yet and the archive's differ from ecg spectro's
// defaults, its stride included (isDefault). A folder without the file,
// or whose file has no rendering settings, adds none; a file that cannot
// be read or is invalid is an error naming it.
func withArchiveSpectrogram(ds *datasets.LabelFolders, spec FeatureSpec) (FeatureSpec, error) {
	if spec.Input != InputImage || spec.Spectrogram != nil {
		return spec, nil
	}
	s, _, err := archiveSpectrogram(ds.Dir)
	if err != nil || s == nil || s.isDefault() {
		return spec, err
	}
	s.wholeRecord = false // the model keeps what its file holds
	spec.Spectrogram = s
	return spec, nil
}

// checkSpectrogram checks the rendering settings of a spec: images only,
// and settings that make a renderer (StrideOptions).
func (s FeatureSpec) checkSpectrogram() error {
	if s.Spectrogram == nil {
		return nil
	}
	if s.Input != InputImage {
		return fmt.Errorf("features: spectrogram settings for %s input", s.Input)
	}
	if _, err := s.Spectrogram.StrideOptions(); err != nil {
		return fmt.Errorf("features: spectrogram: %w", err)
	}
	return nil
}

// ifChanged returns &v when v differs from the default d, else nil.
func ifChanged[T comparable](v, d T) *T {
	if v == d {
		return nil
	}
	return &v
}
