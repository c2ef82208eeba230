package wfdb

// SignalNames returns the descriptions of the record's signals, in order,
// the names by which commands and signal.Select pick signals.
func (h *Header) SignalNames() []string {
	names := make([]string, len(h.Signals))
	for i := range h.Signals {
		names[i] = h.Signals[i].Description
	}
	return names
}
