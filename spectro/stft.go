package spectro

import (
	"errors"
	"fmt"
	"math"
)

// Spectrogram is the result of a short-time Fourier transform.
type Spectrogram struct {
	// Freqs are the frequencies of the rows in Hz, ascending.
	Freqs []float64
	// Times are the centres of the segments in seconds from the first
	// sample of the signal, as scipy's t.
	Times []float64
	// Power is freq-major: Power[i][j] is the value at Freqs[i], Times[j];
	// all rows share one backing array. Its unit depends on Mode, Scaling
	// and DB: mV²/Hz for a PSD density of a signal in mV, or decibels
	// when DB is true.
	Power [][]float64
	// Fs is the sampling frequency of the signal in Hz.
	Fs float64
	// Params are the resolved parameters (scipy's defaults filled in).
	Params Params
	// DB reports whether Power holds decibels (see ToDB).
	DB bool

	data []float64 // backing array of Power
}

// ErrShortSignal is returned for signals shorter than one segment. (scipy
// instead shortens nperseg to the signal length with a warning; here the
// caller decides.)
var ErrShortSignal = errors.New("signal shorter than one segment")

// Plan holds what a spectrogram with fixed parameters needs: the window,
// the FFT, the scale factors and work buffers. Reusing a plan (ComputeInto)
// allocates nothing per call. A Plan is not safe for concurrent use: give
// each goroutine its own.
type Plan struct {
	p     Params
	fs    float64
	win   []float64
	fft   *realFFT
	seg   []float64 // nfft: detrended, windowed, zero-padded segment
	block []float64 // up to blockCols columns, time-major, before transposing
	scale float64   // scipy's scale (sqrt of it in magnitude mode)
	lo    int       // first kept bin
	hi    int       // one past the last kept bin
	freqs []float64 // kept frequencies
	// linear detrend: centred abscissa and its inverse sum of squares
	tc    []float64
	tcInv float64
	tbar  float64
}

// NewPlan returns a plan for signals sampled at fs Hz.
func NewPlan(fs float64, p Params) (*Plan, error) {
	if !(fs > 0) || math.IsInf(fs, 0) {
		return nil, fmt.Errorf("sampling frequency %g Hz: must be positive", fs)
	}
	p, err := p.resolved()
	if err != nil {
		return nil, err
	}
	win, err := Window(p.Window, p.NPerSeg)
	if err != nil {
		return nil, err
	}
	pl := &Plan{p: p, fs: fs, win: win, fft: newRealFFT(p.NFFT),
		seg: make([]float64, p.NFFT)}
	switch p.Scaling {
	case ScalingDensity:
		s := 0.0
		for _, w := range win {
			s += w * w
		}
		pl.scale = 1.0 / (fs * s)
	case ScalingSpectrum:
		s := 0.0
		for _, w := range win {
			s += w
		}
		pl.scale = 1.0 / (s * s)
	}
	if p.Mode == ModeMagnitude {
		pl.scale = math.Sqrt(pl.scale)
	}
	// Frequencies as numpy.fft.rfftfreq(nfft, 1/fs): k * (1/(nfft*(1/fs))).
	val := 1.0 / (float64(p.NFFT) * (1 / fs))
	fmax := p.FMax
	if fmax <= 0 {
		fmax = math.Inf(1)
	}
	pl.lo, pl.hi = -1, -1
	for k := 0; k <= p.NFFT/2; k++ {
		f := float64(k) * val
		if f >= p.FMin && f <= fmax {
			if pl.lo < 0 {
				pl.lo = k
			}
			pl.hi = k + 1
			pl.freqs = append(pl.freqs, f)
		}
	}
	if pl.lo >= 0 {
		pl.block = make([]float64, blockCols*(pl.hi-pl.lo))
	}
	if pl.lo < 0 {
		return nil, fmt.Errorf("frequency band %g-%g Hz holds no bin (resolution %g Hz, Nyquist %g Hz)", p.FMin, p.FMax, val, fs/2)
	}
	if p.Detrend == DetrendLinear {
		// scipy fits a*t+b with t = (i+1)/n by least squares; with t
		// centred the slope is Σ tc x / Σ tc².
		n := p.NPerSeg
		pl.tc = make([]float64, n)
		pl.tbar = float64(n+1) / (2 * float64(n))
		ss := 0.0
		for i := range pl.tc {
			pl.tc[i] = float64(i+1)/float64(n) - pl.tbar
			ss += pl.tc[i] * pl.tc[i]
		}
		if ss > 0 {
			pl.tcInv = 1 / ss
		}
	}
	return pl, nil
}

// Params returns the plan's resolved parameters.
func (pl *Plan) Params() Params { return pl.p }

// Freqs returns the frequencies (Hz) of the rows the plan produces. The
// slice belongs to the plan.
func (pl *Plan) Freqs() []float64 { return pl.freqs }

// Segments returns the number of segments (columns) of a signal of n
// samples: (n - noverlap) / (nperseg - noverlap), or 0 when n < nperseg.
func (pl *Plan) Segments(n int) int {
	if n < pl.p.NPerSeg {
		return 0
	}
	return (n - pl.p.NOverlap) / (pl.p.NPerSeg - pl.p.NOverlap)
}

// Compute returns the spectrogram of x (sampled at fs Hz) with parameters
// p. It is a shorthand for NewPlan and Plan.Compute; use a Plan for many
// signals.
func Compute(x []float64, fs float64, p Params) (*Spectrogram, error) {
	pl, err := NewPlan(fs, p)
	if err != nil {
		return nil, err
	}
	return pl.Compute(x)
}

// Compute returns the spectrogram of x in a new Spectrogram.
func (pl *Plan) Compute(x []float64) (*Spectrogram, error) {
	s := new(Spectrogram)
	if err := pl.ComputeInto(s, x); err != nil {
		return nil, err
	}
	return s, nil
}

// ComputeInto computes the spectrogram of x into s, reusing s's storage
// when it is large enough (no allocation when s came from an earlier call
// with a signal of the same length). NaN samples make the columns whose
// segments hold them NaN.
func (pl *Plan) ComputeInto(s *Spectrogram, x []float64) error {
	nseg := pl.Segments(len(x))
	if nseg == 0 {
		return fmt.Errorf("%w: %d samples, nperseg %d", ErrShortSignal, len(x), pl.p.NPerSeg)
	}
	nf := pl.hi - pl.lo
	s.resize(nf, nseg)
	s.Fs, s.Params, s.DB = pl.fs, pl.p, false
	copy(s.Freqs, pl.freqs)
	step := pl.p.NPerSeg - pl.p.NOverlap
	half := float64(pl.p.NPerSeg) / 2
	for j0 := 0; j0 < nseg; j0 += blockCols {
		nb := min(blockCols, nseg-j0)
		for b := 0; b < nb; b++ {
			j := j0 + b
			// scipy: np.arange(nperseg/2, n - nperseg/2 + 1, step) / fs
			s.Times[j] = (half + float64(j*step)) / pl.fs
			pl.column(pl.block[b*nf:(b+1)*nf], x[j*step:j*step+pl.p.NPerSeg])
		}
		// Transpose the block into the freq-major output.
		for i := 0; i < nf; i++ {
			row := s.data[i*nseg+j0 : i*nseg+j0+nb]
			for b := range row {
				row[b] = pl.block[b*nf+i]
			}
		}
	}
	return nil
}

// blockCols is the number of columns computed before they are transposed
// into the freq-major output, so that writes go to a few cache lines per
// row rather than one per value.
const blockCols = 32

// column transforms one segment and writes its kept bins to dst.
func (pl *Plan) column(dst []float64, x []float64) {
	n := len(x)
	seg, win := pl.seg[:n], pl.win[:n]
	switch pl.p.Detrend {
	case DetrendNone:
		for i, v := range x {
			seg[i] = win[i] * v
		}
	case DetrendConstant:
		m := mean(x)
		for i, v := range x {
			seg[i] = win[i] * (v - m)
		}
	case DetrendLinear:
		m := mean(x)
		a := 0.0
		tc := pl.tc[:n]
		for i, v := range x {
			a += tc[i] * v
		}
		a *= pl.tcInv
		for i, v := range x {
			seg[i] = win[i] * ((v - m) - a*tc[i])
		}
	}
	// pl.seg[n:] stays zero: the zero padding up to nfft.
	pl.fft.transform(pl.seg)
	pl.fft.power(dst, pl.lo, pl.hi)
	scale := pl.scale
	if pl.p.Mode == ModeMagnitude {
		for i, v := range dst {
			dst[i] = math.Sqrt(v) * scale
		}
		return
	}
	nfft := pl.p.NFFT
	for i, v := range dst {
		v *= scale
		// One-sided: every bin but 0 Hz and the Nyquist bin of an even
		// nfft stands for two.
		if k := pl.lo + i; k > 0 && (nfft%2 == 1 || k != nfft/2) {
			v *= 2
		}
		dst[i] = v
	}
}

// mean returns the arithmetic mean of x, summed pairwise in blocks of 8
// as numpy does, so that it rounds as numpy.mean does for typical lengths.
func mean(x []float64) float64 {
	return pairwiseSum(x) / float64(len(x))
}

// pairwiseSum adds x the way numpy's pairwise summation does: blocks of up
// to 128 values summed with eight accumulators, larger arrays split in
// halves (at a multiple of 8).
func pairwiseSum(x []float64) float64 {
	n := len(x)
	switch {
	case n < 8:
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s
	case n <= 128:
		var r [8]float64
		copy(r[:], x[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			r[0] += x[i]
			r[1] += x[i+1]
			r[2] += x[i+2]
			r[3] += x[i+3]
			r[4] += x[i+4]
			r[5] += x[i+5]
			r[6] += x[i+6]
			r[7] += x[i+7]
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += x[i]
		}
		return s
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwiseSum(x[:n2]) + pairwiseSum(x[n2:])
	}
}

// resize makes s hold nf rows by nt columns, reusing its storage.
func (s *Spectrogram) resize(nf, nt int) {
	if cap(s.data) >= nf*nt {
		s.data = s.data[:nf*nt]
	} else {
		s.data = make([]float64, nf*nt)
	}
	if cap(s.Power) >= nf {
		s.Power = s.Power[:nf]
	} else {
		s.Power = make([][]float64, nf)
	}
	for i := range s.Power {
		s.Power[i] = s.data[i*nt : (i+1)*nt : (i+1)*nt]
	}
	if cap(s.Freqs) >= nf {
		s.Freqs = s.Freqs[:nf]
	} else {
		s.Freqs = make([]float64, nf)
	}
	if cap(s.Times) >= nt {
		s.Times = s.Times[:nt]
	} else {
		s.Times = make([]float64, nt)
	}
}

// ToDB converts Power in place to decibels relative to ref (in the unit of
// Power): 10·log10(P/ref) in PSD mode, 20·log10(M/ref) in magnitude mode.
// Zero power becomes -Inf. ToDB on a spectrogram already in dB does
// nothing.
func (s *Spectrogram) ToDB(ref float64) {
	if s.DB {
		return
	}
	k := 10.0
	if s.Params.Mode == ModeMagnitude {
		k = 20
	}
	for i, v := range s.data {
		s.data[i] = k * math.Log10(v/ref)
	}
	s.DB = true
}
