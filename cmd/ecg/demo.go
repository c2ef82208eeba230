package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/internal/atomicfile"
	"github.com/ecgkit/ecg/internal/demodata"
	"github.com/spf13/cobra"
)

func init() { register(newDemoCmd) }

type demoOptions struct {
	out      string
	patients int
	lines    int
}

func newDemoCmd(a *app) *cobra.Command {
	o := demoOptions{}
	cmd := &cobra.Command{
		Use:     "demo",
		Short:   "Run the whole path on embedded data: ingest, beats, spectrograms, train, eval, stream",
		Long:    helpText("demo"),
		Example: helpExamples("demo"),
		Args:    argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.patients < 4 {
				return usagef("--patients must be at least 4 (some train, some test)")
			}
			return runDemo(cmd, a, o)
		},
	}
	cmd.Flags().StringVar(&o.out, "out", "ecg-demo", "directory for the demo's data, images, model and reports")
	cmd.Flags().IntVar(&o.patients, "patients", 12, "synthetic patients per rhythm (three quarters train, the rest test)")
	cmd.Flags().IntVar(&o.lines, "lines", 12, "lines of each command's output to show")
	return cmd
}

// demo runs ecg commands in-process, echoing them and their output.
type demo struct {
	cmd  *cobra.Command
	a    *app
	o    demoOptions
	logs string
	n    int
}

func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.a.io.Out, format+"\n", args...)
}

// run runs one ecg command line with stdin in and returns its stdout.
// A failing step stops the demo with an error naming it.
func (d *demo) run(stdin []byte, args ...string) ([]byte, error) {
	return d.runShow(stdin, nil, args...)
}

// runShow is run, showing only the output lines that show accepts (all
// when show is nil).
func (d *demo) runShow(stdin []byte, show func(line string) bool, args ...string) ([]byte, error) {
	d.n++
	shown := make([]string, len(args))
	for i, s := range args {
		if strings.ContainsAny(s, " \t") {
			s = "'" + s + "'"
		}
		shown[i] = s
	}
	line := "ecg " + strings.Join(shown, " ")
	d.say("\n$ %s", line)
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: bytes.NewReader(stdin), Out: &out, ErrOut: &errOut, Environ: d.a.io.Environ}
	full := append([]string{"--quiet"}, args...)
	code := Run(d.cmd.Context(), full, streams)
	log := filepath.Join(d.logs, fmt.Sprintf("%02d-%s.txt", d.n, args[0]))
	werr := atomicfile.WriteFile(log, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "$ %s\n%s%s", line, out.Bytes(), errOut.Bytes())
		return err
	})
	if code != ExitOK {
		return nil, fmt.Errorf("demo step %q failed with exit code %d:\n%s", line, code, strings.TrimSpace(errOut.String()))
	}
	if werr != nil {
		return nil, werr
	}
	var lines []string
	for _, l := range strings.SplitAfter(out.String(), "\n") {
		if l != "" && (show == nil || show(l)) {
			lines = append(lines, l)
		}
	}
	for i, l := range lines {
		if i == d.o.lines {
			d.say("  ... (%d more lines in %s)", len(lines)-i, log)
			break
		}
		fmt.Fprint(d.a.io.Out, "  "+l)
		if !strings.HasSuffix(l, "\n") {
			fmt.Fprintln(d.a.io.Out)
		}
	}
	return out.Bytes(), nil
}

func runDemo(cmd *cobra.Command, a *app, o demoOptions) error {
	d := &demo{cmd: cmd, a: a, o: o, logs: filepath.Join(o.out, "logs")}
	if err := os.MkdirAll(d.logs, 0o755); err != nil {
		return err
	}
	for _, step := range []func() error{d.records, d.beats, d.spectrograms, d.trainEval, d.streams} {
		if err := step(); err != nil {
			return err
		}
	}
	d.say("\n== Done. Outputs in %s:", o.out)
	for _, s := range []string{"data/mitdb (records)", "spectrograms (PNG per stride, figures for people)", "archive (label folders + manifest.csv)", "sim (simulated label folders)", "rhythm.model", "plots (confusion matrix, precision-recall)", "logs (full output of every step)"} {
		d.say("  %s", s)
	}
	return nil
}

// path joins elem under the demo's --out folder.
func (d *demo) path(elem ...string) string {
	return filepath.Join(append([]string{d.o.out}, elem...)...)
}

// runAll runs command lines one after the other, stopping at a failure.
func (d *demo) runAll(steps ...[]string) error {
	for _, s := range steps {
		if _, err := d.run(nil, s...); err != nil {
			return err
		}
	}
	return nil
}

// records writes the embedded MIT-BIH excerpts and checks them (step 1).
func (d *demo) records() error {
	p := d.path
	d.say("== 1. Real ECG: excerpts of the MIT-BIH Arrhythmia Database (PhysioNet, ODC-BY 1.0)")
	if _, err := demodata.Extract(p("data", "mitdb")); err != nil {
		return err
	}
	d.say("wrote %s (records %s)", p("data", "mitdb"), strings.Join(demodata.Records(), ", "))
	return d.runAll(
		[]string{"ingest", p("data", "mitdb")},
		[]string{"info", p("data", "mitdb", "201")},
		[]string{"export", p("data", "mitdb", "100"), "--from", "0", "--to", "s5", "--physical", "--header"},
	)
}

// beats detects beats and scores them against the reference (step 2).
func (d *demo) beats() error {
	p := d.path
	d.say("\n== 2. Heartbeats, scored beat by beat against the cardiologists' annotations (EC57 rules)")
	d.say("(the excerpts are at most 5 minutes long, so scoring starts at 0 s instead of bxb's 5:00)")
	return d.runAll(
		[]string{"beats", p("data", "mitdb"), "--compare", "atr", "--skip", "0"},
		[]string{"beats", p("data", "mitdb", "100"), "--summary"},
	)
}

// spectrograms renders strides and a rhythm archive (step 3).
func (d *demo) spectrograms() error {
	p := d.path
	d.say("\n== 3. Spectrograms: one-minute strides, and a rhythm archive (one folder per label)")
	return d.runAll(
		[]string{"spectro", p("data", "mitdb", "100"), "--out", p("spectrograms"), "--figure", "--signals", "MLII"},
		[]string{"spectro", p("data", "mitdb"), "--out", p("archive"), "--label", "rhythm"},
	)
}

// trainEval simulates patients, trains on some and evaluates on the others
// (step 4).
func (d *demo) trainEval() error {
	p := d.path
	d.say("\n== 4. Train and evaluate on simulated rhythms, split by patient")
	rhythms := []string{"normal", "afib", "brady", "tachy", "pvc"}
	nTrain := d.o.patients * 3 / 4
	for i := 1; i <= d.o.patients; i++ {
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
			if _, err := d.run(nil, args...); err != nil {
				return err
			}
			d.say("  ... and so on: %d patients x %d rhythms, one minute each (patients 1-%d train, %d-%d test)",
				d.o.patients, len(rhythms), nTrain, nTrain+1, d.o.patients)
		}
	}
	model := p("rhythm.model")
	return d.runAll(
		[]string{"train", p("sim", "train"), "--test", p("sim", "test"), "--out", model, "--seed", "1", "--trees", "60"},
		[]string{"eval", model, p("sim", "test"), "--plots", p("plots")},
	)
}

// streams pipes simulated AF and sinus rhythm through the model and counts
// the alerts (steps 5 and 6).
func (d *demo) streams() error {
	for i, rhythm := range []string{"afib", "normal"} {
		d.say("\n== %d. A live stream: ten minutes of simulated %s (a patient the model never saw) piped into ecg stream", 5+i, rhythm)
		d.say("(window events every 10 s, alerts when a label other than normal stays above 0.8 for 3 windows; hr events once a second not shown)")
		sim, err := d.runShow(nil, func(string) bool { return false }, "simulate", "--rhythm", rhythm, "--duration", "10m", "--seed", "999", "--fs", "360")
		if err != nil {
			return err
		}
		d.say("  (%d samples, one per line, piped into the next command)", bytes.Count(sim, []byte("\n")))
		events, err := d.runShow(sim, func(l string) bool { return !strings.Contains(l, `"type":"hr"`) },
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

// quiet runs one ecg command line without echoing it.
func (d *demo) quiet(args ...string) error {
	var out, errOut bytes.Buffer
	streams := &IOStreams{In: bytes.NewReader(nil), Out: &out, ErrOut: &errOut, Environ: d.a.io.Environ}
	if code := Run(d.cmd.Context(), append([]string{"--quiet"}, args...), streams); code != ExitOK {
		return fmt.Errorf("demo step %q failed with exit code %d:\n%s", "ecg "+strings.Join(args, " "), code, strings.TrimSpace(errOut.String()))
	}
	return nil
}
