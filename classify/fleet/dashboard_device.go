package fleet

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/spectro"
	"github.com/ecgkit/ecg/spectro/figure"
)

// RowSeconds is the length of one row of the device page's trace.
const RowSeconds = 30

// devicePage serves /device/ID (the page) and /device/ID/spectrogram.png.
func (d *Dashboard) devicePage(w http.ResponseWriter, r *http.Request, rest string) {
	id, png := strings.CutSuffix(rest, "/spectrogram.png")
	det, ok := d.Hub.Detail(id)
	if !ok || !ValidDevice(id) {
		http.Error(w, fmt.Sprintf("no device %q", truncate(id)), http.StatusNotFound)
		return
	}
	if png {
		d.spectrogram(w, det)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if err := pageTemplate.Execute(w, pageOf(det)); err != nil {
		d.Hub.errorf("device page %s: %v", id, err)
	}
}

// spectrogram draws the figure of the device's recent signal (spectro's
// default parameters at its rate) as PNG, one figure at a time.
func (d *Dashboard) spectrogram(w http.ResponseWriter, det DeviceDetail) {
	if det.Fs <= 0 || float64(len(det.Recent)) < 2*det.Fs {
		http.Error(w, "less than 2 s of signal yet", http.StatusNotFound)
		return
	}
	d.drawing.Lock()
	defer d.drawing.Unlock()
	s, err := spectro.Compute(det.Recent, det.Fs, spectro.DefaultParams(det.Fs))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	title := fmt.Sprintf("%s, last %.0f s", det.ID, float64(len(det.Recent))/det.Fs)
	if err := figure.Draw(&b, s, figure.Options{Title: title, Signal: det.Recent, SignalName: "ECG", SignalUnits: "mV",
		Start: det.Start, Width: 1000, Height: 620}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b.Bytes())
}

// page is what the device page's template shows.
type page struct {
	DeviceView
	HR      string
	Rows    []string // SVG polyline points, one row of RowSeconds each
	Seconds float64  // of trace shown
	RowW    int
	RowH    int
}

// rowH is the height of a trace row in SVG units.
const rowH = 100

func pageOf(det DeviceDetail) page {
	p := page{DeviceView: det.DeviceView, HR: "–", RowW: RowSeconds * TraceHz, RowH: rowH}
	if det.HR != nil {
		p.HR = strconv.Itoa(int(math.Round(*det.HR)))
	}
	pts := det.Points
	p.Seconds = float64(len(pts)) / TraceHz
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range pts {
		lo, hi = min(lo, float64(v)), max(hi, float64(v))
	}
	span := hi - lo
	if !(span > 0) {
		span = 1
	}
	// Rows end at the newest point: the last row is the latest 30 s.
	for end := len(pts); end > 0; end -= p.RowW {
		start := max(0, end-p.RowW)
		var b strings.Builder
		for k, v := range pts[start:end] {
			x := k + p.RowW - (end - start)
			y := rowH - 4 - (float64(v)-lo)/span*(rowH-8)
			fmt.Fprintf(&b, "%d,%.1f ", x, y)
		}
		p.Rows = append([]string{b.String()}, p.Rows...)
	}
	return p
}

var pageTemplate = template.Must(template.New("device").Funcs(template.FuncMap{
	"mul":    func(a, b int) int { return a * b },
	"mul100": func(a float64) float64 { return 100 * a },
}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.ID}} · ecg serve</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10">
<link rel="stylesheet" href="../style.css">
</head>
<body class="device-page">
<header>
  <h1><a href="../">ecg serve</a> / <span id="device">{{.ID}}</span></h1>
  <span id="summary">{{.HR}} bpm · {{if .Label}}{{.Label}} {{printf "%.0f" (mul100 .Confidence)}}%{{else}}no window yet{{end}} · quality <span class="q-{{.Quality}}">{{.Quality}}</span></span>
</header>
{{if .Alerts}}<div class="banner page-banner">ALERT {{range $i, $a := .Alerts}}{{if $i}}, {{end}}{{$a}}{{end}}</div>{{end}}
<section>
  <h2>Last {{printf "%.0f" .Seconds}} s of ECG ({{len .Rows}} rows of 30 s, newest last)</h2>
  <svg id="trace" class="trace" viewBox="0 0 {{.RowW}} {{mul .RowH (len .Rows)}}" preserveAspectRatio="none" role="img" aria-label="ECG trace">
  {{range $i, $r := .Rows}}<polyline transform="translate(0 {{mul $.RowH $i}})" fill="none" stroke="#1565c0" stroke-width="1" vector-effect="non-scaling-stroke" points="{{$r}}"/>
  {{end}}</svg>
</section>
<section>
  <h2>Spectrogram of the last 30 s</h2>
  <img id="spectrogram" src="{{.ID}}/spectrogram.png" alt="spectrogram of {{.ID}}" width="1000" height="620">
</section>
</body>
</html>
`))
