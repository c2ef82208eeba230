package wfdb

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
)

// readMultiSegment reads frames [from, to) of a multi-segment record as
// one record. A first segment of length 0 is the layout header (variable
// layout): its signals are the record's, each segment's signals are matched
// to them by description and rescaled to the layout's gain and baseline
// (rounding halves up, as WFDB does), and signals a segment lacks are
// invalid. Otherwise (fixed layout) every segment has the signals of the
// first non-null segment, in the same order. Null segments ("~") give
// invalid samples.
func readMultiSegment(h *Header, from, to int64) (*Record, error) {
	sigs, layout, segs, err := h.segmentLayout()
	if err != nil {
		return nil, err
	}
	out := *h
	out.Signals = sigs
	var total int64
	for _, s := range segs {
		total += s.NSamples
	}
	if h.NSamples > 0 && h.NSamples < total {
		total = h.NSamples
	}
	if to < 0 || to > total {
		to = total
	}
	if from > to {
		from = to
	}
	n := to - from
	spf := int64(0)
	for i := range out.Signals {
		spf += int64(out.Signals[i].SamplesPerFrame)
	}
	var unbacked, start0 int64
	for _, seg := range segs {
		if seg.Name == "~" {
			unbacked += max(0, min(to, start0+seg.NSamples)-max(from, start0)) * spf
		}
		start0 += seg.NSamples
	}
	if err := checkUnbacked(h, unbacked); err != nil {
		return nil, err
	}
	r := &Record{Header: &out, nframes: int(n), start: from, samples: make([][]int32, len(out.Signals))}
	for s := range out.Signals {
		r.samples[s] = make([]int32, n*int64(out.Signals[s].SamplesPerFrame))
		fill(r.samples[s], InvalidSample)
	}
	var segErrs []error
	var start int64
	for _, seg := range segs {
		segFrom, segTo := max(from, start), min(to, start+seg.NSamples)
		if segFrom < segTo && seg.Name != "~" {
			sh, err := ReadHeader(filepath.Join(h.dir, seg.Name))
			if err != nil {
				return nil, fmt.Errorf("record %s: segment %s: %w", h.Name, seg.Name, err)
			}
			if sh.IsMultiSegment() {
				return nil, fmt.Errorf("record %s: segment %s is itself multi-segment", h.Name, seg.Name)
			}
			if sh.NSamples == 0 {
				sh.NSamples = seg.NSamples
			}
			sr, err := readSingleSegment(sh, segFrom-start, segTo-start)
			if err != nil {
				return nil, fmt.Errorf("record %s: segment %s: %w", h.Name, seg.Name, err)
			}
			if segFrom == start && segTo-start == sh.NSamples {
				if err := sr.VerifyChecksums(); err != nil {
					segErrs = append(segErrs, err)
				}
			}
			if err := placeSegment(r, sr, layout != nil, segFrom-from); err != nil {
				return nil, fmt.Errorf("record %s: segment %s: %w", h.Name, seg.Name, err)
			}
		}
		start += seg.NSamples
	}
	r.segmentErrs = errors.Join(segErrs...)
	r.average()
	return r, nil
}

// placeSegment copies segment record sr into r starting at frame at.
func placeSegment(r, sr *Record, variable bool, at int64) error {
	out := r.Header.Signals
	in := sr.Header.Signals
	if !variable && len(in) > len(out) {
		return fmt.Errorf("%d signals, the record has %d", len(in), len(out))
	}
	for s := range out {
		j := s
		if variable {
			j = -1
			for k := range in {
				if in[k].Description == out[s].Description {
					j = k
					break
				}
			}
			if j < 0 {
				continue // absent from this segment: stays invalid
			}
		} else if j >= len(in) {
			continue
		}
		ospf, ispf := out[s].SamplesPerFrame, in[j].SamplesPerFrame
		if !variable && ospf != ispf {
			return fmt.Errorf("signal %d has %d samples per frame, the record %d", j, ispf, ospf)
		}
		k := min(ospf, ispf)
		src := sr.samples[j]
		dst := r.samples[s][at*int64(ospf):]
		scale, offset := 1.0, 0.0
		rescale := false
		if variable {
			scale = out[s].effectiveGain() / in[j].effectiveGain()
			offset = float64(out[s].Baseline) - scale*float64(in[j].Baseline) + 0.5
			rescale = scale != 1 || out[s].Baseline != in[j].Baseline
		}
		for t := 0; t < sr.nframes; t++ {
			for c := 0; c < k; c++ {
				v := src[t*ispf+c]
				if rescale && v != InvalidSample {
					x := math.Floor(float64(v)*scale + offset)
					if math.IsNaN(x) {
						v = InvalidSample
					} else {
						v = int32(max(min(x, math.MaxInt32), math.MinInt32+1))
					}
				}
				dst[t*ospf+c] = v
			}
		}
	}
	return nil
}
