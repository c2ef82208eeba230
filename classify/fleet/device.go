package fleet

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/beats"
)

// item is what a device's queue carries: a message with the time it was
// received, or a connection mark (the broker went away or came back).
type item struct {
	msg      Message
	received time.Time
	mark     string // "", "disconnected" or "connected"
}

// device scores one device's samples in a goroutine of its own: its
// stream, the rate it is sampled at, and the samples held while that rate
// is inferred from timestamps. Only that goroutine touches these fields.
type device struct {
	id    string
	hub   *Hub
	queue chan item
	view  *view // for the dashboard, guarded by its own lock

	// guarded by hub.mu
	lastSeen time.Time
	tokens   float64 // samples the rate limit lets in
	tokensAt time.Time
	fsHint   float64 // the rate once known, for the rate limit

	st      *stream.Stream
	rec     *DeviceRecord // nil unless Config.Record
	fs      float64
	pending []Message // messages held until the rate is known
	npend   int       // their samples
	cur     time.Time // receipt time of the message being processed

	win, hop int64 // the stream's window and hop in samples
	scoring  bool  // holding a turn of hub.scoring
}

// maxPendingSamples bounds the samples a device holds while its rate is
// not known yet.
const maxPendingSamples = 1 << 14

func (d *device) run() {
	defer d.hub.wg.Done()
	for it := range d.queue {
		switch it.mark {
		case "disconnected":
			if d.st != nil {
				d.st.Disconnected()
			}
		case "connected":
			if d.st != nil {
				// The status event "connected" (the samples come
				// whole, by WriteSamples: no partial line to drop).
				d.st.Reset()
			}
		default:
			d.cur = it.received
			d.process(it.msg)
		}
		d.hub.flushOut()
	}
	d.end()
	d.hub.flushOut()
	d.hub.metrics.forget(d.id)
}

// end closes the device's stream: the last window and a status event with
// input "end".
func (d *device) end() {
	if d.st == nil {
		return
	}
	d.cur = time.Now()
	if err := d.st.Close(); err != nil {
		d.hub.errorf("device %s: %v", d.id, err)
	}
	d.st = nil
	if d.rec != nil {
		d.rec.Close()
		d.rec = nil
	}
}

func (d *device) process(m Message) {
	d.hub.metrics.message(d.id, m)
	fs := m.Fs
	if fs == 0 {
		fs = d.hub.cfg.Score.Fs
	}
	if fs == 0 && d.st != nil {
		fs = d.fs
	}
	if fs == 0 {
		d.pending = append(d.pending, m)
		d.npend += len(m.ECG)
		fs = d.inferRate()
		if fs == 0 {
			if d.npend > maxPendingSamples {
				d.hub.reject(d.id, fmt.Errorf("%w: device %s: %d samples and no fs field, --fs or two timestamps to tell the rate", ErrNoRate, d.id, d.npend))
				d.pending, d.npend = nil, 0
			}
			return
		}
		d.pending = d.pending[:len(d.pending)-1]
	}
	if d.st == nil || fs != d.fs {
		if err := d.start(fs); err != nil {
			d.hub.reject(d.id, err)
			d.pending, d.npend = nil, 0
			return
		}
	}
	for _, p := range d.pending {
		d.feed(p.ECG)
	}
	d.pending, d.npend = nil, 0
	d.feed(m.ECG)
}

// inferRate returns the rate that the held messages' timestamps give (by
// the rule of `ecg stream`, stream.RateFromTimestamps), 0 while they do
// not tell it yet: the first and last timestamp of one message (CSV
// bodies), or the first timestamps of two messages.
func (d *device) inferRate() float64 {
	n := len(d.pending)
	last := d.pending[n-1]
	var r float64
	var err error
	switch {
	case last.HasTS && last.HasTSLast && last.TSLast > last.TS:
		r, err = stream.RateFromTimestamps(int64(len(last.ECG)-1), last.TSLast-last.TS, d.hub.cfg.TimeUnits)
	case n >= 2 && last.HasTS && d.pending[n-2].HasTS && last.TS > d.pending[n-2].TS:
		r, err = stream.RateFromTimestamps(int64(len(d.pending[n-2].ECG)), last.TS-d.pending[n-2].TS, d.hub.cfg.TimeUnits)
	default:
		return 0
	}
	if err != nil {
		return 0
	}
	return r
}

// start opens the device's stream at rate fs, closing the one before (a
// device that changed its rate starts over).
func (d *device) start(fs float64) error {
	d.end()
	if err := beats.CheckRate(fs); err != nil {
		return fmt.Errorf("%w: device %s: %v", ErrNoRate, d.id, err)
	}
	if need := deviceBytes(d.hub.cfg.Score.Window, fs, d.hub.cfg); need > d.hub.cfg.MaxDeviceBytes {
		return fmt.Errorf("%w: device %s at %g Hz needs about %d bytes (at most %d)", ErrMemory, d.id, fs, need, d.hub.cfg.MaxDeviceBytes)
	}
	cfg := d.hub.cfg.Score
	cfg.Fs = fs
	cfg.Emit = func(e stream.Event) {
		d.hub.emit(d, e)
		d.turn(e)
	}
	if on := cfg.OnAlert; on != nil {
		cfg.OnAlert = func(e stream.Event) { on(withDevice(d.id, e)) }
	}
	in := d.hub.cfg.Input
	in.Format = stream.FormatText
	in.Column, in.TimeColumn, in.Delimiter = 1, 0, ","
	st, err := stream.New(in, cfg)
	if err != nil {
		return fmt.Errorf("device %s: %w", d.id, err)
	}
	d.st, d.fs = st, fs
	if r := d.hub.cfg.Record; r != nil {
		d.rec = r.Open(d.id, fs, d.hub.recordEvent(d.id))
	}
	d.win = max(1, int64(math.Round(orDefault(cfg.Window, 60)*fs)))
	d.hop = max(1, int64(math.Round(orDefault(cfg.Hop, 10)*fs)))
	d.hub.setRate(d, fs)
	return nil
}

// feed hands samples to the stream, which converts them as it decodes
// `ecg stream`'s input (units, gain, baseline).
func (d *device) feed(x []float64) {
	d.view.push(x, d.fs)
	if d.rec != nil {
		d.rec.Samples(x)
	}
	err := d.st.WriteSamples(x)
	d.release()
	if err != nil && !errors.Is(err, stream.ErrNoRate) {
		d.hub.errorf("device %s: %v", d.id, err)
	}
}

// turn takes a turn of the hub's scorers when e is the hr event of the
// sample that completes a window (the stream scores that window right
// after it, in the same Write: the hr event itself goes out first), and
// gives it back once the window event is out.
func (d *device) turn(e stream.Event) {
	switch {
	case e.Type == stream.EventWindow:
		d.release()
	case e.Type == stream.EventHR && !d.scoring && e.Sample >= d.win && (e.Sample-d.win)%d.hop == 0:
		d.hub.scoring <- struct{}{}
		d.scoring = true
	}
}

// release gives back the device's turn of the scorers, if it holds one.
func (d *device) release() {
	if d.scoring {
		<-d.hub.scoring
		d.scoring = false
	}
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// deviceBytes estimates the memory a device's stream holds at rate fs:
// the window's ring and the scoring copy (8 bytes a sample each), the
// queue of messages at their largest, the dashboard's view of it, and
// fixed parts.
func deviceBytes(window, fs float64, cfg Config) int64 {
	if window == 0 {
		window = 60
	}
	win := int64(math.Ceil(window * fs))
	// The dashboard's view: its history and recent signal (float32).
	view := 4*int64(HistoryPoints) + 4*int64(math.Ceil(RecentSeconds*fs))
	return 2*8*win + int64(cfg.Queue)*8*int64(cfg.Limits.withDefaults().MaxSamples) + view + 64<<10
}
