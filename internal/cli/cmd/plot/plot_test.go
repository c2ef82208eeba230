package plot

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/cli/cmdutil"
	"github.com/ecgkit/ecg/internal/cli/iostreams"
)

const demo100 = "../../../demodata/mitdb/100"

// run runs ecg plot with args in process, as a terminal or piped.
func run(t *testing.T, tty bool, args ...string) (stderr string, err error) {
	t.Helper()
	return runEnv(t, tty, nil, args...)
}

// runEnv is run with the environment env.
func runEnv(t *testing.T, tty bool, env map[string]string, args ...string) (stderr string, err error) {
	t.Helper()
	streams, _, errOut := iostreams.Test("")
	streams.ErrTTY = tty
	streams.Environ = func(k string) string { return env[k] }
	quiet := false
	cmd := NewCmd(&cmdutil.Factory{IO: streams, Quiet: &quiet})
	cmd.SetArgs(args)
	cmd.SetOut(&bytes.Buffer{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err = cmd.Execute()
	return errOut.String(), err
}

func TestPlot(t *testing.T) {
	for _, tty := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "100.png")
		stderr, err := run(t, tty, demo100, "--from", "1:00", "--duration", "20", "--row", "10s", "--dpi", "50", "--out", out)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(stderr, "wrote "+out+" (0:20, 2 signals, 1 annotation lane)") {
			t.Errorf("stderr %q", stderr)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		// 285 mm wide at 50 dpi (561 px); two rows of lanes and traces.
		if b := img.Bounds(); b.Dx() != 561 || b.Dy() < 250 {
			t.Errorf("size %v", b)
		}
	}
}

func TestPlotFormats(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.svg", "a.pdf"} {
		if _, err := run(t, false, demo100, "--paper", "none", "--signals", "V5", "--out", filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := run(t, false, demo100, "--beats", "--annotator", "atr", "--mark-disagreements", "--width", "640", "--out", filepath.Join(dir, "b.png")); err != nil {
		t.Fatal(err)
	}
}

// TestPlotSourceDateEpoch: SOURCE_DATE_EPOCH fixes a PDF's date, so two
// runs write the same bytes; a value that is not seconds is refused.
func TestPlotSourceDateEpoch(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SOURCE_DATE_EPOCH": "1700000000"}
	var pdfs [][]byte
	for _, name := range []string{"a.pdf", "b.pdf"} {
		out := filepath.Join(dir, name)
		if _, err := runEnv(t, false, env, demo100, "--duration", "5", "--out", out); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		pdfs = append(pdfs, b)
	}
	if !bytes.Equal(pdfs[0], pdfs[1]) {
		t.Error("two PDFs with the same SOURCE_DATE_EPOCH differ")
	}
	if !bytes.Contains(pdfs[0], []byte("/CreationDate (D:20231114221320")) {
		t.Error("the PDF does not state SOURCE_DATE_EPOCH's date (2023-11-14 22:13:20 UTC)")
	}
	out := filepath.Join(dir, "c.pdf")
	_, err := runEnv(t, false, map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}, demo100, "--out", out)
	if cmdutil.ExitCode(err) != 2 || !strings.Contains(fmt.Sprint(err), "SOURCE_DATE_EPOCH") {
		t.Errorf("SOURCE_DATE_EPOCH=yesterday: %v (exit %d), want exit 2 naming it", err, cmdutil.ExitCode(err))
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a refused plot left %s", out)
	}
}

func TestPlotErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.png")
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{demo100}, 2, "--out FILE.png|.svg|.pdf is required"},
		{[]string{demo100, "--out", filepath.Join(dir, "x.gif")}, 2, "want a .png, .svg or .pdf file"},
		{[]string{demo100, "--out", out, "--from", "6:00"}, 2, "after the end of the record (5:00.000)"},
		{[]string{demo100, "--out", out, "--from", "10", "--to", "10"}, 2, "empty stretch"},
		{[]string{demo100, "--out", out, "--signals", "V2"}, 2, "--signals"},
		{[]string{demo100, "--out", out, "--annotator", "nosuch"}, 1, `no annotator "nosuch" (no file 100.nosuch)`},
		{[]string{demo100, "--out", out, "--mark-disagreements"}, 2, "want two"},
		{[]string{demo100, "--out", out, "--paper", "graph"}, 2, "--paper"},
		{[]string{demo100, "--out", out, "--row", "0"}, 2, "--row"},
		{[]string{demo100, "--out", out, "--row", "2h"}, 2, "rows of 7200 s"},
		{[]string{demo100, "--out", out, "--row", "x"}, 2, "--row"},
		{[]string{demo100, "--out", out, "--dpi", "5000"}, 2, "dpi 5000"},
		{[]string{demo100, "--out", out, "--dpi", "100", "--width", "500"}, 2, "give one"},
		{[]string{demo100, "--out", filepath.Join(dir, "x.svg"), "--dpi", "100"}, 2, "for PNG files"},
		{[]string{"nosuch", "--out", out}, 1, "nosuch.hea"},
		{[]string{demo100, "--out", filepath.Join(dir, "no", "dir", "x.png")}, 1, "x.png: folder " + filepath.Join(dir, "no", "dir") + " does not exist"},
	} {
		_, err := run(t, false, c.args...)
		if err == nil || cmdutil.ExitCode(err) != c.code || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v (exit %d), want exit %d and %q", c.args, err, cmdutil.ExitCode(err), c.code, c.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed plot left %s", out)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) != 0 {
		t.Errorf("files left: %v", m)
	}
}

func TestHelp(t *testing.T) {
	cmd := NewCmd(&cmdutil.Factory{})
	if !strings.Contains(cmd.Long, "25 mm/s") || !strings.HasPrefix(cmd.Example, "  ecg plot") {
		t.Errorf("help: %q / %q", cmd.Long[:40], cmd.Example)
	}
}
