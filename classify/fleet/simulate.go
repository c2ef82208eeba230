package fleet

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/ecgkit/ecg/datasets/synth"
)

// RhythmCount is a number of simulated devices in one rhythm.
type RhythmCount struct {
	Rhythm string
	N      int
}

// ParseRhythmCounts parses a fleet's rhythms, "afib=2,normal=18": names
// of synth.Rhythms with counts of 0 or more, each name at most once.
func ParseRhythmCounts(s string) ([]RhythmCount, error) {
	var out []RhythmCount
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, num, ok := strings.Cut(part, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		n, err := strconv.Atoi(strings.TrimSpace(num))
		switch {
		case !ok || err != nil || n < 0:
			return nil, fmt.Errorf("rhythms %q: %q: want RHYTHM=COUNT such as afib=2", s, part)
		case !slices.Contains(synth.Rhythms, name):
			return nil, fmt.Errorf("rhythms %q: unknown rhythm %q (want %s)", s, name, strings.Join(synth.Rhythms, ", "))
		case slices.ContainsFunc(out, func(c RhythmCount) bool { return c.Rhythm == name }):
			return nil, fmt.Errorf("rhythms %q: %s given twice", s, name)
		}
		out = append(out, RhythmCount{name, n})
	}
	return out, nil
}

// SimDevice is one simulated wearable: its id and its signal.
type SimDevice struct {
	ID string
	// Synth makes its signal (Rhythm, Fs, Seed, Duration: 0 for endless).
	Synth synth.Options
}

// PlanFleet names n devices prefix001, prefix002, ... (at least three
// digits) and gives them rhythms: counts as asked, the rest base.Rhythm.
// Which device gets which rhythm, and each device's seed, are drawn from
// base.Seed, so the same arguments give the same fleet; the other fields
// of base apply to every device.
func PlanFleet(n int, counts []RhythmCount, base synth.Options, prefix string) ([]SimDevice, error) {
	if n < 1 {
		return nil, fmt.Errorf("fleet of %d devices: want 1 or more", n)
	}
	rest := base.Rhythm
	if rest == "" {
		rest = synth.Normal
	}
	var rhythms []string
	for _, c := range counts {
		for range c.N {
			rhythms = append(rhythms, c.Rhythm)
		}
	}
	if len(rhythms) > n {
		return nil, fmt.Errorf("rhythms for %d devices in a fleet of %d", len(rhythms), n)
	}
	for len(rhythms) < n {
		rhythms = append(rhythms, rest)
	}
	rng := rand.New(rand.NewPCG(uint64(base.Seed), 0x5eed_f1ee7))
	rng.Shuffle(n, func(i, j int) { rhythms[i], rhythms[j] = rhythms[j], rhythms[i] })
	width := max(3, len(strconv.Itoa(n)))
	devs := make([]SimDevice, n)
	for k := range devs {
		o := base
		o.Rhythm = rhythms[k]
		o.Seed = int64(rng.Uint64() >> 2)
		id := fmt.Sprintf("%s%0*d", prefix, width, k+1)
		if !ValidDevice(id) {
			return nil, fmt.Errorf("%w: %q (from the prefix %q)", ErrBadDevice, id, prefix)
		}
		devs[k] = SimDevice{ID: id, Synth: o}
	}
	return devs, nil
}

// SimOptions say where and how fast Simulate publishes.
type SimOptions struct {
	// MQTT is the broker and the client's credentials and TLS (Topic,
	// Publish, the prefixes and shards are not used). ClientID "" is
	// ecg-simulate- and the time.
	MQTT MQTTOptions
	// Topic is the topic prefix: a device publishes to Topic/ID
	// ("" : dt/sensor).
	Topic string
	// Message is the signal in one message, seconds (0: 0.1).
	Message float64
	// Speed is how many times faster than real time the fleet sends (1:
	// real time; 0: as fast as the broker acknowledges).
	Speed float64
	// Start is the time of every device's first sample, in the messages'
	// "ts" field (zero: when Simulate starts).
	Start time.Time
	// ConnectTimeout bounds the first connection (0: 10 s).
	ConnectTimeout time.Duration
	// AckTimeout bounds the wait for a round of messages' acknowledgements
	// (0: 10 s); messages not acknowledged by then count as failed.
	AckTimeout time.Duration
}

// SimResult counts what Simulate published.
type SimResult struct {
	// Messages were acknowledged by the broker (QoS 1); Failed were not
	// (the connection was lost, or no acknowledgement in AckTimeout).
	Messages, Failed int64
	// Samples is the number of samples per device sent.
	Samples int64
	// Behind counts rounds that started later than their due time by more
	// than one message's length and 0.25 s (the broker or this machine too
	// slow for Speed).
	Behind int
}

// ErrUnreachable wraps the error of a first connection that failed.
var ErrUnreachable = errors.New("MQTT broker not reachable")

// Simulation publishes a fleet to an MQTT broker, the way wearables send
// to `ecg serve`: every device a JSON message of SimOptions.Message
// seconds ({"device_id":"wear-001","fs":250,"ts":1718000000.1,"ecg":[...]},
// values in mV with 3 decimals, ts the time of the first sample in
// seconds) to Topic/ID at QoS 1, the devices in step, paced at Speed
// times real time.
type Simulation struct {
	opt     SimOptions
	devices []SimDevice
	gens    []*synth.Generator
	fs      float64
	client  mqtt.Client
}

// NewSimulation checks the options and the devices (valid ids, synth
// options, one rate for all) without connecting.
func NewSimulation(devices []SimDevice, opt SimOptions) (*Simulation, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	gens, fs, err := generators(devices)
	if err != nil {
		return nil, err
	}
	return &Simulation{opt: opt, devices: devices, gens: gens, fs: fs}, nil
}

// Connect connects to the broker: an error wrapping ErrUnreachable when
// it cannot be reached (within SimOptions.ConnectTimeout). Run connects
// when Connect was not called.
func (s *Simulation) Connect() error {
	if s.client != nil {
		return nil
	}
	c, err := connectPublisher(s.opt)
	if err != nil {
		return err
	}
	s.client = c
	return nil
}

// Run publishes until every device's Duration has been sent and
// acknowledged (none: until ctx ends, then with ctx's error after the
// messages in flight are acknowledged), then disconnects. A broker that
// cannot be reached at the start is an error wrapping ErrUnreachable; a
// connection lost later is retried, and the messages due meanwhile are
// counted as failed. A Simulation runs once.
func (s *Simulation) Run(ctx context.Context) (SimResult, error) {
	if err := s.Connect(); err != nil {
		return SimResult{}, err
	}
	defer s.client.Disconnect(250)
	p := &simPublisher{opt: s.opt, client: s.client, devices: s.devices, gens: s.gens, fs: s.fs}
	return p.run(ctx)
}

func (o SimOptions) withDefaults() (SimOptions, error) {
	if err := CheckBroker(o.MQTT.Broker); err != nil {
		return o, err
	}
	if o.Topic == "" {
		o.Topic = "dt/sensor"
	}
	o.Topic = strings.TrimSuffix(o.Topic, "/")
	if strings.ContainsAny(o.Topic, "#+") {
		return o, fmt.Errorf("topic %q: wildcards are for subscriptions, not for publishing", o.Topic)
	}
	if o.Message == 0 {
		o.Message = 0.1
	}
	if !(o.Message >= 0.01 && o.Message <= 10) {
		return o, fmt.Errorf("message of %gs: want 0.01 to 10 s", o.Message)
	}
	if !(o.Speed >= 0) || math.IsInf(o.Speed, 0) {
		return o, fmt.Errorf("speed %g: want 0 (as fast as acknowledged) or more", o.Speed)
	}
	if o.ConnectTimeout == 0 {
		o.ConnectTimeout = 10 * time.Second
	}
	if o.AckTimeout == 0 {
		o.AckTimeout = 10 * time.Second
	}
	if o.MQTT.ClientID == "" {
		o.MQTT.ClientID = fmt.Sprintf("ecg-simulate-%d", time.Now().UnixNano())
	}
	if o.MQTT.Log == nil {
		o.MQTT.Log = func(string) {}
	}
	return o, nil
}

// generators makes every device's generator; the devices share one rate.
func generators(devices []SimDevice) ([]*synth.Generator, float64, error) {
	if len(devices) == 0 {
		return nil, 0, errors.New("no devices to simulate")
	}
	gens := make([]*synth.Generator, len(devices))
	for k, d := range devices {
		if !ValidDevice(d.ID) {
			return nil, 0, fmt.Errorf("%w: %q", ErrBadDevice, d.ID)
		}
		g, err := synth.NewGenerator(d.Synth)
		if err != nil {
			return nil, 0, fmt.Errorf("device %s: %w", d.ID, err)
		}
		if k > 0 && g.Fs() != gens[0].Fs() {
			return nil, 0, fmt.Errorf("device %s at %g Hz, %s at %g Hz: one rate for the fleet", d.ID, g.Fs(), devices[0].ID, gens[0].Fs())
		}
		gens[k] = g
	}
	return gens, gens[0].Fs(), nil
}

// connectPublisher connects once (an unreachable broker is an error),
// then reconnects on its own if the connection is lost.
func connectPublisher(opt SimOptions) (mqtt.Client, error) {
	log := opt.MQTT.Log
	o := clientOptions(opt.MQTT, opt.MQTT.ClientID).SetConnectRetry(false).
		SetConnectTimeout(opt.ConnectTimeout).SetMaxResumePubInFlight(1024).
		SetConnectionLostHandler(func(_ mqtt.Client, err error) {
			log(fmt.Sprintf("mqtt: connection to %s lost: %v", opt.MQTT.Broker, err))
		}).
		SetReconnectingHandler(func(mqtt.Client, *mqtt.ClientOptions) { log("mqtt: reconnecting to " + opt.MQTT.Broker) })
	c := mqtt.NewClient(o)
	tok := c.Connect()
	if !tok.WaitTimeout(opt.ConnectTimeout + time.Second) {
		c.Disconnect(0)
		return nil, fmt.Errorf("%w: %s: no answer in %v", ErrUnreachable, opt.MQTT.Broker, opt.ConnectTimeout)
	}
	if err := tok.Error(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrUnreachable, opt.MQTT.Broker, err)
	}
	log("mqtt: connected to " + opt.MQTT.Broker)
	return c, nil
}

// simPublisher sends rounds of messages, one per device.
type simPublisher struct {
	opt     SimOptions
	client  mqtt.Client
	devices []SimDevice
	gens    []*synth.Generator
	fs      float64
	buf     []float64
	msg     []byte
}

// inFlight bounds the messages published and not yet acknowledged: the
// publisher waits for the oldest beyond it. Acknowledgements are awaited
// in a goroutine of their own, not round by round: a broker that delays
// its PUBACKs (Mosquitto without set_tcp_nodelay: about 40 ms each, by
// Nagle's algorithm against delayed ACKs) would otherwise hold every
// round that long.
const inFlight = 4096

type sentToken struct {
	tok  mqtt.Token
	sent time.Time
}

func (p *simPublisher) run(ctx context.Context) (res SimResult, err error) {
	n := max(1, int(math.Round(p.opt.Message*p.fs)))
	p.buf = make([]float64, n)
	start := p.opt.Start
	if start.IsZero() {
		start = time.Now()
	}
	t0 := float64(start.UnixNano()) / 1e9
	wall := time.Now()
	acks := make(chan sentToken, inFlight)
	var ok, failed int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		for st := range acks {
			if st.tok.WaitTimeout(max(time.Until(st.sent.Add(p.opt.AckTimeout)), time.Millisecond)) && st.tok.Error() == nil {
				ok++
			} else {
				failed++
			}
		}
	}()
	defer func() {
		close(acks)
		<-done
		res.Messages, res.Failed = ok, res.Failed+failed
	}()
	for {
		if err := p.pace(ctx, wall, &res); err != nil {
			return res, err
		}
		sent, lost := 0, 0
		connected := p.client.IsConnectionOpen()
		ts := t0 + float64(res.Samples)/p.fs
		for k, g := range p.gens {
			m := g.Read(p.buf, nil)
			if m == 0 {
				continue
			}
			sent = max(sent, m)
			if !connected {
				lost++ // the round is due; its messages are lost
				continue
			}
			b := p.message(p.devices[k].ID, ts, p.buf[:m])
			acks <- sentToken{p.client.Publish(p.opt.Topic+"/"+p.devices[k].ID, 1, false, b), time.Now()}
		}
		if sent == 0 {
			return res, nil
		}
		res.Samples += int64(sent)
		res.Failed += int64(lost)
	}
}

// lateBy is the least delay of a round counted as late (SimResult.Behind).
const lateBy = 250 * time.Millisecond

// pace waits until the next round is due at Speed (counting it late when
// it is more than a message's length and lateBy behind), or ctx ends.
func (p *simPublisher) pace(ctx context.Context, wall time.Time, res *SimResult) error {
	if err := ctx.Err(); err != nil || p.opt.Speed == 0 {
		return err
	}
	due := wall.Add(time.Duration(float64(res.Samples) / p.fs / p.opt.Speed * float64(time.Second)))
	d := time.Until(due)
	if d <= 0 {
		if -d > max(time.Duration(p.opt.Message/p.opt.Speed*float64(time.Second)), lateBy) {
			res.Behind++
		}
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// message is the JSON payload of one device's samples.
func (p *simPublisher) message(id string, ts float64, x []float64) []byte {
	b := p.msg[:0]
	b = append(b, `{"device_id":"`...)
	b = append(b, id...)
	b = append(b, `","fs":`...)
	b = strconv.AppendFloat(b, p.fs, 'g', -1, 64)
	b = append(b, `,"ts":`...)
	b = strconv.AppendFloat(b, ts, 'f', 6, 64)
	b = append(b, `,"ecg":[`...)
	for i, v := range x {
		if i > 0 {
			b = append(b, ',')
		}
		// Rounded here, so that -0.0004 is written 0.000, not -0.000.
		b = strconv.AppendFloat(b, math.Round(v*1000)/1000+0, 'f', 3, 64)
	}
	b = append(b, "]}"...)
	p.msg = b
	// The client may still hold the payload after Publish returns.
	return slices.Clone(b)
}
