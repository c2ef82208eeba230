package figure

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/edftest"
	"github.com/ecgkit/ecg/internal/imgcmp"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata")

// demo100 is the 5-minute excerpt of mitdb record 100 in the repository.
const demo100 = "../../internal/demodata/mitdb/100"

// goldenTol lets a font rasteriser's rounding pass, not a moved trace.
var goldenTol = imgcmp.Tolerance{Channel: 24, Pixels: 0.003}

// multiFreqRecord writes a multi-frequency record into dir: an ECG at 4
// samples per frame (500 Hz) and a pressure in mmHg at 1 (125 Hz), 6 s,
// with beat annotations and a rhythm change; it returns its path.
func multiFreqRecord(t *testing.T, dir string) string {
	const fs, spf = 125.0, 4
	x, beats := synthECG(6*fs*spf, fs*spf)
	ecg := make([]int32, len(x))
	for i, v := range x {
		ecg[i] = int32(math.Round(v * 200))
	}
	abp := make([]int32, 6*fs)
	for i := range abp {
		abp[i] = int32(math.Round(10 * (90 + 25*math.Sin(2*math.Pi*float64(i)/(0.8*fs)))))
	}
	h := &wfdb.Header{Name: "mf", Fs: fs, Signals: []wfdb.SignalSpec{
		{FileName: "mf.dat", Format: wfdb.Format16, SamplesPerFrame: spf, Gain: 200, Units: "mV", ADCResolution: 16, Description: "ECG"},
		{FileName: "mf.dat", Format: wfdb.Format16, SamplesPerFrame: 1, Gain: 10, Units: "mmHg", ADCResolution: 16, Description: "ABP"},
	}}
	if err := wfdb.WriteRecord(dir, h, [][]int32{ecg, abp}); err != nil {
		t.Fatal(err)
	}
	anns := []wfdb.Annotation{{Sample: 2, Type: wfdb.Rhythm, Aux: "(N"}}
	for i, b := range beats {
		c := wfdb.Normal
		if i == 3 {
			c = wfdb.PVC
		}
		anns = append(anns, wfdb.Annotation{Sample: b / spf, Type: c})
	}
	anns = append(anns, wfdb.Annotation{Sample: 400, Type: wfdb.Note, Aux: "cuff"})
	path := filepath.Join(dir, "mf")
	if err := wfdb.WriteAnnotations(path, "atr", anns); err != nil {
		t.Fatal(err)
	}
	return path
}

// csvFile writes a CSV export (a time column, two leads, 250 Hz, 6 s).
func csvFile(t *testing.T, dir string) string {
	const fs = 250.0
	x, _ := synthECG(6*fs, fs)
	var b strings.Builder
	b.WriteString("time,I,II\n")
	for i, v := range x {
		fmt.Fprintf(&b, "%.3f,%.4f,%.4f\n", float64(i)/fs, 0.6*v, v)
	}
	path := filepath.Join(dir, "watch.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// edfFile writes an EDF+ file: an ECG in µV at 200 Hz, 6 records of 1 s,
// with two annotations.
func edfFile(t *testing.T, dir string) string {
	const fs = 200
	x, _ := synthECG(6*fs, fs)
	tals := []string{"+0\x14\x14\x00", "+1\x14\x14\x00+1.5\x14Button\x14\x00", "+2\x14\x14\x00", "+3\x14\x14\x00+3.2\x14Cough\x14\x00", "+4\x14\x14\x00", "+5\x14\x14\x00"}
	ann := edftest.Annotations(tals, 30)
	data := edftest.Build(edftest.File{Reserved: "EDF+C", StartDate: "01.01.20", StartTime: "10.00.00", Records: len(tals), Duration: 1,
		Signals: []edftest.Signal{
			{Label: "ECG", Units: "uV", PhysMin: -3276.8, PhysMax: 3276.7, DigMin: -32768, DigMax: 32767, NSamples: fs},
			{Label: "EDF Annotations", PhysMin: -1, PhysMax: 1, DigMin: -32768, DigMax: 32767, NSamples: 30},
		}}, func(s, i int) int16 {
		if s == 0 {
			return int16(math.Round(x[i] * 10000))
		}
		return ann(i)
	})
	path := filepath.Join(dir, "night.edf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPaperGolden draws a WFDB record with annotations, a
// multi-frequency record, a CSV file (plain axes) and an EDF+ file, and
// compares the PNGs with testdata/paper-*.png as decoded pixels.
func TestPaperGolden(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		path string
		ropt ReadOptions
		opt  PaperOptions
	}{
		{"wfdb-100", demo100, ReadOptions{From: "2", Duration: "6"}, PaperOptions{Row: 6, DPI: 72}},
		{"wfdb-100-beats", demo100, ReadOptions{Duration: "12", Signals: "MLII", Beats: true}, PaperOptions{Row: 6, DPI: 72, MarkDisagreements: true}},
		{"multifreq", multiFreqRecord(t, dir), ReadOptions{}, PaperOptions{Row: 6, DPI: 72}},
		{"csv", csvFile(t, dir), ReadOptions{}, PaperOptions{Row: 6, DPI: 72, Plain: true}},
		{"edf", edfFile(t, dir), ReadOptions{}, PaperOptions{Row: 6, DPI: 72}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ReadPaper(c.path, c.ropt)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := DrawPaper(&buf, p, c.opt); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "paper-"+c.name+".png")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if err := imgcmp.ComparePNG(buf.Bytes(), want, goldenTol); err != nil {
				t.Errorf("%s: %v (go test ./spectro/figure -run PaperGolden -update rewrites it)", golden, err)
			}
		})
	}
}

// squareWave is a Paper of one trace in mV at fs: 0 mV, then 1 mV from
// 1 s to 2 s and from 3 s on, over 4 s.
func squareWave(fs float64) *Paper {
	n := int(4 * fs)
	x := make([]float64, n)
	for i := range x {
		if s := float64(i) / fs; s >= 1 && s < 2 || s >= 3 {
			x[i] = 1
		}
	}
	return &Paper{Title: "square", Fs: fs, To: int64(n), Traces: []Trace{{Name: "II", Units: "mV", X: x}}}
}

// TestPaperCalibration checks the scale in the pixels of PNGs at several
// resolutions: 1 mV spans 10 mm, 1 s spans 25 mm, the calibration pulse is
// 10 mm high and 0.2 s wide, each to within a pixel of d/25.4 pixels per
// mm at d dpi.
func TestPaperCalibration(t *testing.T) {
	for _, dpi := range []int{72, 100, 150, 300} {
		t.Run(fmt.Sprint(dpi), func(t *testing.T) {
			var buf bytes.Buffer
			if err := DrawPaper(&buf, squareWave(500), PaperOptions{Row: 4, DPI: dpi}); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			pxmm := float64(dpi) / 25.4
			col := func(mmX float64) int { return int(mmX * pxmm) }
			x0 := leftMM + calMM // the trace's start, in mm
			low, high := darkY(img, col(x0+0.5*PaperSpeed)), darkY(img, col(x0+1.5*PaperSpeed))
			check(t, "1 mV", low-high, 10*pxmm)
			calLow, calHigh := darkY(img, col(leftMM+1)), darkY(img, col(leftMM+2+0.1*PaperSpeed))
			check(t, "calibration pulse height", calLow-calHigh, 10*pxmm)
			mid := int(math.Round((low + high) / 2))
			edges := darkXs(img, mid, col(x0+0.5*PaperSpeed), img.Bounds().Dx())
			if len(edges) != 3 {
				t.Fatalf("edges of the square wave at row %d: %v, want 3", mid, edges)
			}
			check(t, "1 s", edges[1]-edges[0], 25*pxmm)
			check(t, "2 s", edges[2]-edges[0], 50*pxmm)
			cal := darkXs(img, int(math.Round((calLow+calHigh)/2)), col(leftMM+1), col(x0-1))
			if len(cal) != 2 {
				t.Fatalf("edges of the calibration pulse: %v, want 2", cal)
			}
			check(t, "pulse width 0.2 s", cal[1]-cal[0], 0.2*PaperSpeed*pxmm)
		})
	}
}

func check(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1 {
		t.Errorf("%s: %.2f px, want %.2f (within 1 px)", what, got, want)
	}
}

// ink returns how much of the trace's near black covers a pixel: 0 for
// white and for the grid (whose red channel stays above 0xe8), more the
// darker the red channel (an antialiased edge counts in part).
func ink(img image.Image, x, y int) float64 {
	r, _, _, _ := img.At(x, y).RGBA()
	return math.Max(0, float64(0xe8-int(r>>8)))
}

// darkY returns the ink-weighted mean row of column x below the title.
func darkY(img image.Image, x int) float64 {
	sum, n := 0.0, 0.0
	for y := img.Bounds().Dy() / 4; y < img.Bounds().Dy(); y++ {
		w := ink(img, x, y)
		sum += w * float64(y)
		n += w
	}
	return sum / math.Max(n, 1)
}

// darkXs returns the ink-weighted centre of each run of inked pixels on
// row y, from x0 to x1.
func darkXs(img image.Image, y, x0, x1 int) []float64 {
	var out []float64
	sum, n := 0.0, 0.0
	for x := x0; x <= x1; x++ {
		w := 0.0
		if x < x1 {
			w = ink(img, x, y)
		}
		switch {
		case w > 40:
			sum += w * float64(x)
			n += w
		case n > 0:
			out = append(out, sum/n)
			sum, n = 0, 0
		}
	}
	return out
}

func TestPaperDeterministicAndFormats(t *testing.T) {
	p, err := ReadPaper(demo100, ReadOptions{Duration: "4"})
	if err != nil {
		t.Fatal(err)
	}
	draw := func(opt PaperOptions) []byte {
		var buf bytes.Buffer
		if err := DrawPaper(&buf, p, opt); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := draw(PaperOptions{DPI: 50}), draw(PaperOptions{DPI: 50})
	if !bytes.Equal(a, b) {
		t.Error("two PNGs of the same stretch differ")
	}
	img, err := png.Decode(bytes.NewReader(draw(PaperOptions{Width: 800})))
	if err != nil {
		t.Fatal(err)
	}
	if w := img.Bounds().Dx(); w < 790 || w > 810 {
		t.Errorf("--width 800: %d px", w)
	}
	svg := draw(PaperOptions{Format: "svg"})
	if !bytes.Contains(svg[:200], []byte("<svg")) {
		t.Errorf("svg starts %q", svg[:50])
	}
	if !bytes.Equal(svg, draw(PaperOptions{Format: "svg"})) {
		t.Error("two SVGs of the same stretch differ")
	}
	if pdf := draw(PaperOptions{Format: "pdf"}); !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Errorf("pdf starts %q", pdf[:20])
	}
	for _, bad := range []PaperOptions{{Row: -1}, {DPI: 5000}, {DPI: 100, Width: 100}, {Format: "gif"}} {
		if err := DrawPaper(&bytes.Buffer{}, p, bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
	if err := DrawPaper(&bytes.Buffer{}, p, PaperOptions{MarkDisagreements: true}); err == nil {
		t.Error("disagreements with one lane: no error")
	}
}

// TestPDFDate: a PDF states the Date it is given, so that the same
// stretch and options give the same bytes; without one, the time of
// writing.
func TestPDFDate(t *testing.T) {
	p := &Paper{Fs: 100, From: 0, To: 200, Traces: []Trace{{Name: "MLII", Units: "mV", X: make([]float64, 200)}}}
	draw := func(date time.Time) []byte {
		var buf bytes.Buffer
		if err := DrawPaper(&buf, p, PaperOptions{Format: "pdf", Date: date}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	day := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	a := draw(day)
	if !bytes.Contains(a, []byte("/CreationDate (D:20240506070809")) {
		t.Errorf("PDF of %v does not state that date", day)
	}
	if b := draw(day); !bytes.Equal(a, b) {
		t.Error("two PDFs of the same stretch and date differ")
	}
	if now := draw(time.Time{}); bytes.Contains(now, []byte("D:20240506")) {
		t.Error("a PDF without a date keeps the date of the one before")
	}
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]string{"a.png": "png", "b.SVG": "svg", "dir.x/c.pdf": "pdf", "d.gif": "", "e": ""} {
		got, err := FormatOf(name)
		if got != want || (err != nil) != (want == "") {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestReadPaperErrors(t *testing.T) {
	for _, c := range []struct {
		opt  ReadOptions
		want string
	}{
		{ReadOptions{From: "10:00"}, "after the end of the record (5:00.000)"},
		{ReadOptions{From: "5", To: "5"}, "empty stretch"},
		{ReadOptions{From: "5", To: "3"}, "empty stretch"},
		{ReadOptions{Signals: "V2"}, "--signals"},
		{ReadOptions{Signals: ","}, "--signals"},
		{ReadOptions{To: "1", Duration: "2"}, "give one"},
		{ReadOptions{From: "x"}, "--from"},
	} {
		_, err := ReadPaper(demo100, c.opt)
		var se *SelectionError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want a SelectionError with %q", c.opt, err, c.want)
		}
	}
	_, err := ReadPaper(demo100, ReadOptions{Annotators: []string{"nosuch"}})
	var se *SelectionError
	if err == nil || errors.As(err, &se) || !strings.Contains(err.Error(), "100.nosuch") {
		t.Errorf("unknown annotator: %v, want an error naming 100.nosuch", err)
	}
	if _, err := ReadPaper("nosuch", ReadOptions{}); err == nil || !strings.Contains(err.Error(), "nosuch.hea") {
		t.Errorf("missing record: %v", err)
	}
}

func TestReadPaperWindow(t *testing.T) {
	for _, d := range []string{"12", "0:12", "12s", "s4320"} {
		p, err := ReadPaper(demo100, ReadOptions{From: "1", Duration: d})
		if err != nil || p.To-p.From != 12*360 {
			t.Errorf("--duration %s: %v", d, err)
		}
	}
	p, err := ReadPaper(demo100, ReadOptions{From: "4:55", Duration: "30", Signals: "V5"})
	if err != nil {
		t.Fatal(err)
	}
	// Cut at the end of the 5-minute excerpt; annotations in the stretch.
	if p.From != 295*360 || p.To != 300*360 || len(p.Traces) != 1 || p.Traces[0].Name != "V5" || len(p.Traces[0].X) != 5*360 {
		t.Fatalf("from %d to %d, %d traces", p.From, p.To, len(p.Traces))
	}
	if len(p.Lanes) != 1 || p.Lanes[0].Name != "atr" {
		t.Fatalf("lanes %+v", p.Lanes)
	}
}

func TestDisagreements(t *testing.T) {
	const fs = 100.0
	ref := []wfdb.Annotation{{Sample: 100, Type: wfdb.Normal}, {Sample: 200, Type: wfdb.PVC}, {Sample: 300, Type: wfdb.Normal}, {Sample: 350, Type: wfdb.Rhythm, Aux: "(N"}}
	test := []wfdb.Annotation{{Sample: 105, Type: wfdb.Normal}, {Sample: 198, Type: wfdb.Normal}, {Sample: 250, Type: wfdb.Normal}}
	p := &Paper{Fs: fs, To: 400, Lanes: []Lane{{Name: "atr", Annotations: ref}, {Name: "qrs", Annotations: test}}}
	dis, summary := disagreements(p)
	if summary != "atr vs qrs (EC57, 150 ms): 1 missed, 1 extra, 1 of another class" {
		t.Errorf("summary %q", summary)
	}
	want := []disagreement{{sample: 300}, {sample: 250}, {sample: 200, class: true}}
	if fmt.Sprint(dis) != fmt.Sprint(want) {
		t.Errorf("disagreements %v, want %v", dis, want)
	}
}

func TestAnnotationLabel(t *testing.T) {
	for _, c := range []struct {
		a    wfdb.Annotation
		want string
	}{
		{wfdb.Annotation{Type: wfdb.PVC, Aux: "x"}, "V"},
		{wfdb.Annotation{Type: wfdb.Rhythm, Aux: "(AFIB\x00"}, "(AFIB"},
		{wfdb.Annotation{Type: wfdb.Noise}, "~"},
	} {
		if got := AnnotationLabel(c.a); got != c.want {
			t.Errorf("%v: %q, want %q", c.a, got, c.want)
		}
	}
}

// TestReadPaperMultiSegment reads a stretch across the boundary of the
// two segments of a multi-segment record.
func TestReadPaperMultiSegment(t *testing.T) {
	dir := t.TempDir()
	const fs = 100
	for k, name := range []string{"ms_1", "ms_2"} {
		d := make([]int32, 3*fs)
		for i := range d {
			d[i] = int32(1000*k + i)
		}
		h := &wfdb.Header{Name: name, Fs: fs, Signals: []wfdb.SignalSpec{{FileName: name + ".dat", Format: wfdb.Format16, SamplesPerFrame: 1, Gain: 1000, Units: "mV", ADCResolution: 16, Description: "II"}}}
		if err := wfdb.WriteRecord(dir, h, [][]int32{d}); err != nil {
			t.Fatal(err)
		}
	}
	master := "ms/2 1 100 600\nms_1 300\nms_2 300\n"
	if err := os.WriteFile(filepath.Join(dir, "ms.hea"), []byte(master), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := ReadPaper(filepath.Join(dir, "ms"), ReadOptions{From: "2", Duration: "2"})
	if err != nil {
		t.Fatal(err)
	}
	x := p.Traces[0].X
	if len(x) != 200 || x[0] != 0.2 || x[99] != 0.299 || x[100] != 1 || x[199] != 1.099 {
		t.Fatalf("%d samples: %v %v %v %v", len(x), x[0], x[99], x[100], x[199])
	}
	if err := DrawPaper(&bytes.Buffer{}, p, PaperOptions{DPI: 30}); err != nil {
		t.Fatal(err)
	}
}

func TestPaperTooLarge(t *testing.T) {
	p := squareWave(10)
	if err := DrawPaper(&bytes.Buffer{}, p, PaperOptions{Row: 0.0004, Format: "svg"}); err == nil || !strings.Contains(err.Error(), "at most 8640") {
		t.Errorf("10000 rows: %v", err)
	}
	err := DrawPaper(&bytes.Buffer{}, p, PaperOptions{Row: 3600, DPI: 1200})
	if err == nil || !strings.Contains(err.Error(), "million") {
		t.Fatalf("a PNG 90 m wide at 1200 dpi: %v", err)
	}
}
