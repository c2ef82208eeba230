package wfdb

import (
	"errors"
	"fmt"
	"path/filepath"
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

// Unwrap returns ErrChecksum, and ErrChecksumUnset as well when the
// header's checksum is 0 (see Unset).
func (e *ChecksumError) Unwrap() []error {
	if e.Unset() {
		return []error{ErrChecksum, ErrChecksumUnset}
	}
	return []error{ErrChecksum}
}

// Unset reports whether the header's checksum is 0 while the samples sum
// to something else: what many converters write when they compute no
// checksum (the whole CinC 2017 set is like this). It is a warning, not
// evidence of damage; a non-zero mismatch is.
func (e *ChecksumError) Unset() bool { return e.Header == 0 && e.Got != 0 }

// ErrChecksumUnset is wrapped, with ErrChecksum, by a ChecksumError whose
// header checksum is 0 (ChecksumError.Unset).
var ErrChecksumUnset = errors.New("checksum 0 in header (not computed by the writer)")

// CheckChecksums checks every signal that has a header checksum, as
// VerifyChecksums does, but sorts the mismatches: those whose header
// checksum is 0 (ChecksumError.Unset, what converters that compute no
// checksum write) are returned as warnings, and err joins the others (and
// the segment mismatches that are not such warnings, for a multi-segment
// record); err is nil when only warnings were found. VerifyChecksums
// treats both as errors (a --strict check).
func (r *Record) CheckChecksums() (warnings []*ChecksumError, err error) {
	return splitChecksumErrors(r.VerifyChecksums())
}

// splitChecksumErrors separates the unset-checksum mismatches joined in err
// (at any depth of errors.Join) from the other errors.
func splitChecksumErrors(err error) (warnings []*ChecksumError, rest error) {
	var others []error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			if _, isCk := e.(*ChecksumError); !isCk {
				for _, x := range j.Unwrap() {
					walk(x)
				}
				return
			}
		}
		if ce, ok := e.(*ChecksumError); ok && ce.Unset() {
			warnings = append(warnings, ce)
			return
		}
		others = append(others, e)
	}
	if err != nil {
		walk(err)
	}
	return warnings, errors.Join(others...)
}

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
	errs = append(errs, checksumErrors(r.Header, func(s int) int16 { return Checksum(r.samples[s], r.Header.Signals[s].Format) })...)
	return errors.Join(errs...)
}

// checksumErrors returns a ChecksumError for every signal of h that has a
// header checksum other than sum(s), the checksum of its samples.
func checksumErrors(h *Header, sum func(s int) int16) []error {
	var errs []error
	for s := range h.Signals {
		spec := &h.Signals[s]
		if !spec.HasChecksum {
			continue
		}
		if got := sum(s); got != spec.Checksum {
			errs = append(errs, &ChecksumError{Record: h.Name, Signal: s, Description: spec.Description, Header: spec.Checksum, Got: got})
		}
	}
	return errs
}

// CheckSignalChecksums verifies a record's checksums as
// Record.CheckChecksums does, reading a single-segment record in chunks
// (SignalChecksums) instead of whole: it returns the number of frames, the
// unset checksums (warnings) and the other mismatches joined (err); a
// record that cannot be read is err too, with frames 0.
func (h *Header) CheckSignalChecksums() (frames int64, warnings []*ChecksumError, err error) {
	if h.IsMultiSegment() {
		rec, err := h.ReadSamples(0, -1)
		if err != nil {
			return 0, nil, err
		}
		warnings, err := rec.CheckChecksums()
		return int64(rec.NumFrames()), warnings, err
	}
	sums, frames, err := h.SignalChecksums()
	if err != nil {
		return 0, nil, err
	}
	warnings, err = splitChecksumErrors(errors.Join(checksumErrors(h, func(s int) int16 { return sums[s] })...))
	return frames, warnings, err
}

// SignalChecksums reads the signal files of a single-segment record in
// chunks and returns each signal's checksum (see Checksum) over the
// record's frames, and the number of frames, without keeping the samples.
// For multi-segment, skewed and FLAC records it reads the record whole.
func (h *Header) SignalChecksums() ([]int16, int64, error) {
	gs, err := groups(h)
	if err != nil {
		return nil, 0, err
	}
	stream := !h.IsMultiSegment()
	for _, g := range gs {
		if g.skew != 0 || g.format.IsFLAC() || g.format == FormatNull || g.file == "~" {
			stream = false
		}
	}
	if !stream {
		rec, err := h.ReadSamples(0, -1)
		if err != nil {
			return nil, 0, err
		}
		sums := make([]int16, rec.NumSignals())
		for s := range sums {
			sums[s] = Checksum(rec.HighRes(s), rec.Header.Signals[s].Format)
		}
		return sums, int64(rec.NumFrames()), nil
	}
	total := h.NSamples
	avail := make([]int64, len(gs))
	for i := range gs {
		a, err := gs[i].availableFrames(h.dir)
		if err != nil {
			return nil, 0, err
		}
		avail[i] = a
		if h.NSamples == 0 && (i == 0 || a < total) {
			total = a
		}
	}
	sums := make([]int16, len(h.Signals))
	for i := range gs {
		g := &gs[i]
		path := filepath.Join(h.dir, g.file)
		if avail[i] < total {
			return nil, 0, fmt.Errorf("%s: %w: header gives %d frames, the file holds %d", path, ErrTruncated, total, avail[i])
		}
		if err := g.checksums(h, path, total, sums); err != nil {
			return nil, 0, err
		}
	}
	return sums, total, nil
}

// checksums adds the checksums of group g's signals over frames [0, n).
func (g *group) checksums(h *Header, path string, n int64, sums []int16) error {
	k := int64(g.spf)
	slot := make([]uint32, k) // running sums per sample slot of a frame
	sig := make([]int, k)     // signal of each slot
	for j, i := 0, 0; i < g.n; i++ {
		for c := 0; c < h.Signals[g.first+i].SamplesPerFrame; c++ {
			sig[j] = g.first + i
			j++
		}
	}
	sent := uint32(g.format.sentinel())
	err := g.decodeChunks(h, path, 0, n, func(_, _ int64, flat []int32) {
		if k == 1 {
			var s uint32
			for _, v := range flat {
				if v == InvalidSample {
					s += sent
				} else {
					s += uint32(v)
				}
			}
			slot[0] += s
			return
		}
		for base := 0; base < len(flat); base += int(k) {
			for c, v := range flat[base : base+int(k)] {
				u := uint32(v)
				if v == InvalidSample {
					u = sent
				}
				slot[c] += u
			}
		}
	})
	if err != nil {
		return err
	}
	for j := range slot {
		sums[sig[j]] += int16(slot[j])
	}
	return nil
}
