package figure

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TuneTrial is one trial of a hyperparameter search as the tune figures
// draw it: its number, objective (the mean over the folds measured), the
// objective on each fold, status ("ok", "stopped" or "failed") and the
// value of each parameter (a categorical's value index).
type TuneTrial struct {
	ID        int
	Objective float64
	Folds     []float64
	Status    string
	Values    []float64
}

// TuneAxis is a searched parameter: its name, whether its range is
// logarithmic, and the values of a categorical.
type TuneAxis struct {
	Name       string
	Log        bool
	Categories []string
}

// Colours of the tune figures: finished, stopped early, best so far.
var (
	tuneOK      = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	tuneStopped = color.RGBA{R: 170, G: 170, B: 170, A: 255}
	tuneBest    = color.RGBA{R: 214, G: 39, B: 40, A: 255}
)

// tunePoints returns the trials of status as points, x from x(t).
func tunePoints(trials []TuneTrial, status string, x func(TuneTrial) float64) plotter.XYs {
	var xy plotter.XYs
	for _, t := range trials {
		if t.Status == status && !math.IsNaN(x(t)) {
			xy = append(xy, plotter.XY{X: x(t), Y: t.Objective})
		}
	}
	return xy
}

// addScatter adds points drawn as circles of colour c, named in the legend.
func addScatter(p *plot.Plot, xy plotter.XYs, c color.Color, name string) error {
	return addGlyphs(p, xy, draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}, name)
}

// addGlyphs adds points drawn in style, named in the legend (nothing for
// no points).
func addGlyphs(p *plot.Plot, xy plotter.XYs, style draw.GlyphStyle, name string) error {
	if len(xy) == 0 {
		return nil
	}
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return err
	}
	sc.GlyphStyle = style
	p.Add(sc)
	p.Legend.Add(name, sc)
	return nil
}

// writeTrialFigure writes a figure over the trials (x: trial number) with
// its legend at the bottom right, a grid and padded axes.
func writeTrialFigure(w io.Writer, p *plot.Plot) error {
	p.Legend.Top, p.Legend.Left = false, false
	p.Add(plotter.NewGrid())
	padTune(p, 0.5, false, false)
	return writePNG(w, p, 7*vg.Inch, 4*vg.Inch, nil)
}

// padTune widens the axes of a tune figure after its data is added: x by
// half a trial (or 5% of the range; 10% each side on a log scale; not for
// categoricals), y by 5% above and 25% below, where the legend goes.
func padTune(p *plot.Plot, xPad float64, logX, categorical bool) {
	switch {
	case categorical:
	case logX:
		p.X.Min, p.X.Max = p.X.Min/1.1, p.X.Max*1.1
	default:
		if xPad == 0 {
			xPad = math.Max(0.05*(p.X.Max-p.X.Min), 1e-9)
		}
		p.X.Min, p.X.Max = p.X.Min-xPad, p.X.Max+xPad
	}
	dy := math.Max(p.Y.Max-p.Y.Min, 0.01)
	p.Y.Min, p.Y.Max = p.Y.Min-0.25*dy, p.Y.Max+0.05*dy
}

// logTicks marks a log axis at 1, 2 and 5 times the powers of ten, all
// labelled, so that a range within one decade has labels too.
type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(min)); e <= math.Ceil(math.Log10(max)); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v >= min && v <= max {
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
	}
	return ticks
}

// TuneHistory writes the objective of every trial in order (finished
// trials and, in grey, those stopped early at the mean of their first
// folds) with the best-so-far line, as a PNG.
func TuneHistory(w io.Writer, trials []TuneTrial, objective string, minimize bool) error {
	p := plot.New()
	p.Title.Text = "Objective per trial, best so far"
	p.X.Label.Text = "trial"
	p.Y.Label.Text = objective
	id := func(t TuneTrial) float64 { return float64(t.ID) }
	if err := addScatter(p, tunePoints(trials, "ok", id), tuneOK, "trial"); err != nil {
		return err
	}
	if err := addScatter(p, tunePoints(trials, "stopped", id), tuneStopped, "stopped early"); err != nil {
		return err
	}
	var best plotter.XYs
	for _, t := range trials {
		if t.Status != "ok" {
			continue
		}
		v := t.Objective
		if n := len(best); n > 0 && ((minimize && best[n-1].Y < v) || (!minimize && best[n-1].Y > v)) {
			v = best[n-1].Y
		}
		best = append(best, plotter.XY{X: float64(t.ID), Y: v})
	}
	if len(best) > 0 {
		line, err := plotter.NewLine(best)
		if err != nil {
			return err
		}
		line.Color, line.Width, line.StepStyle = tuneBest, vg.Points(1.5), plotter.PostStep
		p.Add(line)
		p.Legend.Add("best so far", line)
	}
	return writeTrialFigure(w, p)
}

// TuneParam writes the objective against parameter j (axis) of every
// trial that was measured, on a log scale for a log range and with the
// values' names for a categorical, as a PNG.
func TuneParam(w io.Writer, trials []TuneTrial, axis TuneAxis, j int, objective string) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Objective against %s", axis.Name)
	p.X.Label.Text = axis.Name
	p.Y.Label.Text = objective
	x := func(t TuneTrial) float64 { return t.Values[j] }
	if len(axis.Categories) > 0 {
		// Spread the trials of a value a little (by trial number, the
		// same every time) so that they do not hide each other.
		x = func(t TuneTrial) float64 { return t.Values[j] + 0.3*(math.Mod(float64(t.ID)*0.618034, 1)-0.5) }
	}
	if axis.Log {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
	}
	if len(axis.Categories) > 0 {
		var ticks []plot.Tick
		for i, c := range axis.Categories {
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: c})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		p.X.Min, p.X.Max = -0.5, float64(len(axis.Categories))-0.5
	}
	if err := addScatter(p, tunePoints(trials, "ok", x), tuneOK, "trial"); err != nil {
		return err
	}
	if err := addScatter(p, tunePoints(trials, "stopped", x), tuneStopped, "stopped early"); err != nil {
		return err
	}
	p.Add(plotter.NewGrid())
	padTune(p, 0, axis.Log, len(axis.Categories) > 0)
	return writePNG(w, p, 5*vg.Inch, 4*vg.Inch, nil)
}

// TuneFolds writes the spread of the folds of every trial measured: each
// fold's objective as a dot and the mean as a square, as
// a PNG.
func TuneFolds(w io.Writer, trials []TuneTrial, objective string) error {
	p := plot.New()
	p.Title.Text = "Objective per fold (dots) and mean (squares) per trial"
	p.X.Label.Text = "trial"
	p.Y.Label.Text = objective
	var folds, means plotter.XYs
	for _, t := range trials {
		if t.Status == "failed" {
			continue
		}
		for _, v := range t.Folds {
			folds = append(folds, plotter.XY{X: float64(t.ID), Y: v})
		}
		means = append(means, plotter.XY{X: float64(t.ID), Y: t.Objective})
	}
	if len(folds) == 0 {
		return fmt.Errorf("figure: no trial has a fold measured")
	}
	if err := addGlyphs(p, folds, draw.GlyphStyle{Color: tuneOK, Radius: vg.Points(2), Shape: draw.CircleGlyph{}}, "fold"); err != nil {
		return err
	}
	if err := addGlyphs(p, means, draw.GlyphStyle{Color: tuneBest, Radius: vg.Points(2.5), Shape: draw.BoxGlyph{}}, "mean"); err != nil {
		return err
	}
	return writeTrialFigure(w, p)
}
