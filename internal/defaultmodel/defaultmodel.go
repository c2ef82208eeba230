// Package defaultmodel holds the rhythm model embedded in the ecg binary,
// used by `ecg stream` and `ecg predict` when no model file is given, and
// loads the model a command's --model names (Load: this one for "default",
// else a model file).
//
// It is made by `make model`: internal/modelgen cuts every record of the
// MIT-BIH Arrhythmia Database into one-minute windows of its first lead
// (every 30 s), labelled by the reference rhythm covering at least 80 % of
// the window (rhythms found in fewer than three records left out: AFIB, B,
// N, P remain), and `ecg train --split 0.8 --seed 1` trains on the windows
// of 80 % of the records, holding out the rest. The held-out report is in
// the model file (`ecg eval` or the model's header) and in README.md.
package defaultmodel

import (
	"bytes"
	_ "embed"
	"io"
)

//go:embed rhythm.model
var model []byte

// Name is how commands refer to the embedded model.
const Name = "default"

// Open returns a reader over the embedded model file.
func Open() io.Reader { return bytes.NewReader(model) }
