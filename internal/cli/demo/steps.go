package demo

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/ecgkit/ecg/internal/demodata"
)

// The steps of the tour, in order.

// records writes the embedded MIT-BIH excerpts and checks them (step 1).
func (d *tour) records() error {
	p := d.path
	d.say("== 1. Real ECG: excerpts of the MIT-BIH Arrhythmia Database (PhysioNet, ODC-BY 1.0)")
	if _, err := demodata.Extract(p("data", "mitdb")); err != nil {
		return err
	}
	d.say("wrote %s (records %s)", p("data", "mitdb"), strings.Join(demodata.Records(), ", "))
	return d.showAll(
		[]string{"ingest", p("data", "mitdb")},
		[]string{"info", p("data", "mitdb", "201")},
		[]string{"export", p("data", "mitdb", "100"), "--from", "0", "--to", "s5", "--physical", "--header"},
	)
}

// beats detects beats and scores them against the reference (step 2).
func (d *tour) beats() error {
	p := d.path
	d.say("\n== 2. Heartbeats, scored beat by beat against the cardiologists' annotations (EC57 rules)")
	d.say("(the excerpts are at most 5 minutes long, so scoring starts at 0 s instead of bxb's 5:00)")
	return d.showAll(
		[]string{"beats", p("data", "mitdb"), "--compare", "atr", "--skip", "0"},
		[]string{"beats", p("data", "mitdb", "100"), "--summary"},
	)
}

// spectrograms renders strides and a rhythm archive (step 3).
func (d *tour) spectrograms() error {
	p := d.path
	d.say("\n== 3. Spectrograms: one-minute strides, and a rhythm archive (one folder per label)")
	return d.showAll(
		[]string{"spectro", p("data", "mitdb", "100"), "--out", p("spectrograms"), "--figure", "--signals", "MLII"},
		[]string{"spectro", p("data", "mitdb"), "--out", p("archive"), "--label", "rhythm"},
	)
}

// trainEval simulates patients, trains on some and evaluates on the others
// (step 4); only the first simulation is shown.
func (d *tour) trainEval() error {
	p := d.path
	d.say("\n== 4. Train and evaluate on simulated rhythms, split by patient")
	rhythms := []string{"normal", "afib", "brady", "tachy", "pvc"}
	nTrain := d.o.Patients * 3 / 4
	for i := 1; i <= d.o.Patients; i++ {
		set := "train"
		if i > nTrain {
			set = "test"
		}
		for j, r := range rhythms {
			name := fmt.Sprintf("p%02d_%s", i, r)
			args := []string{"simulate", "--rhythm", r, "--duration", "60s", "--seed", fmt.Sprint(i*100 + j),
				"--noise", "0.03", "--out", p("sim", set, r, name)}
			if i > 1 || j > 0 {
				if err := d.quiet(args...); err != nil {
					return err
				}
				continue
			}
			if _, err := d.show(nil, nil, args...); err != nil {
				return err
			}
			d.say("  ... and so on: %d patients x %d rhythms, one minute each (patients 1-%d train, %d-%d test)",
				d.o.Patients, len(rhythms), nTrain, nTrain+1, d.o.Patients)
		}
	}
	model := p("rhythm.model")
	return d.showAll(
		[]string{"train", p("sim", "train"), "--test", p("sim", "test"), "--out", model, "--seed", "1", "--trees", "60"},
		[]string{"eval", model, p("sim", "test"), "--plots", p("plots")},
	)
}

// streams pipes simulated AF and sinus rhythm through the model and counts
// the alerts (steps 5 and 6).
func (d *tour) streams() error {
	for i, rhythm := range []string{"afib", "normal"} {
		d.say("\n== %d. A live stream: ten minutes of simulated %s (a patient the model never saw) piped into ecg stream", 5+i, rhythm)
		d.say("(window events every 10 s, alerts when a label other than normal stays above 0.8 for 3 windows; hr events once a second not shown)")
		sim, err := d.show(nil, func(string) bool { return false }, "simulate", "--rhythm", rhythm, "--duration", "10m", "--seed", "999", "--fs", "360")
		if err != nil {
			return err
		}
		d.say("  (%d samples, one per line, piped into the next command)", bytes.Count(sim, []byte("\n")))
		events, err := d.show(sim, func(l string) bool { return !strings.Contains(l, `"type":"hr"`) },
			"stream", "--fs", "360", "--model", d.path("rhythm.model"), "--window", "60s", "--hop", "10s", "--normal", "normal")
		if err != nil {
			return err
		}
		alerts := 0
		for _, l := range strings.Split(string(events), "\n") {
			if strings.Contains(l, `"type":"alert"`) && strings.Contains(l, `"raised"`) {
				alerts++
				if alerts == 1 {
					d.say("first alert: %s", l)
				}
			}
		}
		d.say("%d alert(s) raised for simulated %s", alerts, rhythm)
	}
	return nil
}
