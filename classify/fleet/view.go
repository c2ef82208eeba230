package fleet

import (
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/ecgkit/ecg/classify/stream"
)

// TraceHz is the rate of the dashboard's traces: samples are decimated to
// it (of every round(fs/TraceHz) samples, the one of largest magnitude).
const TraceHz = 50

// TracePoints is the length of a device's trace on the dashboard: 10 s at
// TraceHz.
const TracePoints = 10 * TraceHz

// HistorySeconds is how much of a device's decimated trace the hub keeps
// for its device page (36 KB a device at TraceHz as float32).
const HistorySeconds = 180

// HistoryPoints is the length of that history: HistorySeconds at TraceHz.
const HistoryPoints = HistorySeconds * TraceHz

// RecentSeconds is how much of a device's signal the hub keeps at its
// own rate for the spectrogram of its device page (float32: 30 KB at
// 250 Hz).
const RecentSeconds = 30

// view is what the dashboard shows of a device. Its goroutine writes it,
// the dashboard reads it; mu guards it.
type view struct {
	mu      sync.Mutex
	trace   [HistoryPoints]float32 // a ring: point k at k%HistoryPoints
	seq     int64                  // points pushed so far
	recent  []float32              // a ring of the last RecentSeconds at fs
	nrecent int64                  // samples pushed into it since fs was set
	step    int                    // keep one point for step samples
	phase   int                    // samples of the current step seen
	peak    float64                // the sample of largest magnitude among them
	fs      float64
	hr      float64
	label   string
	conf    float64
	quality string
	alerts  []string // labels in alert, sorted
}

func newView() *view { return &view{hr: math.NaN(), quality: "none"} }

// push adds samples at rate fs to the trace.
func (v *view) push(x []float64, fs float64) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if fs != v.fs {
		v.fs = fs
		v.step = max(1, int(math.Round(fs/TraceHz)))
		v.phase = 0
		v.recent = make([]float32, max(1, int(math.Round(RecentSeconds*fs))))
		v.nrecent = 0
	}
	for _, s := range x {
		v.recent[v.nrecent%int64(len(v.recent))] = float32(s)
		v.nrecent++
	}
	// Each point is the sample of largest magnitude of its step, so
	// that R peaks keep their height in the decimated trace.
	for _, s := range x {
		if v.phase == 0 || math.Abs(s) > math.Abs(v.peak) {
			v.peak = s
		}
		v.phase++
		if v.phase == v.step {
			// Rounded to 0.001 (1 uV for mV input): shorter JSON.
			v.trace[v.seq%HistoryPoints] = float32(math.Round(v.peak*1000) / 1000)
			v.seq++
			v.phase = 0
		}
	}
}

// event updates the view with a device's event.
func (v *view) event(e stream.Event) {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch b := Body(e).(type) {
	case *stream.HRBody:
		v.hr = math.NaN()
		if b.HR != nil {
			v.hr = *b.HR
		}
	case *stream.WindowBody:
		if b.Label != "" {
			v.label, v.conf = b.Label, b.Confidence
		}
	case *stream.StatusBody:
		v.quality = b.Quality
	case *stream.AlertBody:
		i, found := slices.BinarySearch(v.alerts, b.Label)
		switch {
		case b.State == "raised" && !found:
			v.alerts = slices.Insert(v.alerts, i, b.Label)
		case b.State == "cleared" && found:
			v.alerts = slices.Delete(v.alerts, i, i+1)
		}
	}
}

// DeviceView is a device as the dashboard shows it.
type DeviceView struct {
	ID string `json:"id"`
	// HR is the heart rate (bpm) of the last hr event, null when none.
	HR *float64 `json:"hr"`
	// Label and Confidence are the last scored window's.
	Label      string  `json:"label,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
	Quality    string  `json:"quality"`
	// Alerts lists the labels in alert.
	Alerts []string `json:"alerts,omitempty"`
	// Seq counts the trace points so far; Points are the latest of them
	// (at TraceHz, at most TracePoints), the ones after the caller's
	// previous Seq.
	Seq    int64     `json:"seq"`
	Points []float32 `json:"points,omitempty"`
}

// Views returns every device's view, devices in alert first, then by id.
// since gives, per device, the Seq the caller already has: only newer
// points are returned; it is updated to the new Seq (and forgets devices
// that are gone). A nil since returns whole traces.
func (h *Hub) Views(since map[string]int64) []DeviceView {
	h.mu.Lock()
	devs := make([]*device, 0, len(h.devices))
	for _, d := range h.devices {
		devs = append(devs, d)
	}
	h.mu.Unlock()
	out := make([]DeviceView, 0, len(devs))
	seen := make(map[string]bool, len(devs))
	for _, d := range devs {
		dv := d.view.snapshot(d.id, since[d.id])
		if since != nil {
			since[d.id] = dv.Seq
		}
		seen[d.id] = true
		out = append(out, dv)
	}
	for id := range since {
		if !seen[id] {
			delete(since, id)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := len(out[i].Alerts) > 0, len(out[j].Alerts) > 0; a != b {
			return a
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (v *view) snapshot(id string, since int64) DeviceView {
	v.mu.Lock()
	defer v.mu.Unlock()
	dv := DeviceView{ID: id, Label: v.label, Confidence: v.conf, Quality: v.quality, Seq: v.seq, Alerts: slices.Clone(v.alerts)}
	if !math.IsNaN(v.hr) {
		hr := v.hr
		dv.HR = &hr
	}
	from := max(since, v.seq-TracePoints, 0)
	if from > v.seq {
		from = max(v.seq-TracePoints, 0) // the device started over
	}
	dv.Points = v.points(from)
	return dv
}

// points returns the trace points from from (at least seq-HistoryPoints)
// to seq (v.mu held).
func (v *view) points(from int64) []float32 {
	from = max(from, v.seq-HistoryPoints, 0)
	out := make([]float32, 0, v.seq-from)
	for k := from; k < v.seq; k++ {
		out = append(out, v.trace[k%HistoryPoints])
	}
	return out
}

// DeviceDetail is what the device page shows of a device: its view with
// the whole history, and its most recent signal at its own rate.
type DeviceDetail struct {
	DeviceView
	// Recent is the last RecentSeconds (or fewer) of the signal, at Fs,
	// Start s after the device's stream began.
	Recent []float64
	Fs     float64
	Start  float64
}

// Detail returns a device's view with its history (the last
// HistorySeconds of its trace, at TraceHz, in Points) and its recent
// signal, or false when there is no such device.
func (h *Hub) Detail(id string) (DeviceDetail, bool) {
	h.mu.Lock()
	d := h.devices[id]
	h.mu.Unlock()
	if d == nil {
		return DeviceDetail{}, false
	}
	v := d.view
	dv := v.snapshot(id, v.seqNow())
	v.mu.Lock()
	defer v.mu.Unlock()
	dv.Points = v.points(0)
	out := DeviceDetail{DeviceView: dv, Fs: v.fs}
	if n := min(v.nrecent, int64(len(v.recent))); n > 0 {
		out.Recent = make([]float64, n)
		for k := range n {
			out.Recent[k] = float64(v.recent[(v.nrecent-n+k)%int64(len(v.recent))])
		}
		out.Start = float64(v.nrecent-n) / v.fs
	}
	return out, true
}

func (v *view) seqNow() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.seq
}
