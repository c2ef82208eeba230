package classify

import (
	"bytes"
	"image/png"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/spectro"
)

// TestJointVector checks that the joint features of a record are its
// signal features followed by the image features of the PNG ecg spectro
// writes for the whole record, that a record file gives the same vector,
// and that a model on them saves, loads and predicts records.
func TestJointVector(t *testing.T) {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.AFib, Fs: 300, Duration: 20, Seed: 3, Noise: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := rec.WriteWFDB(dir, "a1"); err != nil {
		t.Fatal(err)
	}
	x, fs, err := ReadSignal(filepath.Join(dir, "a1"))
	if err != nil {
		t.Fatal(err)
	}
	spec := JointSpec(DefaultSignalFeatures(), DefaultImageFeatures())
	v, err := spec.JointVector(x, fs)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != len(spec.Names()) {
		t.Fatalf("%d features, %d names", len(v), len(spec.Names()))
	}
	sig, err := SignalSpec(DefaultSignalFeatures()).SignalVector(x, fs)
	if err != nil {
		t.Fatal(err)
	}
	r, err := spectro.NewStrideRenderer(spectro.StrideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.WritePNG(&b, x, fs); err != nil {
		t.Fatal(err)
	}
	pngImg, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	img, err := ImageSpec(DefaultImageFeatures(), nil).ImageVector(pngImg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !equalNaN(v[:len(sig)], sig) || !equalNaN(v[len(sig):], img) {
		t.Fatal("joint features are not the signal features and the PNG's image features")
	}
	file := datasets.LabeledFile{Path: filepath.Join(dir, "a1"), Kind: datasets.KindRecord}
	fv, err := spec.FileVector(file)
	if err != nil || !equalNaN(fv, v) {
		t.Fatalf("record file: %v", err)
	}
	if _, err := spec.FileVector(datasets.LabeledFile{Path: "x.png", Kind: datasets.KindImage}); err == nil {
		t.Fatal("a joint spec took an image")
	}

	// A model on joint features round-trips and predicts a record.
	X := [][]float64{v, v, slices.Repeat([]float64{0}, len(v)), slices.Repeat([]float64{1}, len(v))}
	m, err := Train([]string{"AF", "N"}, spec, X, []int{0, 0, 1, 1}, TrainOptions{Forest: ForestOptions{Trees: 5, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	if err := m.Save(&saved); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(&saved)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Info.Features.Input != InputJoint || !slices.Equal(m2.Info.Features.Names(), spec.Names()) {
		t.Fatalf("loaded spec %+v", m2.Info.Features)
	}
	if p, err := m2.PredictFile(filepath.Join(dir, "a1.hea"), nil); err != nil || p.Label != "AF" {
		t.Fatalf("predict record: %+v, %v", p, err)
	}
}

// TestJointSpecCheck refuses joint specs without both settings or with
// manifest columns, and signal vectors asked of a joint spec.
func TestJointSpecCheck(t *testing.T) {
	good := JointSpec(DefaultSignalFeatures(), DefaultImageFeatures())
	if err := good.check(); err != nil {
		t.Fatal(err)
	}
	noImage, extra := good, good
	noImage.Image = nil
	extra.Extra = []string{"prev_rr"}
	for _, s := range []FeatureSpec{noImage, extra} {
		if err := s.check(); err == nil {
			t.Errorf("%+v: no error", s)
		}
	}
	if _, err := good.SignalVector(make([]float64, 3000), 300); err == nil {
		t.Error("a joint spec gave a signal vector")
	}
	if _, err := SignalSpec(DefaultSignalFeatures()).JointVector(make([]float64, 3000), 300); err == nil {
		t.Error("a signal spec gave a joint vector")
	}
}
