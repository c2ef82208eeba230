// Package figure draws spectrogram figures for people with gonum/plot:
// the ECG trace with its beats marked above the spectrogram heat map, time
// and frequency axes with units, a colour bar in decibels and a title
// naming the record and the time span. Window draws the figure of an
// archive window (datasets.Window) with the beats the detector finds;
// Output makes that a datasets.Archive output. ReadPaper and DrawPaper
// draw a stretch of a record as ECG paper strips with its annotations
// (ecg plot). Raw images for models are
// made by package spectro; this package is the only one that imports
// gonum/plot.
package figure

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/ecgkit/ecg/spectro"
)

// Options describe a figure. Signal and Spectrogram are required; the
// rest have defaults.
type Options struct {
	// Title is the figure title, e.g. "Record 100, MLII, 30:00-31:00".
	Title string
	// Signal is the ECG segment the spectrogram was computed from, in
	// SignalUnits (mV), sampled at the spectrogram's Fs.
	Signal []float64
	// SignalName and SignalUnits label the trace's axis ("MLII", "mV").
	SignalName, SignalUnits string
	// Start is the time of Signal[0] in seconds from the start of the
	// record; the time axis shows record time as m:ss.
	Start float64
	// Beats are the samples of detected or annotated beats, relative to
	// Signal[0]; they are marked on the trace.
	Beats []int64
	// Colormap of the heat map and colour bar (spectro.Viridis default,
	// any spectro.Colormap).
	Colormap spectro.Colormap
	// DBMin, DBMax and DBRef are the decibel scale as in
	// spectro.ImageOptions (zero values: spectro's defaults).
	DBMin, DBMax, DBRef float64
	// Width and Height in pixels at 96 dpi; 0 means 1200 by 760.
	Width, Height int
}

// Draw draws the figure of s and writes it to w as PNG.
func Draw(w io.Writer, s *spectro.Spectrogram, opt Options) error {
	if s == nil || len(s.Freqs) == 0 || len(s.Times) == 0 {
		return errors.New("figure: empty spectrogram")
	}
	if len(opt.Signal) == 0 {
		return errors.New("figure: no signal")
	}
	opt = opt.withDefaults()
	pal := paletteOf(opt.Colormap)
	trace, err := tracePlot(opt, s.Fs)
	if err != nil {
		return err
	}
	spec := heatMapPlot(s, opt, pal)
	bar := colourBarPlot(s, opt, pal)
	return layout(w, opt, trace, spec, bar)
}

// withDefaults returns opt with the zero values replaced by the defaults.
func (opt Options) withDefaults() Options {
	if opt.Width <= 0 {
		opt.Width = 1200
	}
	if opt.Height <= 0 {
		opt.Height = 760
	}
	if opt.DBMin == 0 && opt.DBMax == 0 {
		opt.DBMin, opt.DBMax = spectro.DefaultDBMin, spectro.DefaultDBMax
	}
	if opt.DBRef <= 0 {
		opt.DBRef = spectro.DefaultDBRef
	}
	if opt.SignalUnits == "" {
		opt.SignalUnits = "mV"
	}
	return opt
}

// tracePlot plots the ECG trace with its beats marked.
func tracePlot(opt Options, fs float64) (*plot.Plot, error) {
	trace := plot.New()
	trace.Title.Text = opt.Title
	trace.Title.TextStyle.Font.Size = vg.Points(14)
	trace.Y.Label.Text = axisLabel(opt.SignalName, opt.SignalUnits)
	trace.X.Tick.Marker = clockTicks{blank: true}
	pts := make(plotter.XYs, 0, len(opt.Signal))
	for i, v := range opt.Signal {
		if !math.IsNaN(v) {
			pts = append(pts, plotter.XY{X: opt.Start + float64(i)/fs, Y: v})
		}
	}
	line, err := plotter.NewLine(pts)
	if err != nil {
		return nil, fmt.Errorf("figure: trace: %w", err)
	}
	line.LineStyle.Width = vg.Points(0.6)
	line.LineStyle.Color = color.RGBA{R: 0x20, G: 0x20, B: 0x20, A: 255}
	trace.Add(plotter.NewGrid(), line)
	// Beats are marked by triangles in a row above the trace, at their
	// times (a fiducial point of a detector may sit a few milliseconds off
	// the R peak, where the trace is still at the baseline).
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
	}
	if !(hi > lo) {
		lo, hi = lo-1, lo+1
	}
	markY := hi + 0.08*(hi-lo)
	var marks plotter.XYs
	for _, b := range opt.Beats {
		if b >= 0 && int(b) < len(opt.Signal) {
			marks = append(marks, plotter.XY{X: opt.Start + float64(b)/fs, Y: markY})
		}
	}
	if len(marks) > 0 {
		sc, err := plotter.NewScatter(marks)
		if err != nil {
			return nil, fmt.Errorf("figure: beats: %w", err)
		}
		sc.GlyphStyle.Shape = draw.PyramidGlyph{}
		sc.GlyphStyle.Radius = vg.Points(3)
		sc.GlyphStyle.Color = color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 255}
		trace.Add(sc)
		if len(marks) == 1 {
			trace.Title.Text += " (1 beat marked)"
		} else {
			trace.Title.Text += fmt.Sprintf(" (%d beats marked)", len(marks))
		}
		trace.Y.Max = markY + 0.06*(hi-lo)
	}
	trace.X.Min, trace.X.Max = opt.Start, opt.Start+float64(len(opt.Signal))/fs
	return trace, nil
}

// heatMapPlot plots the spectrogram as a heat map over record time.
func heatMapPlot(s *spectro.Spectrogram, opt Options, pal palette.Palette) *plot.Plot {
	spec := plot.New()
	spec.X.Label.Text = "Time in record (m:ss)"
	spec.Y.Label.Text = "Frequency (Hz)"
	spec.X.Tick.Marker = clockTicks{}
	grid := &specGrid{s: s, start: opt.Start, ref: opt.DBRef}
	hm := plotter.NewHeatMap(grid, pal)
	hm.Min, hm.Max = opt.DBMin, opt.DBMax
	cols := pal.Colors()
	hm.Underflow, hm.Overflow = cols[0], cols[len(cols)-1]
	hm.NaN = cols[0]
	hm.Rasterized = true
	spec.Add(hm)
	spec.X.Min, spec.X.Max = opt.Start, opt.Start+float64(len(opt.Signal))/s.Fs
	df := 0.0
	if len(s.Freqs) > 1 {
		df = s.Freqs[1] - s.Freqs[0]
	}
	spec.Y.Min, spec.Y.Max = s.Freqs[0]-df/2, s.Freqs[len(s.Freqs)-1]+df/2
	return spec
}

// colourBarPlot plots the colour bar of the heat map, in decibels.
func colourBarPlot(s *spectro.Spectrogram, opt Options, pal palette.Palette) *plot.Plot {
	bar := plot.New()
	cb := &plotter.ColorBar{ColorMap: &paletteMap{pal: pal, min: opt.DBMin, max: opt.DBMax}, Vertical: true, Colors: len(pal.Colors())}
	bar.Add(cb)
	bar.HideX()
	bar.Y.Label.Text = "PSD (dB re 1 " + psdUnit(s, opt.SignalUnits) + ")"
	bar.Y.Min, bar.Y.Max = opt.DBMin, opt.DBMax
	return bar
}

// layout draws the trace on top (a third), the spectrogram below and the
// colour bar on the right of the spectrogram, the data areas of trace and
// spectrogram sharing their left and right edges, and writes the PNG.
func layout(w io.Writer, opt Options, trace, spec, bar *plot.Plot) error {
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(opt.Width)*vg.Inch/96, vg.Length(opt.Height)*vg.Inch/96), vgimg.UseDPI(96))
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	pad := vg.Points(6)
	dc = draw.Crop(dc, pad, -pad, pad, -pad)
	barW := vg.Length(opt.Width) * vg.Inch / 96 * 0.11
	split := dc.Min.Y + (dc.Max.Y-dc.Min.Y)*0.64
	top := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: dc.Min.X, Y: split}, Max: vg.Point{X: dc.Max.X - barW, Y: dc.Max.Y}}}
	bottom := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: dc.Min, Max: vg.Point{X: dc.Max.X - barW, Y: split}}}
	right := draw.Canvas{Canvas: dc.Canvas, Rectangle: vg.Rectangle{Min: vg.Point{X: dc.Max.X - barW, Y: dc.Min.Y}, Max: vg.Point{X: dc.Max.X, Y: split}}}
	alignX(trace, &top, spec, &bottom)
	// The colour bar spans the heat map's height.
	dsp := spec.DataCanvas(bottom)
	dbar := bar.DataCanvas(right)
	right.Min.Y += dsp.Min.Y - dbar.Min.Y
	right.Max.Y -= dbar.Max.Y - dsp.Max.Y
	right.Min.X += pad * 2
	trace.Draw(top)
	spec.Draw(bottom)
	bar.Draw(right)
	_, err := (&vgimg.PngCanvas{Canvas: c}).WriteTo(w)
	return err
}

// alignX shrinks two canvases so that the data areas of their plots share
// left and right edges.
func alignX(a *plot.Plot, ca *draw.Canvas, b *plot.Plot, cb *draw.Canvas) {
	da, db := a.DataCanvas(*ca), b.DataCanvas(*cb)
	la, lb := da.Min.X-ca.Min.X, db.Min.X-cb.Min.X
	ra, rb := ca.Max.X-da.Max.X, cb.Max.X-db.Max.X
	l, r := max(la, lb), max(ra, rb)
	ca.Min.X += l - la
	cb.Min.X += l - lb
	ca.Max.X -= r - ra
	cb.Max.X -= r - rb
}

func axisLabel(name, units string) string {
	if name == "" {
		return units
	}
	return name + " (" + units + ")"
}

// psdUnit names the unit of the spectrogram's values.
func psdUnit(s *spectro.Spectrogram, units string) string {
	switch {
	case s.Params.Mode == spectro.ModeMagnitude:
		return units
	case s.Params.Scaling == spectro.ScalingSpectrum:
		return units + "²"
	}
	return units + "²/Hz"
}

// specGrid presents a spectrogram as a plotter.GridXYZ in decibels.
type specGrid struct {
	s     *spectro.Spectrogram
	start float64
	ref   float64
}

func (g *specGrid) Dims() (c, r int)   { return len(g.s.Times), len(g.s.Freqs) }
func (g *specGrid) X(c int) float64    { return g.start + g.s.Times[c] }
func (g *specGrid) Y(r int) float64    { return g.s.Freqs[r] }
func (g *specGrid) Z(c, r int) float64 { return g.db(g.s.Power[r][c]) }

func (g *specGrid) db(v float64) float64 {
	if g.s.DB {
		return v
	}
	k := 10.0
	if g.s.Params.Mode == spectro.ModeMagnitude {
		k = 20
	}
	return k * math.Log10(v/g.ref)
}

// palettes adapt spectro's colormaps to gonum/plot.
type colors []color.Color

func (c colors) Colors() []color.Color { return c }

func paletteOf(cm spectro.Colormap) palette.Palette {
	p := cm.Palette()
	c := make(colors, len(p))
	copy(c, p)
	return c
}

// paletteMap is a palette.ColorMap over a fixed palette and range.
type paletteMap struct {
	pal      palette.Palette
	min, max float64
}

func (m *paletteMap) At(v float64) (color.Color, error) {
	c := m.pal.Colors()
	if v < m.min || v > m.max || math.IsNaN(v) {
		return nil, palette.ErrOverflow
	}
	i := int((v - m.min) / (m.max - m.min) * float64(len(c)-1))
	return c[i], nil
}
func (m *paletteMap) Max() float64     { return m.max }
func (m *paletteMap) SetMax(v float64) { m.max = v }
func (m *paletteMap) Min() float64     { return m.min }
func (m *paletteMap) SetMin(v float64) { m.min = v }
func (m *paletteMap) Alpha() float64   { return 1 }
func (m *paletteMap) SetAlpha(float64) {}
func (m *paletteMap) Palette(n int) palette.Palette {
	c := m.pal.Colors()
	out := make(colors, n)
	for i := range out {
		out[i] = c[i*(len(c)-1)/max(n-1, 1)]
	}
	return out
}

// clockTicks labels a time axis in seconds as m:ss (h:mm:ss past an hour).
// With blank set the ticks carry no labels (the trace above the heat map
// shares its time axis).
type clockTicks struct{ blank bool }

func (c clockTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = Clock(ticks[i].Value)
			if c.blank {
				ticks[i].Label = ""
			}
		}
	}
	return ticks
}

// Clock formats seconds as m:ss, or h:mm:ss from an hour on; fractions of
// a second are kept to the millisecond when present.
func Clock(sec float64) string {
	neg := ""
	if sec < 0 {
		neg, sec = "-", -sec
	}
	ms := int64(math.Round(sec * 1000))
	h, m, s, frac := ms/3600000, ms/60000%60, ms/1000%60, ms%1000
	var out string
	if h > 0 {
		out = fmt.Sprintf("%d:%02d:%02d", h, m, s)
	} else {
		out = fmt.Sprintf("%d:%02d", m, s)
	}
	if frac != 0 {
		out += fmt.Sprintf(".%03d", frac)
	}
	return neg + out
}
