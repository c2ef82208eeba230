package signal

// Span is a half-open interval [Start, End) of samples (frames) of a record.
type Span struct {
	Start, End int64
}

// Len returns the number of samples of the span.
func (s Span) Len() int64 { return s.End - s.Start }
