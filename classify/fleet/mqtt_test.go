package fleet

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/internal/brokertest"
)

// listener subscribes to the hub's output topics and keeps what arrives.
type listener struct {
	mu     sync.Mutex
	topics map[string][]string
}

func listen(t testing.TB, url, filter string) *listener {
	t.Helper()
	l := &listener{topics: map[string][]string{}}
	o := mqtt.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprint("test-sub-", time.Now().UnixNano())).
		SetAutoReconnect(true).SetOnConnectHandler(func(c mqtt.Client) {
		c.Subscribe(filter, 1, func(_ mqtt.Client, m mqtt.Message) {
			l.mu.Lock()
			l.topics[m.Topic()] = append(l.topics[m.Topic()], string(m.Payload()))
			l.mu.Unlock()
		}).Wait()
	})
	c := mqtt.NewClient(o)
	if tok := c.Connect(); tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	time.Sleep(100 * time.Millisecond) // the subscription is in place
	return l
}

func (l *listener) on(topic, contains string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, p := range l.topics[topic] {
		if strings.Contains(p, contains) {
			out = append(out, p)
		}
	}
	return out
}

// waitFor polls cond until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

func publisher(t testing.TB, url string) mqtt.Client {
	t.Helper()
	o := mqtt.NewClientOptions().AddBroker(url).SetClientID(fmt.Sprint("test-pub-", time.Now().UnixNano())).
		SetAutoReconnect(true).SetConnectRetry(true)
	c := mqtt.NewClient(o)
	if tok := c.Connect(); tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(100) })
	return c
}

// publishECG sends x as messages of n samples with fs and timestamps,
// QoS 1, waiting for each acknowledgement.
func publishECG(t testing.TB, c mqtt.Client, topic, id string, x []float64, n int, fs float64, t0 float64) {
	t.Helper()
	for i := 0; i < len(x); i += n {
		b, _ := json.Marshal(map[string]any{"device_id": id, "fs": fs, "ts": t0 + float64(i)/fs, "ecg": x[i:min(i+n, len(x))], "bpm": 80})
		if tok := c.Publish(topic, 1, false, b); tok.Wait() && tok.Error() != nil {
			t.Fatal(tok.Error())
		}
	}
}

// serveHub is a hub fed by the broker, its events published back. The
// publishers send up to 450 messages per device as fast as the broker
// takes them, not in real time: the queue holds them all, so that a
// loaded machine (CI under the race detector) rejects none.
func serveHub(t testing.TB, url string) (*Hub, *MQTT, *collector) {
	t.Helper()
	var client *MQTT
	c := newCollector()
	h, err := New(Config{Score: scoring(t), RateFactor: 1000, Queue: 1024, MaxDeviceBytes: 64 << 20, Emit: func(d string, e stream.Event) {
		c.emit(d, e)
		client.Publish(d, e)
	}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	client, err = ConnectMQTT(MQTTOptions{Broker: url, Topic: "dt/sensor/#", Publish: true, Log: func(s string) { t.Log(s) }}, h)
	if err != nil {
		t.Fatal(err)
	}
	if !waitFor(5*time.Second, client.Connected) {
		t.Fatal("not connected")
	}
	time.Sleep(200 * time.Millisecond) // subscribed
	return h, client, c
}

// TestMQTTFleet runs the hub on a real broker: an AF device, a normal one,
// one sending garbage and a topic with a bad device id. The AF device's
// alert is published, the normal device has events and no alert, the
// garbage is counted, and the metrics pass promtool with per-device
// series.
func TestMQTTFleet(t *testing.T) {
	b := brokertest.Start(t)
	out := listen(t, b.URL(), "ecg/#")
	h, client, _ := serveHub(t, b.URL())
	pub := publisher(t, b.URL())
	var wg sync.WaitGroup
	wg.Add(3)
	go func() {
		defer wg.Done()
		publishECG(t, pub, "dt/sensor/af-1", "af-1", signal(t, synth.AFib, 250, 45, 11), 25, 250, 1.7e9)
	}()
	go func() {
		defer wg.Done()
		publishECG(t, pub, "dt/sensor/nsr-1", "nsr-1", signal(t, synth.Normal, 360, 45, 12), 36, 360, 1.7e9)
	}()
	go func() {
		defer wg.Done()
		for k := range 300 {
			pub.Publish("dt/sensor/junk", 1, false, []byte(fmt.Sprintf(`{"ecg":"%d"`, k))).Wait()
		}
		pub.Publish("dt/sensor/bad id!", 1, false, []byte(`{"ecg":1}`)).Wait()
	}()
	wg.Wait()
	if !waitFor(20*time.Second, func() bool { return len(out.on("ecg/alerts/af-1", `"state":"raised"`)) > 0 }) {
		t.Fatal("no alert published for af-1")
	}
	if !waitFor(10*time.Second, func() bool { return len(out.on("ecg/events/nsr-1", `"type":"window"`)) >= 3 }) {
		t.Errorf("%d window events for nsr-1", len(out.on("ecg/events/nsr-1", `"type":"window"`)))
	}
	if a := out.on("ecg/alerts/nsr-1", ""); len(a) != 0 {
		t.Errorf("alerts for nsr-1: %v", a)
	}
	if a := out.on("ecg/events/af-1", `"device":"af-1"`); len(a) == 0 {
		t.Error("af-1's events do not name it")
	}
	waitFor(10*time.Second, func() bool { return counter(t, h.Metrics(), "ecg_device_samples_total", "nsr-1") == 16200 })
	text := gather(t, h.Metrics())
	for _, want := range []string{
		`ecg_device_heart_rate_bpm{device="af-1"}`, `ecg_device_heart_rate_bpm{device="nsr-1"}`,
		`ecg_device_alert{device="af-1",label="AFIB"} 1`, `ecg_device_signal_quality{device="nsr-1",quality="ok"} 1`,
		`ecg_device_samples_total{device="nsr-1"} 16200`, `ecg_device_reported_heart_rate_bpm{device="af-1"} 80`,
		`ecg_messages_rejected_total{reason="malformed"} 300`, `ecg_messages_rejected_total{reason="bad_device"} 1`,
		`ecg_mqtt_connected 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	promtool(t, text)
	client.Unsubscribe()
	h.Close()
	client.Close(2 * time.Second)
}

// TestMQTTBrokerRestart: the broker is killed and started again; the
// client reconnects and resubscribes, the gap shows as status events, and
// scoring goes on.
func TestMQTTBrokerRestart(t *testing.T) {
	b := brokertest.Start(t)
	h, client, events := serveHub(t, b.URL())
	defer func() { client.Unsubscribe(); h.Close(); client.Close(time.Second) }()
	out := listen(t, b.URL(), "ecg/events/#")
	x := signal(t, synth.Normal, 250, 20, 13)
	pub := publisher(t, b.URL())
	publishECG(t, pub, "dt/sensor/r1", "r1", x[:2500], 25, 250, 0)
	if !waitFor(5*time.Second, func() bool { return len(out.on("ecg/events/r1", `"type":"hr"`)) >= 5 }) {
		t.Fatal("no events before the restart")
	}
	b.Stop()
	if !waitFor(5*time.Second, func() bool {
		return counter(t, h.Metrics(), "ecg_mqtt_connected", "") == 0 && !client.client.IsConnectionOpen()
	}) {
		t.Fatal("the client did not notice the broker going")
	}
	b.Restart()
	if !waitFor(40*time.Second, client.Connected) {
		t.Fatal("no reconnection")
	}
	out2 := listen(t, b.URL(), "ecg/events/#")
	pub2 := publisher(t, b.URL())
	time.Sleep(300 * time.Millisecond) // resubscribed
	// The broker may have taken some of the first 10 s with it; the 10 s
	// sent after the restart are scored (10 more hr events) and their
	// events published.
	before := len(events.of("r1", "hr"))
	publishECG(t, pub2, "dt/sensor/r1", "r1", x[2500:], 25, 250, 10)
	if !waitFor(10*time.Second, func() bool { return len(events.of("r1", "hr")) >= before+10 }) {
		t.Errorf("%d hr events after the restart, want 10: %v\n%s", len(events.of("r1", "hr"))-before, events.of("r1", "status"), gather(t, h.Metrics()))
	}
	if !waitFor(5*time.Second, func() bool { return len(out2.on("ecg/events/r1", `"type":"hr"`)) >= 10 }) {
		t.Errorf("%d hr events published after the restart, want 10", len(out2.on("ecg/events/r1", `"type":"hr"`)))
	}
	if len(events.of("r1", "status")) == 0 || !strings.Contains(strings.Join(events.of("r1", "status"), "\n"), `"input":"disconnected"`) ||
		!strings.Contains(strings.Join(events.of("r1", "status"), "\n"), `"input":"connected"`) {
		t.Errorf("no status events marking the gap: %v", events.of("r1", "status"))
	}
}

// TestPublisherBounded: events published back to the broker take two
// goroutines however many there are (before, one per event waited for
// its acknowledgement), and every one is counted as acknowledged.
func TestPublisherBounded(t *testing.T) {
	b := brokertest.Start(t)
	out := listen(t, b.URL(), "ecg/events/#")
	h, client, _ := serveHub(t, b.URL())
	defer func() { client.Unsubscribe(); h.Close(); client.Close(time.Second) }()
	if !waitFor(5*time.Second, func() bool { return client.out.IsConnectionOpen() }) {
		t.Fatal("the publishing connection is not open")
	}
	before := runtime.NumGoroutine()
	most := before
	const n = 5000
	for k := range n {
		client.Publish("p1", stream.Event{Type: stream.EventHR, Sample: int64(k)})
		if k%100 == 0 {
			most = max(most, runtime.NumGoroutine())
		}
	}
	if !waitFor(20*time.Second, func() bool { return counter(t, h.Metrics(), "ecg_published_total", "ok") == n }) {
		t.Fatalf("%v of %d events acknowledged:\n%s", counter(t, h.Metrics(), "ecg_published_total", "ok"), n, gather(t, h.Metrics()))
	}
	if most > before+20 {
		t.Errorf("%d goroutines while publishing, %d before", most, before)
	}
	if !waitFor(10*time.Second, func() bool { return len(out.on("ecg/events/p1", "")) == n }) {
		t.Errorf("%d events arrived, want %d", len(out.on("ecg/events/p1", "")), n)
	}
}
