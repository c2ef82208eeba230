package classify

import "fmt"

// WithImageSize returns spec, which reads images, with its luminance
// matrix resized to rows x cols (ImageFeatures.Rows and Cols; ecg train
// --image-size): the network's input when the features are pixels (the
// cnn learner), else the matrix the image features are computed from,
// whose thumbnail grid shrinks to fit when it is larger than either side.
// Each side is 4 to 1024; pixels are at most 32,768 in all, and each side
// must survive the network's blocks of 2x2 pooling (filters: one entry
// per block; nil, the default three): 8 or more for three blocks.
func (s FeatureSpec) WithImageSize(rows, cols int, filters []int) (FeatureSpec, error) {
	return s.WithNetworkImageSize(rows, cols, CNNOptions{Filters: filters})
}

// WithNetworkImageSize is WithImageSize for the network of o (its Arch
// and Filters, defaults when unset): a temporal network
// (CNNArchTemporal) reads each of the rows as a channel, at most
// nn.MaxChannel of them, and pools the columns only.
func (s FeatureSpec) WithNetworkImageSize(rows, cols int, o CNNOptions) (FeatureSpec, error) {
	if s.Input != InputImage || s.Image == nil {
		return FeatureSpec{}, fmt.Errorf("the image size is for images; these are %s features", s.Input)
	}
	img := *s.Image
	img.Rows, img.Cols = rows, cols
	if !img.Pixels {
		img.Grid = min(img.Grid, rows, cols)
	}
	if err := img.check(); err != nil {
		return FeatureSpec{}, err
	}
	if img.Pixels && o.Arch == CNNArchTemporal {
		if err := checkTemporalImage(rows, cols, len(o.withDefaults().Filters)); err != nil {
			return FeatureSpec{}, err
		}
	} else if img.Pixels {
		filters := o.withDefaults().Filters
		if least := 1 << len(filters); rows < least || cols < least {
			return FeatureSpec{}, fmt.Errorf("the network's %d blocks of 2x2 pooling need images of at least %d x %d, not %d x %d", len(filters), least, least, rows, cols)
		}
	}
	s.Image = &img
	return s, nil
}
