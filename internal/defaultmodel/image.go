package defaultmodel

import (
	_ "embed"

	"github.com/ecgkit/ecg/classify"
)

// imageModel is the image network ecg train --learner cnn --from default
// starts from: ecg train --learner cnn on the spectrograms of the CinC
// 2017 shared set (one image per recording) and of MIT-BIH one-minute
// strides (rhythm labels, AFIB as AF, the rarer rhythms as Other), made
// by `make model` (see the Makefile and image_reproduce_test.go).
//
//go:embed image.model
var imageModel []byte

// LoadImage loads the network a --from value names: the embedded image
// network for Name, else the model file at path.
func LoadImage(path string) (*classify.Model, error) {
	return load(path, imageModel, "embedded default image network")
}
