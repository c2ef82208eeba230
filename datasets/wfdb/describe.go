package wfdb

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// RecordInfo describes a record as wfdbdesc does, with each signal's
// checksum verified and, optionally, a summary of one annotation file.
type RecordInfo struct {
	Record    string       `json:"record"`     // record path as given, without ".hea"
	Name      string       `json:"name"`       // record name from the header
	Fs        float64      `json:"fs"`         // frames per second
	Frames    int64        `json:"frames"`     // length in frames
	DurationS float64      `json:"duration_s"` // Frames / Fs
	Duration  string       `json:"duration"`   // as wfdbdesc prints it, e.g. "30:05.556"
	StartTime string       `json:"start_time,omitempty"`
	StartDate string       `json:"start_date,omitempty"`
	Segments  int          `json:"segments,omitempty"` // number of segments (multi-segment records)
	Comments  []string     `json:"comments,omitempty"`
	Signals   []SignalInfo `json:"signals"`
	// ChecksumsOK reports that every header checksum matches, except
	// those that are 0 in the header (counted in ChecksumWarnings).
	ChecksumsOK bool `json:"checksums_ok"`
	// ChecksumWarnings counts the signals (and segment signals) whose
	// header checksum is 0 while their samples sum to something else:
	// what converters that compute no checksum write (see
	// ChecksumError.Unset). A strict check fails on them; their
	// ChecksumStatus starts with "unset".
	ChecksumWarnings int `json:"checksum_warnings,omitempty"`
	// SegmentErrors lists segment checksum mismatches (multi-segment
	// records); SegmentWarnings the segment checksums that are 0 in the
	// segment's header.
	SegmentErrors   string             `json:"segment_errors,omitempty"`
	SegmentWarnings string             `json:"segment_warnings,omitempty"`
	Annotator       string             `json:"annotator,omitempty"`
	Annotations     *AnnotationSummary `json:"annotations,omitempty"`
}

// SignalInfo describes one signal of a RecordInfo.
type SignalInfo struct {
	Index           int     `json:"index"`
	Description     string  `json:"description"`
	File            string  `json:"file"`
	Format          Format  `json:"format"`
	SamplesPerFrame int     `json:"samples_per_frame"`
	Skew            int     `json:"skew,omitempty"`
	ByteOffset      int64   `json:"byte_offset,omitempty"`
	Gain            float64 `json:"gain"`
	Baseline        int32   `json:"baseline"`
	Units           string  `json:"units"`
	ADCResolution   int     `json:"adc_resolution"`
	ADCZero         int32   `json:"adc_zero"`
	InitialValue    int32   `json:"initial_value"`
	Checksum        *int16  `json:"checksum,omitempty"` // from the header, nil if absent
	// ChecksumStatus is "ok", "mismatch (samples sum to N)", "unset
	// (samples sum to N)" when the header's checksum is 0 (a warning, see
	// RecordInfo.ChecksumWarnings) or "absent"; "computed" for a record
	// held in memory (DescribeRecord).
	ChecksumStatus string `json:"checksum_status"`
}

// Describe reads a record whole, verifies its checksums and, when
// annotator is not empty, summarizes that annotation file.
func Describe(path, annotator string) (*RecordInfo, error) {
	path = strings.TrimSuffix(path, ".hea")
	h, err := ReadHeader(path)
	if err != nil {
		return nil, err
	}
	var sums []int16
	var frames int64
	var segErrs error
	if h.IsMultiSegment() {
		rec, err := h.ReadSamples(0, -1)
		if err != nil {
			return nil, err
		}
		h, frames, segErrs = rec.Header, int64(rec.NumFrames()), rec.segmentErrs
	} else if sums, frames, err = h.SignalChecksums(); err != nil {
		return nil, err
	}
	info := newInfo(path, h, frames, sums, segErrs)
	if annotator != "" {
		anns, err := ReadAnnotations(path, annotator)
		if err != nil {
			return info, err
		}
		sum := SummarizeAnnotations(anns, info.Frames, h.Fs)
		info.Annotator = annotator
		info.Annotations = &sum
	}
	return info, nil
}

// newInfo builds a RecordInfo from a header, the record's length in frames
// and the checksums of its signals' samples (sums[i] for signal i; unused
// for signals without a header checksum).
func newInfo(path string, h *Header, frames int64, sums []int16, segErrs error) *RecordInfo {
	info := &RecordInfo{
		Record: path, Name: h.Name, Fs: h.Fs, Frames: frames,
		Comments: trimAll(h.Comments), Segments: len(h.Segments), ChecksumsOK: true,
	}
	info.DurationS = float64(info.Frames) / h.Fs
	info.Duration = FormatTime(info.Frames, h.Fs)
	info.Duration = strings.TrimSpace(info.Duration)
	if h.HasBaseTime {
		var b []byte
		info.StartTime = string(appendClock(b, h.BaseTime))
	}
	if !h.BaseDate.IsZero() {
		info.StartDate = h.BaseDate.Format("02/01/2006")
	}
	for i := range h.Signals {
		s := &h.Signals[i]
		si := SignalInfo{
			Index: i, Description: s.Description, File: s.FileName, Format: s.Format, SamplesPerFrame: s.SamplesPerFrame,
			Skew: s.Skew, ByteOffset: s.ByteOffset, Gain: s.Gain, Baseline: s.Baseline, Units: s.Units,
			ADCResolution: s.ADCResolution, ADCZero: s.ADCZero, InitialValue: s.InitialValue, ChecksumStatus: "absent",
		}
		if s.HasChecksum {
			c := s.Checksum
			si.Checksum = &c
			switch got := sums[i]; {
			case got == c:
				si.ChecksumStatus = "ok"
			case c == 0:
				si.ChecksumStatus = fmt.Sprintf("unset (samples sum to %d)", got)
				info.ChecksumWarnings++
			default:
				si.ChecksumStatus = fmt.Sprintf("mismatch (samples sum to %d)", got)
				info.ChecksumsOK = false
			}
		}
		info.Signals = append(info.Signals, si)
	}
	warns, segErrs := splitChecksumErrors(segErrs)
	if len(warns) > 0 {
		info.ChecksumWarnings += len(warns)
		msgs := make([]string, len(warns))
		for i, w := range warns {
			msgs[i] = w.Error()
		}
		info.SegmentWarnings = strings.Join(msgs, "\n")
	}
	if segErrs != nil {
		info.ChecksumsOK = false
		info.SegmentErrors = segErrs.Error()
	}
	return info
}

// DescribeRecord describes a record held in memory (NewRecord: a CSV or EDF
// file converted), as Describe describes one on disk: path is how the
// caller names it; when annotator is not empty, anns are summarised under
// that name.
func DescribeRecord(path string, rec *Record, annotator string, anns []Annotation) *RecordInfo {
	h := rec.Header
	sums := make([]int16, len(h.Signals))
	for i := range h.Signals {
		sums[i] = Checksum(rec.samples[i], h.Signals[i].Format)
	}
	info := newInfo(path, h, int64(rec.NumFrames()), sums, nil)
	for i := range info.Signals {
		// No header on disk to check against: the sum is only reported.
		if si := &info.Signals[i]; si.Checksum == nil {
			c := sums[i]
			si.Checksum, si.ChecksumStatus = &c, "computed"
		}
	}
	if annotator != "" {
		sum := SummarizeAnnotations(anns, info.Frames, h.Fs)
		info.Annotator = annotator
		info.Annotations = &sum
	}
	return info
}

// HasAnnotations reports whether the annotation file of a record exists.
func HasAnnotations(path, annotator string) bool {
	_, err := os.Stat(AnnotationPath(strings.TrimSuffix(path, ".hea"), annotator))
	return !errors.Is(err, os.ErrNotExist)
}

// trimAll returns the strings with surrounding blanks removed.
func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}
