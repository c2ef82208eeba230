// Package defaultmodel holds the rhythm model embedded in the ecg binary,
// used by `ecg stream` and `ecg predict` when no model file is given, and
// loads the model a command's --model names (Load: this one for "default",
// else a model file).
//
// It is made by `make model` (the same steps as reproduce_test.go):
// internal/modelgen cuts every record of the MIT-BIH Arrhythmia Database
// into one-minute windows of its first lead (every 30 s), labelled by the
// reference rhythm covering at least 80 % of the window (N and AFIB kept;
// other rhythms, and N windows with at least 1 % ectopic beats, are
// OTHER), links the PhysioNet/CinC Challenge 2017 shared set beside them
// and lists both in one labels CSV with a patient column; `ecg train
// --labels ... --label-map 'A=AFIB,O=OTHER,~=NOISY' --learner forest
// --class-weight none --min-leaf 2 --folds 5 --out` trains on all of it
// and stores the 5-fold CV grouped by patient. Labels: AFIB, N, NOISY,
// OTHER. How the recipe was chosen: docs/rhythm.md.
package defaultmodel

import (
	"bytes"
	_ "embed"
	"io"
)

//go:embed rhythm.model
var model []byte

// beatModel is the beat model (ecg beats --classify default): ecg train
// --beats on every MIT-BIH Arrhythmia Database record, AAMI classes, all
// records, 50 trees of depth 10 at most (the report stored in it is a
// 5-fold CV grouped by record; make model has the recipe). It
// is there so that --classify works without training: usage, not
// accuracy (docs/classify.md has the inter-patient numbers).
//
//go:embed beats.model
var beatModel []byte

// Name is how commands refer to the embedded model.
const Name = "default"

// Open returns a reader over the embedded model file.
func Open() io.Reader { return bytes.NewReader(model) }
