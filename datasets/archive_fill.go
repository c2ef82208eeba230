package datasets

import "fmt"

// FillMode says how the archive renders a stride window that holds fewer
// samples than the stride (a record shorter than the stride, or a last
// partial stride kept with KeepPartial).
type FillMode string

const (
	// FillNone renders such a window from its own samples only: its image
	// covers less time than a full stride's at the same width (the
	// default; the empty string means the same).
	FillNone FillMode = "none"
	// FillRepeat renders such a window from its samples repeated end to
	// end and cut at exactly the stride's length in samples, so that its
	// image covers the stride's duration at the same columns per second
	// as every full stride. A record shorter than the stride then gives
	// one window (without KeepPartial too); the last partial stride of a
	// longer record is still dropped unless KeepPartial.
	FillRepeat FillMode = "repeat"
)

// checkFill checks opt.Fill against the other options; the empty mode
// becomes FillNone.
func (o *ArchiveOptions) checkFill() error {
	switch o.Fill {
	case "", FillNone:
		o.Fill = FillNone
		return nil
	case FillRepeat:
	default:
		return fmt.Errorf("archive: fill %q: want none or repeat", o.Fill)
	}
	if o.WholeRecord {
		return fmt.Errorf("archive: fill %s: whole-record windows have no stride length to fill to", o.Fill)
	}
	if o.Label == LabelAAMI {
		return fmt.Errorf("archive: fill %s: beat windows are never partial (those at the record's ends are skipped)", o.Fill)
	}
	return nil
}

// fillSpans adds to the strides of a record of n samples, when filling
// and there is none, one window of the whole record (shorter than the
// stride), and returns the samples every window is filled to (0: none).
// A filled window holds at most maxFill samples, so that its allocation
// stays bounded whatever the stride.
func fillSpans(opt *ArchiveOptions, spans []Span, n, stride, maxFill int64) ([]Span, int64, error) {
	if opt.Fill != FillRepeat {
		return spans, 0, nil
	}
	if stride > maxFill {
		return nil, 0, fmt.Errorf("fill %s: a stride of %d samples is more than the %d a filled window may hold", opt.Fill, stride, maxFill)
	}
	if len(spans) == 0 && n > 0 {
		spans = []Span{{Start: 0, End: n}}
	}
	return spans, stride, nil
}

// fillRepeat makes win's samples its own repeated end to end to n
// samples, when it holds fewer. Its Context becomes up to lead samples
// read before the window followed by the filled samples (X stays a
// sub-slice of it, and ContextStart the record sample of its first), so
// that a renderer that detects beats sees the lead-in and then exactly
// what it renders. Span and Beats stay the real window's. It allocates
// at most lead+n samples.
func (win *Window) fillRepeat(n, lead int64) {
	if have := int64(len(win.X)); have == 0 || have >= n {
		return
	}
	off := win.Span.Start - win.ContextStart
	lead = max(0, min(off, lead))
	ctx := make([]float64, lead+n)
	copy(ctx, win.Context[off-lead:off])
	x := ctx[lead:]
	for i := 0; i < len(x); {
		i += copy(x[i:], win.X)
	}
	win.X, win.Context, win.ContextStart = x, ctx, win.Span.Start-lead
}
