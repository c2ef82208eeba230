package classify

import (
	"fmt"
	"image"
	"sync"

	"github.com/ecgkit/ecg/spectro"
)

// InputJoint is the input of a model trained on both signal and image
// features of a WFDB record: the signal features of its first ECG signal
// (as InputSignal) followed by the image features (as InputImage) of the
// raw spectrogram image of the whole signal, rendered in memory exactly
// as `ecg spectro --stride record` with its default flags writes it
// (spectro.DefaultParams at the record's rate, 224x224 grayscale, -80 to
// -10 dB): no PNG is written or read.
const InputJoint = "signal+image"

// JointSpec returns the feature settings of a model on records with both
// signal and image features.
func JointSpec(sig SignalFeatures, img ImageFeatures) FeatureSpec {
	return FeatureSpec{Input: InputJoint, Signal: &sig, Image: &img}
}

// checkJoint checks the settings of a joint spec.
func (s FeatureSpec) checkJoint() error {
	if s.Signal == nil || s.Image == nil || len(s.Extra) > 0 {
		return fmt.Errorf("features: signal+image input needs signal and image settings and no extra columns")
	}
	if err := s.Signal.check(); err != nil {
		return err
	}
	return s.Image.check()
}

// jointNames returns the names of a joint spec's features: the signal
// features', then the image features'.
func (s FeatureSpec) jointNames() []string {
	return append(s.Signal.Names(), s.Image.Names()...)
}

// jointRenderer is the renderer of the joint features' images: ecg
// spectro's defaults. It is safe for concurrent use.
var jointRenderer = sync.OnceValues(func() (*spectro.StrideRenderer, error) {
	return spectro.NewStrideRenderer(spectro.StrideOptions{})
})

// JointVector returns the joint feature vector of a single-lead signal x
// in mV sampled at fs Hz: its signal features, then the image features of
// its raw spectrogram image.
func (s FeatureSpec) JointVector(x []float64, fs float64) ([]float64, error) {
	if s.Input != InputJoint || s.Signal == nil || s.Image == nil {
		return nil, fmt.Errorf("classify: the model takes %s input, not signals with their spectrograms", s.Input)
	}
	v, err := SignalSpec(*s.Signal).SignalVector(x, fs)
	if err != nil {
		return nil, err
	}
	r, err := jointRenderer()
	if err != nil {
		return nil, err
	}
	err = r.RenderImage(x, fs, func(img image.Image) error {
		v, err = s.Image.imageVector(v, img)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("classify: spectrogram image: %w", err)
	}
	return v, nil
}

// recordVector returns the feature vector of a record's signal: signal
// features, or joint ones for a joint spec.
func (s FeatureSpec) recordVector(x []float64, fs float64) ([]float64, error) {
	if s.Input == InputJoint {
		return s.JointVector(x, fs)
	}
	return s.SignalVector(x, fs)
}
