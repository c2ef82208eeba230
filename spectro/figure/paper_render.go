package figure

import (
	"bufio"
	"image"
	"image/color"
	imagedraw "image/draw"
	"io"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// renderVector draws the page on one SVG or PDF canvas.
func (l *paperLayout) renderVector(w io.Writer, p *Paper, dis []disagreement) error {
	var c vg.CanvasWriterTo = vgsvg.New(mm(l.pageW), mm(l.pageH))
	if l.opt.Format == "pdf" {
		c = vgpdf.New(mm(l.pageW), mm(l.pageH))
	}
	dc := draw.New(c)
	l.originY = l.pageH
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	if !l.opt.Plain {
		l.drawGrid(dc)
	}
	l.drawTitle(dc)
	for r := 0; r < l.rows; r++ {
		l.drawRowAll(dc, p, r, dis)
	}
	_, err := c.WriteTo(w)
	return err
}

// renderPNG draws the page into an image at dpi: the grid straight into
// its pixels, the title and each row on a canvas of their own (the
// rasteriser's work per line grows with the height of its canvas, and a
// 30-minute strip is metres long) laid over the page at whole pixels, so
// that every millimetre falls where the grid has it.
func (l *paperLayout) renderPNG(w io.Writer, p *Paper, dis []disagreement, dpi int) error {
	pxmm := float64(dpi) / 25.4
	l.px = 1 / pxmm
	page := image.NewRGBA(image.Rect(0, 0, int(l.pageW*pxmm+0.5), int(l.pageH*pxmm+0.5)))
	imagedraw.Draw(page, page.Bounds(), image.White, image.Point{}, imagedraw.Src)
	l.raster = page
	if !l.opt.Plain {
		l.drawGrid(draw.Canvas{})
	}
	part := func(top, h float64, fn func(dc draw.Canvas)) {
		y0 := int(math.Floor(top * pxmm))
		y1 := int(math.Ceil((top + h) * pxmm))
		hmm := float64(y1-y0) / pxmm
		c := vgimg.NewWith(vgimg.UseWH(mm(l.pageW), mm(hmm)), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.Transparent))
		l.originY = float64(y0)/pxmm + hmm
		fn(draw.New(c))
		img := c.Image()
		imagedraw.Draw(page, img.Bounds().Add(image.Pt(0, y0)), img, image.Point{}, imagedraw.Over)
	}
	part(0, titleMM, l.drawTitle)
	for r := 0; r < l.rows; r++ {
		part(l.rowTop(r), l.rowH, func(dc draw.Canvas) { l.drawRowAll(dc, p, r, dis) })
	}
	bw := bufio.NewWriter(w)
	if err := encodeOpaquePNG(bw, page); err != nil {
		return err
	}
	return bw.Flush()
}

// drawTitle draws the title line.
func (l *paperLayout) drawTitle(dc draw.Canvas) {
	l.text(dc, leftMM, titleMM/2, l.title, 10, labelColor, draw.XLeft)
}

// drawRowAll draws row r: its traces and its lanes.
func (l *paperLayout) drawRowAll(dc draw.Canvas, p *Paper, r int, dis []disagreement) {
	l.drawRow(dc, p, r, dis)
	for i := range p.Lanes {
		l.drawLane(dc, p, i, r)
	}
}
