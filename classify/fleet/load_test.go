package fleet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/synth"
)

// TestLoadPublish is the load generator of docs/serve.md, not a unit test:
// it runs only with ECG_FLEET_LOAD=DEVICESxHZ (200x250) and
// ECG_FLEET_BROKER (tcp://127.0.0.1:1883), publishing that fleet in real
// time to dt/sensor/<device> (10 messages a second a device, QoS 1, one
// device in ten in AF) for ECG_FLEET_SECONDS (60), while an `ecg serve` on
// that broker scores it. It subscribes to ecg/events/# and reports the
// end-to-end latency from the publication of a second's last sample to the
// arrival of its hr event (publish, broker, hub, broker, subscriber), and,
// with ECG_FLEET_METRICS (http://127.0.0.1:8080/metrics), the messages the
// hub counted against those published. With ECG_FLEET_STAGGER=S the
// devices start spread evenly over the first S seconds (a real fleet is not
// in step; S = the hop, 10, spreads their windows evenly); without it they
// all start at once, so that every device's window is due in the same
// instant every hop (the worst case).
func TestLoadPublish(t *testing.T) {
	spec := os.Getenv("ECG_FLEET_LOAD")
	if spec == "" {
		t.Skip("ECG_FLEET_LOAD not set (a load generator, see docs/serve.md)")
	}
	var devices int
	var fs float64
	if _, err := fmt.Sscanf(spec, "%dx%g", &devices, &fs); err != nil || devices < 1 || fs < 50 {
		t.Fatalf("ECG_FLEET_LOAD=%q: want DEVICESxHZ", spec)
	}
	seconds := 60.0
	if s := os.Getenv("ECG_FLEET_SECONDS"); s != "" {
		seconds, _ = strconv.ParseFloat(s, 64)
	}
	stagger, off := staggered(devices)
	url := os.Getenv("ECG_FLEET_BROKER")
	lat := newLatencies(devices)
	sub := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprint("load-sub-", time.Now().UnixNano())))
	if tok := sub.Connect(); tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer sub.Disconnect(100)
	sub.Subscribe("ecg/events/#", 0, lat.onEvent).Wait()
	n := int(fs / 10) // samples a message
	signals := loadSignals(t, devices, fs, seconds)
	const clients = 4
	pubs := make([]mqtt.Client, clients)
	for k := range pubs {
		pubs[k] = mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprint("load-pub-", k, "-", time.Now().UnixNano())).SetMaxResumePubInFlight(1000))
		if tok := pubs[k].Connect(); tok.Wait() && tok.Error() != nil {
			t.Fatal(tok.Error())
		}
		defer pubs[k].Disconnect(100)
	}
	var published, failed atomic.Int64
	start := time.Now()
	ticks := int(seconds * 10)
	behind := 0
	for tick := range ticks + off[devices-1] {
		next := start.Add(time.Duration(tick) * 100 * time.Millisecond)
		if d := time.Until(next); d > 0 {
			time.Sleep(d)
		} else if d < -100*time.Millisecond {
			behind++
		}
		var wg sync.WaitGroup
		for k := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for d := k; d < devices; d += clients {
					tick := tick - off[d] // the device's own
					if tick < 0 || tick >= ticks {
						continue
					}
					x := signals[d]
					i := (tick * n) % (len(x) - n)
					b, _ := json.Marshal(map[string]any{"device_id": fmt.Sprintf("load-%04d", d), "fs": fs, "ecg": x[i : i+n]})
					sent := time.Now()
					tok := pubs[k].Publish("dt/sensor/load", 1, false, b)
					lat.sent(d, tick, sent)
					published.Add(1)
					go func() {
						if tok.WaitTimeout(10*time.Second) && tok.Error() != nil {
							failed.Add(1)
						}
					}()
				}
			}()
		}
		wg.Wait()
	}
	// Wait for the hub to take what the broker still holds (up to 30 s),
	// so that what it lacks then is lost, not late.
	end := time.Now()
	if m := os.Getenv("ECG_FLEET_METRICS"); m != "" {
		for time.Since(end) < 30*time.Second && received(m) < published.Load() {
			time.Sleep(200 * time.Millisecond)
		}
		t.Logf("the hub received %d of %d messages, %.1f s after the last was published", received(m), published.Load(), time.Since(end).Seconds())
	}
	time.Sleep(3 * time.Second)
	p50, p99, max, count := lat.quantiles(false)
	t.Logf("%d devices at %g Hz (%d messages/s, %.0f samples/s) for %g s, started over %g s: %d published (%d failed), publisher late on %d of %d ticks",
		devices, fs, devices*10, float64(devices)*fs, seconds, stagger, published.Load(), failed.Load(), behind, ticks+off[devices-1])
	t.Logf("end-to-end latency (publish of a second's last sample to its hr event): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d events",
		p50*1e3, p99*1e3, max*1e3, count)
	p50, p99, max, count = lat.quantiles(true)
	t.Logf("the same after each device's first 10 s (its start): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d events", p50*1e3, p99*1e3, max*1e3, count)
	if m := os.Getenv("ECG_FLEET_METRICS"); m != "" {
		t.Log(scrape(t, m, "ecg_messages_total", "ecg_messages_rejected_total", "ecg_devices ", "ecg_ingest_to_event_seconds_count",
			"ecg_ingest_to_event_seconds_sum", "process_resident_memory_bytes", "ecg_published_total"))
	}
}

// loadSignals returns the devices' signals for a run of seconds, one in
// ten in AF: the whole run, so that no device's signal wraps around (a
// splice mid-beat reads as an irregular rhythm).
func loadSignals(t *testing.T, devices int, fs, seconds float64) [][]float64 {
	signals := make([][]float64, devices)
	for d := range devices {
		rhythm := synth.Normal
		if d%10 == 9 {
			rhythm = synth.AFib
		}
		r, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: fs, Duration: seconds + 1, Seed: int64(d)})
		if err != nil {
			t.Fatal(err)
		}
		signals[d] = r.MV
	}
	return signals
}

// staggered returns ECG_FLEET_STAGGER (s, 0 when unset) and the tick (of
// 100 ms) at which each device starts: evenly over those seconds.
func staggered(devices int) (float64, []int) {
	stagger := 0.0
	if s := os.Getenv("ECG_FLEET_STAGGER"); s != "" {
		stagger, _ = strconv.ParseFloat(s, 64)
	}
	off := make([]int, devices)
	for d := range off {
		off[d] = int(stagger * 10 * float64(d) / float64(devices))
	}
	return stagger, off
}

// latencies pairs each second's last message with its hr event.
type latencies struct {
	mu    sync.Mutex
	sends [][]time.Time // per device, per tick
	got   []float64
	warm  []float64 // those of each device's seconds after its first 10
}

func newLatencies(devices int) *latencies {
	return &latencies{sends: make([][]time.Time, devices)}
}

func (l *latencies) sent(d, tick int, at time.Time) {
	l.mu.Lock()
	for len(l.sends[d]) <= tick {
		l.sends[d] = append(l.sends[d], time.Time{})
	}
	l.sends[d][tick] = at
	l.mu.Unlock()
}

func (l *latencies) onEvent(_ mqtt.Client, m mqtt.Message) {
	now := time.Now()
	var e struct {
		Type   string  `json:"type"`
		T      float64 `json:"t"`
		Device string  `json:"device"`
	}
	if json.Unmarshal(m.Payload(), &e) != nil || e.Type != "hr" || !strings.HasPrefix(e.Device, "load-") {
		return
	}
	d, err := strconv.Atoi(strings.TrimPrefix(e.Device, "load-"))
	if err != nil {
		return
	}
	tick := int(e.T*10+0.5) - 1 // the message holding the second's last sample
	l.mu.Lock()
	defer l.mu.Unlock()
	if d < len(l.sends) && tick >= 0 && tick < len(l.sends[d]) && !l.sends[d][tick].IsZero() {
		l.got = append(l.got, now.Sub(l.sends[d][tick]).Seconds())
		if tick >= 100 {
			l.warm = append(l.warm, l.got[len(l.got)-1])
		}
	}
}

func (l *latencies) quantiles(warm bool) (p50, p99, max float64, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	x := l.got
	if warm {
		x = l.warm
	}
	if len(x) == 0 {
		return 0, 0, 0, 0
	}
	x = slices.Clone(x)
	slices.Sort(x)
	return x[len(x)/2], x[len(x)*99/100], x[len(x)-1], len(x)
}

// received returns the hub's count of MQTT messages (-1 when unknown).
func received(url string) int64 {
	res, err := http.Get(url)
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, `ecg_messages_total{source="mqtt"} `); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return int64(f)
		}
	}
	return -1
}

func scrape(t testing.TB, url string, names ...string) string {
	res, err := http.Get(url)
	if err != nil {
		t.Log(err)
		return ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		for _, n := range names {
			if strings.HasPrefix(line, n) {
				out = append(out, line)
			}
		}
	}
	return "\n" + strings.Join(out, "\n")
}

// TestBurst measures the hub alone (no broker) on the worst case of a fleet
// in step: it runs only with ECG_FLEET_BURST=DEVICES (1000). Every device
// (250 Hz, 10 messages a second, default scoring: 60 s windows every 10 s,
// the embedded model) is given 59.9 s of signal as fast as the hub takes
// it; then, in real time, the message that completes every device's first
// window at once, and 3 s more. It reports the latency from each message's
// ingest to the hr event it completes (seconds 60-62) and to the window
// event, with ECG_FLEET_SCORERS windows scored at once (Config.Scorers; 0:
// the CPUs).
func TestBurst(t *testing.T) {
	devices, _ := strconv.Atoi(os.Getenv("ECG_FLEET_BURST"))
	if devices <= 0 {
		t.Skip("ECG_FLEET_BURST not set (a measurement, see docs/serve.md)")
	}
	scorers, _ := strconv.Atoi(os.Getenv("ECG_FLEET_SCORERS"))
	const fs, n, pre = 250, 25, 599 // pre: messages before the burst
	const ticks = pre + 31
	x := signal(t, synth.Normal, fs, 70, 1)
	ids := make([]string, devices)
	for d := range ids {
		ids[d] = fmt.Sprintf("b%04d", d)
	}
	var at [ticks]atomic.Int64 // ingest time of each tick's messages (ns)
	var mu sync.Mutex
	var hr, win []float64
	emit := func(_ string, e stream.Event) {
		now := time.Now().UnixNano()
		tick := int(e.T*10+0.5) - 1
		if tick < pre || tick >= ticks || at[tick].Load() == 0 {
			return
		}
		lat := float64(now-at[tick].Load()) / 1e9
		mu.Lock()
		switch e.Type {
		case stream.EventHR:
			hr = append(hr, lat)
		case stream.EventWindow:
			win = append(win, lat)
		}
		mu.Unlock()
	}
	h, err := New(Config{Score: scoring(t), Scorers: scorers, RateFactor: 1e6, Queue: 64, Emit: emit}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ingest := func(tick, d int) {
		m := Message{Device: ids[d], ECG: x[tick*n : (tick+1)*n], Fs: fs}
		for errors.Is(h.Ingest(m, time.Now()), ErrQueueFull) {
			time.Sleep(time.Millisecond)
		}
	}
	for tick := range pre {
		for d := range devices {
			ingest(tick, d)
		}
	}
	time.Sleep(2 * time.Second) // let the queues drain
	start := time.Now()
	for tick := pre; tick < ticks; tick++ {
		time.Sleep(time.Until(start.Add(time.Duration(tick-pre) * 100 * time.Millisecond)))
		at[tick].Store(time.Now().UnixNano())
		for d := range devices {
			ingest(tick, d)
		}
	}
	time.Sleep(2 * time.Second)
	mu.Lock()
	defer mu.Unlock()
	q := func(v []float64) string {
		if len(v) == 0 {
			return "none"
		}
		v = slices.Clone(v)
		slices.Sort(v)
		return fmt.Sprintf("p50 %.3f s, p90 %.3f s, p99 %.3f s, max %.3f s over %d", v[len(v)/2], v[len(v)*9/10], v[len(v)*99/100], v[len(v)-1], len(v))
	}
	t.Logf("%d devices in step, scorers %d (GOMAXPROCS %d): hr events %s; windows %s", devices, h.cfg.Scorers, runtime.GOMAXPROCS(0), q(hr), q(win))
	if len(win) != devices {
		t.Errorf("%d windows, want %d", len(win), devices)
	}
}
