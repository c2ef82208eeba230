package classify

import (
	"errors"
	"fmt"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// ErrNotBeatModel is wrapped by ClassifyRecordBeats's error for a model
// that does not classify beats (its features are not BeatSpec's).
var ErrNotBeatModel = errors.New("not a beat model (train one with ecg train --beats)")

// BeatClasses are a model's classes of a record's beats.
type BeatClasses struct {
	// Labels are the model's labels; Class[i] indexes them for beat i and
	// Score[i] is that class's score (0-1).
	Labels []string
	Class  []int
	Score  []float64
}

// CheckBeatModel returns an error wrapping ErrNotBeatModel unless m
// classifies beats.
func CheckBeatModel(m *Model) error {
	if m.Info.Features.Input != InputBeats {
		return fmt.Errorf("the model takes %s input: %w", m.Info.Features.Input, ErrNotBeatModel)
	}
	return nil
}

// ClassifyBeats classifies the beats at samples r (ascending) of x, a
// signal as ReadBeatSignal returns it with m's settings
// (m.Info.Features.Beats), at fs Hz.
func (m *Model) ClassifyBeats(x []float64, fs float64, r []int64) (*BeatClasses, error) {
	if err := CheckBeatModel(m); err != nil {
		return nil, err
	}
	bc := &BeatClasses{Labels: m.Info.Labels, Class: make([]int, len(r)), Score: make([]float64, len(r))}
	k := len(bc.Labels)
	all := m.scoreRowsFlat(beatVectors(x, fs, r))
	for i := range bc.Class {
		p := all[i*k : i*k+k]
		c := argmax(p)
		bc.Class[i], bc.Score[i] = c, p[c]
	}
	return bc, nil
}

// scoreRowsFlat returns the class scores (Scores) of every row of X, row
// i at [i*k:(i+1)*k] for k labels; a forest's trees are walked in the
// outer loop (Forest.predictRows), with the same scores.
func (m *Model) scoreRowsFlat(X [][]float64) []float64 {
	if m.forest != nil {
		return m.forest.predictRows(nil, X)
	}
	k := len(m.Info.Labels)
	out := make([]float64, len(X)*k)
	for i, x := range X {
		m.Scores(out[i*k:(i+1)*k:(i+1)*k], x)
	}
	return out
}

// ClassifyRecordBeats classifies the beats at samples r of the WFDB
// record at path (ReadBeatSignal).
func (m *Model) ClassifyRecordBeats(path string, r []int64) (*BeatClasses, error) {
	if err := CheckBeatModel(m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	x, fs, err := ReadBeatSignal(path, m.Info.Features.Beats)
	if err != nil {
		return nil, err
	}
	return m.ClassifyBeats(x, fs, r)
}

// ClassifyBeatSignal classifies the beats at samples r of the WFDB record
// at path whose chunks s was given (BeatSignal.Add, e.g. as
// beats.Options.Tap while r was detected): ClassifyRecordBeats without
// reading the record again. It takes over what s holds.
func (m *Model) ClassifyBeatSignal(path string, s *BeatSignal, r []int64) (*BeatClasses, error) {
	if err := CheckBeatModel(m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	x, fs, err := s.Signal(path, m.Info.Features.Beats)
	if err != nil {
		return nil, err
	}
	return m.ClassifyBeats(x, fs, r)
}

// Label returns the class name of beat i.
func (bc *BeatClasses) Label(i int) string { return bc.Labels[bc.Class[i]] }

// Code returns the annotation code of beat i's class: an AAMI class as
// the beat code bxb scores it by (N, A for S, V, F, Q), an annotation
// symbol as itself, anything else Unknown (Q).
func (bc *BeatClasses) Code(i int) wfdb.Code {
	l := bc.Label(i)
	switch l {
	case "N":
		return wfdb.Normal
	case "S":
		return wfdb.APC
	case "V":
		return wfdb.PVC
	case "F":
		return wfdb.Fusion
	case "Q":
		return wfdb.Unknown
	}
	if c, ok := wfdb.CodeOf(l); ok && c.IsBeat() {
		return c
	}
	return wfdb.Unknown
}

// Annotate sets the type of each of anns (one per classified beat, in
// order) to its class's code.
func (bc *BeatClasses) Annotate(anns []wfdb.Annotation) {
	for i := range anns {
		if i < len(bc.Class) {
			anns[i].Type = bc.Code(i)
		}
	}
}

// Names returns every beat's class name.
func (bc *BeatClasses) Names() []string {
	n := make([]string, len(bc.Class))
	for i := range n {
		n[i] = bc.Label(i)
	}
	return n
}
