package figure

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	imagedraw "image/draw"
	"io"
	"math"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// MaxPixels bounds the size of a PNG (4 bytes a pixel in memory): about
// four hours of two signals at 100 dpi.
const MaxPixels = 500e6

// renderVector draws the page on one SVG or PDF canvas.
func (l *paperLayout) renderVector(w io.Writer, p *Paper, dis []disagreement) error {
	var c vg.CanvasWriterTo = vgsvg.New(mm(l.pageW), mm(l.pageH))
	if l.opt.Format == "pdf" {
		c = newPDF(mm(l.pageW), mm(l.pageH), l.opt.Date)
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

// pdfDate guards the PDF writer's default dates, which it keeps in a
// package variable and reads when a document is made.
var pdfDate sync.Mutex

// newPDF returns a PDF canvas of w x h whose creation and modification
// dates are date (the time of writing when date is zero).
func newPDF(w, h vg.Length, date time.Time) *vgpdf.Canvas {
	pdfDate.Lock()
	defer pdfDate.Unlock()
	fpdf.SetDefaultCreationDate(date)
	fpdf.SetDefaultModificationDate(date)
	defer fpdf.SetDefaultCreationDate(time.Time{})
	defer fpdf.SetDefaultModificationDate(time.Time{})
	return vgpdf.New(w, h)
}

// renderPNG draws the page into an image at dpi: the grid straight into
// its pixels, the title and each row on a canvas of their own (the
// rasteriser's work per line grows with the height of its canvas, and a
// 30-minute strip is metres long) laid over the page at whole pixels, so
// that every millimetre falls where the grid has it.
func (l *paperLayout) renderPNG(w io.Writer, p *Paper, dis []disagreement, dpi int) error {
	pxmm := float64(dpi) / 25.4
	l.px = 1 / pxmm
	if w, h := l.pageW*pxmm, l.pageH*pxmm; w*h > MaxPixels {
		return fmt.Errorf("figure: a PNG of %.0f x %.0f pixels is more than %.0f million: choose a lower dpi, a shorter stretch or an SVG or PDF file", w, h, MaxPixels/1e6)
	}
	page := image.NewRGBA(image.Rect(0, 0, int(l.pageW*pxmm+0.5), int(l.pageH*pxmm+0.5)))
	if l.opt.Plain {
		imagedraw.Draw(page, page.Bounds(), image.White, image.Point{}, imagedraw.Src)
	} else {
		l.rasterGrid(page)
	}
	part := func(top, h float64, fn func(dc draw.Canvas)) {
		y0 := int(math.Floor(top * pxmm))
		y1 := int(math.Ceil((top + h) * pxmm))
		hmm := float64(y1-y0) / pxmm
		c := vgimg.NewWith(vgimg.UseWH(mm(l.pageW), mm(hmm)), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.Transparent))
		l.originY = float64(y0)/pxmm + hmm
		fn(draw.New(c))
		overOpaque(page, c.Image().(*image.RGBA), y0)
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

// overOpaque lays src (premultiplied, mostly transparent) over the opaque
// page with src's top at row y0: what image/draw's Over does, skipping
// the transparent pixels that make most of a row's canvas.
func overOpaque(page, src *image.RGBA, y0 int) {
	w := min(src.Bounds().Dx(), page.Bounds().Dx()) * 4
	for y := 0; y < src.Bounds().Dy() && y0+y < page.Bounds().Dy(); y++ {
		s := src.Pix[y*src.Stride : y*src.Stride+w]
		d := page.Pix[(y0+y)*page.Stride : (y0+y)*page.Stride+w]
		for i := 0; i+3 < len(s); i += 4 {
			switch a := s[i+3]; a {
			case 0:
			case 0xff:
				d[i], d[i+1], d[i+2] = s[i], s[i+1], s[i+2]
			default:
				k := uint32(0xff - a)
				d[i] = s[i] + uint8((uint32(d[i])*k+0x7f)/0xff)
				d[i+1] = s[i+1] + uint8((uint32(d[i+1])*k+0x7f)/0xff)
				d[i+2] = s[i+2] + uint8((uint32(d[i+2])*k+0x7f)/0xff)
			}
		}
	}
}
