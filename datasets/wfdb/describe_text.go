package wfdb

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteText writes the description as text, after wfdbdesc: record, start,
// length and rate, each signal's file, format, gain, ADC and checksum, the
// header's notes and the annotation summary.
func (in *RecordInfo) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "Record %s (%s)\n", in.Name, in.Record)
	start := "not specified"
	if in.StartTime != "" {
		start = strings.TrimSpace(in.StartTime + " " + in.StartDate)
	}
	fmt.Fprintf(bw, "Starting time: %s\n", start)
	fmt.Fprintf(bw, "Length: %s (%d sample intervals)\n", in.Duration, in.Frames)
	fmt.Fprintf(bw, "Sampling frequency: %g Hz\n", in.Fs)
	if in.Segments > 0 {
		fmt.Fprintf(bw, "Segments: %d\n", in.Segments)
	}
	fmt.Fprintf(bw, "%d signals\n", len(in.Signals))
	for i := range in.Signals {
		in.Signals[i].writeText(bw)
	}
	if len(in.Comments) > 0 {
		fmt.Fprintln(bw, "Notes:")
		for _, c := range in.Comments {
			fmt.Fprintf(bw, "  %s\n", strings.TrimSpace(c))
		}
	}
	if in.Annotations != nil {
		in.writeAnnotations(bw)
	}
	return bw.Flush()
}

// writeText writes one signal's lines of RecordInfo.WriteText.
func (s *SignalInfo) writeText(w io.Writer) {
	fmt.Fprintf(w, "Signal %d: %s\n", s.Index, s.Description)
	fmt.Fprintf(w, "  File: %s, storage format %d", s.File, s.Format)
	if s.SamplesPerFrame > 1 {
		fmt.Fprintf(w, ", %d samples per frame", s.SamplesPerFrame)
	}
	if s.Skew != 0 {
		fmt.Fprintf(w, ", skew %d", s.Skew)
	}
	if s.ByteOffset != 0 {
		fmt.Fprintf(w, ", byte offset %d", s.ByteOffset)
	}
	fmt.Fprintln(w)
	if s.Gain == 0 {
		fmt.Fprintf(w, "  Gain: uncalibrated (%g adu/%s assumed)\n", float64(DefaultGain), s.Units)
	} else {
		fmt.Fprintf(w, "  Gain: %g adu/%s, baseline %d\n", s.Gain, s.Units, s.Baseline)
	}
	fmt.Fprintf(w, "  ADC resolution: %d bits, ADC zero: %d, initial value: %d\n", s.ADCResolution, s.ADCZero, s.InitialValue)
	if s.Checksum != nil {
		fmt.Fprintf(w, "  Checksum: %d, %s\n", *s.Checksum, s.ChecksumStatus)
	} else {
		fmt.Fprintf(w, "  Checksum: absent\n")
	}
}

// writeAnnotations writes the annotation summary of RecordInfo.WriteText.
func (in *RecordInfo) writeAnnotations(w io.Writer) {
	an := in.Annotations
	fmt.Fprintf(w, "Annotations (%s): %d, of which %d beats\n", in.Annotator, an.Total, an.Beats)
	for _, c := range an.ByType {
		fmt.Fprintf(w, "  %-4s %7d  %s\n", c.Symbol, c.Count, c.Description)
	}
	if len(an.Rhythms) > 0 {
		fmt.Fprintln(w, "Rhythms:")
		for _, r := range an.Rhythms {
			fmt.Fprintf(w, "  %-6s %3d episode(s) %10.1f s (%5.1f%%)\n", r.Label, r.Episodes, r.Seconds, 100*r.Seconds/max(in.DurationS, 1e-9))
		}
	}
	if len(an.Episodes) > 0 {
		fmt.Fprintln(w, "Rhythm episodes:")
		for _, e := range an.Episodes {
			fmt.Fprintf(w, "  %-6s %s - %s (%.1f s)\n", e.Label, strings.TrimSpace(FormatTime(e.Start, in.Fs)),
				strings.TrimSpace(FormatTime(e.End, in.Fs)), float64(e.End-e.Start)/in.Fs)
		}
	}
}
