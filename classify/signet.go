package classify

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets/signal"
)

// LearnerSignet names the 1-D convolutional network on the signal itself
// (docs/rhythm.md, "A 1-D network on the signal").
const LearnerSignet = "signet"

// SignetOptions are the settings of the 1-D network on the signal. Zero
// values select the defaults (withDefaults).
type SignetOptions struct {
	// Rate is the rate (Hz) every recording is resampled to (default
	// 100); Crop the length in seconds of the network's input (default
	// 16): training draws a random crop of every recording each epoch,
	// prediction averages the logits of crops that cover the recording.
	Rate, Crop float64
	// Epochs is the most passes over the training recordings (default
	// 20), Batch the recordings per step (default 32), LR Adam's
	// learning rate (default 0.002).
	Epochs int
	Batch  int
	LR     float64
	// Filters and Kernels are each block's filters and kernel (defaults
	// 8, 16, 16, 32, 32, 64 and 7, 7, 7, 5, 5, 3); the first block's
	// convolution has stride 2 and every block ends in a max pool of 2.
	// Hidden is the width of the dense layer before the output (default
	// 32).
	Filters, Kernels []int
	Hidden           int
	// Validation is the share of the record groups held out of training
	// to stop early on (default 0.15); Patience the epochs without a
	// lower validation loss before stopping (default 5).
	Validation float64
	Patience   int
	// Anneal, when positive, is the most epochs of a second stage of
	// training at a tenth of LR from the first stage's best weights, with
	// the same early stopping (default 0: none). The second stage's best
	// weights are kept only when their validation loss is lower.
	Anneal int
	// NoAugment turns off the random crops' gain change (±20 %).
	NoAugment bool
	// ClassWeight is "none" (default: on CinC 2017 it scored better alone
	// and fused with gbdt; docs/rhythm.md) or "balanced" (capped at 10
	// times the most common label's weight, as the cnn learner).
	ClassWeight string
	// Seed seeds the weights, the validation split, the shuffles, the
	// crops; Jobs is the number of recordings run at once (the model
	// does not depend on it).
	Seed uint64
	Jobs int
	// Progress, when set, is called after each epoch.
	Progress func(e nn.EpochResult)
}

func (o SignetOptions) withDefaults() SignetOptions {
	for _, d := range []struct {
		v   *int
		def int
	}{{&o.Epochs, 20}, {&o.Batch, 32}, {&o.Hidden, 32}, {&o.Patience, 5}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	for _, d := range []struct {
		v   *float64
		def float64
	}{{&o.LR, 0.002}, {&o.Rate, 100}, {&o.Crop, 16}, {&o.Validation, 0.15}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if len(o.Filters) == 0 {
		o.Filters = []int{8, 16, 16, 32, 32, 64}
	}
	if len(o.Kernels) == 0 {
		o.Kernels = []int{7, 7, 7, 5, 5, 3}
	}
	if o.ClassWeight == "" {
		o.ClassWeight = "none"
	}
	return o
}

// Validate checks settings given explicitly: a rate of 25 to 1000 Hz, a
// crop of 2 to 120 s, at least one epoch and recording per batch, a
// learning rate in (0, 1], a known ClassWeight. It returns an
// *OptionError.
func (o SignetOptions) Validate() error {
	switch {
	case !(o.Rate >= 25 && o.Rate <= 1000):
		return &OptionError{"rate", o.Rate, "25 to 1000 Hz"}
	case !(o.Crop >= 2 && o.Crop <= 120):
		return &OptionError{"crop", o.Crop, "2 to 120 s"}
	}
	// The bounds of the image network's settings.
	return CNNOptions{Epochs: o.Epochs, Batch: o.Batch, LR: o.LR, ClassWeight: o.ClassWeight}.Validate()
}

// arch is the network of o (after withDefaults) for k classes.
func (o SignetOptions) arch(k int) nn.Arch {
	return nn.Arch{In: nn.Shape{C: 1, H: 1, W: int(math.Round(o.Crop * o.Rate))}, Filters: o.Filters, Kernels: o.Kernels,
		Strides: []int{2}, Pool: 2, Hidden: o.Hidden, Classes: k, OneD: true}
}

// SignetInput returns the network's input for a single-lead signal x
// (mV) at fs Hz: invalid samples filled (as for the features),
// band-passed 0.5-40 Hz, resampled to rate Hz (signal.Resample, or
// linear interpolation when fs/rate is no ratio of small integers),
// divided by the median peak-to-peak of its whole seconds (about the QRS
// amplitude, so that gain and units do not matter) and clipped to ±10.
func SignetInput(x []float64, fs, rate float64) ([]float64, error) {
	if !(fs > 0 && fs <= 1e6) || !(rate > 0) {
		return nil, fmt.Errorf("classify: sampling frequency %v Hz", fs)
	}
	if len(x) > MaxSignalSamples {
		return nil, fmt.Errorf("classify: %d samples is more than %d", len(x), MaxSignalSamples)
	}
	if float64(len(x)) < 2*fs {
		return nil, fmt.Errorf("classify: signal of %.2f s is shorter than 2 s", float64(len(x))/fs)
	}
	y := bandpass(fillInvalid(x), fs, 0.5, 40)
	if fs != rate {
		r, err := signal.Resample(y, fs, rate)
		if err != nil {
			r = resampleLinear(y, fs, rate)
		}
		y = r
	}
	scale := medianPeakToPeak(y, int(math.Round(rate)))
	for i, v := range y {
		y[i] = max(-10, min(10, v/scale))
	}
	return y, nil
}

// resampleLinear resamples x from rate from to rate to by linear
// interpolation (x band-limited below to/2 already).
func resampleLinear(x []float64, from, to float64) []float64 {
	n := int(float64(len(x)) * to / from)
	y := make([]float64, n)
	for i := range y {
		t := float64(i) * from / to
		j := int(t)
		if j+1 >= len(x) {
			y[i] = x[len(x)-1]
			continue
		}
		f := t - float64(j)
		y[i] = x[j]*(1-f) + x[j+1]*f
	}
	return y
}

// medianPeakToPeak is the median over the whole windows of w samples of
// x of their peak-to-peak, 1 when that is not positive.
func medianPeakToPeak(x []float64, w int) float64 {
	var pp []float64
	for s := 0; s+w <= len(x); s += w {
		pp = append(pp, slices.Max(x[s:s+w])-slices.Min(x[s:s+w]))
	}
	if len(pp) == 0 {
		return 1
	}
	slices.Sort(pp)
	m := pp[len(pp)/2]
	if !(m > 1e-9) {
		return 1
	}
	return m
}

// Signet is a trained 1-D network on the signal: the network and the
// rate and crop length of its input.
type Signet struct {
	Net  *nn.Net
	Rate float64
}

// cropLen is the network's input length in samples.
func (s *Signet) cropLen() int { return s.Net.Arch.In.W }

// crop writes the crop of x at offset off into dst: x[off:off+len(dst)],
// zero beyond x's end; a shorter x is centred.
func crop(dst, x []float64, off int) {
	clear(dst)
	if len(x) < len(dst) {
		copy(dst[(len(dst)-len(x))/2:], x)
		return
	}
	copy(dst, x[off:])
}

// cropOffsets returns the offsets of the crops of length l that cover n
// samples: ceil(n/l) crops spread evenly from 0 to n-l (one at 0 when n
// is at most l).
func cropOffsets(n, l int) []int {
	if n <= l {
		return []int{0}
	}
	c := (n + l - 1) / l
	off := make([]int, c)
	for i := range off {
		off[i] = i * (n - l) / (c - 1)
	}
	return off
}

// Probs writes the class probabilities of a network input in (from
// SignetInput at s.Rate, any length) into dst (allocated when nil): the
// softmax of the mean logits of the crops that cover it (cropOffsets).
func (s *Signet) Probs(dst, in []float64) []float64 {
	k := s.Net.Arch.Classes
	buf := make([]float64, s.cropLen())
	sum, l := make([]float64, k), make([]float64, k)
	offs := cropOffsets(len(in), len(buf))
	for _, off := range offs {
		crop(buf, in, off)
		s.Net.Logits(l, buf, nil)
		for i, v := range l {
			sum[i] += v / float64(len(offs))
		}
	}
	if dst == nil {
		dst = make([]float64, k)
	}
	nn.Softmax(dst, sum)
	return dst
}

// PredictSignal returns the class probabilities of a single-lead signal
// x (mV) at fs Hz.
func (s *Signet) PredictSignal(x []float64, fs float64) ([]float64, error) {
	in, err := SignetInput(x, fs, s.Rate)
	if err != nil {
		return nil, err
	}
	return s.Probs(nil, in), nil
}

// SignetInfo records how a signet was trained.
type SignetInfo struct {
	Arch      nn.Arch `json:"arch"`
	Rate      float64 `json:"rate_hz"`
	Epochs    int     `json:"epochs"`
	Batch     int     `json:"batch"`
	LR        float64 `json:"lr"`
	Augment   bool    `json:"augment"`
	BestEpoch int     `json:"best_epoch"`
	Ran       int     `json:"ran"`
	ValLoss   float64 `json:"val_loss,omitempty"`
	// Anneal is the most epochs of the second stage at a tenth of LR
	// (SignetOptions.Anneal; 0: none). Ran and BestEpoch count both
	// stages' epochs.
	Anneal int `json:"anneal,omitempty"`
}

// TrainSignet trains a 1-D network on inputs (from SignetInput at
// o.Rate, any lengths) with label indexes y into k classes; groups (one
// per input; nil: each its own) keep a record's inputs on one side of the
// validation split, which is scored on the centre crop of each input.
func TrainSignet(ctx context.Context, inputs [][]float64, y []int, groups []string, k int, o SignetOptions) (*Signet, *SignetInfo, error) {
	o = o.withDefaults()
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	if len(inputs) == 0 {
		return nil, nil, fmt.Errorf("classify: signet: no training recordings")
	}
	arch := o.arch(k)
	net, err := nn.New(arch, o.Seed)
	if err != nil {
		return nil, nil, fmt.Errorf("classify: signet: %w", err)
	}
	l := arch.In.W
	trainIdx, valIdx := cnnValidationSplit(y, groups, k, CNNOptions{Validation: o.Validation, Seed: o.Seed})
	var train, val []nn.Sample
	var trainY []int
	for _, i := range trainIdx {
		train, trainY = append(train, nn.Sample{X: inputs[i], Label: y[i]}), append(trainY, y[i])
	}
	for _, i := range valIdx {
		c := make([]float64, l)
		crop(c, inputs[i], max(0, len(inputs[i])-l)/2)
		val = append(val, nn.Sample{X: c, Label: y[i]})
	}
	fo := nn.FitOptions{Epochs: o.Epochs, Batch: o.Batch, LR: o.LR, Decay: 1e-4, ClassWeights: cnnClassWeights(trainY, k, o.ClassWeight),
		Seed: o.Seed, Jobs: o.Jobs, Patience: o.Patience, Augment: signetAugment(!o.NoAugment), Epoch: o.Progress}
	if len(val) == 0 {
		fo.Patience = 0
	}
	res, err := net.Fit(ctx, train, val, fo)
	if err != nil {
		return nil, nil, fmt.Errorf("classify: signet: %w", err)
	}
	info := &SignetInfo{Arch: arch, Rate: o.Rate, Epochs: o.Epochs, Batch: o.Batch, LR: o.LR, Augment: !o.NoAugment,
		BestEpoch: res.Best, Ran: len(res.Epochs)}
	if len(val) > 0 {
		info.ValLoss = res.Epochs[res.Best-1].ValLoss
		if o.Anneal > 0 {
			if err := signetAnneal(ctx, net, train, val, fo, o.Anneal, info); err != nil {
				return nil, nil, err
			}
		}
	}
	return &Signet{Net: net, Rate: o.Rate}, info, nil
}

// signetAnneal runs the second stage of TrainSignet (annealStage),
// recording it in info.
func signetAnneal(ctx context.Context, net *nn.Net, train, val []nn.Sample, fo nn.FitOptions, epochs int, info *SignetInfo) error {
	st, err := annealStage(ctx, net, train, val, fo, epochs, stageResult{ran: info.Ran, best: info.BestEpoch, valLoss: info.ValLoss})
	if err != nil {
		return fmt.Errorf("classify: signet: %w", err)
	}
	info.Anneal, info.Ran, info.BestEpoch, info.ValLoss = epochs, st.ran, st.best, st.valLoss
	return nil
}

// stageResult is where training stands after a stage: the epochs run,
// the epoch whose weights are kept and their validation loss.
type stageResult struct {
	ran, best int
	valLoss   float64
}

// annealStage runs a second stage of training after first: at most
// epochs epochs at a tenth of fo's learning rate (a fresh Adam, shuffles
// and augmentation of another seed) from the net's weights, keeping its
// best epoch when its validation loss is lower than first's, the first
// stage's weights otherwise. fo.Epoch sees the epochs numbered after the
// first stage's.
func annealStage(ctx context.Context, net *nn.Net, train, val []nn.Sample, fo nn.FitOptions, epochs int, first stageResult) (stageResult, error) {
	kept := slices.Clone(net.Params)
	progress := fo.Epoch
	fo.LR, fo.Epochs, fo.Seed = fo.LR/10, epochs, fo.Seed^0x616e6e65616c // "anneal"
	fo.Epoch = func(e nn.EpochResult) {
		if progress != nil {
			e.Epoch += first.ran
			progress(e)
		}
	}
	res, err := net.Fit(ctx, train, val, fo)
	if err != nil {
		return first, err
	}
	st := first
	st.ran += len(res.Epochs)
	if l := res.Epochs[res.Best-1].ValLoss; l < first.valLoss {
		st.valLoss, st.best = l, first.ran+res.Best
	} else {
		copy(net.Params, kept)
	}
	return st, nil
}

// signetAugment returns the augmentation of training recordings: a crop
// at a random offset (a shorter recording at a random place in zeros)
// and, with gain, a gain change of up to ±20 %.
func signetAugment(gain bool) func(dst, x []float64, rng *rand.Rand) {
	return func(dst, x []float64, rng *rand.Rand) {
		clear(dst)
		if n := len(x) - len(dst); n >= 0 {
			copy(dst, x[rng.IntN(n+1):])
		} else {
			copy(dst[rng.IntN(-n+1):], x)
		}
		if gain {
			g := 0.8 + 0.4*rng.Float64()
			for i := range dst {
				dst[i] *= g
			}
		}
	}
}
