package classify

import (
	"fmt"
	"image"
	"math"
)

// Inputs a model is trained on.
const (
	InputImage  = "image"
	InputSignal = "signal"
	// InputBeats: the model classifies the beats of a record, from the
	// signal around each beat (BeatFeatures); see TrainBeats.
	InputBeats = "beats"
)

// FeatureSpec says how an input becomes a feature vector. It is stored in
// the model file, so that prediction featurises exactly as training did.
type FeatureSpec struct {
	// Input is InputImage or InputSignal.
	Input string `json:"input"`
	// Image holds the image feature settings (Input == InputImage).
	Image *ImageFeatures `json:"image,omitempty"`
	// Signal holds the signal feature settings (Input == InputSignal).
	Signal *SignalFeatures `json:"signal,omitempty"`
	// Extra lists the manifest columns used as features next to an image
	// (a subset of ExtraColumns), in order. Ratios derived from them are
	// added after them (see ExtraNames).
	Extra []string `json:"extra,omitempty"`
	// Beats holds the beat feature settings (Input == InputBeats); nil
	// for the settings of beat models before they had any (BeatSettings).
	Beats *BeatSettings `json:"beats,omitempty"`
	// Spectrogram, for images, records how the archive the model was
	// trained on rendered them (its spectro-params.json), so that live
	// windows are rendered alike (Model.StrideOptions); nil for ecg
	// spectro's default flags, for images made elsewhere and for models
	// made before it was recorded.
	Spectrogram *SpectrogramSettings `json:"spectrogram,omitempty"`
}

// ExtraColumns are the manifest.csv columns a model may use as features:
// the RR context of a beat window, in seconds. Other columns (label, beat
// counts) describe the reference annotations and would leak the label.
var ExtraColumns = []string{"prev_rr", "next_rr", "local_rr", "avg_rr"}

// ImageSpec returns the feature settings for images, with the manifest
// columns extra (nil for none).
func ImageSpec(o ImageFeatures, extra []string) FeatureSpec {
	return FeatureSpec{Input: InputImage, Image: &o, Extra: extra}
}

func (s FeatureSpec) check() error {
	if s.Beats != nil && s.Input != InputBeats {
		return fmt.Errorf("features: beat settings for %s input", s.Input)
	}
	if err := s.checkSpectrogram(); err != nil {
		return err
	}
	switch s.Input {
	case InputImage:
		if s.Image == nil || s.Signal != nil {
			return fmt.Errorf("features: image input needs image settings only")
		}
		if err := s.Image.check(); err != nil {
			return err
		}
	case InputSignal:
		if s.Signal == nil || s.Image != nil || len(s.Extra) > 0 {
			return fmt.Errorf("features: signal input needs signal settings only")
		}
		if err := s.Signal.check(); err != nil {
			return err
		}
	case InputJoint:
		if err := s.checkJoint(); err != nil {
			return err
		}
	case InputBeats:
		if s.Image != nil || s.Signal != nil || len(s.Extra) > 0 {
			return fmt.Errorf("features: beats input takes beat settings only")
		}
		if err := s.Beats.check(); err != nil {
			return err
		}
	default:
		return fmt.Errorf("features: input %q (want image, signal, signal+image or beats)", s.Input)
	}
	seen := map[string]bool{}
	for _, e := range s.Extra {
		ok := false
		for _, c := range ExtraColumns {
			ok = ok || c == e
		}
		if !ok || seen[e] {
			return fmt.Errorf("features: extra column %q unknown or repeated", e)
		}
		seen[e] = true
	}
	return nil
}

// Names returns the feature names in vector order.
func (s FeatureSpec) Names() []string {
	var n []string
	switch s.Input {
	case InputImage:
		n = s.Image.Names()
	case InputSignal:
		n = s.Signal.Names()
	case InputJoint:
		n = s.jointNames()
	case InputBeats:
		n = beatModelNames()
	}
	return append(n, s.extraNames()...)
}

// extraNames names the extra columns and the ratios derived from them:
// every RR column divided by avg_rr (when both are used), and
// prev_rr/next_rr.
func (s FeatureSpec) extraNames() []string {
	var n []string
	has := map[string]bool{}
	for _, e := range s.Extra {
		n = append(n, "rr."+e)
		has[e] = true
	}
	if has["avg_rr"] {
		for _, e := range s.Extra {
			if e != "avg_rr" {
				n = append(n, "rr."+e+"/avg_rr")
			}
		}
	}
	if has["prev_rr"] && has["next_rr"] {
		n = append(n, "rr.prev_rr/next_rr")
	}
	if has["prev_rr"] && has["local_rr"] {
		n = append(n, "rr.prev_rr/local_rr")
	}
	return n
}

// extraVector appends the extra features: values missing from extra, or
// not finite, are NaN (trees send NaN right of every split).
func (s FeatureSpec) extraVector(dst []float64, extra map[string]float64) []float64 {
	val := func(k string) float64 {
		v, ok := extra[k]
		if !ok || math.IsInf(v, 0) {
			return math.NaN()
		}
		return v
	}
	has := map[string]bool{}
	for _, e := range s.Extra {
		dst = append(dst, val(e))
		has[e] = true
	}
	div := func(a, b float64) float64 {
		if !(b > 0) || math.IsNaN(a) {
			return math.NaN()
		}
		return a / b
	}
	if has["avg_rr"] {
		for _, e := range s.Extra {
			if e != "avg_rr" {
				dst = append(dst, div(val(e), val("avg_rr")))
			}
		}
	}
	if has["prev_rr"] && has["next_rr"] {
		dst = append(dst, div(val("prev_rr"), val("next_rr")))
	}
	if has["prev_rr"] && has["local_rr"] {
		dst = append(dst, div(val("prev_rr"), val("local_rr")))
	}
	return dst
}

// ImageVector returns the feature vector of an image and its manifest
// values (keys are manifest column names).
func (s FeatureSpec) ImageVector(img image.Image, extra map[string]float64) ([]float64, error) {
	if s.Input != InputImage || s.Image == nil {
		return nil, fmt.Errorf("classify: the model takes %s input, not images", s.Input)
	}
	x, err := s.Image.imageVector(make([]float64, 0, 512), img)
	if err != nil {
		return nil, err
	}
	return s.extraVector(x, extra), nil
}
