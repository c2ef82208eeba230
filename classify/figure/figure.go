// Package figure draws evaluation figures for people as PNG: the
// confusion matrix as a heat map and per-label precision-recall curves.
// It is the only part of classify that depends on gonum/plot.
package figure

import (
	"fmt"
	"image/color"
	"io"

	"github.com/ecgkit/ecg/classify"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// confusionGrid is the row-normalised confusion matrix as a plotter.GridXYZ:
// column c is the predicted label, row r the true label (row 0 at the top).
type confusionGrid struct {
	frac [][]float64
}

func (g confusionGrid) Dims() (c, r int)   { return len(g.frac), len(g.frac) }
func (g confusionGrid) X(c int) float64    { return float64(c) }
func (g confusionGrid) Y(r int) float64    { return float64(r) }
func (g confusionGrid) Z(c, r int) float64 { return g.frac[len(g.frac)-1-r][c] }

// Confusion writes the confusion matrix of rep as a PNG heat map: cells
// coloured by the share of the true label's samples (rows sum to 1), with
// the counts written in them.
func Confusion(w io.Writer, rep *classify.Report) error {
	k := len(rep.Labels)
	if k == 0 {
		return fmt.Errorf("figure: report has no labels")
	}
	frac := make([][]float64, k)
	for i := range frac {
		frac[i] = make([]float64, k)
		sum := 0
		for _, v := range rep.Confusion[i] {
			sum += v
		}
		for j := 0; j < k; j++ {
			if sum > 0 {
				frac[i][j] = float64(rep.Confusion[i][j]) / float64(sum)
			}
		}
	}
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Confusion matrix (accuracy %.3f, macro F1 %.3f)", rep.Accuracy, rep.Macro.F1)
	p.X.Label.Text = "predicted label"
	p.Y.Label.Text = "true label"
	pal := moreland.SmoothBlueRed().Palette(255)
	hm := plotter.NewHeatMap(confusionGrid{frac}, pal)
	hm.Min, hm.Max = 0, 1
	p.Add(hm)
	var xys plotter.XYs
	var texts []string
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			xys = append(xys, plotter.XY{X: float64(j), Y: float64(k - 1 - i)})
			texts = append(texts, fmt.Sprintf("%d", rep.Confusion[i][j]))
		}
	}
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return err
	}
	for i := range labels.TextStyle {
		labels.TextStyle[i].XAlign = draw.XCenter
		labels.TextStyle[i].YAlign = draw.YCenter
		labels.TextStyle[i].Color = color.Black
	}
	p.Add(labels)
	ticksX, ticksY := make([]plot.Tick, k), make([]plot.Tick, k)
	for i, l := range rep.Labels {
		ticksX[i] = plot.Tick{Value: float64(i), Label: l}
		ticksY[i] = plot.Tick{Value: float64(k - 1 - i), Label: l}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticksX)
	p.Y.Tick.Marker = plot.ConstantTicks(ticksY)
	p.X.Min, p.X.Max = -0.5, float64(k)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	side := vg.Length(120 + 60*k)
	return writePNG(w, p, side+80, side, pal)
}

// writePNG draws p with a colour bar for pal (when not nil) on the right.
func writePNG(w io.Writer, p *plot.Plot, width, height vg.Length, pal palette.Palette) error {
	c := vgimg.New(width, height)
	dc := draw.New(c)
	if pal != nil {
		bar := plot.New()
		l := &plotter.ColorBar{ColorMap: moreland.SmoothBlueRed(), Vertical: true}
		l.ColorMap.SetMin(0)
		l.ColorMap.SetMax(1)
		bar.Add(l)
		bar.HideX()
		bar.Y.Label.Text = "share of true label"
		bar.Y.Min, bar.Y.Max = 0, 1
		left, right := splitX(dc, width-70)
		p.Draw(left)
		bar.Draw(right)
	} else {
		p.Draw(dc)
	}
	_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
	return err
}

func splitX(c draw.Canvas, at vg.Length) (draw.Canvas, draw.Canvas) {
	left := c
	left.Max.X = c.Min.X + at
	right := c
	right.Min.X = c.Min.X + at
	right.Min.Y += 30
	right.Max.Y -= 20
	return left, right
}

// PRCurves writes the one-vs-rest precision-recall curves of every label
// of rep as a PNG, marking each label's threshold in thresholds (the
// model's) with a dot.
func PRCurves(w io.Writer, rep *classify.Report, thresholds []float64) error {
	p := plot.New()
	p.Title.Text = "Precision-recall by score threshold (one label against the rest)"
	p.X.Label.Text = "recall"
	p.Y.Label.Text = "precision"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1.02, 0, 1.02
	p.Add(plotter.NewGrid())
	for c, cv := range rep.Curves {
		var pts plotter.XYs
		for i := range cv.Thresholds {
			pts = append(pts, plotter.XY{X: cv.Recall[i], Y: cv.Precision[i]})
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return err
		}
		line.Color = plotutil.Color(c)
		line.Width = vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("%s (AP %.3f)", cv.Label, cv.AP), line)
		if c < len(thresholds) {
			pr, rc := 1.0, 0.0
			for i, t := range cv.Thresholds {
				if t <= thresholds[c]+1e-9 {
					pr, rc = cv.Precision[i], cv.Recall[i]
				}
			}
			sc, err := plotter.NewScatter(plotter.XYs{{X: rc, Y: pr}})
			if err != nil {
				return err
			}
			sc.GlyphStyle.Color = plotutil.Color(c)
			sc.GlyphStyle.Radius = vg.Points(4)
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			p.Add(sc)
		}
	}
	p.Legend.Left = true
	p.Legend.Top = false
	return writePNG(w, p, 7*vg.Inch, 5*vg.Inch, nil)
}
