package fleet

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/ecgkit/ecg/classify/stream"
)

// MQTTOptions say how to reach the broker and what to do there.
type MQTTOptions struct {
	// Broker is the broker's URL: tcp://host:1883, ssl://host:8883
	// (tls:// and mqtts:// too), ws:// or wss://.
	Broker string
	// Topic is the subscription filter, 'dt/sensor/#' for instance; the
	// topic's last level names the device of messages without device_id.
	Topic string
	// ClientID identifies the client to the broker ("" : ecg-serve- and
	// the time).
	ClientID string
	// Username and Password authenticate the client when Username is set.
	Username, Password string
	// TLS is the TLS configuration for ssl://, tls://, mqtts:// and wss://.
	TLS *tls.Config
	// Publish sends events to EventsPrefix+device and alerts also to
	// AlertsPrefix+device ("" : ecg/events/ and ecg/alerts/), at QoS 1.
	Publish                    bool
	EventsPrefix, AlertsPrefix string
	// Shard and Shards (K/N) take only the devices whose ShardOf is Shard
	// out of Shards (Shards 0 or 1: all).
	Shard, Shards int
	// Log, when not nil, receives connection messages.
	Log func(string)
}

// ShardOf returns the shard (0 to n-1) of a device: FNV-1a of its id
// modulo n, the same on every machine and run.
func ShardOf(device string, n int) int {
	if n <= 1 {
		return 0
	}
	h := fnv.New32a()
	h.Write([]byte(device))
	return int(h.Sum32() % uint32(n))
}

// CheckBroker checks a broker URL: tcp://, mqtt://, ssl://, tls://,
// mqtts://, ws:// or wss://, with a host.
func CheckBroker(broker string) error {
	u, err := url.Parse(broker)
	if err != nil || u.Host == "" {
		return fmt.Errorf("MQTT broker %q: want a URL such as tcp://host:1883", broker)
	}
	switch u.Scheme {
	case "tcp", "mqtt", "ssl", "tls", "mqtts", "ws", "wss":
		return nil
	}
	return fmt.Errorf("MQTT broker %q: scheme %q (want tcp, mqtt, ssl, tls, mqtts, ws or wss)", broker, u.Scheme)
}

// MQTT feeds a hub from a broker and publishes its events there. The
// client subscribes at QoS 1 on every connection (so a reconnection
// resubscribes), and reconnects with backoff (up to 30 s) when the broker
// goes away; the hub's devices are marked disconnected and connected
// meanwhile.
type MQTT struct {
	opt    MQTTOptions
	hub    *Hub
	client mqtt.Client // subscribes
	out    mqtt.Client // publishes (nil without MQTTOptions.Publish)
	pub    chan pubItem
	done   sync.WaitGroup
	once   sync.Once
}

type pubItem struct {
	topic   string
	payload []byte
}

// publishQueue is the number of events waiting to be published; more
// are dropped and counted.
const publishQueue = 16384

// clientOptions are the options both connections share: reconnection
// with backoff, credentials, TLS.
func clientOptions(opt MQTTOptions, id string) *mqtt.ClientOptions {
	o := mqtt.NewClientOptions().AddBroker(opt.Broker).SetClientID(id).
		SetAutoReconnect(true).SetConnectRetry(true).SetConnectRetryInterval(time.Second).
		SetMaxReconnectInterval(30 * time.Second).SetKeepAlive(30 * time.Second).
		SetCleanSession(true)
	if opt.Username != "" {
		o.SetUsername(opt.Username).SetPassword(opt.Password)
	}
	if opt.TLS != nil {
		o.SetTLSConfig(opt.TLS)
	}
	return o
}

// Connected reports whether the client is connected (both connections
// when events are published).
func (c *MQTT) Connected() bool {
	return c.client.IsConnectionOpen() && (c.out == nil || c.out.IsConnectionOpen())
}

// ConnectMQTT starts the client. It returns at once when the broker cannot
// be reached yet (the client keeps trying); an error is for options that
// can never work.
func ConnectMQTT(opt MQTTOptions, hub *Hub) (*MQTT, error) {
	if opt.Topic == "" {
		return nil, fmt.Errorf("fleet: no MQTT topic")
	}
	if err := CheckBroker(opt.Broker); err != nil {
		return nil, err
	}
	if opt.EventsPrefix == "" {
		opt.EventsPrefix = "ecg/events/"
	}
	if opt.AlertsPrefix == "" {
		opt.AlertsPrefix = "ecg/alerts/"
	}
	if opt.ClientID == "" {
		opt.ClientID = fmt.Sprintf("ecg-serve-%d", time.Now().UnixNano())
	}
	if opt.Log == nil {
		opt.Log = func(string) {}
	}
	c := &MQTT{opt: opt, hub: hub, pub: make(chan pubItem, publishQueue)}
	o := clientOptions(opt, opt.ClientID).SetOrderMatters(true).
		SetOnConnectHandler(c.onConnect).SetConnectionLostHandler(c.onLost).
		SetReconnectingHandler(func(mqtt.Client, *mqtt.ClientOptions) { opt.Log("mqtt: reconnecting to " + opt.Broker) })
	c.client = mqtt.NewClient(o)
	if opt.Publish {
		// Events go out on a connection of their own: waiting for the
		// broker to take them must not slow the messages coming in (with
		// one connection, 1000 devices at 250 Hz were received at 4,400
		// messages a second instead of 10,000).
		c.out = mqtt.NewClient(clientOptions(opt, opt.ClientID+"-out"))
		c.out.Connect()
	}
	tok := c.client.Connect()
	switch {
	case !tok.WaitTimeout(5 * time.Second):
		opt.Log("mqtt: " + opt.Broker + " not reached yet; still trying")
	case tok.Error() != nil:
		return nil, fmt.Errorf("mqtt %s: %w", opt.Broker, tok.Error())
	}
	c.done.Add(1)
	go c.publisher()
	return c, nil
}

func (c *MQTT) onConnect(cl mqtt.Client) {
	c.opt.Log("mqtt: connected to " + c.opt.Broker + ", subscribing to " + c.opt.Topic)
	c.hub.metrics.Connected(true)
	tok := cl.Subscribe(c.opt.Topic, 1, c.onMessage)
	go func() {
		switch {
		case !tok.WaitTimeout(10 * time.Second):
			c.opt.Log(fmt.Sprintf("mqtt: subscribe %s: no answer in 10 s", c.opt.Topic))
		case tok.Error() != nil:
			c.opt.Log(fmt.Sprintf("mqtt: subscribe %s: %v", c.opt.Topic, tok.Error()))
		default:
			c.opt.Log(fmt.Sprintf("mqtt: subscribed to %s", c.opt.Topic))
		}
	}()
	c.hub.Mark("connected")
}

func (c *MQTT) onLost(_ mqtt.Client, err error) {
	c.opt.Log(fmt.Sprintf("mqtt: connection to %s lost: %v", c.opt.Broker, err))
	c.hub.metrics.Connected(false)
	c.hub.Mark("disconnected")
}

// onMessage decodes a message and hands it to the hub; it never blocks on
// a device.
func (c *MQTT) onMessage(_ mqtt.Client, msg mqtt.Message) {
	received := time.Now()
	c.hub.metrics.Received("mqtt")
	topic := msg.Topic()
	dev := topic[strings.LastIndexByte(topic, '/')+1:]
	m, err := DecodeMessage(dev, msg.Payload(), c.hub.cfg.Limits)
	if err != nil {
		c.hub.reject(m.Device, err)
		return
	}
	if c.opt.Shards > 1 && ShardOf(m.Device, c.opt.Shards) != c.opt.Shard {
		c.hub.metrics.Rejected(ErrShard)
		return
	}
	c.hub.Ingest(m, received)
}

// Publish queues a device's event for the broker (when Publish is set):
// every event to the events topic, alerts to the alerts topic too. It
// never blocks: when the queue is full the event is dropped and counted.
func (c *MQTT) Publish(device string, e stream.Event) {
	if !c.opt.Publish {
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	c.enqueue(pubItem{c.opt.EventsPrefix + device, b})
	if e.Type == stream.EventAlert {
		c.enqueue(pubItem{c.opt.AlertsPrefix + device, b})
	}
}

func (c *MQTT) enqueue(p pubItem) {
	select {
	case c.pub <- p:
	default:
		c.hub.metrics.Published("dropped")
	}
}

// publishInFlight bounds the events published and not yet acknowledged;
// beyond it the publisher waits, and the queue (publishQueue) takes up
// the slack until it drops.
const publishInFlight = 1024

// publisher publishes the queued events in order; one goroutine of its
// own (acknowledge) waits for the broker's acknowledgements, in order,
// and counts them: two goroutines however many events.
func (c *MQTT) publisher() {
	defer c.done.Done()
	acks := make(chan sentEvent, publishInFlight)
	acked := make(chan struct{})
	go c.acknowledge(acks, acked)
	defer func() { close(acks); <-acked }()
	for p := range c.pub {
		if !c.out.IsConnectionOpen() {
			c.hub.metrics.Published("dropped")
			continue
		}
		acks <- sentEvent{c.out.Publish(p.topic, 1, false, p.payload), time.Now()}
	}
}

// sentEvent is an event published, waiting for its acknowledgement.
type sentEvent struct {
	tok  mqtt.Token
	sent time.Time
}

// acknowledge counts the events' acknowledgements: "ok", or "failed"
// when none came within 10 s of the event's publication or the broker
// refused it.
func (c *MQTT) acknowledge(acks <-chan sentEvent, done chan<- struct{}) {
	defer close(done)
	for e := range acks {
		if e.tok.WaitTimeout(max(time.Until(e.sent.Add(10*time.Second)), time.Millisecond)) && e.tok.Error() == nil {
			c.hub.metrics.Published("ok")
		} else {
			c.hub.metrics.Published("failed")
		}
	}
}

// Unsubscribe stops the messages coming in (before the hub is closed).
func (c *MQTT) Unsubscribe() {
	if c.client.IsConnectionOpen() {
		c.client.Unsubscribe(c.opt.Topic).WaitTimeout(2 * time.Second)
	}
}

// Close publishes what is queued (waiting at most grace) and disconnects.
func (c *MQTT) Close(grace time.Duration) {
	c.once.Do(func() {
		close(c.pub)
		done := make(chan struct{})
		go func() { c.done.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(grace):
		}
		c.client.Disconnect(uint(grace / time.Millisecond))
		if c.out != nil {
			c.out.Disconnect(uint(grace / time.Millisecond))
		}
	})
}
