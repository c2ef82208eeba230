package stream

import (
	"bufio"
	"encoding/json"
	"io"
	"time"
)

// Event types.
const (
	EventBeat   = "beat"
	EventHR     = "hr"
	EventWindow = "window"
	EventAlert  = "alert"
	EventStatus = "status"
)

// Event is one output event. It is written as one JSON object per line:
// the members type, sample (the sample the event refers to, counted from
// 0 at the first sample of the stream), t (that sample's time in seconds,
// sample/fs) and wall (the wall-clock time the event was made, RFC 3339
// UTC), followed by the members of Body.
type Event struct {
	Type   string
	Sample int64
	T      float64
	Wall   time.Time
	// Body is a *BeatBody, *HRBody, *WindowBody, *AlertBody or *StatusBody.
	Body any
}

// BeatBody is the body of a beat event (Sample is the beat's R peak).
type BeatBody struct {
	// RR is the interval from the previous beat in seconds, absent for
	// the first beat.
	RR *float64 `json:"rr,omitempty"`
	// Noisy marks a beat that did not stand out of the signal around it
	// (beats.Beat.Noisy): it may be noise, or placed by the rhythm.
	Noisy bool `json:"noisy,omitempty"`
}

// HRBody is the body of an hr event, made once a second of signal.
type HRBody struct {
	// HR is the heart rate in beats per minute from the median of the
	// last (up to 8) RR intervals between clean beats (not noisy), null
	// when no such interval ended lately (no beat, or only noisy ones).
	HR *float64 `json:"hr"`
	// Beats is the number of beats found so far.
	Beats int64 `json:"beats"`
}

// WindowBody is the body of a window event; Sample is End.
type WindowBody struct {
	Start int64 `json:"start"` // first sample of the window
	End   int64 `json:"end"`   // one past its last sample
	// Label, Confidence, Confident and Scores are the model's prediction
	// (absent without a model).
	Label      string             `json:"label,omitempty"`
	Confidence float64            `json:"confidence,omitempty"`
	Confident  bool               `json:"confident,omitempty"`
	Scores     map[string]float64 `json:"scores,omitempty"`
	// Error says why the window could not be scored.
	Error string `json:"error,omitempty"`
	// HR is the mean heart rate (bpm) over the intervals between
	// consecutive clean beats of the window (null when there is none),
	// Beats the number of beats, NoisyBeats how many of them are noisy.
	HR         *float64 `json:"hr"`
	Beats      int      `json:"beats"`
	NoisyBeats int      `json:"noisy_beats"`
	// Quality is the worst signal quality seen in the window.
	Quality string `json:"quality"`
	// Inconclusive marks a window whose prediction does not count for
	// alerts: more than Config.MaxNoisy of its beats noisy, fewer than two
	// beats, a flat or lead-off second, or a label of Config.NoiseLabels.
	Inconclusive bool `json:"inconclusive,omitempty"`
	// Final marks the window scored at the end of the stream (shorter than
	// a hop after the previous one, or shorter than the window).
	Final bool `json:"final,omitempty"`
}

// AlertBody is the body of an alert event; Sample is the end of the window
// that raised or cleared it.
type AlertBody struct {
	State      string  `json:"state"` // "raised" or "cleared"
	Label      string  `json:"label"`
	Confidence float64 `json:"confidence"` // the label's score in this window
	Windows    int     `json:"windows"`    // consecutive windows at or above the threshold
	Since      int64   `json:"since"`      // first sample of the first of them
}

// StatusBody is the body of a status event: signal quality and input
// counters, made when one of them changes (at most once a second of
// signal), when the input connects or disconnects, and at the end.
type StatusBody struct {
	// Quality is "ok", "flat" (no activity, or only held samples),
	// "lead_off" (the signal sits beyond the ECG range), "noise", or
	// "none" before a whole second of signal was rated (no good line at
	// all, for instance).
	Quality string `json:"quality"`
	// Input is "connected" or "disconnected" on such changes, "end" at
	// the end of the stream.
	Input string `json:"input,omitempty"`
	// Samples decoded so far.
	Samples int64 `json:"samples"`
	// Fs is the sampling rate in Hz.
	Fs float64 `json:"fs"`
	// Malformed, TooLong, Partial and Header count the input lines that
	// were not samples (see the Problem constants).
	Malformed int64 `json:"malformed"`
	TooLong   int64 `json:"too_long"`
	Partial   int64 `json:"partial"`
	Header    int64 `json:"header"`
	// Held counts the samples that hold the place of a malformed or
	// over-long line (the last good value repeated, ProblemHeld), so that
	// the sample clock stays true.
	Held int64 `json:"held,omitempty"`
	// AlertsDropped counts alerts not passed to --alert-exec because its
	// queue was full.
	AlertsDropped int64 `json:"alerts_dropped,omitempty"`
	// AlertsFailed counts --alert-exec commands that failed (exit status,
	// timeout); each is described on stderr.
	AlertsFailed int64 `json:"alerts_failed,omitempty"`
}

type eventHead struct {
	Type   string  `json:"type"`
	Sample int64   `json:"sample"`
	T      float64 `json:"t"`
	Wall   string  `json:"wall,omitempty"`
}

// MarshalJSON writes the head members followed by the body's.
func (e Event) MarshalJSON() ([]byte, error) {
	h := eventHead{Type: e.Type, Sample: e.Sample, T: e.T}
	if !e.Wall.IsZero() {
		h.Wall = e.Wall.UTC().Format(time.RFC3339Nano)
	}
	head, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if e.Body == nil {
		return head, nil
	}
	body, err := json.Marshal(e.Body)
	if err != nil {
		return nil, err
	}
	if len(body) <= 2 {
		return head, nil
	}
	out := append(head[:len(head)-1], ',')
	return append(out, body[1:]...), nil
}

// JSONWriter writes events as JSON lines through a buffer; Flush sends
// them on.
type JSONWriter struct {
	w   *bufio.Writer
	err error
}

// NewJSONWriter returns a JSONWriter on w.
func NewJSONWriter(w io.Writer) *JSONWriter { return &JSONWriter{w: bufio.NewWriterSize(w, 64<<10)} }

// Write writes e as one line. The first error sticks and is returned by
// Flush.
func (j *JSONWriter) Write(e Event) {
	if j.err != nil {
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		j.err = err
		return
	}
	b = append(b, '\n')
	_, j.err = j.w.Write(b)
}

// Flush writes buffered events out.
func (j *JSONWriter) Flush() error {
	if j.err != nil {
		return j.err
	}
	j.err = j.w.Flush()
	return j.err
}
