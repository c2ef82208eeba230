package figure

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// MaxRows bounds the rows of a figure: a day in rows of 10 s.
const MaxRows = 8640

// The scale of ECG paper: 25 mm per second and 10 mm per millivolt.
const (
	PaperSpeed = 25.0 // mm/s
	PaperGain  = 10.0 // mm/mV
)

// Paper is a stretch of a record to draw as a strip chart (DrawPaper):
// its signals stacked in every row, the annotations of each annotator in
// a lane above them.
type Paper struct {
	// Title names the record and the stretch ("100: 0:00-0:10").
	Title string
	// Fs is the record's frame rate (Hz); annotation samples count frames.
	Fs float64
	// From and To are the frames [From, To) shown.
	From, To int64
	// Traces are the signals, drawn from top to bottom.
	Traces []Trace
	// Lanes are the annotators, drawn from top to bottom above the traces.
	Lanes []Lane
}

// Trace is one signal of a Paper.
type Trace struct {
	// Name and Units label the trace ("MLII", "mV").
	Name, Units string
	// SamplesPerFrame is the signal's samples per frame (its rate is
	// Paper.Fs times it; 1 when 0).
	SamplesPerFrame int
	// X holds the samples of frames [From, To) in Units, NaN where
	// invalid: (To-From)*SamplesPerFrame values.
	X []float64
}

// Lane is the annotations of one annotator.
type Lane struct {
	// Name is the annotator ("atr", "qrs", "beats" for detected beats).
	Name string
	// Annotations have samples counted from the start of the record.
	Annotations []wfdb.Annotation
}

// PaperOptions say how a Paper is drawn.
type PaperOptions struct {
	// Row is the length of a row in seconds (10 when 0); a longer stretch
	// wraps into several rows.
	Row float64
	// Plain draws plain axes (a time axis in seconds and value ticks)
	// instead of the ECG paper grid.
	Plain bool
	// DPI is the resolution of a PNG (100 when 0): at DPI d, 1 mm is
	// d/25.4 pixels. SVG and PDF are vector, in mm.
	DPI int
	// Width, when > 0, is the width of a PNG in pixels: the DPI is
	// chosen so that the page fills it (DPI must then be 0).
	Width int
	// Format is "png", "svg" or "pdf" ("png" when empty).
	Format string
	// MarkDisagreements highlights where the first two lanes differ by the
	// EC57 rules (beats.Match, 150 ms): a beat of one without a match in
	// the other, and matched beats of different AAMI classes.
	MarkDisagreements bool
	// Date is the creation date a PDF states (the time of writing when
	// zero); with a Date, the same p and opt give the same PDF bytes.
	Date time.Time
}

// FormatOf returns the output format that a file name asks for by its
// extension ("png", "svg", "pdf"), or an error naming the file.
func FormatOf(name string) (string, error) {
	i := strings.LastIndexByte(name, '.')
	if i >= 0 {
		switch ext := strings.ToLower(name[i+1:]); ext {
		case "png", "svg", "pdf":
			return ext, nil
		}
	}
	return "", fmt.Errorf("%s: want a .png, .svg or .pdf file", name)
}

// DrawPaper draws p as ECG paper strips (or plain axes) and writes the
// figure to w in opt.Format. The same p and opt give the same PNG and SVG
// bytes, and the same PDF bytes when opt.Date is set.
func DrawPaper(w io.Writer, p *Paper, opt PaperOptions) error {
	if err := p.check(); err != nil {
		return err
	}
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	l := newPaperLayout(p, opt)
	if l.rows > MaxRows {
		return fmt.Errorf("figure: %d rows of %g s: at most %d (longer rows or a shorter stretch)", l.rows, opt.Row, MaxRows)
	}
	var dis []disagreement
	var summary string
	if opt.MarkDisagreements {
		if len(p.Lanes) < 2 {
			return errors.New("figure: marking disagreements needs two annotators")
		}
		dis, summary = disagreements(p)
	}
	l.title = p.Title + "   25 mm/s, 10 mm/mV"
	if summary != "" {
		l.title += "   " + summary
	}
	l.lanes = make([][]wfdb.Annotation, len(p.Lanes))
	for i, lane := range p.Lanes {
		l.lanes[i] = within(lane.Annotations, p.From, p.To)
		if r, ok := rhythmAt(lane.Annotations, p.From); ok {
			// The rhythm in effect where the stretch starts mid-episode.
			r.Sample = p.From
			l.lanes[i] = append([]wfdb.Annotation{r}, l.lanes[i]...)
		}
		slices.SortStableFunc(l.lanes[i], func(a, b wfdb.Annotation) int { return cmp.Compare(a.Sample, b.Sample) })
	}
	if opt.Format == "png" {
		dpi := opt.DPI
		if opt.Width > 0 {
			dpi = max(1, int(math.Round(float64(opt.Width)*25.4/l.pageW)))
		}
		return l.renderPNG(w, p, dis, dpi)
	}
	return l.renderVector(w, p, dis)
}

// Check reports what is wrong with opt: a row of at most 0 or more than
// an hour, a DPI or width out of range or both given, an unknown format.
func (opt PaperOptions) Check() error {
	_, err := opt.withDefaults()
	return err
}

// withDefaults checks opt and fills in the defaults.
func (opt PaperOptions) withDefaults() (PaperOptions, error) {
	if opt.Row == 0 {
		opt.Row = 10
	}
	if opt.Format == "" {
		opt.Format = "png"
	}
	switch {
	case !(opt.Row > 0) || opt.Row > 3600:
		return opt, fmt.Errorf("figure: rows of %g s: want more than 0 and at most an hour", opt.Row)
	case opt.DPI < 0 || opt.DPI > 1200:
		return opt, fmt.Errorf("figure: dpi %d: want 1 to 1200", opt.DPI)
	case opt.Width < 0 || opt.Width > 20000:
		return opt, fmt.Errorf("figure: width %d px: want 1 to 20000", opt.Width)
	case opt.Width > 0 && opt.DPI > 0:
		return opt, errors.New("figure: a width and a dpi: give one (the width sets the dpi)")
	case opt.Format != "png" && opt.Format != "svg" && opt.Format != "pdf":
		return opt, fmt.Errorf("figure: format %q: want png, svg or pdf", opt.Format)
	}
	if opt.DPI == 0 {
		opt.DPI = 100
	}
	return opt, nil
}

// check reports what makes p impossible to draw.
func (p *Paper) check() error {
	if !(p.Fs > 0) || p.To <= p.From {
		return fmt.Errorf("figure: empty stretch (frames %d to %d at %g Hz)", p.From, p.To, p.Fs)
	}
	if len(p.Traces) == 0 {
		return errors.New("figure: no signal to draw")
	}
	for i, t := range p.Traces {
		if int64(len(t.X)) != (p.To-p.From)*int64(t.spf()) {
			return fmt.Errorf("figure: signal %d (%s): %d samples for %d frames of %d", i, t.Name, len(t.X), p.To-p.From, t.spf())
		}
	}
	return nil
}

func (t *Trace) spf() int { return max(t.SamplesPerFrame, 1) }

// mm converts millimetres to vg lengths.
func mm(v float64) vg.Length { return vg.Length(v) * vg.Millimeter }

// rhythmAt returns the last rhythm change before frame f, if any.
func rhythmAt(anns []wfdb.Annotation, f int64) (wfdb.Annotation, bool) {
	var last wfdb.Annotation
	found := false
	for _, a := range anns {
		if a.Type == wfdb.Rhythm && a.Sample < f && (!found || a.Sample >= last.Sample) {
			last, found = a, true
		}
	}
	return last, found
}
