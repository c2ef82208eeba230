package fleet_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/ecgkit/ecg/classify/fleet"
	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/synth"
)

// A message as a wearable publishes it, decoded: the device from
// device_id (the topic's last level otherwise), samples, rate, timestamp.
func ExampleDecodeMessage() {
	m, err := fleet.DecodeMessage("w0", []byte(`{"device_id":"w17","ts":1718000000.04,"fs":250,"ecg":[0.12,0.15,0.31],"bpm":71}`), fleet.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Device, m.ECG, m.Fs, m.TS, m.BPM)
	_, err = fleet.DecodeMessage("../x", []byte(`{"ecg":1}`), fleet.Limits{})
	fmt.Println(fleet.Reason(err))
	// Output:
	// w17 [0.12 0.15 0.31] 250 1.71800000004e+09 71
	// bad_device
}

// Two devices scored by a hub, heart rate and quality only (no model): the
// window events of w1, with its id. Events of different devices come from
// different goroutines; each device's come in order.
func ExampleHub() {
	done := make(chan struct{})
	var lines []string
	events := make(chan string, 64)
	go func() {
		for l := range events {
			lines = append(lines, l)
		}
		close(done)
	}()
	h, err := fleet.New(fleet.Config{
		Score:      stream.Config{Window: 20, Hop: 10, Now: func() time.Time { return time.Time{} }},
		RateFactor: 100, // faster than real time
		Emit: func(device string, e stream.Event) {
			if e.Type == stream.EventWindow && device == "w1" {
				b, _ := json.Marshal(e)
				events <- string(b)
			}
		},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	for k, id := range []string{"w1", "w2"} {
		rec, _ := synth.Generate(synth.Options{Fs: 250, Duration: 30, Seed: int64(k + 1)})
		for i := 0; i < len(rec.MV); i += 25 {
			m := fleet.Message{Device: id, ECG: rec.MV[i : i+25], Fs: 250}
			// A full queue refuses a message (a live device's is
			// dropped and counted); a replay waits instead.
			for errors.Is(h.Ingest(m, time.Now()), fleet.ErrQueueFull) {
				time.Sleep(time.Millisecond)
			}
		}
	}
	h.Close()
	close(events)
	<-done
	for _, l := range lines {
		fmt.Println(l)
	}
	// Output:
	// {"type":"window","sample":5000,"t":20,"device":"w1","start":0,"end":5000,"hr":72.63,"beats":24,"noisy_beats":0,"quality":"ok"}
	// {"type":"window","sample":7500,"t":30,"device":"w1","start":2500,"end":7500,"hr":73.05,"beats":24,"noisy_beats":0,"quality":"ok"}
}
