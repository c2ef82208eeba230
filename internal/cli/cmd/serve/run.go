package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ecgkit/ecg/classify/fleet"
	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

// config checks the flags and returns the hub's configuration (Emit and
// the alert hooks are set by serve); warnings about them go to warn (nil:
// none).
func (o *Options) config(warn io.Writer) (fleet.Config, error) {
	sc, err := o.Score.Config()
	if err != nil {
		return fleet.Config{}, err
	}
	switch {
	case o.Idle <= 0:
		return fleet.Config{}, cmdutil.Usagef("--idle %v: want a duration more than 0", o.Idle)
	case o.MaxDevices < 1:
		return fleet.Config{}, cmdutil.Usagef("--max-devices %d: want 1 or more", o.MaxDevices)
	case !(o.MaxDevMiB > 0):
		return fleet.Config{}, cmdutil.Usagef("--max-device-memory %g: want MiB more than 0", o.MaxDevMiB)
	case o.MaxMessage < 64 || o.MaxMessage > 16<<20:
		return fleet.Config{}, cmdutil.Usagef("--max-message %d: want 64 to 16M bytes", o.MaxMessage)
	case !(o.RateFactor >= 1):
		return fleet.Config{}, cmdutil.Usagef("--rate-factor %g: want 1 or more", o.RateFactor)
	case o.Queue < 1:
		return fleet.Config{}, cmdutil.Usagef("--queue %d: want 1 or more", o.Queue)
	case o.MQTT == "" && o.Listen == "":
		return fleet.Config{}, cmdutil.Usagef("no input: give --mqtt, --listen, or both")
	}
	if o.MQTT != "" {
		if err := fleet.CheckBroker(o.MQTT); err != nil {
			return fleet.Config{}, cmdutil.Usagef("--mqtt: %v", err)
		}
	}
	if err := o.Score.LoadModel(&sc, "serve", warn); err != nil {
		return fleet.Config{}, err
	}
	cfg := fleet.Config{
		Score: sc, TimeUnits: o.TimeUnits, Limits: fleet.Limits{MaxBytes: o.MaxMessage},
		MaxDevices: o.MaxDevices, MaxDeviceBytes: int64(o.MaxDevMiB * (1 << 20)), Queue: o.Queue, Idle: o.Idle, RateFactor: o.RateFactor,
	}
	o.Score.Input(&cfg.Input)
	return cfg, nil
}

// shard parses --shard K/N.
func (o *Options) shard() (k, n int, err error) {
	if o.Shard == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(o.Shard, "/")
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || k < 0 || k >= n {
		return 0, 0, cmdutil.Usagef("--shard %q: want K/N with 0 <= K < N", o.Shard)
	}
	return k, n, nil
}

// serve runs the hub, its inputs and outputs until ctx ends, then closes
// them in order: inputs first, then every device's stream, then the
// publisher and the events file.
func serve(ctx context.Context, f *cmdutil.Factory, o *Options, cfg fleet.Config) error {
	errOut := &iostreams.SyncWriter{W: f.IO.ErrOut}
	logf := func(s string) {
		if f.Informational() {
			fmt.Fprintf(errOut, "ecg serve: %s\n", s)
		}
	}
	k, n, err := o.shard()
	if err != nil {
		return err
	}
	token, err := o.token()
	if err != nil {
		return err
	}
	out, closeOut, err := o.eventsOut(f.IO.Out)
	if err != nil {
		return err
	}
	defer closeOut()
	lines := fleet.NewJSONLines(out)
	var pub atomic.Pointer[fleet.MQTT] // set once connected
	cfg.Emit = func(device string, e stream.Event) {
		lines.Write(device, e)
		if c := pub.Load(); c != nil {
			c.Publish(device, e)
		}
	}
	cfg.Errors = logf
	stopNotifier := o.Score.Notifier(ctx, &cfg.Score, "serve", errOut)
	defer stopNotifier()
	rec, err := o.recorder(&cfg)
	if err != nil {
		return err
	}
	if rec != nil {
		defer rec.Close() // after the hub's: every segment closed
	}
	hub, err := fleet.New(cfg, nil)
	if err != nil {
		return cmdutil.Usagef("%v", err)
	}
	// Shut down in order: inputs, then every device's stream (their last
	// events), then the publisher, then the events' last flush.
	stopFlush := flushEvery(lines, 200*time.Millisecond, logf)
	defer stopFlush()
	var client *fleet.MQTT
	defer func() {
		if client != nil {
			client.Close(5 * time.Second)
		}
	}()
	defer hub.Close()
	if o.Listen != "" {
		stop, err := o.serveHTTP(hub, token, logf)
		if err != nil {
			return err
		}
		defer stop()
	}
	if o.MQTT != "" {
		mo, err := o.mqttOptions(k, n, logf, f.IO.Environ)
		if err != nil {
			return err
		}
		if client, err = fleet.ConnectMQTT(mo, hub); err != nil {
			return err
		}
		pub.Store(client)
		defer client.Unsubscribe()
	}
	<-ctx.Done()
	logf("closing every device's stream")
	return nil
}

// flushEvery flushes the events every d; stop flushes a last time.
func flushEvery(lines *fleet.JSONLines, d time.Duration, logf func(string)) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if err := lines.Flush(); err != nil {
					logf(fmt.Sprintf("events: %v", err))
					return
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		lines.Flush()
	}
}

func (o *Options) eventsOut(stdout io.Writer) (io.Writer, func(), error) {
	if o.Events == "" || o.Events == "-" {
		return stdout, func() {}, nil
	}
	fh, err := os.OpenFile(o.Events, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, err
	}
	return fh, func() { fh.Close() }, nil
}

func (o *Options) token() (string, error) {
	if o.TokenFile != "" {
		b, err := os.ReadFile(o.TokenFile)
		if err != nil {
			return "", err
		}
		t := strings.TrimSpace(string(b))
		if len(t) < 16 {
			return "", cmdutil.Usagef("--token-file %s: the token has %d characters (want 16 or more)", o.TokenFile, len(t))
		}
		return t, nil
	}
	if o.Listen != "" && !loopback(o.Listen) {
		return "", cmdutil.Usagef("--listen %s is beyond loopback: give --token-file", o.Listen)
	}
	return "", nil
}

// loopback reports whether addr (host:port) listens on loopback only.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (o *Options) serveHTTP(hub *fleet.Hub, token string, logf func(string)) (stop func(), err error) {
	l, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	srv := &http.Server{
		Handler:           (&fleet.Server{Hub: hub, Token: token, MaxBody: 16 * int64(o.MaxMessage), Dashboard: &fleet.Dashboard{Hub: hub}}).Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logf(fmt.Sprintf("http: %v", err))
		}
	}()
	addr := l.Addr().String()
	logf("dashboard http://" + addr + "/, http://" + addr + "/metrics, POST http://" + addr + "/ingest/DEVICE")
	if o.Ready != nil {
		o.Ready(addr)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

func (o *Options) mqttOptions(k, n int, logf func(string), env func(string) string) (fleet.MQTTOptions, error) {
	mo := fleet.MQTTOptions{
		Broker: o.MQTT, Topic: o.Topic, ClientID: o.ClientID,
		Publish: !o.NoPublish, EventsPrefix: o.Prefix + "/events/", AlertsPrefix: o.Prefix + "/alerts/",
		Shard: k, Shards: n, Log: logf,
	}
	err := o.Conn.Apply(&mo, env)
	return mo, err
}
