package classify

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ecgkit/ecg/classify/nn"
	"github.com/ecgkit/ecg/datasets"
)

// LearnerCNN names the convolutional network learner (package nn): it
// reads the pixels of images (ImageFeatures.Pixels) and the manifest's RR
// columns, joined before its dense head.
const LearnerCNN = "cnn"

// StageEpochs is the Progress stage of training a network: epochs run.
const StageEpochs = "epochs"

// CNNOptions are the settings of the cnn learner. Zero values select the
// defaults (withDefaults).
type CNNOptions struct {
	// Epochs is the most passes over the training images (default 20),
	// Batch the images per step (default 16), LR Adam's learning rate
	// (default 0.003): the settings measured in docs/classify.md.
	Epochs int
	Batch  int
	LR     float64
	// Filters are the filters of each convolution block (3x3, ReLU, 2x2
	// max pool; default 8, 16, 32), Hidden the width of the dense layer
	// before the output (default 32).
	Filters []int
	Hidden  int
	// Arch is the architecture: CNNArch2D (default, "" too) or
	// CNNArchTemporal, whose default filters are 32, 32, 64, 64. Kernel is
	// the convolution size (default 3 for 2d, 7 columns for temporal).
	Arch   string
	Kernel int
	// Validation is the share of the record groups held out of training
	// to stop early on (default 0.15); Patience the epochs without a lower
	// validation loss before stopping (default 6).
	Validation float64
	Patience   int
	// NoAugment turns off the augmentation of training images (random
	// circular time shifts of up to a quarter of the width and gain
	// changes of up to ±0.03 in luminance (±2 dB in the archive's 70 dB range), a brightness offset of the dB
	// image; never flips of the frequency axis).
	NoAugment bool
	// PerImage standardises each image by its own mean and deviation
	// (which takes out the recording's gain, so the augmentation then
	// only shifts in time) instead of by the training pixels'.
	PerImage bool
	// ClassWeight is "balanced" (default; weights inverse to label
	// frequency, at most 10 times the most common label's) or "none".
	ClassWeight string
	// Seed seeds the initial weights, the validation split, the shuffles
	// and the augmentation; Jobs is the number of images run at once (the
	// model does not depend on it).
	Seed uint64
	Jobs int
	// From, when set, is a cnn model whose network starts training (a
	// warm start, ecg train --from): its convolution blocks, weights
	// included, and its pixel standardisation are kept (Filters and
	// PerImage are then its), the dense layers after the pooling start
	// afresh for the new labels unless FromHead keeps them. The images
	// must be of its size.
	From *Model
	// FromName names From in the model's record ("default" or a file).
	FromName string
	// FromHead is what a warm start does with From's dense head:
	// CNNFromHeadNew ("" too) trains it afresh, CNNFromHeadKeep keeps its
	// hidden layer and the output rows of the labels it knows (Train
	// only: it needs the label names; docs/classify.md).
	FromHead string
	// labels and extra are the names of the classes and the extra
	// manifest columns (FeatureSpec.Extra), which Train sets for FromHead.
	labels, extra []string
	// Recurrent, when above 0 (CNNArchTemporal only; at most
	// nn.MaxRecurrent), adds to the temporal network's global average
	// pooling a bidirectional GRU of that many hidden units a direction
	// over the last block's time steps: its states averaged over time are
	// joined after the channels' averages (nn.Arch.Recurrent and
	// RecurrentAvg; model file version 11). A network started from a model
	// (From) keeps the model's.
	Recurrent int
	// Anneal, when positive, is the most epochs of a second stage of
	// training at a tenth of LR from the first stage's best weights, with
	// the same validation split and early stopping; its best weights are
	// kept only when their validation loss is lower (default 0: none;
	// needs a validation split). The model records it (CNNInfo.Anneal).
	Anneal int
	// Norm is the normalisation between each block's convolution and its
	// ReLU: CNNNormNone ("" too), CNNNormGroup or CNNNormLayer
	// (nn.Arch.GroupNorm; model file version 13). A network started from
	// a model (From) keeps the model's.
	Norm string
	// Ensemble is the number of networks trained (0 or 1: one; at most
	// MaxCNNEnsemble), a seed ensemble: network i takes Seed+i (its
	// initial weights, validation split, shuffles and augmentation), and
	// the model's probabilities are the mean of the networks' (CNN.Members;
	// model file version 9).
	Ensemble int
	// Progress, when set, is called after each epoch.
	Progress func(epoch, epochs int)
	// Context, when set, stops training between steps when it is done.
	Context context.Context
}

func (o CNNOptions) withDefaults() CNNOptions {
	orInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	orFloat := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	orInt(&o.Epochs, 20)
	orInt(&o.Batch, 16)
	orInt(&o.Hidden, 32)
	orInt(&o.Patience, 6)
	orFloat(&o.LR, 0.003)
	orFloat(&o.Validation, 0.15)
	switch {
	case len(o.Filters) == 0 && o.Arch == CNNArchTemporal:
		o.Filters = temporalFilters
	case len(o.Filters) == 0:
		o.Filters = []int{8, 16, 32}
	}
	switch {
	case o.Kernel <= 0 && o.Arch == CNNArchTemporal:
		o.Kernel = temporalKernel
	case o.Kernel <= 0:
		o.Kernel = 3
	}
	if o.ClassWeight == "" {
		o.ClassWeight = "balanced"
	}
	return o
}

// Validate checks settings given explicitly, as a command takes them: at
// least one epoch and one image per batch, a learning rate in (0, 1] and
// a known ClassWeight. It returns an *OptionError.
func (o CNNOptions) Validate() error {
	switch {
	case o.Epochs < 1 || o.Epochs > 10000:
		return &OptionError{"epochs", o.Epochs, "1 to 10000"}
	case o.Batch < 1 || o.Batch > 4096:
		return &OptionError{"batch", o.Batch, "1 to 4096"}
	case !(o.LR > 0 && o.LR <= 1):
		return &OptionError{"lr", o.LR, "more than 0, at most 1"}
	}
	if err := checkArch(o.Arch); err != nil {
		return err
	}
	if err := checkRecurrent(o); err != nil {
		return err
	}
	if o.Anneal < 0 || o.Anneal > 10000 {
		return &OptionError{"cnn-anneal", o.Anneal, "0 to 10000"}
	}
	if err := checkNorm(o.Norm); err != nil {
		return err
	}
	if err := checkFromHead(o.FromHead); err != nil {
		return err
	}
	if o.Ensemble < 0 || o.Ensemble > MaxCNNEnsemble {
		return &OptionError{"cnn-ensemble", o.Ensemble, fmt.Sprintf("1 to %d", MaxCNNEnsemble)}
	}
	return checkClassWeight(o.ClassWeight)
}

// maxCNNClassWeight caps the balanced class weights of the network at
// that many times the most common label's: a label of a handful of images
// (MIT-BIH's IVR and VFL strides: one each) would otherwise weigh a
// thousand times a common one, and its few gradients would throw every
// step about.
const maxCNNClassWeight = 10

// cnnClassWeights returns the class weights of the network for training
// labels y: classWeights's, capped at maxCNNClassWeight times the
// smallest weight of a label present.
func cnnClassWeights(y []int, k int, mode string) []float64 {
	counts, cw := classWeights(y, k, mode)
	low := math.Inf(1)
	for c, n := range counts {
		if n > 0 {
			low = min(low, cw[c])
		}
	}
	for c := range cw {
		cw[c] = min(cw[c], maxCNNClassWeight*low)
	}
	return cw
}

// CNNImageFeatures are the image settings of the cnn learner: the
// luminance of the image box-averaged onto 32 rows (frequency) by 128
// columns (time, about half a second each for one-minute strides) as raw
// pixels.
func CNNImageFeatures() ImageFeatures { return ImageFeatures{Rows: 32, Cols: 128, Pixels: true} }

// CNNInfo records the network of a cnn model: its architecture and how it
// was trained (LearnerInfo.CNN).
type CNNInfo struct {
	Arch       nn.Arch `json:"arch"`
	Epochs     int     `json:"epochs"`
	Batch      int     `json:"batch"`
	LR         float64 `json:"lr"`
	Validation float64 `json:"validation"`
	Patience   int     `json:"patience"`
	Augment    bool    `json:"augment"`
	// BestEpoch is the epoch whose weights were kept, Ran the epochs run.
	BestEpoch int `json:"best_epoch"`
	Ran       int `json:"ran"`
	// ValLoss is the validation loss of the kept weights (0 without a
	// validation split).
	ValLoss float64 `json:"val_loss,omitempty"`
	// PerImage: each image is standardised by its own mean and deviation
	// (CNNOptions.PerImage).
	PerImage bool `json:"per_image,omitempty"`
	// Anneal is the most epochs of the second stage at a tenth of LR
	// (CNNOptions.Anneal; 0: none). Ran and BestEpoch count both
	// stages' epochs.
	Anneal int `json:"anneal,omitempty"`
	// From names the network whose convolution blocks training started
	// from (CNNOptions.From; empty: fresh weights).
	From string `json:"from,omitempty"`
	// FromHead lists the labels whose output rows (weights and bias) were
	// those of the From network, whose hidden layer was then kept too
	// (CNNOptions.FromHead keep; empty: the head started afresh).
	FromHead []string `json:"from_head,omitempty"`
	// Members describes the networks after the first of a seed ensemble
	// (CNNOptions.Ensemble; the first is described above), in the order
	// of CNN.Members; empty for one network.
	Members []CNNMemberInfo `json:"members,omitempty"`
}

// CNN is a trained convolutional network with the standardisation of its
// inputs: pixels (luminance) minus Mean divided by SD (with PerImage, the
// image's own mean and deviation); extra value i minus ExtraMean[i]
// divided by ExtraSD[i], missing values 0.
//
// Members, when set, are the further networks of a seed ensemble
// (CNNOptions.Ensemble), of the same architecture, each with its own
// standardisation and no members: PredictProba is then the mean of every
// network's probabilities.
type CNN struct {
	Net                *nn.Net
	Mean, SD           float64
	PerImage           bool
	ExtraMean, ExtraSD []float64
	Members            []*CNN
}

// PredictProba writes the class probabilities of feature vector x (the
// pixels, then the extra values) into dst (allocated when nil): those of
// the network, or the mean of those of an ensemble's networks.
func (c *CNN) PredictProba(dst, x []float64) []float64 {
	dst = c.probs(dst, x)
	if len(c.Members) > 0 {
		dst = c.meanOfMembers(dst, x)
	}
	return dst
}

// probs writes the class probabilities of network c alone (not of its
// members) for x into dst.
func (c *CNN) probs(dst, x []float64) []float64 {
	n := c.Net.Arch.In.Size()
	px := make([]float64, n, n+len(c.ExtraMean))
	c.standardize(px, x[:n])
	extra := c.standardizeExtra(px[n:n:n+len(c.ExtraMean)], x[n:])
	return c.Net.Probs(dst, px, extra)
}

func (c *CNN) standardize(dst, px []float64) {
	m, sd := c.Mean, c.SD
	if c.PerImage {
		var s, ss float64
		for _, v := range px {
			s, ss = s+v, ss+v*v
		}
		m, sd = pixelMoments(s, ss, float64(len(px)))
	}
	for i, v := range px {
		dst[i] = (v - m) / sd
	}
}

// standardizeExtra appends the standardised extra values to dst; a value
// that is not finite is 0 (the training mean).
func (c *CNN) standardizeExtra(dst, extra []float64) []float64 {
	for i, v := range extra {
		z := (v - c.ExtraMean[i]) / c.ExtraSD[i]
		if math.IsNaN(z) || math.IsInf(z, 0) {
			z = 0
		}
		dst = append(dst, z)
	}
	return dst
}

// cnnStandardization returns the mean and standard deviation of the
// pixels (the first n values of each row of X) and of each extra column
// over its finite values (SD 1 when constant or empty).
func cnnStandardization(X [][]float64, n int) *CNN {
	c := &CNN{}
	var s, ss, cnt float64
	for _, row := range X {
		for _, v := range row[:n] {
			s, ss, cnt = s+v, ss+v*v, cnt+1
		}
	}
	c.Mean, c.SD = pixelMoments(s, ss, cnt)
	ne := len(X[0]) - n
	for j := 0; j < ne; j++ {
		var s, ss, cnt float64
		for _, row := range X {
			if v := row[n+j]; !math.IsNaN(v) && !math.IsInf(v, 0) {
				s, ss, cnt = s+v, ss+v*v, cnt+1
			}
		}
		m, sd := pixelMoments(s, ss, cnt)
		c.ExtraMean, c.ExtraSD = append(c.ExtraMean, m), append(c.ExtraSD, sd)
	}
	return c
}

// pixelMoments returns the mean and standard deviation of cnt values of sum s
// and sum of squares ss; the deviation is 1 when it would be 0.
func pixelMoments(s, ss, cnt float64) (float64, float64) {
	if cnt == 0 {
		return 0, 1
	}
	m := s / cnt
	sd := math.Sqrt(max(ss/cnt-m*m, 0))
	if !(sd > 1e-9) {
		sd = 1
	}
	return m, sd
}

// TrainCNN trains a network on feature vectors X (rows x cols pixels,
// then the extra values) with label indexes y into k classes; groups
// (one per row; nil: every row its own) keep the rows of a record on one
// side of the validation split. It also returns the validation rows'
// probabilities (NaN rows for the training rows).
func TrainCNN(ctx context.Context, X [][]float64, y []int, groups []string, k int, img ImageFeatures, o CNNOptions) (*CNN, *CNNInfo, [][]float64, error) {
	o = o.withDefaults()
	if err := o.Validate(); err != nil {
		return nil, nil, nil, err
	}
	if len(X) == 0 {
		return nil, nil, nil, fmt.Errorf("classify: cnn: no training rows")
	}
	n := img.Rows * img.Cols
	from, err := warmStartOptions(&o)
	if err != nil {
		return nil, nil, nil, err
	}
	arch := cnnArchitecture(o, img, len(X[0])-n, k)
	if err := warmStart(&arch, from); err != nil {
		return nil, nil, nil, err
	}
	if from != nil && o.FromHead == CNNFromHeadKeep {
		if err := keepHeadArch(&arch, from, o); err != nil {
			return nil, nil, nil, err
		}
	}
	c := cnnStandardization(X, n)
	net, kept, err := warmNet(arch, from, c, o)
	if err != nil {
		return nil, nil, nil, err
	}
	c.Net, o.PerImage = net, c.PerImage
	samples := make([]nn.Sample, len(X))
	for i, row := range X {
		px := make([]float64, n)
		c.standardize(px, row[:n])
		samples[i] = nn.Sample{X: px, Extra: c.standardizeExtra(nil, row[n:]), Label: y[i]}
	}
	trainIdx, valIdx := cnnValidationSplit(y, groups, k, o)
	train, val := pickSamples(samples, trainIdx), pickSamples(samples, valIdx)
	trainY := make([]int, len(trainIdx))
	for j, i := range trainIdx {
		trainY[j] = y[i]
	}
	cw := cnnClassWeights(trainY, k, o.ClassWeight)
	fo := nn.FitOptions{Epochs: o.Epochs, Batch: o.Batch, LR: o.LR, Decay: 1e-4, ClassWeights: cw, Seed: o.Seed,
		Jobs: o.Jobs, Patience: o.Patience}
	if len(val) == 0 {
		fo.Patience = 0
	}
	if !o.NoAugment {
		offset := 0.03 / c.SD
		if o.PerImage {
			offset = 0 // taken out by the standardisation
		}
		fo.Augment = spectrogramAugment(img.Rows, img.Cols, offset)
	}
	all := o.Epochs + o.Anneal // both stages' epochs, for o.Progress
	if o.Progress != nil {
		fo.Epoch = func(e nn.EpochResult) { o.Progress(e.Epoch, all) }
	}
	res, err := net.Fit(ctx, train, val, fo)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("classify: cnn: %w", err)
	}
	for e := len(res.Epochs) + 1; o.Progress != nil && e <= o.Epochs; e++ {
		o.Progress(e, all) // stopped early: the epochs not run
	}
	info := &CNNInfo{Arch: arch, Epochs: o.Epochs, Batch: o.Batch, LR: o.LR, Validation: o.Validation, Patience: o.Patience,
		Augment: !o.NoAugment, BestEpoch: res.Best, Ran: len(res.Epochs), PerImage: o.PerImage}
	if from != nil {
		info.From = o.FromName
		if info.From == "" {
			info.From = "a network"
		}
		info.FromHead = kept
	}
	if len(val) > 0 {
		info.ValLoss = res.Epochs[res.Best-1].ValLoss
	}
	if err := cnnAnneal(ctx, net, train, val, fo, o, info); err != nil {
		return nil, nil, nil, err
	}
	scores := make([][]float64, len(X))
	for i := range scores {
		scores[i] = []float64{math.NaN()}
	}
	for _, i := range valIdx {
		scores[i] = net.Probs(nil, samples[i].X, samples[i].Extra)
	}
	return c, info, scores, nil
}

// cnnAnneal runs TrainCNN's second stage (annealStage) when o.Anneal asks
// for one and there is a validation split, records it in info, and tells
// o.Progress of its o.Anneal epochs, run or not, numbered after the first
// stage's o.Epochs.
func cnnAnneal(ctx context.Context, net *nn.Net, train, val []nn.Sample, fo nn.FitOptions, o CNNOptions, info *CNNInfo) error {
	all, first := o.Epochs+o.Anneal, info.Ran
	fo.Epoch = nil
	if o.Progress != nil {
		// annealStage numbers the epochs after the first stage's run.
		fo.Epoch = func(e nn.EpochResult) { o.Progress(o.Epochs+e.Epoch-first, all) }
	}
	if o.Anneal > 0 && len(val) > 0 {
		st, err := annealStage(ctx, net, train, val, fo, o.Anneal, stageResult{ran: first, best: info.BestEpoch, valLoss: info.ValLoss})
		if err != nil {
			return fmt.Errorf("classify: cnn: %w", err)
		}
		info.Anneal, info.Ran, info.BestEpoch, info.ValLoss = o.Anneal, st.ran, st.best, st.valLoss
	}
	for e := info.Ran - first + 1; o.Progress != nil && e <= o.Anneal; e++ {
		o.Progress(o.Epochs+e, all) // the second stage's epochs not run
	}
	return nil
}

// rowGroups returns groups, or when it is nil a group of its own for
// each of n rows.
func rowGroups(groups []string, n int) []string {
	if groups != nil {
		return groups
	}
	groups = make([]string, n)
	for i := range groups {
		groups[i] = fmt.Sprint(i)
	}
	return groups
}

// cnnValidationSplit holds o.Validation of the record groups out of
// training (datasets.SplitByGroup); with one group, or a split that
// fails, every row trains.
func cnnValidationSplit(y []int, groups []string, k int, o CNNOptions) (train, val []int) {
	train, val, err := datasets.SplitByGroup(y, rowGroups(groups, len(y)), k, 1-o.Validation, o.Seed)
	if err != nil || len(train) == 0 {
		train, val = make([]int, len(y)), nil
		for i := range train {
			train[i] = i
		}
	}
	return train, val
}

func pickSamples(s []nn.Sample, idx []int) []nn.Sample {
	out := make([]nn.Sample, len(idx))
	for j, i := range idx {
		out[j] = s[i]
	}
	return out
}

// spectrogramAugment returns the augmentation of standardised
// spectrogram images of rows x cols (row 0 the highest frequency, columns
// in time): a circular shift in time by up to a quarter of the width, and
// a brightness offset of up to ±maxOffset (a gain change: the images map
// dB to grey levels linearly, so a gain is an offset). The frequency axis
// is never flipped or shifted.
func spectrogramAugment(rows, cols int, maxOffset float64) func(dst, x []float64, rng *rand.Rand) {
	return func(dst, x []float64, rng *rand.Rand) {
		shift := rng.IntN(cols/2+1) - cols/4
		off := (2*rng.Float64() - 1) * maxOffset
		for r := 0; r < rows; r++ {
			src, d := x[r*cols:(r+1)*cols], dst[r*cols:(r+1)*cols]
			for c := range d {
				d[c] = src[((c-shift)%cols+cols)%cols] + off
			}
		}
	}
}

// maxPixels bounds Rows x Cols of pixel features (the features of a
// model are at most maxFeatures).
const maxPixels = 1 << 15

// checkPixels checks pixel settings: Rows and Cols 4 to 1024, at most
// maxPixels in all, no grid.
func (o ImageFeatures) checkPixels() error {
	if o.Rows < 4 || o.Rows > maxImageSide || o.Cols < 4 || o.Cols > maxImageSide || o.Rows*o.Cols > maxPixels {
		return fmt.Errorf("image pixels: rows x cols %d x %d out of range 4..%d (at most %d pixels)", o.Rows, o.Cols, maxImageSide, maxPixels)
	}
	if o.Grid != 0 {
		return fmt.Errorf("image pixels: grid %d (pixel features have none)", o.Grid)
	}
	return nil
}

// pixelNames names the pixel features img.px.ROW.COL.
func (o ImageFeatures) pixelNames() []string {
	n := make([]string, 0, o.Rows*o.Cols)
	for r := 0; r < o.Rows; r++ {
		for c := 0; c < o.Cols; c++ {
			n = append(n, fmt.Sprintf("img.px.%d.%d", r, c))
		}
	}
	return n
}

// trainCNNModel trains the network of a model on pixel features (spec:
// images with Pixels); it also returns the validation rows' probabilities
// (NaN rows for the rows it trained on), which set the thresholds.
func trainCNNModel(spec FeatureSpec, X [][]float64, y []int, labels []string, opt TrainOptions) (*Model, [][]float64, error) {
	k := len(labels)
	if spec.Input != InputImage || !spec.Image.Pixels {
		return nil, nil, fmt.Errorf("classify: the cnn learner reads image pixels (features %q without pixels)", spec.Input)
	}
	if opt.Groups != nil && len(opt.Groups) != len(X) {
		return nil, nil, fmt.Errorf("classify: %d record groups for %d rows", len(opt.Groups), len(X))
	}
	ctx := opt.CNN.Context
	if ctx == nil {
		ctx = context.Background()
	}
	o := opt.CNN.withDefaults()
	o.labels, o.extra = labels, spec.Extra
	c, info, scores, err := TrainCNN(ctx, X, y, opt.Groups, k, *spec.Image, o)
	if err == nil {
		err = trainCNNMembers(ctx, c, info, scores, X, y, opt.Groups, k, *spec.Image, o)
	}
	if err != nil {
		return nil, nil, err
	}
	m := &Model{cnn: c}
	m.Info.Learner = LearnerInfo{Kind: LearnerCNN, ClassWeight: o.ClassWeight, Seed: o.Seed, LearningRate: o.LR, CNN: info}
	return m, scores, nil
}

// CNNSpecFor returns the feature settings of the cnn learner for the
// images of ds: their pixels (CNNImageFeatures) and, as SpecFor, the
// manifest's RR columns when the archive has them. It fails for signal
// files: the network reads images.
func CNNSpecFor(ds *datasets.LabelFolders) (FeatureSpec, error) {
	spec, err := SpecFor(ds)
	if err != nil {
		return spec, err
	}
	if spec.Input != InputImage {
		return FeatureSpec{}, fmt.Errorf("%s: the cnn learner reads images, the dataset holds %s files", ds.Dir, spec.Input)
	}
	return ImageSpec(CNNImageFeatures(), spec.Extra), nil
}

// cnnRunOptions returns o for runs trainings of learner with ctx, and
// with p, StageEpochs started over every epoch of them (a run stopped
// early counts its remaining epochs when it stops).
func cnnRunOptions(ctx context.Context, o CNNOptions, learner string, p Progress, runs int) CNNOptions {
	o.Context = ctx
	if p == nil || learner != LearnerCNN {
		return o
	}
	total, done := (o.withDefaults().Epochs+max(o.Anneal, 0))*runs*max(o.Ensemble, 1), 0
	p(StageEpochs, 0, total)
	o.Progress = func(int, int) { done++; p(StageEpochs, done, total) }
	return o
}

// FitSummary says in a few words what was fitted: "100 trees", for a
// network "network, 12 of 30 epochs (kept 6)", for an ensemble "3
// networks, 12/9/14 of 30 epochs (kept 6/3/8)"; a network that kept the
// head of the one it started from says so ("network with the head of
// default (AF, N), ...").
func (m *Model) FitSummary() string {
	if si := m.Info.Learner.Signet; m.signet != nil && si != nil {
		if n := m.Info.Learner.Networks; n > 1 {
			return fmt.Sprintf("%d trees and %d networks, the first %d of %d epochs (kept %d)", m.NumTrees(), n, si.Ran, si.Epochs, si.BestEpoch)
		}
		return fmt.Sprintf("%d trees and a network, %d of %d epochs (kept %d)", m.NumTrees(), si.Ran, si.Epochs, si.BestEpoch)
	}
	if ci := m.Info.Learner.CNN; m.cnn != nil && ci != nil && len(ci.Members) > 0 {
		return ci.ensembleSummary()
	}
	if ci := m.Info.Learner.CNN; m.cnn != nil && ci != nil {
		return fmt.Sprintf("network%s, %d of %d epochs (kept %d)", ci.headSummary(), ci.Ran, ci.Epochs, ci.BestEpoch)
	}
	return fmt.Sprintf("%d trees", m.NumTrees()) + m.viewsSummary()
}

// warmStartOptions returns the network of o.From (nil: fresh weights,
// nothing changes) and sets o's architecture, filters and kernel to its.
func warmStartOptions(o *CNNOptions) (*CNN, error) {
	if o.From == nil {
		return nil, nil
	}
	c := o.From.cnn
	if c == nil {
		return nil, fmt.Errorf("classify: cnn: the model to start from is a %s model, not a network", o.From.Info.Learner.Kind)
	}
	fa := c.Net.Arch
	o.Arch, o.Filters, o.Kernel = archName(fa), fa.Filters, fa.Kernel
	return c, nil
}

// warmStart sets the convolution blocks of arch (made with the settings
// warmStartOptions set) to those of the network from (nil: nothing
// changes); the input must be of the same size.
func warmStart(arch *nn.Arch, from *CNN) error {
	if from == nil {
		return nil
	}
	fa := from.Net.Arch
	if fa.In != arch.In {
		return fmt.Errorf("classify: cnn: the network to start from reads images of %v, these are %v", fa.In, arch.In)
	}
	arch.Pool, arch.AvgPool, arch.Kernels, arch.Strides, arch.GlobalPool = fa.Pool, fa.AvgPool, fa.Kernels, fa.Strides, fa.GlobalPool
	arch.Recurrent, arch.RecurrentAvg, arch.GroupNorm = fa.Recurrent, fa.RecurrentAvg, fa.GroupNorm
	return nil
}

// trunkParams is the number of parameters of the convolution blocks of
// a, which come first in nn.Net.Params.
func trunkParams(a nn.Arch) int {
	t := a
	t.Extra, t.Hidden, t.Classes = 0, 0, 0
	return t.NumParams()
}
