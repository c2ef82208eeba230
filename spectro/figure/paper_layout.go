package figure

import (
	"github.com/ecgkit/ecg/datasets/wfdb"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The page of a Paper in millimetres, from its top left corner: a title,
// then the rows. A row holds a lane per annotator, then a band per trace,
// then a gap; every height is a multiple of 5 mm, so that the baselines
// and the start of every row's trace lie on the 5 mm lines of the grid.
const (
	titleMM = 10.0 // the title strip
	leftMM  = 20.0 // lead and lane names
	calMM   = 10.0 // the calibration pulse at the start of each row
	rightMM = 5.0
	laneMM  = 5.0 // one annotator's lane
	gapMM   = 5.0 // below each row (10 mm with plain axes: tick labels)
)

// paperLayout places everything of a Paper on the page.
type paperLayout struct {
	opt          PaperOptions
	fs           float64 // frame rate
	rowFrames    float64 // frames per row
	rows         int
	bands        []band
	rowH, gap    float64 // mm
	pageW, pageH float64 // mm
	px           float64 // mm per pixel (0: vector output)
	originY      float64 // mm from the page's top to the bottom of the canvas drawn on
	title        string
	lanes        [][]wfdb.Annotation // each lane's annotations in the stretch, by time
}

// band is the place and scale of one trace in every row.
type band struct {
	above, below float64 // mm above and below the baseline
	perMM        float64 // units per mm
	centre       float64 // the value drawn on the baseline (the median)
	cal          float64 // the calibration pulse's value, in units
	calLabel     string  // "1 mV"
}

func newPaperLayout(p *Paper, opt PaperOptions) *paperLayout {
	l := &paperLayout{opt: opt, fs: p.Fs, rowFrames: opt.Row * p.Fs, gap: gapMM}
	if opt.Plain {
		l.gap = 2 * gapMM
	}
	l.rows = int(math.Ceil(float64(p.To-p.From) / l.rowFrames))
	l.rowH = float64(len(p.Lanes))*laneMM + l.gap
	for _, t := range p.Traces {
		b := newBand(t)
		l.bands = append(l.bands, b)
		l.rowH += b.above + b.below
	}
	l.pageW = leftMM + calMM + opt.Row*PaperSpeed + rightMM
	l.pageH = titleMM + float64(l.rows)*l.rowH
	return l
}

// newBand scales a trace: 10 mm/mV for voltages, else a round number of
// units per mm that fits its range into about 20 mm; the band reaches
// from the trace's lowest to its highest value around its median, in
// whole 5 mm steps, at least 10 mm above (the calibration pulse) and 5 mm
// below the baseline, at most 25 and 20 mm.
func newBand(t Trace) band {
	var vals []float64
	for _, v := range t.X {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	b := band{}
	lo, hi := 0.0, 0.0
	if len(vals) > 0 {
		slices.Sort(vals)
		b.centre = vals[len(vals)/2]
		lo, hi = vals[0]-b.centre, vals[len(vals)-1]-b.centre
	}
	b.perMM, b.cal, b.calLabel = scaleOf(t.Units, hi-lo)
	step := func(v, least, most float64) float64 {
		return math.Min(most, math.Max(least, 5*math.Ceil((v+2)/5)))
	}
	b.above = step(hi/b.perMM, 10, 25)
	b.below = step(-lo/b.perMM, 5, 20)
	return b
}

// scaleOf returns the units per mm of a signal in units spanning span,
// and the calibration pulse (10 mm high) with its label.
func scaleOf(units string, span float64) (perMM, cal float64, label string) {
	switch strings.ToLower(units) {
	case "mv", "":
		return 1 / PaperGain, 1, "1 mV"
	case "uv", "µv", "μv":
		return 1000 / PaperGain, 1000, "1 mV"
	case "v":
		return 0.001 / PaperGain, 0.001, "1 mV"
	}
	// Other units (mmHg, %, ...): 10 mm are a round 1, 2 or 5 times a
	// power of ten such that the span fits into about 20 mm.
	cal = niceStep(span / 2)
	return cal / 10, cal, strconv.FormatFloat(cal, 'g', -1, 64) + " " + units
}

// niceStep returns the smallest of 1, 2, 5 times a power of ten that is
// at least v (1 for v <= 0).
func niceStep(v float64) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// rowTop returns the top of row r in mm from the top of the page.
func (l *paperLayout) rowTop(r int) float64 { return titleMM + float64(r)*l.rowH }

// baseline returns the baseline of trace i in row r (mm from the top).
func (l *paperLayout) baseline(r, i, lanes int) float64 {
	y := l.rowTop(r) + float64(lanes)*laneMM
	for k := 0; k < i; k++ {
		y += l.bands[k].above + l.bands[k].below
	}
	return y + l.bands[i].above
}

// x returns the position in mm from the left of the page of frame f
// (counted from the start of its row, fractional).
func (l *paperLayout) x(f float64) float64 { return leftMM + calMM + f/l.fs*PaperSpeed }

// rowOf returns the row of frame f (counted from the start of the
// stretch) and the frame's offset in that row.
func (l *paperLayout) rowOf(f float64) (int, float64) {
	r := int(f / l.rowFrames)
	return r, f - float64(r)*l.rowFrames
}
