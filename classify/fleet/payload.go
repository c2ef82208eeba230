package fleet

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/ecgkit/ecg/classify/stream"
)

// Message is one decoded message of a device: a run of consecutive ECG
// samples with what came with them.
type Message struct {
	// Device is the device id (checked by ValidDevice).
	Device string
	// ECG holds the samples, in the input units (mV unless the hub's
	// InputOptions say otherwise).
	ECG []float64
	// PPG holds photoplethysmogram samples when the message had them.
	PPG []float64
	// BPM is the heart rate the device reported, NaN when absent.
	BPM float64
	// Fs is the sampling rate the message gave, 0 when absent.
	Fs float64
	// TS is the timestamp of the first sample (units as sent: s, ms or
	// us), valid when HasTS; TSLast that of the last sample, valid when
	// HasTSLast (CSV bodies with a time column).
	TS, TSLast       float64
	HasTS, HasTSLast bool
}

// Limits bound what a message may hold.
type Limits struct {
	// MaxBytes is the largest message in bytes (0: DefaultMaxBytes).
	MaxBytes int
	// MaxSamples is the most ECG samples one message may carry (0:
	// DefaultMaxSamples).
	MaxSamples int
}

// Defaults of Limits.
const (
	DefaultMaxBytes   = 64 << 10
	DefaultMaxSamples = 4096
)

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxSamples <= 0 {
		l.MaxSamples = DefaultMaxSamples
	}
	return l
}

// Reasons a message is rejected, as errors (wrapped) and as the reason
// label of the rejected-messages metric.
var (
	ErrTooLarge   = errors.New("too_large")
	ErrMalformed  = errors.New("malformed")
	ErrBadDevice  = errors.New("bad_device")
	ErrDevicesCap = errors.New("devices_full")
	ErrQueueFull  = errors.New("queue_full")
	ErrRate       = errors.New("rate_limited")
	ErrMemory     = errors.New("memory_cap")
	ErrNoRate     = errors.New("no_rate")
	ErrShard      = errors.New("other_shard")
)

// Reason returns the metric label of a rejection error: the name of the
// Err* it wraps, "other" for any other error.
func Reason(err error) string {
	for _, e := range []error{ErrTooLarge, ErrMalformed, ErrBadDevice, ErrDevicesCap, ErrQueueFull, ErrRate, ErrMemory, ErrNoRate, ErrShard} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return "other"
}

// MaxDeviceLen is the longest device id.
const MaxDeviceLen = 64

// ValidDevice reports whether id may name a device: 1 to MaxDeviceLen
// ASCII letters, digits, '_', '-' and '.', not starting with '.' or '-'.
// Such an id is safe as a file name, an MQTT topic level and a metric
// label.
func ValidDevice(id string) bool {
	if len(id) == 0 || len(id) > MaxDeviceLen || id[0] == '.' || id[0] == '-' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// wire is a message as sent: numbers or arrays, a timestamp as a number
// or an RFC 3339 string.
type wire struct {
	DeviceID  *string         `json:"device_id"`
	ECG       json.RawMessage `json:"ecg"`
	PPG       json.RawMessage `json:"ppg"`
	BPM       *float64        `json:"bpm"`
	Fs        *float64        `json:"fs"`
	TS        json.RawMessage `json:"ts"`
	Timestamp json.RawMessage `json:"timestamp"`
}

// DecodeMessage decodes one JSON message: an object with "ecg" (a number
// or an array of numbers: consecutive samples), optional "device_id"
// (default: topicDevice, the last level of the MQTT topic or the device of
// the URL), "fs" (Hz), "ts" or "timestamp" (of the first sample: a number
// in s, ms or us, or an RFC 3339 string), "ppg" and "bpm". Errors wrap
// ErrTooLarge, ErrMalformed or ErrBadDevice.
func DecodeMessage(topicDevice string, b []byte, lim Limits) (Message, error) {
	lim = lim.withDefaults()
	m := Message{BPM: math.NaN()}
	if len(b) > lim.MaxBytes {
		return m, fmt.Errorf("%w: %d bytes (at most %d)", ErrTooLarge, len(b), lim.MaxBytes)
	}
	var w wire
	if err := json.Unmarshal(b, &w); err != nil {
		return m, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	m.Device = topicDevice
	if w.DeviceID != nil {
		m.Device = *w.DeviceID
	}
	if !ValidDevice(m.Device) {
		return m, fmt.Errorf("%w: device id %q (want 1-%d of A-Z a-z 0-9 _ - .)", ErrBadDevice, truncate(m.Device), MaxDeviceLen)
	}
	var err error
	if m.ECG, err = numbers(w.ECG, lim.MaxSamples); err != nil {
		return m, fmt.Errorf("%w: ecg: %v", ErrMalformed, err)
	}
	if len(m.ECG) == 0 {
		return m, fmt.Errorf("%w: no ecg samples", ErrMalformed)
	}
	if len(w.PPG) > 0 {
		if m.PPG, err = numbers(w.PPG, lim.MaxSamples); err != nil {
			return m, fmt.Errorf("%w: ppg: %v", ErrMalformed, err)
		}
	}
	if w.BPM != nil {
		m.BPM = *w.BPM
	}
	if w.Fs != nil {
		if !(*w.Fs > 0) || math.IsInf(*w.Fs, 0) {
			return m, fmt.Errorf("%w: fs %g", ErrMalformed, *w.Fs)
		}
		m.Fs = *w.Fs
	}
	ts := w.TS
	if len(ts) == 0 {
		ts = w.Timestamp
	}
	if len(ts) > 0 && string(ts) != "null" {
		if m.TS, err = timestamp(ts); err != nil {
			return m, fmt.Errorf("%w: timestamp: %v", ErrMalformed, err)
		}
		m.HasTS = true
	}
	return m, nil
}

func truncate(s string) string {
	if len(s) > MaxDeviceLen+8 {
		return s[:MaxDeviceLen+8] + "..."
	}
	return s
}

// numbers decodes a number or an array of at most max finite numbers.
func numbers(raw json.RawMessage, max int) ([]float64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] != '[' {
		var v float64
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		return []float64{v}, nil
	}
	// Count before decoding: the allocation is bounded by max.
	if n := bytes.Count(raw, []byte{','}) + 1; n > max+1 {
		return nil, fmt.Errorf("more than %d samples", max)
	}
	var v []float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, err
	}
	if len(v) > max {
		return nil, fmt.Errorf("%d samples (at most %d)", len(v), max)
	}
	return v, nil
}

// timestamp decodes a number (units as sent) or an RFC 3339 string (in
// seconds since 1970).
func timestamp(raw json.RawMessage) (float64, error) {
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return 0, err
		}
		return float64(t.UnixNano()) / 1e9, nil
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, err
	}
	return v, nil
}

// DecodeBody decodes the body of a POST /ingest/{device}: JSON lines (one
// message per line, as DecodeMessage reads them; device_id, when given,
// must be device) or CSV/text (one sample per line, or "time,value"; a
// first line that is not numeric is a header). A body whose first
// non-blank byte is '{' is JSON lines. Bad lines are skipped and counted in
// bad; the error is for a body that cannot be read at all (too large, no
// samples).
func DecodeBody(device string, body []byte, lim Limits) (msgs []Message, bad int, err error) {
	lim = lim.withDefaults()
	if !ValidDevice(device) {
		return nil, 0, fmt.Errorf("%w: device id %q", ErrBadDevice, truncate(device))
	}
	t := bytes.TrimLeft(body, " \t\r\n")
	if len(t) > 0 && t[0] == '{' {
		for line := range bytes.Lines(body) {
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			m, err := DecodeMessage(device, line, lim)
			if err == nil && m.Device != device {
				err = fmt.Errorf("%w: device_id %q in the body of device %q", ErrBadDevice, m.Device, device)
			}
			if err != nil {
				bad++
				continue
			}
			msgs = append(msgs, m)
		}
		return msgs, bad, nil
	}
	m, bad, err := decodeCSV(device, body, lim)
	if err != nil {
		return nil, bad, err
	}
	return []Message{m}, bad, nil
}

// decodeCSV reads one value per line, or time and value separated by a
// comma, semicolon, tab or blanks (stream.ParseColumns, the line parser
// of `ecg stream`'s text input).
func decodeCSV(device string, body []byte, lim Limits) (Message, int, error) {
	m := Message{Device: device, BPM: math.NaN()}
	bad, first := 0, true
	var vals []float64
	for line := range bytes.Lines(body) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var ok bool
		vals, ok = stream.ParseColumns(vals, line)
		wasFirst := first
		first = false
		switch {
		case ok && len(vals) == 1:
			m.ECG = append(m.ECG, vals[0])
		case ok && len(vals) == 2:
			if !m.HasTS {
				m.TS, m.HasTS = vals[0], true
			}
			m.TSLast, m.HasTSLast = vals[0], true
			m.ECG = append(m.ECG, vals[1])
		case !wasFirst:
			bad++
		}
		if len(m.ECG) > lim.MaxSamples {
			return m, bad, fmt.Errorf("%w: more than %d samples", ErrTooLarge, lim.MaxSamples)
		}
	}
	if len(m.ECG) == 0 {
		return m, bad, fmt.Errorf("%w: no samples", ErrMalformed)
	}
	m.HasTSLast = m.HasTSLast && len(m.ECG) > 1
	return m, bad, nil
}
