package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"
)

// TestTrainEnsembleStream is TestTrainTemporalStream for a seed ensemble
// of two temporal networks (--cnn-ensemble 2): a model file of version 9
// that ecg eval reads, and whose live windows ecg stream scores exactly as
// ecg predict scores the archive's PNGs.
func TestTrainEnsembleStream(t *testing.T) {
	b, err := os.ReadFile(imageModelStream(t, "--image-size", "20x64", "--cnn-arch", "temporal", "--cnn-ensemble", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != 9 || !bytes.Contains(b, []byte(`"members":[{"seed":2,`)) {
		t.Errorf("version %d; the model is not an ensemble of networks seeded 1 and 2", v)
	}
}
