package spectro

import (
	"image"
	"io"
	"sync"

	"github.com/ecgkit/ecg/datasets"
)

// Overrides replace some of the default STFT parameters at every sampling
// rate (what a user sets on the command line over DefaultParams or
// BeatParams). A nil field keeps the default. Setting NPerSeg without
// NOverlap makes the overlap half the new segment, and without NFFT makes
// the FFT as long as the segment, so that a shorter segment alone stays a
// valid plan.
type Overrides struct {
	Window                  *string
	NPerSeg, NOverlap, NFFT *int
	Detrend                 *Detrend
	Scaling                 *Scaling
	Mode                    *Mode
	FMin, FMax              *float64 // Hz
}

// Apply returns p with the overrides set.
func (o *Overrides) Apply(p Params) Params {
	if o.Window != nil {
		p.Window = *o.Window
	}
	if o.NPerSeg != nil {
		p.NPerSeg = *o.NPerSeg
		p.NOverlap = *o.NPerSeg / 2
		p.NFFT = *o.NPerSeg
	}
	if o.NOverlap != nil {
		p.NOverlap = *o.NOverlap
	}
	if o.NFFT != nil {
		p.NFFT = *o.NFFT
	}
	if o.Detrend != nil {
		p.Detrend = *o.Detrend
	}
	if o.Scaling != nil {
		p.Scaling = *o.Scaling
	}
	if o.Mode != nil {
		p.Mode = *o.Mode
	}
	if o.FMin != nil {
		p.FMin = *o.FMin
	}
	if o.FMax != nil {
		p.FMax = *o.FMax
	}
	return p
}

// StrideOptions configure a StrideRenderer. The zero value renders
// strides with DefaultParams at each window's own rate into 224x224
// grayscale images on the default decibel range.
type StrideOptions struct {
	// Beat makes BeatParams, made for beat windows well under a second,
	// the defaults instead of DefaultParams.
	Beat bool
	// Set replaces some of the defaults at every rate.
	Set Overrides
	// Image are the options of the raw images.
	Image ImageOptions
}

// StrideRenderer renders strides and beat windows of any sampling rate:
// their spectrograms, raw images for models and CSV matrices. It keeps a
// pool of workers, each with its own STFT plans (one per rate) and
// buffers, so that its methods are safe for concurrent use and allocate
// little per window.
type StrideRenderer struct {
	opt     StrideOptions
	enc     PNGEncoder
	workers sync.Pool // *strideWorker
}

// strideWorker holds what one goroutine needs to render a window.
type strideWorker struct {
	plans map[float64]*Plan // by sampling rate
	spec  Spectrogram
	img   Renderer
}

// NewStrideRenderer returns a renderer, or an error naming the first bad
// STFT parameter (checked at 360 Hz).
func NewStrideRenderer(opt StrideOptions) (*StrideRenderer, error) {
	opt.Image = opt.Image.resolved()
	r := &StrideRenderer{opt: opt}
	if _, err := NewPlan(360, r.Params(360)); err != nil {
		return nil, err
	}
	return r, nil
}

// Params returns the STFT parameters at fs Hz: the defaults for strides
// (or beat windows) with the overrides set.
func (r *StrideRenderer) Params(fs float64) Params {
	p := DefaultParams(fs)
	if r.opt.Beat {
		p = BeatParams(fs)
	}
	return r.opt.Set.Apply(p)
}

// Image returns the raw image options, defaults filled in.
func (r *StrideRenderer) Image() ImageOptions { return r.opt.Image }

// MinSamples returns the fewest samples a window at fs Hz must hold to
// make one STFT segment (its nperseg).
func (r *StrideRenderer) MinSamples(fs float64) int64 { return int64(r.Params(fs).NPerSeg) }

// Spectrogram computes the spectrogram of x sampled at fs Hz and calls f
// with it. The spectrogram is only valid during the call (its storage
// goes back to the pool).
func (r *StrideRenderer) Spectrogram(x []float64, fs float64, f func(*Spectrogram) error) error {
	w, err := r.compute(x, fs)
	if err != nil {
		return err
	}
	defer r.workers.Put(w)
	return f(&w.spec)
}

// compute returns a worker holding the spectrogram of x; the caller puts
// it back into the pool.
func (r *StrideRenderer) compute(x []float64, fs float64) (*strideWorker, error) {
	w, _ := r.workers.Get().(*strideWorker)
	if w == nil {
		w = &strideWorker{plans: map[float64]*Plan{}}
	}
	pl := w.plans[fs]
	if pl == nil {
		var err error
		if pl, err = NewPlan(fs, r.Params(fs)); err != nil {
			r.workers.Put(w)
			return nil, err
		}
		w.plans[fs] = pl
	}
	if err := pl.ComputeInto(&w.spec, x); err != nil {
		r.workers.Put(w)
		return nil, err
	}
	return w, nil
}

// WritePNG writes the raw image of x, sampled at fs Hz, to w as PNG.
func (r *StrideRenderer) WritePNG(w io.Writer, x []float64, fs float64) error {
	sw, err := r.compute(x, fs)
	if err != nil {
		return err
	}
	defer r.workers.Put(sw)
	return r.enc.Encode(w, sw.img.Render(&sw.spec, r.opt.Image))
}

// RenderImage computes the raw image of x, sampled at fs Hz (the image
// WritePNG encodes), and calls f with it. The image is only valid during
// the call (its storage goes back to the pool).
func (r *StrideRenderer) RenderImage(x []float64, fs float64, f func(image.Image) error) error {
	sw, err := r.compute(x, fs)
	if err != nil {
		return err
	}
	defer r.workers.Put(sw)
	return f(sw.img.Render(&sw.spec, r.opt.Image))
}

// WriteCSV writes the spectrogram of x, sampled at fs Hz, to w as CSV
// (see Spectrogram.WriteCSV).
func (r *StrideRenderer) WriteCSV(w io.Writer, x []float64, fs float64) error {
	return r.Spectrogram(x, fs, func(s *Spectrogram) error { return s.WriteCSV(w) })
}

// PNG returns the archive output writing each window's raw image as
// NAME.png.
func (r *StrideRenderer) PNG() datasets.Output {
	return datasets.Output{Suffix: ".png", Write: func(w io.Writer, win *datasets.Window) error {
		return r.WritePNG(w, win.X, win.Fs)
	}}
}

// CSV returns the archive output writing each window's spectrogram
// matrix as NAME.csv.
func (r *StrideRenderer) CSV() datasets.Output {
	return datasets.Output{Suffix: ".csv", Write: func(w io.Writer, win *datasets.Window) error {
		return r.WriteCSV(w, win.X, win.Fs)
	}}
}

// The keys of the entries Parameters gives an archive's parameter file:
// its rendering, which archives joined into one folder must share
// (datasets.SharedParams).
const (
	ParamSTFT  = "stft_at_360hz" // the STFT parameters at 360 Hz
	ParamImage = "image"         // the image options
)

// Parameters describes the renderer as an archive records it
// (datasets.ArchiveOptions.OutputParams): the STFT parameters at 360 Hz
// (ParamSTFT) and the image options (ParamImage).
func (r *StrideRenderer) Parameters() map[string]any {
	p := r.Params(360)
	img := r.opt.Image
	return map[string]any{
		ParamSTFT: map[string]any{"window": p.Window, "nperseg": p.NPerSeg, "noverlap": p.NOverlap, "nfft": p.NFFT,
			"detrend": p.Detrend, "scaling": p.Scaling, "mode": p.Mode, "fmin": p.FMin, "fmax": p.FMax},
		ParamImage: map[string]any{"width": img.Width, "height": img.Height, "colormap": img.Colormap.String(),
			"db_min": img.DBMin, "db_max": img.DBMax},
	}
}
