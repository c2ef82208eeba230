package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/internal/defaultmodel"
)

// scoring is a quick configuration that alerts on the synthetic AF of
// datasets/synth with the embedded model.
func scoring(t testing.TB) stream.Config {
	t.Helper()
	m, err := defaultmodel.Load("default")
	if err != nil {
		t.Fatal(err)
	}
	return stream.Config{Window: 30, Hop: 5, Model: m, AlertThreshold: 0.5, AlertWindows: 2,
		Normal: []string{"N", "NSR", "normal"}, Now: func() time.Time { return time.Unix(0, 0) }}
}

func signal(t testing.TB, rhythm string, fs, seconds float64, seed int64) []float64 {
	t.Helper()
	r, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: fs, Duration: seconds, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return r.MV
}

// collector keeps events per device, as JSON without the wall time.
type collector struct {
	mu     sync.Mutex
	events map[string][]string
}

func newCollector() *collector { return &collector{events: map[string][]string{}} }

func (c *collector) emit(device string, e stream.Event) {
	e.Wall = time.Time{}
	b, err := json.Marshal(e)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.events[device] = append(c.events[device], string(b))
	c.mu.Unlock()
}

func (c *collector) of(device, typ string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, e := range c.events[device] {
		if typ == "" || strings.HasPrefix(e, `{"type":"`+typ+`"`) {
			out = append(out, e)
		}
	}
	return out
}

// send feeds x to the hub as messages of n samples.
func send(t testing.TB, h *Hub, device string, x []float64, n int, fs float64) {
	t.Helper()
	for i := 0; i < len(x); i += n {
		m := Message{Device: device, ECG: x[i:min(i+n, len(x))], Fs: fs}
		for {
			err := h.Ingest(m, time.Now())
			if errors.Is(err, ErrQueueFull) {
				time.Sleep(time.Millisecond)
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			break
		}
	}
}

// TestHubScoresAsStream: a device in the hub gets the events `ecg stream`
// gives for the same samples, device id aside.
func TestHubScoresAsStream(t *testing.T) {
	x := signal(t, synth.AFib, 250, 60, 1)
	cfg := scoring(t)
	var want []string
	sc := cfg
	sc.Fs = 250
	sc.Emit = func(e stream.Event) {
		e.Wall = time.Time{}
		b, _ := json.Marshal(e)
		want = append(want, string(b))
	}
	st, err := stream.New(stream.InputOptions{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	var text []byte
	for _, v := range x {
		text = strconv.AppendFloat(text, v, 'g', -1, 64)
		text = append(text, '\n')
	}
	st.Write(text)
	st.Close()

	c := newCollector()
	// RateFactor: faster than real time.
	h, err := New(Config{Score: cfg, Emit: c.emit, RateFactor: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	send(t, h, "w1", x, 25, 250)
	h.Close()
	got := c.of("w1", "")
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i := range want {
		if g := strings.Replace(got[i], `"device":"w1",`, "", 1); g != want[i] {
			t.Fatalf("event %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	if len(c.of("w1", "alert")) == 0 {
		t.Error("no alert for AF")
	}
}

// TestDevicesIsolated: a device sending garbage and one flooding do not
// change the events of the others.
func TestDevicesIsolated(t *testing.T) {
	cfg := scoring(t)
	c := newCollector()
	h, err := New(Config{Score: cfg, Emit: c.emit, RateFactor: 1000, Queue: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	af := signal(t, synth.AFib, 250, 60, 2)
	nsr := signal(t, synth.Normal, 360, 60, 3)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); send(t, h, "af-1", af, 50, 250) }()
	go func() { defer wg.Done(); send(t, h, "nsr-1", nsr, 36, 360) }()
	go func() {
		defer wg.Done()
		for k := range 2000 {
			// Out of range rate, then a flood over a tiny queue.
			h.Ingest(Message{Device: "junk", ECG: []float64{float64(k)}, Fs: 5}, time.Now())
		}
	}()
	wg.Wait()
	h.Close()
	if n := len(c.of("af-1", "alert")); n == 0 {
		t.Error("no alert for the AF device")
	}
	if a := c.of("nsr-1", "alert"); len(a) != 0 {
		t.Errorf("alerts for the normal device: %v", a)
	}
	if w := c.of("nsr-1", "window"); len(w) != 7 {
		t.Errorf("%d windows for the normal device, want 7", len(w))
	}
	if e := c.of("junk", ""); len(e) != 0 {
		t.Errorf("events for the junk device: %v", e[:min(3, len(e))])
	}
	if got := counter(t, h.Metrics(), "ecg_messages_rejected_total", "no_rate"); got == 0 {
		t.Error("the junk device's messages were not counted as rejected")
	}
}

// TestIdleExpiry: a silent device is closed (status "end") and its series
// leave the metrics.
func TestIdleExpiry(t *testing.T) {
	c := newCollector()
	cfg := scoring(t)
	cfg.Model = nil
	h, err := New(Config{Score: cfg, Emit: c.emit, Idle: 300 * time.Millisecond, RateFactor: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	send(t, h, "d1", signal(t, synth.Normal, 250, 5, 4), 25, 250)
	deadline := time.Now().Add(5 * time.Second)
	for h.Devices() > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if h.Devices() != 0 {
		t.Fatal("device not expired")
	}
	time.Sleep(50 * time.Millisecond)
	st := c.of("d1", "status")
	if len(st) == 0 || !strings.Contains(st[len(st)-1], `"input":"end"`) {
		t.Errorf("last status %v, want input end", st)
	}
	if s := gather(t, h.Metrics()); strings.Contains(s, `device="d1"`) {
		t.Error("the expired device's series are still there")
	}
}

// TestCaps: the fleet's device cap and the memory cap per device.
func TestCaps(t *testing.T) {
	cfg := scoring(t)
	cfg.Model = nil
	h, err := New(Config{Score: cfg, MaxDevices: 2, MaxDeviceBytes: 2 << 20, RateFactor: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for k := range 3 {
		err := h.Ingest(Message{Device: fmt.Sprint("d", k), ECG: []float64{0}, Fs: 250}, time.Now())
		if want := k == 2; errors.Is(err, ErrDevicesCap) != want {
			t.Errorf("device %d: %v", k, err)
		}
	}
	if err := h.Ingest(Message{Device: "bad/id", ECG: []float64{0}}, time.Now()); !errors.Is(err, ErrBadDevice) {
		t.Errorf("bad id: %v", err)
	}
	// A one-hour window at 1 kHz is beyond 2 MiB: refused when the rate
	// is known, in the device's goroutine.
	cfg.Window, cfg.Hop = 3600, 10
	h2, err := New(Config{Score: cfg, MaxDeviceBytes: 2 << 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h2.Ingest(Message{Device: "big", ECG: []float64{0}, Fs: 1000}, time.Now())
	h2.Close()
	if got := counter(t, h2.Metrics(), "ecg_messages_rejected_total", "memory_cap"); got != 1 {
		t.Errorf("memory_cap rejections %g, want 1", got)
	}
}

// TestRateFromTimestamps: without fs or --fs, two messages' timestamps
// (in ms here) tell the rate.
func TestRateFromTimestamps(t *testing.T) {
	c := newCollector()
	cfg := scoring(t)
	cfg.Model = nil
	h, err := New(Config{Score: cfg, Emit: c.emit, RateFactor: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	x := signal(t, synth.Normal, 250, 4, 5)
	for i := 0; i < len(x); i += 50 {
		ts := 1.7e12 + float64(i)*4 // ms
		if err := h.Ingest(Message{Device: "t1", ECG: x[i : i+50], TS: ts, HasTS: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	h.Close()
	st := c.of("t1", "status")
	if len(st) == 0 || !strings.Contains(st[len(st)-1], `"fs":250`) || !strings.Contains(st[len(st)-1], `"samples":1000`) {
		t.Errorf("status %v, want fs 250 and 1000 samples", st)
	}
}

// BenchmarkDeviceSecond measures the hub's cost of one second of one
// device's signal at 250 Hz in messages of 25 samples, scored as `ecg
// stream` scores by default (60 s windows every 10 s, the embedded model):
// one core holds 1e9 / (ns/op) such devices.
func BenchmarkDeviceSecond(b *testing.B) {
	m, err := defaultmodel.Load("default")
	if err != nil {
		b.Fatal(err)
	}
	x := signal(b, synth.AFib, 250, 600, 1)
	msgs := make([]Message, 0, len(x)/25)
	for i := 0; i < len(x); i += 25 {
		msgs = append(msgs, Message{Device: "b1", ECG: x[i : i+25], Fs: 250})
	}
	var windows atomic.Int64
	count := func(_ string, e stream.Event) {
		if e.Type == stream.EventWindow {
			windows.Add(1)
		}
	}
	h, err := New(Config{Score: stream.Config{Model: m}, RateFactor: 1e6, Queue: 64, Emit: count}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		// One second: 10 messages, cycling through 10 minutes of signal.
		for k := range 10 {
			msg := msgs[(i*10+k)%len(msgs)]
			for errors.Is(h.Ingest(msg, time.Now()), ErrQueueFull) {
				time.Sleep(10 * time.Microsecond)
			}
		}
	}
	h.Close()
	if want := int64(b.N-60)/10 + 1; b.N > 60 && windows.Load() < want {
		b.Fatalf("%d windows scored, want %d", windows.Load(), want)
	}
}

// TestViews: the dashboard's views, devices in alert first, traces at
// TraceHz with only new points after the first call.
func TestViews(t *testing.T) {
	h, err := New(Config{Score: scoring(t), RateFactor: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	send(t, h, "b-nsr", signal(t, synth.Normal, 250, 40, 30), 50, 250)
	send(t, h, "z-af", signal(t, synth.AFib, 250, 40, 31), 50, 250)
	waitFor(5*time.Second, func() bool { v := h.Views(nil); return len(v) == 2 && v[0].Seq == 2000 && v[1].Seq == 2000 })
	since := map[string]int64{}
	v := h.Views(since)
	if len(v) != 2 || v[0].ID != "z-af" || len(v[0].Alerts) != 1 || v[1].ID != "b-nsr" || len(v[1].Alerts) != 0 {
		t.Fatalf("views %+v", v)
	}
	if len(v[0].Points) != TracePoints || v[0].Seq != 40*TraceHz || v[0].HR == nil || v[0].Label != "AFIB" || v[0].Quality != "ok" {
		t.Errorf("af view: %d points, seq %d, hr %v, label %q, quality %q", len(v[0].Points), v[0].Seq, v[0].HR, v[0].Label, v[0].Quality)
	}
	send(t, h, "z-af", signal(t, synth.AFib, 250, 1, 32), 50, 250)
	waitFor(5*time.Second, func() bool { return h.Views(nil)[0].Seq == 41*TraceHz })
	if v := h.Views(since); len(v[0].Points) != TraceHz || len(v[1].Points) != 0 {
		t.Errorf("second call: %d and %d new points, want %d and 0", len(v[0].Points), len(v[1].Points), TraceHz)
	}
	h.Close()
	if v := h.Views(since); len(v) != 0 || len(since) != 0 {
		t.Errorf("after Close: %d views, %d remembered", len(v), len(since))
	}
}
