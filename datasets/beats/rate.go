package beats

import (
	"errors"
	"fmt"
)

// The sampling rates the detector works at, as measured: on the 22 DS1
// records of the MIT-BIH Arrhythmia Database resampled to 50 Hz - 8 kHz,
// clean, its sensitivity and positive predictivity stay at 99.77-99.81 %
// and above (docs/beats.md, "Sampling rates"; ECG_BEATS_RATES with the
// harness tag). Outside this range nothing has been measured.
const (
	MinFs = 50
	MaxFs = 8000
)

// ErrRate is wrapped by the error for a sampling rate outside [MinFs,
// MaxFs].
var ErrRate = errors.New("sampling rate outside the beat detector's 50 Hz to 8 kHz")

// CheckRate returns an error wrapping ErrRate when fs is outside [MinFs,
// MaxFs].
func CheckRate(fs float64) error {
	if !(fs >= MinFs && fs <= MaxFs) {
		return fmt.Errorf("%g Hz: %w", fs, ErrRate)
	}
	return nil
}
