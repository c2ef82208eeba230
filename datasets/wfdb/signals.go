package wfdb

import (
	"fmt"
	"path/filepath"
)

// RecordSignals returns the signals of the record as it is read: h.Signals
// for a single-segment record; for a multi-segment record (whose master
// header has no signal lines) those of its layout segment (variable
// layout) or of its first non-null segment (fixed layout), without
// checksums (they belong to the segments). Signal indices and names given
// to commands refer to these.
func (h *Header) RecordSignals() ([]SignalSpec, error) {
	if !h.IsMultiSegment() {
		return h.Signals, nil
	}
	sigs, _, _, err := h.segmentLayout()
	return sigs, err
}

// SignalNames returns the descriptions of RecordSignals, in order: the
// names by which commands and signal.Select pick signals.
func (h *Header) SignalNames() ([]string, error) {
	sigs, err := h.RecordSignals()
	if err != nil {
		return nil, err
	}
	return Descriptions(sigs), nil
}

// Descriptions returns the description of each signal, in order (the names
// signal.Select picks from).
func Descriptions(sigs []SignalSpec) []string {
	names := make([]string, len(sigs))
	for i := range sigs {
		names[i] = sigs[i].Description
	}
	return names
}

// segmentLayout reads what a multi-segment record presents: its signals
// (see RecordSignals), the layout header of a variable-layout record (nil
// for a fixed layout) and the segments that hold samples (the layout
// segment left out).
func (h *Header) segmentLayout() (sigs []SignalSpec, layout *Header, segs []Segment, err error) {
	segs = h.Segments
	if len(segs) > 0 && segs[0].NSamples == 0 && segs[0].Name != "~" {
		layout, err = ReadHeader(filepath.Join(h.dir, segs[0].Name))
		if err != nil {
			return nil, nil, nil, fmt.Errorf("record %s: layout segment: %w", h.Name, err)
		}
		sigs = append([]SignalSpec(nil), layout.Signals...)
		segs = segs[1:]
	} else {
		for _, s := range segs {
			if s.Name == "~" {
				continue
			}
			sh, err := ReadHeader(filepath.Join(h.dir, s.Name))
			if err != nil {
				return nil, nil, nil, fmt.Errorf("record %s: segment %s: %w", h.Name, s.Name, err)
			}
			sigs = append([]SignalSpec(nil), sh.Signals...)
			break
		}
	}
	for i := range sigs {
		sigs[i].HasChecksum = false
		sigs[i].Checksum = 0
		if sigs[i].SamplesPerFrame < 1 {
			sigs[i].SamplesPerFrame = 1
		}
	}
	return sigs, layout, segs, nil
}
