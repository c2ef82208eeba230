package wfdb

import "fmt"

// readMultiSegment reads frames [from, to) of a multi-segment record.
func readMultiSegment(h *Header, from, to int64) (*Record, error) {
	return nil, fmt.Errorf("record %s: multi-segment records: %w", h.Name, ErrUnsupported)
}
