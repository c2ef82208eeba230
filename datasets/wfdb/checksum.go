package wfdb

import (
	"errors"
	"fmt"
)

// Checksum returns the 16-bit checksum WFDB defines for a signal: the sum
// of all its samples (at its own rate) modulo 65536, as a signed value. An
// invalid sample counts as the format's sentinel, the value stored in the
// file.
func Checksum(samples []int32, f Format) int16 {
	var sum uint32
	sent := uint32(f.sentinel())
	for _, v := range samples {
		if v == InvalidSample {
			sum += sent
		} else {
			sum += uint32(v)
		}
	}
	return int16(sum)
}

// ChecksumError reports a signal whose samples do not sum to the header's
// checksum.
type ChecksumError struct {
	Record      string
	Signal      int
	Description string
	Header, Got int16
}

func (e *ChecksumError) Error() string {
	return fmt.Sprintf("record %s signal %d (%s): checksum %d in header, samples sum to %d", e.Record, e.Signal, e.Description, e.Header, e.Got)
}

func (e *ChecksumError) Unwrap() error { return ErrChecksum }

// ChecksumOK reports whether signal sig matches its header checksum; ok is
// false with present false when the header gives none.
func (r *Record) ChecksumOK(sig int) (ok, present bool) {
	spec := &r.Header.Signals[sig]
	if !spec.HasChecksum {
		return false, false
	}
	return Checksum(r.samples[sig], spec.Format) == spec.Checksum, true
}

// VerifyChecksums checks every signal that has a header checksum and
// returns the mismatches joined (nil if all agree). The record must have
// been read whole. For a multi-segment record it checks each segment read
// whole against its own header.
func (r *Record) VerifyChecksums() error {
	var errs []error
	if r.segmentErrs != nil {
		errs = append(errs, r.segmentErrs)
	}
	for s := range r.samples {
		spec := &r.Header.Signals[s]
		if !spec.HasChecksum {
			continue
		}
		if got := Checksum(r.samples[s], spec.Format); got != spec.Checksum {
			errs = append(errs, &ChecksumError{Record: r.Header.Name, Signal: s, Description: spec.Description, Header: spec.Checksum, Got: got})
		}
	}
	return errors.Join(errs...)
}
