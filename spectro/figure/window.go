package figure

import (
	"fmt"
	"io"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/spectro"
)

// Suffix ends the name of a window's figure in an archive
// ("100_0030m00s_MLII_figure.png").
const Suffix = "_figure.png"

// Window draws the figure of an archive window with r's spectrogram and
// decibel range, and writes it to w as PNG. The beats marked are those
// the detector finds with the lead-in the archive read before the window
// (win.Context), so that it has learnt the signal by the window's start.
// The title names the record, the signal, the time span and the label.
// Figures are in colour: a grayscale renderer draws them in viridis. A
// filled window (datasets.FillRepeat) is drawn as rendered: the trace,
// beats and spectrogram of its repeated samples over the stride's
// duration from the window's start; the title gives the span of the
// record actually used and the duration it is repeated to.
func Window(w io.Writer, r *spectro.StrideRenderer, win *datasets.Window) error {
	off := win.Span.Start - win.ContextStart
	n := int64(len(win.X))
	var marks []int64
	for _, b := range beats.Detect(win.Context[:off+n], win.Fs) {
		if s := b.Sample - off; s >= 0 && s < n {
			marks = append(marks, s)
		}
	}
	start := float64(win.Span.Start) / win.Fs
	end := float64(win.Span.End) / win.Fs
	title := fmt.Sprintf("Record %s, %s, %s-%s", win.Record, win.Signal, Clock(start), Clock(end))
	if n > win.Span.Len() {
		title += fmt.Sprintf(" repeated to %.4gs", float64(n)/win.Fs)
	}
	if win.Row != nil && win.Row.Label != "" && win.Row.Label != "none" {
		title += ", label " + win.Row.Label
	}
	img := r.Image()
	cm := img.Colormap
	if cm == spectro.Gray {
		cm = spectro.Viridis
	}
	return r.Spectrogram(win.X, win.Fs, func(s *spectro.Spectrogram) error {
		return Draw(w, s, Options{Title: title, Signal: win.X, SignalName: win.Signal,
			SignalUnits: win.Units, Start: start, Beats: marks, Colormap: cm,
			DBMin: img.DBMin, DBMax: img.DBMax})
	})
}

// Output returns the archive output drawing each window's figure (see
// Window) as NAME_figure.png.
func Output(r *spectro.StrideRenderer) datasets.Output {
	return datasets.Output{Suffix: Suffix, Write: func(w io.Writer, win *datasets.Window) error {
		return Window(w, r, win)
	}}
}
