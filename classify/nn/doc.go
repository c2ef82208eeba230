// Package nn is a small convolutional network library in pure Go: the
// layers a spectrogram classifier needs (2-D and 1-D convolution, max and
// average pooling, ReLU, global average and max pooling, a bidirectional
// GRU over time, dense), softmax cross-entropy
// with class weights, Adam and SGD with momentum, He initialisation from
// an explicit math/rand/v2 source, and a training loop that runs the
// samples of a batch in parallel.
//
// Every tensor is a flat []float64 in channel, row, column order (a Shape
// says how many of each). A network's parameters are one flat vector
// (Net.Params), each layer owning a slice of it, so that optimisers,
// gradient buffers and model files see one vector.
//
// Training is deterministic for a seed whatever the number of cores: the
// gradient of every sample of a batch goes into its own buffer and the
// buffers are summed in sample order; the shuffle and every augmentation
// draw from sources seeded by (seed, epoch, sample).
//
// The convolutions, the max poolings of 2 and 2x2 and the ReLU run
// AVX2 assembly kernels on amd64 CPUs that have it (kernels_amd64.s), and
// their Go references elsewhere, without AVX2 or with the purego build
// tag (kernels.go). Both give the same bits: every term is a product
// rounded to float64 and then a sum rounded to float64 (never a fused
// multiply-add), each output's terms added in one fixed order, so that a
// network trains and predicts the same whichever runs (and as before the
// kernels: TestConvSameBitsAsBefore).
//
// It imports nothing of this module: classify builds its image learner
// (the cnn learner of ecg train) on it.
package nn
