package figure

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The colours of ECG paper and of what is drawn on it.
var (
	gridMinor  = color.RGBA{R: 0xf7, G: 0xc8, B: 0xc4, A: 0xff}
	gridMajor  = color.RGBA{R: 0xe8, G: 0x82, B: 0x7a, A: 0xff}
	traceColor = color.RGBA{R: 0x10, G: 0x10, B: 0x10, A: 0xff}
	labelColor = color.RGBA{R: 0x30, G: 0x30, B: 0x30, A: 0xff}
	laneColor  = color.RGBA{R: 0x70, G: 0x70, B: 0x70, A: 0xff}
	noteColor  = color.RGBA{R: 0x00, G: 0x66, B: 0x80, A: 0xff}
	axisColor  = color.RGBA{R: 0x90, G: 0x90, B: 0x90, A: 0xff}
)

// pt returns the canvas point of (x, y) in mm from the page's top left.
func (l *paperLayout) pt(x, y float64) vg.Point {
	return vg.Point{X: mm(x), Y: mm(l.originY - y)}
}

// width returns a line width of w mm, at least f pixels wide in a PNG.
func (l *paperLayout) width(w, f float64) vg.Length {
	return mm(math.Max(w, f*l.px))
}

// gridLines returns where the minor (1 mm) or major (5 mm) lines of the
// grid lie, in mm: across the page (xs) and down from the title (ys).
func (l *paperLayout) gridLines(major bool) (xs, ys []float64) {
	for i := 0; float64(i) <= l.pageW; i++ {
		if (i%5 == 0) == major {
			xs = append(xs, float64(i))
		}
	}
	for i := 0; titleMM+float64(i) <= l.pageH; i++ {
		if (i%5 == 0) == major {
			ys = append(ys, titleMM+float64(i))
		}
	}
	return xs, ys
}

// The widths of the grid's lines in mm (at least a pixel in a PNG).
const minorMM, majorMM = 0.08, 0.2

// drawGrid draws the grid below the title as paths (SVG, PDF).
func (l *paperLayout) drawGrid(dc draw.Canvas) {
	for _, major := range []bool{false, true} {
		xs, ys := l.gridLines(major)
		var path vg.Path
		for _, x := range xs {
			path.Move(l.pt(x, titleMM))
			path.Line(l.pt(x, l.pageH))
		}
		for _, y := range ys {
			path.Move(l.pt(0, y))
			path.Line(l.pt(l.pageW, y))
		}
		sty := draw.LineStyle{Color: gridMinor, Width: mm(minorMM)}
		if major {
			sty = draw.LineStyle{Color: gridMajor, Width: mm(majorMM)}
		}
		dc.SetLineStyle(sty)
		dc.Stroke(path)
	}
}

// rasterGrid paints the whole page of a PNG: white above the title's
// bottom, the grid below it in whole pixels, so that every line is as
// crisp as on paper: x mm lies x*dpi/25.4 pixels from the left and y mm
// as many from the top, as renderPNG places everything else. Each row of
// pixels is one of three made once (between lines, on a minor line, on a
// major line) and copied: a strip metres long is painted at the speed of
// memory.
func (l *paperLayout) rasterGrid(page *image.RGBA) {
	pxmm := 1 / l.px
	w, h := page.Bounds().Dx(), page.Bounds().Dy()
	cols, rows := make([]uint8, w), make([]uint8, h)
	mark := func(dst []uint8, pos []float64, wmm float64, k uint8) {
		n := max(1, int(math.Round(wmm*pxmm)))
		for _, p := range pos {
			p0 := int(math.Round(p*pxmm - float64(n)/2))
			for i := max(p0, 0); i < min(p0+n, len(dst)); i++ {
				dst[i] = max(dst[i], k)
			}
		}
	}
	for k, major := range []bool{false, true} {
		xs, ys := l.gridLines(major)
		wmm := []float64{minorMM, majorMM}[k]
		mark(cols, xs, wmm, uint8(k+1))
		mark(rows, ys, wmm, uint8(k+1))
	}
	paint := [3]color.RGBA{{R: 0xff, G: 0xff, B: 0xff, A: 0xff}, gridMinor, gridMajor}
	var tmpl [3][]byte
	for k := range tmpl {
		tmpl[k] = make([]byte, 4*w)
		for x := range w {
			c := paint[max(uint8(k), cols[x])]
			copy(tmpl[k][4*x:], []byte{c.R, c.G, c.B, c.A})
		}
	}
	white := make([]byte, 4*w)
	for i := range white {
		white[i] = 0xff
	}
	top := int(math.Round(titleMM * pxmm))
	for y := range h {
		src := white
		if y >= top {
			src = tmpl[rows[y]]
		}
		copy(page.Pix[y*page.Stride:y*page.Stride+4*w], src)
	}
}

// drawRow draws row r: the highlighted disagreements, then for each
// trace its name, calibration pulse and samples, and the row's start
// time (with plain axes: the axes).
func (l *paperLayout) drawRow(dc draw.Canvas, p *Paper, r int, dis []disagreement) {
	top := l.rowTop(r)
	bottom := top + l.rowH - l.gap
	for _, d := range dis {
		if dr, f := l.rowOf(float64(d.sample - p.From)); dr == r {
			x := l.x(f)
			half := 0.15 * PaperSpeed
			dc.FillPolygon(d.colour(), []vg.Point{l.pt(x-half, top), l.pt(x+half, top), l.pt(x+half, bottom), l.pt(x-half, bottom)})
		}
	}
	frames := math.Min(l.rowFrames, float64(p.To-p.From)-float64(r)*l.rowFrames)
	for i := range p.Traces {
		base := l.baseline(r, i, len(p.Lanes))
		b := l.bands[i]
		if l.opt.Plain {
			l.drawBox(dc, base-b.above, base+b.below, frames)
		}
		l.text(dc, 1, base-2.5, p.Traces[i].Name, 8, labelColor, draw.XLeft)
		l.drawCal(dc, b, base)
		l.drawTrace(dc, p, i, r, base)
	}
	start := float64(p.From)/l.fs + float64(r)*l.opt.Row
	if l.opt.Plain {
		l.drawTimeAxis(dc, bottom, start, frames)
	} else {
		// The row's start time under the first trace's name.
		l.text(dc, 1, l.baseline(r, 0, len(p.Lanes))+2.5, Clock(start), 7, laneColor, draw.XLeft)
	}
}

// drawCal draws the calibration pulse at the start of a row: 10 mm high
// (1 mV at 10 mm/mV), 0.2 s wide, labelled with its value.
func (l *paperLayout) drawCal(dc draw.Canvas, b band, base float64) {
	x0, x1 := leftMM+2, leftMM+2+0.2*PaperSpeed
	h := b.cal / b.perMM
	sty := draw.LineStyle{Color: traceColor, Width: l.width(0.25, 1.2)}
	dc.StrokeLines(sty, []vg.Point{l.pt(leftMM, base), l.pt(x0, base), l.pt(x0, base-h), l.pt(x1, base-h), l.pt(x1, base), l.pt(leftMM+calMM, base)})
	l.text(dc, leftMM+calMM/2, base-h-1.5, b.calLabel, 6, laneColor, draw.XCenter)
}

// drawTrace draws the samples of trace i that fall into row r. Where
// several samples share a pixel column (a PNG) or a tenth of a millimetre,
// only their first, lowest, highest and last are drawn: the same picture.
func (l *paperLayout) drawTrace(dc draw.Canvas, p *Paper, i, r int, base float64) {
	t, b := p.Traces[i], l.bands[i]
	spf := float64(t.spf())
	i0 := int(math.Ceil(float64(r) * l.rowFrames * spf))
	i1 := min(len(t.X), int(math.Ceil(float64(r+1)*l.rowFrames*spf)))
	col := l.px
	if col == 0 {
		col = 0.1
	}
	x0 := float64(r) * l.rowFrames
	// The path is stroked every 64 points: the rasteriser keeps a list
	// per scanline that a long trace along a baseline makes quadratic.
	var path vg.Path
	sty := draw.LineStyle{Color: traceColor, Width: l.width(0.2, 1.1)}
	stroke := func() {
		if len(path) > 1 {
			dc.SetLineStyle(sty)
			dc.Stroke(path)
		}
		path = path[:0]
	}
	var last vg.Point
	var dec decimator
	dec.emit = func(k int, v float64, move bool) {
		pt := l.pt(l.x(float64(k)/spf-x0), base-(v-b.centre)/b.perMM)
		switch {
		case move:
			stroke()
			path.Move(pt)
		case len(path) >= 64:
			stroke()
			path.Move(last)
			path.Line(pt)
		default:
			path.Line(pt)
		}
		last = pt
	}
	for k := i0; k < i1; k++ {
		c := math.Floor(l.x(float64(k)/spf-x0) / col)
		dec.add(k, t.X[k], c)
	}
	dec.flush()
	stroke()
}

// decimator keeps, of the samples of one column, the first, the lowest,
// the highest and the last, in their order; NaN breaks the line.
type decimator struct {
	emit                func(k int, v float64, move bool)
	col                 float64
	n                   int
	first, lo, hi, last sample
	started             bool // a line is open
}

type sample struct {
	k int
	v float64
}

func (d *decimator) add(k int, v, col float64) {
	if math.IsNaN(v) {
		d.flush()
		d.started = false
		return
	}
	if d.n > 0 && col != d.col {
		d.flush()
	}
	s := sample{k, v}
	if d.n == 0 {
		d.col, d.first, d.lo, d.hi = col, s, s, s
	}
	if v < d.lo.v {
		d.lo = s
	}
	if v > d.hi.v {
		d.hi = s
	}
	d.last = s
	d.n++
}

func (d *decimator) flush() {
	if d.n == 0 {
		return
	}
	a, b := d.lo, d.hi
	if a.k > b.k {
		a, b = b, a
	}
	prev := -1
	for _, s := range [4]sample{d.first, a, b, d.last} {
		if s.k == prev {
			continue
		}
		prev = s.k
		d.emit(s.k, s.v, !d.started)
		d.started = true
	}
	d.n = 0
}

// drawBox draws the frame of a trace's band with plain axes.
func (l *paperLayout) drawBox(dc draw.Canvas, top, bottom, frames float64) {
	x0, x1 := l.x(0), l.x(frames)
	sty := draw.LineStyle{Color: axisColor, Width: l.width(0.15, 1)}
	dc.StrokeLines(sty, []vg.Point{l.pt(x0, top), l.pt(x1, top), l.pt(x1, bottom), l.pt(x0, bottom), l.pt(x0, top)})
}

// drawTimeAxis draws ticks and record times below a row with plain axes:
// every second, labelled every second (rows up to 20 s) or every 5 s.
func (l *paperLayout) drawTimeAxis(dc draw.Canvas, bottom, start, frames float64) {
	sty := draw.LineStyle{Color: axisColor, Width: l.width(0.15, 1)}
	every := 1
	if l.opt.Row > 20 {
		every = 5
	}
	for s := 0; float64(s)*l.fs <= frames+1e-9; s++ {
		x := l.x(float64(s) * l.fs)
		dc.StrokeLines(sty, []vg.Point{l.pt(x, bottom), l.pt(x, bottom+1)})
		if s%every == 0 {
			l.text(dc, x, bottom+3, Clock(start+float64(s)), 7, laneColor, draw.XCenter)
		}
	}
}

// text draws s centred vertically on y, aligned on x as align says.
func (l *paperLayout) text(dc draw.Canvas, x, y float64, s string, size float64, c color.Color, align text.XAlignment) {
	if s == "" {
		return
	}
	sty := text.Style{
		Color:   c,
		Font:    font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)},
		XAlign:  align,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
	dc.FillText(sty, l.pt(x, y), s)
}
