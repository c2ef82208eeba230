package demo

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ecgkit/ecg/internal/atomicfile"
)

// Runner runs one ecg command line (args, without the program name) with
// stdin and returns its stdout, stderr and exit code.
type Runner func(ctx context.Context, args []string, stdin []byte) (stdout, stderr []byte, code int)

// Options are the tour's settings.
type Options struct {
	// Out is the folder for the tour's data, images, model, reports and
	// logs.
	Out string
	// Patients is the number of simulated patients per rhythm (three
	// quarters train, the rest test); at least 4.
	Patients int
	// Lines is how many lines of each command's output are shown.
	Lines int
}

// tour runs ecg command lines, echoing them and their output.
type tour struct {
	ctx  context.Context
	w    io.Writer
	run  Runner
	o    Options
	logs string
	n    int
}

// Run runs the tour, writing what it does on w. A failing step stops it
// with an error naming the step.
func Run(ctx context.Context, w io.Writer, run Runner, o Options) error {
	d := &tour{ctx: ctx, w: w, run: run, o: o, logs: filepath.Join(o.Out, "logs")}
	if err := os.MkdirAll(d.logs, 0o755); err != nil {
		return err
	}
	for _, step := range []func() error{d.records, d.beats, d.spectrograms, d.trainEval, d.streams} {
		if err := step(); err != nil {
			return err
		}
	}
	d.say("\n== Done. Outputs in %s:", o.Out)
	for _, s := range []string{"data/mitdb (records)", "spectrograms (PNG per stride, figures for people)", "archive (label folders + manifest.csv)", "sim (simulated label folders)", "rhythm.model", "plots (confusion matrix, precision-recall)", "logs (full output of every step)"} {
		d.say("  %s", s)
	}
	return nil
}

func (d *tour) say(format string, args ...any) {
	fmt.Fprintf(d.w, format+"\n", args...)
}

// failed is the error of the step line that exited with code.
func failed(line string, code int, errOut []byte) error {
	return fmt.Errorf("demo step %q failed with exit code %d:\n%s", line, code, bytes.TrimSpace(errOut))
}

// quiet runs one command line without echoing or logging it.
func (d *tour) quiet(args ...string) error {
	if _, errOut, code := d.run(d.ctx, args, nil); code != 0 {
		return failed("ecg "+strings.Join(args, " "), code, errOut)
	}
	return nil
}

// quoteArgs writes args as a shell line, quoting those with blanks.
func quoteArgs(args []string) string {
	shown := make([]string, len(args))
	for i, s := range args {
		if strings.ContainsAny(s, " \t") {
			s = "'" + s + "'"
		}
		shown[i] = s
	}
	return strings.Join(shown, " ")
}

// show runs one command line with stdin, echoes it, logs its output and
// shows the output lines that keep accepts (all when keep is nil), at most
// Options.Lines of them. It returns the command's stdout.
func (d *tour) show(stdin []byte, keep func(line string) bool, args ...string) ([]byte, error) {
	d.n++
	line := "ecg " + quoteArgs(args)
	d.say("\n$ %s", line)
	out, errOut, code := d.run(d.ctx, args, stdin)
	log := filepath.Join(d.logs, fmt.Sprintf("%02d-%s.txt", d.n, args[0]))
	werr := atomicfile.WriteFile(log, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "$ %s\n%s%s", line, out, errOut)
		return err
	})
	if code != 0 {
		return nil, failed(line, code, errOut)
	}
	if werr != nil {
		return nil, werr
	}
	var lines []string
	for _, l := range strings.SplitAfter(string(out), "\n") {
		if l != "" && (keep == nil || keep(l)) {
			lines = append(lines, l)
		}
	}
	for i, l := range lines {
		if i == d.o.Lines {
			d.say("  ... (%d more lines in %s)", len(lines)-i, log)
			break
		}
		fmt.Fprint(d.w, "  "+l)
		if !strings.HasSuffix(l, "\n") {
			fmt.Fprintln(d.w)
		}
	}
	return out, nil
}

// showAll shows command lines one after the other, stopping at a failure.
func (d *tour) showAll(steps ...[]string) error {
	for _, s := range steps {
		if _, err := d.show(nil, nil, s...); err != nil {
			return err
		}
	}
	return nil
}

// path joins elem under the tour's Out folder.
func (d *tour) path(elem ...string) string {
	return filepath.Join(append([]string{d.o.Out}, elem...)...)
}
