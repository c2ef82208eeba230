package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/ecgkit/ecg/classify/stream"
)

// Config sets up a Hub.
type Config struct {
	// Score is the scoring of every device, as `ecg stream` scores one:
	// windows, model, alert rules, quality thresholds. Score.Fs is the
	// rate of devices whose messages carry no fs field (0: inferred from
	// their timestamps); Score.Emit is not used (see Emit), Score.OnAlert
	// gets each alert with its device (for --alert-exec).
	Score stream.Config
	// Input gives the units of the values (Units, Gain, Baseline); its
	// format fields are not used.
	Input stream.InputOptions
	// TimeUnits are the units of numeric timestamps: "s", "ms", "us" or
	// "" (inferred as stream.InputOptions.TimeUnits).
	TimeUnits string
	// Limits bound each message.
	Limits Limits
	// MaxDevices caps the devices scored at once (0: DefaultMaxDevices);
	// messages of more are rejected (ErrDevicesCap).
	MaxDevices int
	// MaxDeviceBytes caps the memory a device's scoring may hold (its
	// window at its rate, its queue); 0 means DefaultMaxDeviceBytes. A
	// device whose rate needs more is rejected (ErrMemory).
	MaxDeviceBytes int64
	// Queue is the number of messages a device may have waiting (0: 32);
	// more are rejected (ErrQueueFull), without slowing other devices.
	Queue int
	// Idle is how long a device may send nothing before its stream is
	// closed and it is forgotten (0: 5 minutes).
	Idle time.Duration
	// Scorers bounds the windows scored at once across devices (0: the
	// number of CPUs the Go runtime uses). A device whose window is due
	// waits for a turn, in order of arrival, so that a burst of windows
	// (devices in step) drains first come, first served instead of every
	// device's window finishing at the end of the burst; the messages
	// that complete no window never wait.
	Scorers int
	// RateFactor bounds the samples a device may send: RateFactor times
	// its rate per second on average, with a burst of 30 s of samples
	// times RateFactor/4 (0: 4). Before the rate is known, beats.MaxFs
	// stands for it.
	RateFactor float64
	// Emit receives every event with its device, from the device's
	// goroutine (concurrently across devices). Nil means none.
	Emit func(device string, e stream.Event)
	// Flush, when not nil, is called after each message's events.
	Flush func()
	// Errors, when not nil, receives messages about devices and rejected
	// input (one line each, no newline), at most one a second per kind.
	Errors func(string)
	// Now returns the time (nil: time.Now).
	Now func() time.Time
	// Record, when not nil, records every device's samples and events
	// (WFDB segments and annotations, see Recorder); the caller closes it
	// after the hub.
	Record *Recorder
}

// Defaults of Config.
const (
	DefaultMaxDevices     = 2000
	DefaultMaxDeviceBytes = 4 << 20
	DefaultIdle           = 5 * time.Minute
)

// Hub scores many devices at once: each device has its own stream (the
// `ecg stream` pipeline), goroutine and bounded queue, so that one
// device's garbage, silence or flood never touches another's. Devices
// appear with their first message and are closed after Config.Idle
// without one. Its methods are safe for concurrent use.
type Hub struct {
	cfg     Config
	metrics *Metrics

	mu      sync.Mutex
	devices map[string]*device
	closed  bool
	wg      sync.WaitGroup
	stop    chan struct{}
	janitor sync.WaitGroup

	errMu   sync.Mutex
	errLast map[string]time.Time

	// scoring holds a token per window being scored (Config.Scorers);
	// a channel's blocked senders are served in order of arrival.
	scoring chan struct{}
}

// New returns a running hub; m receives its metrics (nil: a new Metrics).
// Close it to end every device's stream.
func New(cfg Config, m *Metrics) (*Hub, error) {
	if cfg.MaxDevices <= 0 {
		cfg.MaxDevices = DefaultMaxDevices
	}
	if cfg.MaxDeviceBytes <= 0 {
		cfg.MaxDeviceBytes = DefaultMaxDeviceBytes
	}
	if cfg.Queue <= 0 {
		cfg.Queue = 32
	}
	if cfg.Idle <= 0 {
		cfg.Idle = DefaultIdle
	}
	if cfg.RateFactor <= 0 {
		cfg.RateFactor = 4
	}
	if cfg.Scorers <= 0 {
		cfg.Scorers = runtime.GOMAXPROCS(0)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	switch cfg.TimeUnits {
	case "", "s", "ms", "us":
	default:
		return nil, fmt.Errorf("fleet: time units %q (want s, ms or us)", cfg.TimeUnits)
	}
	// The stream checks the rest of the scoring configuration: try it
	// once here, so that a bad one fails now rather than per device.
	probe := cfg.Score
	probe.Fs = 360
	probe.Emit = func(stream.Event) {}
	in := cfg.Input
	in.Format = stream.FormatText
	if _, err := stream.New(in, probe); err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	if m == nil {
		m = NewMetrics()
	}
	h := &Hub{cfg: cfg, metrics: m, devices: map[string]*device{}, stop: make(chan struct{}), errLast: map[string]time.Time{},
		scoring: make(chan struct{}, cfg.Scorers)}
	h.janitor.Add(1)
	go h.expire()
	return h, nil
}

// Metrics returns the hub's metrics.
func (h *Hub) Metrics() *Metrics { return h.metrics }

// Ingest queues a message for its device, creating the device on its
// first message. It never blocks on a device: a full queue, a device over
// its rate, or a fleet at MaxDevices reject the message with an error
// wrapping ErrQueueFull, ErrRate or ErrDevicesCap, counted in the metrics.
func (h *Hub) Ingest(m Message, received time.Time) error {
	err := h.ingest(m, received)
	if err != nil {
		h.reject(m.Device, err)
	}
	return err
}

func (h *Hub) ingest(m Message, received time.Time) error {
	if !ValidDevice(m.Device) {
		return fmt.Errorf("%w: device id %q", ErrBadDevice, truncate(m.Device))
	}
	if len(m.ECG) == 0 {
		return fmt.Errorf("%w: device %s: no samples", ErrMalformed, m.Device)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return errors.New("fleet: hub closed")
	}
	now := h.cfg.Now()
	d := h.devices[m.Device]
	if d == nil {
		if len(h.devices) >= h.cfg.MaxDevices {
			return fmt.Errorf("%w: device %s: %d devices already", ErrDevicesCap, m.Device, len(h.devices))
		}
		d = &device{id: m.Device, hub: h, queue: make(chan item, h.cfg.Queue), tokensAt: now, view: newView()}
		d.tokens = h.burst(d)
		h.devices[m.Device] = d
		h.metrics.devices.Set(float64(len(h.devices)))
		h.wg.Add(1)
		go d.run()
	}
	d.lastSeen = now
	if !h.allow(d, len(m.ECG), now) {
		return fmt.Errorf("%w: device %s: more than %g times its rate", ErrRate, m.Device, h.cfg.RateFactor)
	}
	select {
	case d.queue <- item{msg: m, received: received}:
		return nil
	default:
		return fmt.Errorf("%w: device %s: %d messages waiting", ErrQueueFull, m.Device, h.cfg.Queue)
	}
}

func (h *Hub) rate(d *device) float64 {
	if d.fsHint > 0 {
		return d.fsHint
	}
	return 1000 // beats.MaxFs
}

// burst is the most samples a device may send at once: 30 s of them at the
// default factor, scaled with Config.RateFactor.
func (h *Hub) burst(d *device) float64 { return 30 * h.rate(d) * max(1, h.cfg.RateFactor/4) }

// allow takes n samples from the device's token bucket (h.mu held).
func (h *Hub) allow(d *device, n int, now time.Time) bool {
	dt := now.Sub(d.tokensAt).Seconds()
	d.tokensAt = now
	d.tokens = math.Min(h.burst(d), d.tokens+dt*h.cfg.RateFactor*h.rate(d))
	if d.tokens < float64(n) {
		return false
	}
	d.tokens -= float64(n)
	return true
}

// setRate records a device's rate for its rate limit.
func (h *Hub) setRate(d *device, fs float64) {
	h.mu.Lock()
	d.fsHint = fs
	d.tokens = math.Min(d.tokens, h.burst(d))
	h.mu.Unlock()
}

// Mark tells every device that the input went away ("disconnected") or
// came back ("connected"): their streams emit status events with that
// input state, so that the gap shows.
func (h *Hub) Mark(state string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, d := range h.devices {
		select {
		case d.queue <- item{mark: state}:
		default:
		}
	}
}

// Devices returns the number of devices being scored.
func (h *Hub) Devices() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.devices)
}

// expire closes the devices idle for longer than Config.Idle.
func (h *Hub) expire() {
	defer h.janitor.Done()
	tick := time.NewTicker(min(time.Second, h.cfg.Idle/4))
	defer tick.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-tick.C:
		}
		now := h.cfg.Now()
		h.mu.Lock()
		for id, d := range h.devices {
			if now.Sub(d.lastSeen) > h.cfg.Idle {
				delete(h.devices, id)
				close(d.queue)
			}
		}
		h.metrics.devices.Set(float64(len(h.devices)))
		h.mu.Unlock()
	}
}

// Close stops taking messages, lets every device process its queue and
// close its stream (last windows, status "end"), and waits for them.
func (h *Hub) Close() {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return
	}
	h.closed = true
	for id, d := range h.devices {
		delete(h.devices, id)
		close(d.queue)
	}
	h.metrics.devices.Set(0)
	h.mu.Unlock()
	close(h.stop)
	h.janitor.Wait()
	h.wg.Wait()
}

// emit passes a device's event on, after the metrics.
func (h *Hub) emit(d *device, e stream.Event) {
	h.metrics.event(d.id, e, h.cfg.Now().Sub(d.cur))
	d.view.event(e)
	if d.rec != nil {
		d.rec.Event(e)
	}
	if h.cfg.Emit != nil {
		h.cfg.Emit(d.id, withDevice(d.id, e))
	}
}

func (h *Hub) flushOut() {
	if h.cfg.Flush != nil {
		h.cfg.Flush()
	}
}

// reject counts a rejected message and says why (rate limited per kind).
func (h *Hub) reject(device string, err error) {
	reason := Reason(err)
	h.metrics.reject(device, reason, h.knows(device))
	h.errorf("%v", err)
}

func (h *Hub) knows(device string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.devices[device] != nil
}

func (h *Hub) errorf(format string, args ...any) {
	if h.cfg.Errors == nil {
		return
	}
	msg := fmt.Sprintf(format, args...)
	kind := msg
	if i := len(kind); i > 24 {
		kind = kind[:24]
	}
	h.errMu.Lock()
	now := time.Now()
	if now.Sub(h.errLast[kind]) < time.Second {
		h.errMu.Unlock()
		return
	}
	h.errLast[kind] = now
	if len(h.errLast) > 1024 {
		clear(h.errLast)
	}
	h.errMu.Unlock()
	h.cfg.Errors(msg)
}

// deviceBody is an event body with the device's id first.
type deviceBody struct {
	device string
	body   any
}

// MarshalJSON writes {"device":ID, then the body's members}.
func (b deviceBody) MarshalJSON() ([]byte, error) {
	head := []byte(`{"device":` + quoteJSON(b.device))
	if b.body == nil {
		return append(head, '}'), nil
	}
	body, err := json.Marshal(b.body)
	if err != nil {
		return nil, err
	}
	if len(body) <= 2 {
		return append(head, '}'), nil
	}
	head = append(head, ',')
	return append(head, body[1:]...), nil
}

// Body returns the event's body without the device wrapper.
func Body(e stream.Event) any {
	if b, ok := e.Body.(deviceBody); ok {
		return b.body
	}
	return e.Body
}

func withDevice(id string, e stream.Event) stream.Event {
	e.Body = deviceBody{device: id, body: e.Body}
	return e
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// JSONLines writes events as JSON lines, safe for concurrent use; Flush
// sends them on (call it after each message's events, or on a timer).
type JSONLines struct {
	mu sync.Mutex
	w  *stream.JSONWriter
}

// NewJSONLines returns a JSONLines on w.
func NewJSONLines(w io.Writer) *JSONLines { return &JSONLines{w: stream.NewJSONWriter(w)} }

// Write writes one event (its device is in the event's body).
func (j *JSONLines) Write(_ string, e stream.Event) {
	j.mu.Lock()
	j.w.Write(e)
	j.mu.Unlock()
}

// Flush writes buffered events out; the first write error sticks.
func (j *JSONLines) Flush() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.w.Flush()
}
