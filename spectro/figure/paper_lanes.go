package figure

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// aamiColours colour beat symbols by their AAMI class (wfdb.Code.AAMI).
var aamiColours = map[byte]color.RGBA{
	'N': {R: 0x10, G: 0x10, B: 0x10, A: 0xff},
	'S': {R: 0x1f, G: 0x5f, B: 0xc8, A: 0xff},
	'V': {R: 0xd0, G: 0x10, B: 0x10, A: 0xff},
	'F': {R: 0x80, G: 0x30, B: 0xa0, A: 0xff},
	'Q': {R: 0x8c, G: 0x56, B: 0x20, A: 0xff},
}

// AnnotationLabel returns the text drawn for an annotation: a beat's
// symbol ("N", "V"), the Aux text of other annotations when they carry
// one (a rhythm change "(AFIB", a comment), else their symbol ("~", "|").
func AnnotationLabel(a wfdb.Annotation) string {
	if !a.Type.IsBeat() {
		if aux := strings.TrimSpace(wfdb.AuxText(a.Aux)); aux != "" {
			return aux
		}
	}
	return a.Type.Symbol()
}

// drawLane draws lane i in row r: its name, then each annotation at its
// time: beat symbols centred, in their AAMI class's colour; other
// annotations as a marker (a tick across the lane and a dashed line down
// through the traces) labelled on its right.
func (l *paperLayout) drawLane(dc draw.Canvas, p *Paper, i, r int) {
	top := l.rowTop(r) + float64(i)*laneMM
	l.text(dc, 1, top+laneMM/2, p.Lanes[i].Name, 7, laneColor, draw.XLeft)
	tick := draw.LineStyle{Color: noteColor, Width: l.width(0.2, 1)}
	dash := draw.LineStyle{Color: noteColor, Width: l.width(0.1, 0.7), Dashes: []vg.Length{mm(1), mm(1)}}
	first := p.From + int64(math.Ceil(float64(r)*l.rowFrames))
	anns := l.lanes[i]
	k, _ := slices.BinarySearchFunc(anns, first, func(a wfdb.Annotation, s int64) int { return cmp.Compare(a.Sample, s) })
	for _, a := range anns[k:] {
		ar, f := l.rowOf(float64(a.Sample - p.From))
		if ar != r {
			break
		}
		x := l.x(f)
		label := AnnotationLabel(a)
		if a.Type.IsBeat() {
			l.text(dc, x, top+laneMM/2, label, 8, aamiColours[a.Type.AAMI()], draw.XCenter)
			continue
		}
		dc.StrokeLines(tick, []vg.Point{l.pt(x, top+0.5), l.pt(x, top+laneMM-0.5)})
		bottom := l.rowTop(r) + l.rowH - l.gap
		dc.StrokeLines(dash, []vg.Point{l.pt(x, top+laneMM), l.pt(x, bottom)})
		l.text(dc, x+0.6, top+laneMM/2, label, 7, noteColor, draw.XLeft)
	}
}

// disagreement is a beat on which the first two lanes differ.
type disagreement struct {
	sample int64
	class  bool // matched, but of another AAMI class (else unmatched)
}

func (d disagreement) colour() color.Color {
	if d.class {
		return color.NRGBA{R: 0xff, G: 0xd0, B: 0x00, A: 0x60}
	}
	return color.NRGBA{R: 0xff, G: 0x80, B: 0x00, A: 0x70}
}

// disagreements matches the beats of the second lane against those of the
// first by the EC57 rules as bxb applies them (beats.Match: 150 ms, over
// the whole stretch, ventricular flutter left out) and returns where they
// differ, with a summary for the title.
func disagreements(p *Paper) ([]disagreement, string) {
	refAnns := beatsIn(p.Lanes[0].Annotations, p.From, p.To)
	testAnns := beatsIn(p.Lanes[1].Annotations, p.From, p.To)
	ref, vf := beats.Reference(within(p.Lanes[0].Annotations, p.From, p.To), p.To)
	test := beats.BeatSamples(testAnns)
	opt := beats.DefaultMatchOptions()
	opt.Skip, opt.Exclude = 0, vf
	m := beats.Match(ref, test, p.Fs, opt)
	var out []disagreement
	for _, k := range m.Missed {
		out = append(out, disagreement{sample: ref[k]})
	}
	for _, k := range m.Extra {
		out = append(out, disagreement{sample: test[k]})
	}
	classes := 0
	for _, pair := range m.Matches {
		a, b := refAnns[pair[0]], testAnns[pair[1]]
		if a.Type.AAMI() != b.Type.AAMI() {
			out = append(out, disagreement{sample: a.Sample, class: true})
			classes++
		}
	}
	return out, fmt.Sprintf("%s vs %s (EC57, 150 ms): %d missed, %d extra, %d of another class",
		p.Lanes[0].Name, p.Lanes[1].Name, len(m.Missed), len(m.Extra), classes)
}

// beatsIn returns the beat annotations of anns in frames [from, to).
func beatsIn(anns []wfdb.Annotation, from, to int64) []wfdb.Annotation {
	var out []wfdb.Annotation
	for _, a := range within(anns, from, to) {
		if a.Type.IsBeat() {
			out = append(out, a)
		}
	}
	return out
}

// within returns the annotations of anns in frames [from, to).
func within(anns []wfdb.Annotation, from, to int64) []wfdb.Annotation {
	var out []wfdb.Annotation
	for _, a := range anns {
		if a.Sample >= from && a.Sample < to {
			out = append(out, a)
		}
	}
	return out
}
