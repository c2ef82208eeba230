package stream_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"strconv"
	"strings"
	"time"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/synth"
)

// text renders 40 s of a synthetic ECG at 250 Hz as one value (mV) per
// line, as a device or `ecg simulate` sends it.
func text(rhythm string) string {
	rec, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: 250, Duration: 40, Seed: 1, Noise: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	var b strings.Builder
	for _, v := range rec.MV {
		b.WriteString(strconv.FormatFloat(v, 'f', 3, 64))
		b.WriteByte('\n')
	}
	return b.String()
}

// A stream over any reader: heart rate and quality in 20 s windows every
// 10 s, and a status event at the end. A zero wall clock leaves "wall" out
// of the events.
func ExampleRun() {
	cfg := stream.Config{
		Fs: 250, Window: 20, Hop: 10,
		Now: func() time.Time { return time.Time{} },
		Emit: func(e stream.Event) {
			if e.Type == stream.EventWindow || e.Type == stream.EventStatus && e.Body.(*stream.StatusBody).Input == "end" {
				b, _ := json.Marshal(e)
				fmt.Println(string(b))
			}
		},
	}
	s, err := stream.New(stream.InputOptions{}, cfg)
	if err != nil {
		log.Fatal(err)
	}
	if err := stream.Run(context.Background(), strings.NewReader(text(synth.Normal)), s, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {"type":"window","sample":5000,"t":20,"start":0,"end":5000,"hr":72.63,"beats":24,"noisy_beats":0,"quality":"ok"}
	// {"type":"window","sample":7500,"t":30,"start":2500,"end":7500,"hr":73.05,"beats":24,"noisy_beats":0,"quality":"ok"}
	// {"type":"window","sample":10000,"t":40,"start":5000,"end":10000,"hr":71.13,"beats":24,"noisy_beats":0,"quality":"ok"}
	// {"type":"status","sample":10000,"t":40,"quality":"ok","input":"end","samples":10000,"fs":250,"malformed":0,"too_long":0,"partial":0,"header":0}
}

// alwaysAF is a stand-in for a model from ecg train (a *classify.Model):
// it scores every window AF 0.9, N 0.1.
type alwaysAF struct{}

func (alwaysAF) PredictSignal(x []float64, fs float64) (classify.Prediction, error) {
	return classify.Prediction{Label: "AF", Confidence: 0.9, Confident: true,
		Scores: []classify.LabelScore{{Label: "AF", Score: 0.9}, {Label: "N", Score: 0.1}}}, nil
}

// Alerts: a label outside Config.Normal that scores at least
// AlertThreshold in AlertWindows consecutive windows raises an alert.
func ExampleConfig_alerts() {
	cfg := stream.Config{
		Fs: 250, Window: 20, Hop: 10, Model: alwaysAF{},
		Normal: []string{"N"}, AlertThreshold: 0.8, AlertWindows: 2,
		Now: func() time.Time { return time.Time{} },
		Emit: func(e stream.Event) {
			switch b := e.Body.(type) {
			case *stream.WindowBody:
				fmt.Printf("%.0f s: window %s %.2f\n", e.T, b.Label, b.Confidence)
			case *stream.AlertBody:
				fmt.Printf("%.0f s: alert %s %s after %d windows\n", e.T, b.State, b.Label, b.Windows)
			}
		},
	}
	s, err := stream.New(stream.InputOptions{}, cfg)
	if err != nil {
		log.Fatal(err)
	}
	if err := stream.Run(context.Background(), strings.NewReader(text(synth.AFib)), s, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 20 s: window AF 0.90
	// 30 s: window AF 0.90
	// 30 s: alert raised AF after 2 windows
	// 40 s: window AF 0.90
}

// An input that comes and goes (a serial port, a socket) is opened again
// with backoff; the stream says when it was lost and drops the first,
// possibly partial, line after it comes back. Here the device sends 20 s,
// goes away once, sends 20 s more, and the run is then stopped.
func ExampleRunReconnecting() {
	signal := text(synth.Normal)
	half := strings.Index(signal[len(signal)/2:], "\n") + len(signal)/2 + 1
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	opens := 0
	rc := stream.Reconnect{
		Name: "device",
		Open: func(context.Context) (io.ReadCloser, error) {
			opens++
			switch opens {
			case 1:
				return io.NopCloser(strings.NewReader(signal[:half])), nil
			case 2:
				return nil, errors.New("no such device")
			case 3:
				// A partial line first, as after a reconnection.
				return io.NopCloser(strings.NewReader("0.0" + signal[half:])), nil
			}
			stop()
			return nil, errors.New("stopped")
		},
		MinBackoff: time.Millisecond,
		OnEvent: func(e stream.ReconnectEvent) {
			if opens < 4 {
				fmt.Println("reconnect:", e.Err)
			}
		},
	}
	cfg := stream.Config{
		Fs: 250, Window: 20, Hop: 20,
		Now: func() time.Time { return time.Time{} },
		Emit: func(e stream.Event) {
			switch b := e.Body.(type) {
			case *stream.WindowBody:
				fmt.Printf("%.0f s: window of %d beats\n", e.T, b.Beats)
			case *stream.StatusBody:
				if b.Input != "" {
					fmt.Printf("%.0f s: input %s, %d partial lines\n", e.T, b.Input, b.Partial)
				}
			}
		},
	}
	s, err := stream.New(stream.InputOptions{}, cfg)
	if err != nil {
		log.Fatal(err)
	}
	if err := stream.RunReconnecting(ctx, rc, s, nil); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 20 s: window of 24 beats
	// 20 s: input disconnected, 0 partial lines
	// reconnect: device closed
	// reconnect: no such device
	// 20 s: input connected, 0 partial lines
	// 40 s: input disconnected, 1 partial lines
	// reconnect: device closed
	// 40 s: window of 24 beats
	// 40 s: input end, 1 partial lines
}
