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
	Record      string             `json:"record"`     // record path as given, without ".hea"
	Name        string             `json:"name"`       // record name from the header
	Fs          float64            `json:"fs"`         // frames per second
	Frames      int64              `json:"frames"`     // length in frames
	DurationS   float64            `json:"duration_s"` // Frames / Fs
	Duration    string             `json:"duration"`   // as wfdbdesc prints it, e.g. "30:05.556"
	StartTime   string             `json:"start_time,omitempty"`
	StartDate   string             `json:"start_date,omitempty"`
	Segments    int                `json:"segments,omitempty"` // number of segments (multi-segment records)
	Comments    []string           `json:"comments,omitempty"`
	Signals     []SignalInfo       `json:"signals"`
	ChecksumsOK bool               `json:"checksums_ok"` // every header checksum matches
	Annotator   string             `json:"annotator,omitempty"`
	Annotations *AnnotationSummary `json:"annotations,omitempty"`
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
	// ChecksumStatus is "ok", "mismatch (samples sum to N)" or "absent".
	ChecksumStatus string `json:"checksum_status"`
}

// Describe reads a record whole, verifies its checksums and, when
// annotator is not empty, summarizes that annotation file.
func Describe(path, annotator string) (*RecordInfo, error) {
	path = strings.TrimSuffix(path, ".hea")
	rec, err := ReadRecord(path)
	if err != nil {
		return nil, err
	}
	h := rec.Header
	info := &RecordInfo{
		Record: path, Name: h.Name, Fs: h.Fs, Frames: int64(rec.NumFrames()),
		Comments: h.Comments, Segments: len(h.Segments), ChecksumsOK: true,
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
			if got := Checksum(rec.HighRes(i), s.Format); got == c {
				si.ChecksumStatus = "ok"
			} else {
				si.ChecksumStatus = fmt.Sprintf("mismatch (samples sum to %d)", got)
				info.ChecksumsOK = false
			}
		}
		info.Signals = append(info.Signals, si)
	}
	if rec.segmentErrs != nil {
		info.ChecksumsOK = false
	}
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

// HasAnnotations reports whether the annotation file of a record exists.
func HasAnnotations(path, annotator string) bool {
	_, err := os.Stat(AnnotationPath(strings.TrimSuffix(path, ".hea"), annotator))
	return !errors.Is(err, os.ErrNotExist)
}
