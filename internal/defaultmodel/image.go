package defaultmodel

import (
	_ "embed"

	"github.com/ecgkit/ecg/classify"
)

// imageModel is the image network ecg train --learner cnn --from default
// starts from: ecg train's temporal network with group normalisation
// (16x512 input) on ecg spectro's images of 30 s strides of the CinC 2017
// shared set and of the MIT-BIH records (rhythm labels, AFIB as AF, the
// rarer rhythms as Other), rendered with beat-resolving STFT settings
// (nperseg 64, noverlap 48, nfft 128 at 360 Hz, up to 40 Hz, 512x32
// pixels), which the model records; made by `make model-image` (see the
// Makefile and image_reproduce_test.go).
//
//go:embed image.model
var imageModel []byte

// LoadImage loads the network a --from value names: the embedded image
// network for Name, else the model file at path.
func LoadImage(path string) (*classify.Model, error) {
	return load(path, imageModel, "embedded default image network")
}
