package fleet

import (
	"math"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ecgkit/ecg/classify/stream"
)

// Qualities are the values of a status event's quality, each a series of
// ecg_device_signal_quality (1 for the current one, 0 for the others).
var Qualities = []string{"ok", "flat", "lead_off", "noise", "none"}

// Metrics are the Prometheus metrics of a hub, in a registry of their own
// with the Go runtime and process collectors. Per-device series are
// removed when their device expires.
type Metrics struct {
	reg *prometheus.Registry

	devices   prometheus.Gauge
	messages  *prometheus.CounterVec // source
	rejected  *prometheus.CounterVec // reason
	events    *prometheus.CounterVec // type
	latency   prometheus.Histogram
	published *prometheus.CounterVec // result
	connected prometheus.Gauge

	hr        *prometheus.GaugeVec   // device
	bpm       *prometheus.GaugeVec   // device
	quality   *prometheus.GaugeVec   // device, quality
	label     *prometheus.GaugeVec   // device, label
	score     *prometheus.GaugeVec   // device
	alert     *prometheus.GaugeVec   // device, label
	samples   *prometheus.CounterVec // device
	ppg       *prometheus.CounterVec // device
	malformed *prometheus.CounterVec // device
	fs        *prometheus.GaugeVec   // device

	mu        sync.Mutex
	lastLabel map[string]string
}

// NewMetrics returns the metrics, registered.
func NewMetrics() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry(), lastLabel: map[string]string{}}
	dev := []string{"device"}
	m.devices = prometheus.NewGauge(prometheus.GaugeOpts{Name: "ecg_devices", Help: "Devices being scored."})
	m.messages = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ecg_messages_total", Help: "Messages received, by source (mqtt, http)."}, []string{"source"})
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ecg_messages_rejected_total", Help: "Messages rejected, by reason (malformed, too_large, bad_device, devices_full, queue_full, rate_limited, memory_cap, no_rate)."}, []string{"reason"})
	m.events = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ecg_events_total", Help: "Events emitted, by type (hr, window, alert, status, beat)."}, []string{"type"})
	m.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "ecg_ingest_to_event_seconds", Help: "Time from a message's receipt to an event it caused.",
		Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5},
	})
	m.published = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ecg_published_total", Help: "Events published to the broker, by result (ok, dropped, failed)."}, []string{"result"})
	m.connected = prometheus.NewGauge(prometheus.GaugeOpts{Name: "ecg_mqtt_connected", Help: "1 while connected to the MQTT broker."})
	m.hr = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ecg_device_heart_rate_bpm", Help: "Heart rate from the ECG, beats per minute (NaN when no recent clean beats)."}, dev)
	m.bpm = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ecg_device_reported_heart_rate_bpm", Help: "Heart rate the device reported (bpm field)."}, dev)
	m.quality = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ecg_device_signal_quality", Help: "Signal quality: 1 for the current quality, 0 for the others."}, []string{"device", "quality"})
	m.label = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ecg_device_rhythm", Help: "Label of the last scored window: 1 for that label."}, []string{"device", "label"})
	m.score = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ecg_device_rhythm_confidence", Help: "Score of the last window's label (0-1)."}, dev)
	m.alert = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ecg_device_alert", Help: "1 while an alert is raised for the label, 0 once cleared."}, []string{"device", "label"})
	m.samples = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ecg_device_samples_total", Help: "ECG samples received."}, dev)
	m.ppg = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ecg_device_ppg_samples_total", Help: "PPG samples received."}, dev)
	m.malformed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "ecg_device_rejected_messages_total", Help: "Messages of a known device rejected (malformed, over its rate, queue full)."}, dev)
	m.fs = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "ecg_device_sampling_rate_hertz", Help: "Sampling rate of the device's ECG."}, dev)
	m.reg.MustRegister(m.devices, m.messages, m.rejected, m.events, m.latency, m.published, m.connected,
		m.hr, m.bpm, m.quality, m.label, m.score, m.alert, m.samples, m.ppg, m.malformed, m.fs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Registry returns the registry holding the metrics.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Received counts a message from source (mqtt, http).
func (m *Metrics) Received(source string) { m.messages.WithLabelValues(source).Inc() }

// Connected sets the broker connection state.
func (m *Metrics) Connected(up bool) {
	v := 0.0
	if up {
		v = 1
	}
	m.connected.Set(v)
}

// Published counts a publication by result (ok, dropped, failed).
func (m *Metrics) Published(result string) { m.published.WithLabelValues(result).Inc() }

// Rejected counts a message rejected before it reached a hub (undecodable,
// no valid device), by reason (see Reason).
func (m *Metrics) Rejected(err error) { m.rejected.WithLabelValues(Reason(err)).Inc() }

func (m *Metrics) reject(device, reason string, known bool) {
	m.rejected.WithLabelValues(reason).Inc()
	if known {
		m.malformed.WithLabelValues(device).Inc()
	}
}

// message counts a message's samples.
func (m *Metrics) message(device string, msg Message) {
	m.samples.WithLabelValues(device).Add(float64(len(msg.ECG)))
	if len(msg.PPG) > 0 {
		m.ppg.WithLabelValues(device).Add(float64(len(msg.PPG)))
	}
	if !math.IsNaN(msg.BPM) {
		m.bpm.WithLabelValues(device).Set(msg.BPM)
	}
}

// event updates the device's series with an event.
func (m *Metrics) event(device string, e stream.Event, latency time.Duration) {
	m.events.WithLabelValues(e.Type).Inc()
	m.latency.Observe(latency.Seconds())
	switch b := Body(e).(type) {
	case *stream.HRBody:
		hr := math.NaN()
		if b.HR != nil {
			hr = *b.HR
		}
		m.hr.WithLabelValues(device).Set(hr)
	case *stream.WindowBody:
		if b.Label == "" {
			return
		}
		m.mu.Lock()
		if old, ok := m.lastLabel[device]; ok && old != b.Label {
			m.label.DeleteLabelValues(device, old)
		}
		m.lastLabel[device] = b.Label
		m.mu.Unlock()
		m.label.WithLabelValues(device, b.Label).Set(1)
		m.score.WithLabelValues(device).Set(b.Confidence)
	case *stream.AlertBody:
		v := 0.0
		if b.State == "raised" {
			v = 1
		}
		m.alert.WithLabelValues(device, b.Label).Set(v)
	case *stream.StatusBody:
		m.fs.WithLabelValues(device).Set(b.Fs)
		for _, q := range Qualities {
			v := 0.0
			if q == b.Quality {
				v = 1
			}
			m.quality.WithLabelValues(device, q).Set(v)
		}
	}
}

// forget removes a device's series.
func (m *Metrics) forget(device string) {
	l := prometheus.Labels{"device": device}
	for _, v := range []*prometheus.GaugeVec{m.hr, m.bpm, m.quality, m.label, m.score, m.alert, m.fs} {
		v.DeletePartialMatch(l)
	}
	for _, v := range []*prometheus.CounterVec{m.samples, m.ppg, m.malformed} {
		v.DeletePartialMatch(l)
	}
	m.mu.Lock()
	delete(m.lastLabel, device)
	m.mu.Unlock()
}
