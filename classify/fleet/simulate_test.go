package fleet

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/brokertest"
)

func TestParseRhythmCounts(t *testing.T) {
	got, err := ParseRhythmCounts(" afib=2, normal = 18,pvc=0")
	want := []RhythmCount{{"afib", 2}, {"normal", 18}, {"pvc", 0}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("%v, %v", got, err)
	}
	if got, err := ParseRhythmCounts(""); err != nil || got != nil {
		t.Errorf("empty: %v, %v", got, err)
	}
	for _, bad := range []string{"afib", "afib=x", "afib=-1", "vfib=1", "afib=1,afib=2"} {
		if _, err := ParseRhythmCounts(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestPlanFleet(t *testing.T) {
	base := synth.Options{Fs: 250, Seed: 7, Noise: 0.02}
	a, err := PlanFleet(20, []RhythmCount{{"afib", 2}, {"pvc", 1}}, base, "w-")
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	seeds := map[int64]bool{}
	for k, d := range a {
		n[d.Synth.Rhythm]++
		seeds[d.Synth.Seed] = true
		if d.ID != fmt.Sprintf("w-%03d", k+1) || d.Synth.Fs != 250 || d.Synth.Noise != 0.02 {
			t.Errorf("device %d: %+v", k, d)
		}
	}
	if n["afib"] != 2 || n["pvc"] != 1 || n["normal"] != 17 || len(seeds) != 20 {
		t.Errorf("rhythms %v, %d seeds", n, len(seeds))
	}
	b, _ := PlanFleet(20, []RhythmCount{{"afib", 2}, {"pvc", 1}}, base, "w-")
	if !reflect.DeepEqual(a, b) {
		t.Error("the same arguments gave another fleet")
	}
	base.Seed = 8
	c, _ := PlanFleet(20, []RhythmCount{{"afib", 2}, {"pvc", 1}}, base, "w-")
	if reflect.DeepEqual(a, c) {
		t.Error("seeds 7 and 8 gave the same fleet")
	}
	for _, bad := range []func() error{
		func() error { _, err := PlanFleet(0, nil, base, "w-"); return err },
		func() error { _, err := PlanFleet(2, []RhythmCount{{"afib", 3}}, base, "w-"); return err },
		func() error { _, err := PlanFleet(2, nil, base, "bad id/"); return err },
	} {
		if bad() == nil {
			t.Error("no error")
		}
	}
}

func TestSimulationOptions(t *testing.T) {
	devs, _ := PlanFleet(2, nil, synth.Options{Fs: 250}, "w")
	for _, o := range []SimOptions{
		{MQTT: MQTTOptions{Broker: "127.0.0.1:1883"}},
		{MQTT: MQTTOptions{Broker: "tcp://h:1883"}, Topic: "dt/#"},
		{MQTT: MQTTOptions{Broker: "tcp://h:1883"}, Speed: -1},
		{MQTT: MQTTOptions{Broker: "tcp://h:1883"}, Message: 20},
	} {
		if _, err := NewSimulation(devs, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	mixed := append(devs[:1:1], SimDevice{ID: "x", Synth: synth.Options{Fs: 360}})
	if _, err := NewSimulation(mixed, SimOptions{MQTT: MQTTOptions{Broker: "tcp://h:1883"}}); err == nil {
		t.Error("two rates: no error")
	}
	s, err := NewSimulation(devs, SimOptions{MQTT: MQTTOptions{Broker: "tcp://127.0.0.1:1"}, ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background()); !errors.Is(err, ErrUnreachable) {
		t.Errorf("a closed port: %v, want ErrUnreachable", err)
	}
}

// TestSimulationMessages: what a Simulation publishes decodes, by
// DecodeMessage, into every device's signal in order, with its rate and
// timestamps.
func TestSimulationMessages(t *testing.T) {
	b := brokertest.Start(t)
	var mu sync.Mutex
	got := map[string][]Message{}
	sub := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(b.URL()).SetClientID("sim-sub").SetOrderMatters(true))
	if tok := sub.Connect(); tok.Wait() && tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer sub.Disconnect(100)
	sub.Subscribe("test/#", 1, func(_ mqtt.Client, m mqtt.Message) {
		msg, err := DecodeMessage("", m.Payload(), Limits{})
		if err != nil || "test/"+msg.Device != m.Topic() {
			t.Errorf("%s %s: %v", m.Topic(), m.Payload(), err)
		}
		mu.Lock()
		got[msg.Device] = append(got[msg.Device], msg)
		mu.Unlock()
	}).Wait()
	devs, _ := PlanFleet(3, []RhythmCount{{"afib", 1}}, synth.Options{Fs: 200, Duration: 2.05, Seed: 3}, "d")
	start := time.Unix(1_700_000_000, 0)
	s, err := NewSimulation(devs, SimOptions{MQTT: MQTTOptions{Broker: b.URL()}, Topic: "test/", Speed: 0, Start: start})
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Run(context.Background())
	if err != nil || res.Messages != 63 || res.Failed != 0 || res.Samples != 410 {
		t.Fatalf("%+v, %v; want 63 messages (21 a device) of 410 samples", res, err)
	}
	waitFor(5*time.Second, func() bool { mu.Lock(); defer mu.Unlock(); return len(got["d003"]) == 21 })
	mu.Lock()
	defer mu.Unlock()
	for _, d := range devs {
		want, _ := synth.Generate(d.Synth)
		var x []float64
		for k, m := range got[d.ID] {
			if m.Fs != 200 || !m.HasTS || m.TS != 1_700_000_000+0.1*float64(k) && k < 3 {
				t.Fatalf("%s message %d: fs %g, ts %v", d.ID, k, m.Fs, m.TS)
			}
			x = append(x, m.ECG...)
		}
		if len(x) != len(want.MV) {
			t.Fatalf("%s: %d samples, want %d", d.ID, len(x), len(want.MV))
		}
		for i := range x {
			if d := x[i] - want.MV[i]; d > 0.0005+1e-12 || d < -0.0005-1e-12 {
				t.Fatalf("%s sample %d: %g, want %g", devs[0].ID, i, x[i], want.MV[i])
			}
		}
	}
}

// TestSimulatedFleetThroughBroker is the shortened end-to-end run of
// docs/serve.md: six simulated devices, two in AF, three minutes of
// signal published through a real Mosquitto into a hub that records
// them. Alerts come for exactly the AF devices, and their recordings
// carry the AFIB rhythm.
func TestSimulatedFleetThroughBroker(t *testing.T) {
	b := brokertest.Start(t)
	dir := t.TempDir()
	rec, err := NewRecorder(RecordOptions{Dir: dir, Segment: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector()
	h, err := New(Config{Score: scoring(t), Emit: c.emit, Record: rec, RateFactor: 1000, Queue: 2048, MaxDeviceBytes: 256 << 20}, nil)
	if err != nil {
		t.Fatal(err)
	}
	client, err := ConnectMQTT(MQTTOptions{Broker: b.URL(), Topic: "dt/sensor/#", Log: func(s string) { t.Log(s) }}, h)
	if err != nil {
		t.Fatal(err)
	}
	if !waitFor(5*time.Second, client.Connected) {
		t.Fatal("not connected")
	}
	time.Sleep(200 * time.Millisecond) // subscribed
	devs, err := PlanFleet(6, []RhythmCount{{"afib", 2}}, synth.Options{Fs: 250, Duration: 180, Seed: 1, Noise: 0.02}, "wear-")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSimulation(devs, SimOptions{MQTT: MQTTOptions{Broker: b.URL()}, Speed: 0})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := s.Run(context.Background()); err != nil || res.Failed != 0 {
		t.Fatalf("%+v, %v", res, err)
	}
	// Every message received, then the hub closed: the devices' queues
	// are drained and every sample scored.
	if !waitFor(30*time.Second, func() bool { return counter(t, h.Metrics(), "ecg_messages_total", "mqtt") == 10800 }) {
		t.Fatalf("not every message received:\n%s", gather(t, h.Metrics()))
	}
	if text := gather(t, h.Metrics()); strings.Contains(text, "ecg_messages_rejected_total") {
		t.Fatalf("messages rejected:\n%s", text)
	}
	client.Unsubscribe()
	h.Close()
	client.Close(time.Second)
	rec.Close()
	for _, d := range devs {
		if st := c.of(d.ID, "status"); len(st) == 0 || !strings.Contains(st[len(st)-1], `"samples":45000`) {
			t.Errorf("%s: last status %v, want 45000 samples", d.ID, st[max(0, len(st)-1):])
		}
		alerts := c.of(d.ID, "alert")
		raised := slices.ContainsFunc(alerts, func(e string) bool { return strings.Contains(e, `"state":"raised"`) })
		if af := d.Synth.Rhythm == synth.AFib; raised != af {
			t.Errorf("%s (%s): alerts %v", d.ID, d.Synth.Rhythm, alerts)
		}
		var afib []int64
		for seg := range 3 {
			anns, err := wfdb.ReadAnnotations(filepath.Join(dir, d.ID, fmt.Sprintf("%s_%04d", RecordName(d.ID), seg+1)), RecordAnnotator)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range anns {
				if a.Aux == "(AFIB" {
					afib = append(afib, int64(seg)*15000+a.Sample)
				}
			}
		}
		if (len(afib) > 0) != (d.Synth.Rhythm == synth.AFib) {
			t.Errorf("%s (%s): recorded AFIB rhythm changes at samples %v", d.ID, d.Synth.Rhythm, afib)
		}
	}
}

// TestSimulationBrokerLost: the broker goes away mid-run and comes back;
// the simulation goes on, counts what was due meanwhile as failed, and
// publishes again once reconnected.
func TestSimulationBrokerLost(t *testing.T) {
	b := brokertest.Start(t)
	devs, _ := PlanFleet(2, nil, synth.Options{Fs: 250, Duration: 8}, "d")
	var mu sync.Mutex
	var logs []string
	s, err := NewSimulation(devs, SimOptions{MQTT: MQTTOptions{Broker: b.URL(), Log: func(l string) { mu.Lock(); logs = append(logs, l); mu.Unlock() }}, Speed: 2, AckTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	restarted := make(chan struct{})
	go func() {
		defer close(restarted)
		time.Sleep(time.Second)
		b.Stop()
		time.Sleep(500 * time.Millisecond)
		b.Restart()
	}()
	res, err := s.Run(context.Background())
	<-restarted // the broker's cleanup must not race with the restart
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%+v", res)
	if err != nil || res.Failed == 0 || res.Messages < 20 || res.Messages+res.Failed != 160 || res.Samples != 2000 {
		t.Errorf("%+v, %v; want 160 messages, some failed, the rest acknowledged\n%s", res, err, strings.Join(logs, "\n"))
	}
	if !slices.ContainsFunc(logs, func(l string) bool { return strings.Contains(l, "lost") }) {
		t.Errorf("no log of the lost connection: %v", logs)
	}
}
