package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// exitStoryFixtures writes the bad inputs of the exit-code story into a
// temporary folder and returns it. The records use format 80 (one byte per
// sample) so that the files are plain text: "ABCDEFGH\n" is nine samples.
//
//	ok        a good 9-sample record (checksum -594)
//	trunc     header for 100 samples, 9 in the .dat
//	badgain   gain "x"
//	unkfmt    storage format 999
//	shortann  a good record whose .atr stops inside an annotation
//	db/       RECORDS good and broken (broken is truncated)
//	label/    label folders normal and afib, two simulated patients
//	onelabel/ a single label folder (afib)
//	mixed/    a good simulated record and a truncated one (cut)
//	model.ecgm, trunc.ecgm, garbage.ecgm, empty.ecgm
func exitStoryFixtures(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	const samples = "ABCDEFGH\n"
	files := map[string]string{
		"ok.hea":         "ok 1 250 9\nok.dat 80 200/mV 8 0 0 -594 0 ECG\n",
		"ok.dat":         samples,
		"trunc.hea":      "trunc 1 250 100\ntrunc.dat 80 200/mV 8 0 0 0 0 ECG\n",
		"trunc.dat":      samples,
		"badgain.hea":    "badgain 1 250 9\nbadgain.dat 80 x/mV 8 0 0 0 0 ECG\n",
		"badgain.dat":    samples,
		"unkfmt.hea":     "unkfmt 1 250 9\nunkfmt.dat 999 200/mV 8 0 0 0 0 ECG\n",
		"unkfmt.dat":     samples,
		"shortann.hea":   "shortann 1 250 9\nshortann.dat 80 200/mV 8 0 0 -594 0 ECG\n",
		"shortann.dat":   samples,
		"shortann.atr":   "AB\n",
		"db/RECORDS":     "good\nbroken\n",
		"db/good.hea":    "good 1 250 9\ngood.dat 80 200/mV 8 0 0 -594 0 ECG\n",
		"db/good.dat":    samples,
		"db/broken.hea":  "broken 1 250 100\nbroken.dat 80 200/mV 8 0 0 0 0 ECG\n",
		"db/broken.dat":  samples,
		"garbage.ecgm":   "this is not a model\n",
		"empty.ecgm":     "",
		"nolabels/x.txt": "no label folders here\n",
		"stdin.txt":      "0.1\n0.2\n0.1\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A label folder with a single label.
	if code, _, errOut := runECG(t, "", "-q", "simulate", "--rhythm", "afib", "--duration", "20s",
		"--fs", "250", "--out", filepath.Join(dir, "onelabel", "afib", "p9_afib")); code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	// mixed/: a good simulated record and one whose .dat lost its second half.
	for _, name := range []string{"good", "cut"} {
		if code, _, errOut := runECG(t, "", "-q", "simulate", "--duration", "20s", "--fs", "250",
			"--out", filepath.Join(dir, "mixed", name)); code != 0 {
			t.Fatalf("simulate: exit %d: %s", code, errOut)
		}
	}
	if err := os.Truncate(filepath.Join(dir, "mixed", "cut.dat"), 3000); err != nil {
		t.Fatal(err)
	}
	// A real signal model, and a truncated copy of it.
	for i, r := range []string{"normal", "afib", "normal", "afib"} {
		out := filepath.Join(dir, "label", r, "p"+string(rune('1'+i/2))+"_"+r)
		if code, _, errOut := runECG(t, "", "-q", "simulate", "--rhythm", r, "--duration", "20s",
			"--fs", "250", "--seed", string(rune('1'+i)), "--out", out); code != 0 {
			t.Fatalf("simulate %s: exit %d: %s", out, code, errOut)
		}
	}
	model := filepath.Join(dir, "model.ecgm")
	if code, _, errOut := runECG(t, "", "-q", "train", filepath.Join(dir, "label"), "--out", model, "--trees", "10"); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errOut)
	}
	m, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "trunc.ecgm"), m[:len(m)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestExitCodesStory checks the exit-code table (0 ok, 1 error, 2 usage,
// 3 partial) command by command on bad inputs: each failure exits with the
// documented code, names the file (or flag) on stderr, never panics, and
// errors (1) print nothing on stdout.
func TestExitCodesStory(t *testing.T) {
	d := exitStoryFixtures(t)
	p := func(name string) string { return filepath.Join(d, name) }
	stdin, err := os.ReadFile(p("stdin.txt"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		code  int
		err   string // regexp stderr must match
		stdin bool   // feed stdin.txt
		// stdoutOK: the command may print on stdout although it fails
		// (a table with the failing rows, or rows before the failure).
		stdoutOK bool
	}{
		// successes, as a baseline
		{"info ok", []string{"info", p("ok")}, ExitOK, ``, false, true},
		{"export ok", []string{"export", p("ok")}, ExitOK, ``, false, true},
		{"ingest good db", []string{"ingest", p("label/afib")}, ExitOK, ``, false, true},
		{"predict ok", []string{"predict", p("model.ecgm"), p("label/afib/p1_afib")}, ExitOK, ``, false, true},
		{"stream ok", []string{"stream", "--fs", "250", "--model", p("model.ecgm")}, ExitOK, ``, true, true},

		// missing files: 1
		{"info missing", []string{"info", p("nosuch")}, ExitError, `nosuch\.hea: no such file`, false, false},
		{"export missing", []string{"export", p("nosuch")}, ExitError, `nosuch\.hea: no such file`, false, false},
		{"beats missing", []string{"beats", p("nosuch")}, ExitError, `nosuch\.hea: no such file`, false, false},
		{"ingest missing", []string{"ingest", p("nosuch")}, ExitError, `nosuch: no such file`, false, false},
		{"train missing", []string{"train", p("nosuch"), "--out", p("new.ecgm")}, ExitError, `nosuch: no such file`, false, false},
		{"train into a new folder", []string{"train", p("label"), "--out", p("newdir/sub/m.ecgm"), "--trees", "5"}, ExitOK, ``, false, true},
		{"train single label", []string{"train", p("onelabel"), "--out", p("new1.ecgm")}, ExitError, `onelabel: need at least 2 labels`, false, false},
		{"train no labels", []string{"train", p("nolabels"), "--out", p("new.ecgm")}, ExitError, `nolabels: no label folders`, false, false},
		{"eval missing model", []string{"eval", p("nosuch.ecgm"), p("label")}, ExitError, `nosuch\.ecgm: no such file`, false, false},
		{"predict missing model", []string{"predict", p("nosuch.ecgm"), p("ok")}, ExitError, `nosuch\.ecgm: no such file`, false, false},
		{"stream missing model", []string{"stream", "--fs", "250", "--model", p("nosuch.ecgm")}, ExitError, `nosuch\.ecgm: no such file`, true, false},
		{"spectro missing", []string{"spectro", p("nosuch"), "--out", p("spec0")}, ExitError, `nosuch\.hea: no such file`, false, false},
		{"export missing annotator", []string{"export", p("ok"), "--annotator", "qrs"}, ExitError, `ok\.qrs: no such file`, false, false},
		{"eval missing dir", []string{"eval", p("model.ecgm"), p("nosuch")}, ExitError, `nosuch: no such file`, false, false},

		// truncated signal file: 1
		{"info trunc", []string{"info", p("trunc")}, ExitError, `trunc\.dat: truncated signal file: header gives 100 frames, the file holds 9`, false, false},
		{"export trunc", []string{"export", p("trunc")}, ExitError, `trunc\.dat: truncated signal file`, false, false},
		{"beats trunc", []string{"beats", p("trunc")}, ExitError, `trunc\.dat: truncated signal file`, false, false},
		// Every item of a batch failing is an error (1), some failing is partial (3).
		{"predict trunc", []string{"predict", p("model.ecgm"), p("trunc")}, ExitError, `trunc\.dat: truncated signal file`, false, true},
		{"predict one of two", []string{"predict", p("model.ecgm"), p("label/afib/p1_afib"), p("trunc")}, ExitPartial, `trunc\.dat: truncated signal file`, false, true},

		{"spectro trunc", []string{"spectro", p("trunc"), "--out", p("spec1"), "--stride", "0.2s", "--hop", "0.2s", "--nperseg", "16"}, ExitError, `trunc\.dat: truncated signal file`, false, true},
		{"spectro one of two", []string{"spectro", p("mixed"), "--out", p("spec2"), "--stride", "5s", "--hop", "5s"}, ExitPartial, `cut\.dat: truncated signal file`, false, true},

		// bad header fields: 1
		{"info badgain", []string{"info", p("badgain")}, ExitError, `badgain\.hea line 2: gain "x": invalid number`, false, false},
		{"export badgain", []string{"export", p("badgain")}, ExitError, `badgain\.hea line 2: gain "x": invalid number`, false, false},
		{"beats badgain", []string{"beats", p("badgain")}, ExitError, `badgain\.hea line 2: gain "x"`, false, false},
		{"info unkfmt", []string{"info", p("unkfmt")}, ExitError, `unkfmt\.hea line 2: format "999": unknown signal format`, false, false},
		{"export unkfmt", []string{"export", p("unkfmt"), "--physical"}, ExitError, `unkfmt\.hea line 2: format "999"`, false, false},
		{"beats unkfmt", []string{"beats", p("unkfmt")}, ExitError, `unkfmt\.hea line 2: format "999"`, false, false},

		// truncated annotation file: 1
		{"info shortann", []string{"info", p("shortann")}, ExitError, `shortann\.atr: byte 2: annotation file truncated`, false, false},
		{"export shortann", []string{"export", p("shortann"), "--annotator", "atr"}, ExitError, `shortann\.atr: byte 2: annotation file truncated`, false, false},
		{"spectro label shortann", []string{"spectro", p("shortann"), "--out", p("spec3"), "--label", "rhythm"}, ExitError, `shortann\.atr: byte 2: annotation file truncated`, false, true},
		{"beats compare shortann", []string{"beats", p("shortann"), "--compare", "atr", "--skip", "0"}, ExitError, `shortann\.atr: byte 2`, false, false},

		// a database with one broken record: 3, the table names it
		{"ingest broken db", []string{"ingest", p("db")}, ExitPartial, `1 of 2 records have problems`, false, true},

		// malformed model files: 1
		{"eval garbage model", []string{"eval", p("garbage.ecgm"), p("label")}, ExitError, `garbage\.ecgm: not a valid ecg model file`, false, false},
		{"predict garbage model", []string{"predict", p("garbage.ecgm"), p("ok")}, ExitError, `garbage\.ecgm: not a valid ecg model file`, false, false},
		{"predict empty model", []string{"predict", p("empty.ecgm"), p("ok")}, ExitError, `empty\.ecgm: not a valid ecg model file`, false, false},
		{"predict truncated model", []string{"predict", p("trunc.ecgm"), p("ok")}, ExitError, `trunc\.ecgm: not a valid ecg model file`, false, false},
		{"eval truncated model", []string{"eval", p("trunc.ecgm"), p("label")}, ExitError, `trunc\.ecgm: not a valid ecg model file`, false, false},
		{"stream garbage model", []string{"stream", "--fs", "250", "--model", p("garbage.ecgm")}, ExitError, `garbage\.ecgm: not a valid ecg model file`, true, false},
		{"stream truncated model", []string{"stream", "--fs", "250", "--model", p("trunc.ecgm")}, ExitError, `trunc\.ecgm: not a valid ecg model file`, true, false},

		// bad flags and arguments: 2
		{"info bogus flag", []string{"info", p("ok"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"info no args", []string{"info"}, ExitUsage, `requires at least 1 arg`, false, false},
		{"info format", []string{"info", p("ok"), "--format", "csv"}, ExitUsage, `--format "csv"`, false, false},
		{"info jobs", []string{"info", p("ok"), "--jobs", "0"}, ExitUsage, `--jobs 0`, false, false},
		{"export bogus flag", []string{"export", p("ok"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"export format", []string{"export", p("ok"), "--format", "xml"}, ExitUsage, `--format "xml"`, false, false},
		{"export from", []string{"export", p("ok"), "--from", "abc"}, ExitUsage, `--from: time "abc"`, false, false},
		{"export to before from", []string{"export", p("ok"), "--from", "1", "--to", "0.5"}, ExitUsage, `--to 0\.5 is not after --from 1`, false, false},
		{"export signals", []string{"export", p("ok"), "--signals", "V9"}, ExitUsage, `no signal "V9"`, false, false},
		{"export from past the end", []string{"export", p("ok"), "--from", "13"}, ExitUsage, `--from 13: after the end of`, false, false},
		{"export format text", []string{"export", p("ok"), "--format", "text"}, ExitOK, ``, false, true},
		{"export two records", []string{"export", p("ok"), p("ok")}, ExitUsage, `accepts 1 arg`, false, false},
		{"beats bogus flag", []string{"beats", p("ok"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"beats format", []string{"beats", p("ok"), "--format", "xml"}, ExitUsage, `--format "xml"`, false, false},
		{"beats jobs", []string{"beats", p("ok"), "--jobs", "-1"}, ExitUsage, `--jobs -1`, false, false},
		{"beats signal", []string{"beats", p("ok"), "--signal", "5"}, ExitUsage, `--signal 5`, false, false},
		{"beats window", []string{"beats", p("ok"), "--compare", "atr", "--window", "-1"}, ExitUsage, `--window`, false, false},
		{"ingest bogus flag", []string{"ingest", p("db"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"ingest format", []string{"ingest", p("db"), "--format", "xml"}, ExitUsage, `--format "xml"`, false, false},
		{"ingest jobs", []string{"ingest", p("db"), "--jobs", "0"}, ExitUsage, `--jobs 0`, false, false},
		{"ingest no args", []string{"ingest"}, ExitUsage, `accepts 1 arg`, false, false},
		{"train bogus flag", []string{"train", p("label"), "--out", p("new.ecgm"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"train no out", []string{"train", p("label")}, ExitUsage, `--out MODEL is required`, false, false},
		{"train split", []string{"train", p("label"), "--out", p("new.ecgm"), "--split", "1.5"}, ExitUsage, `--split 1\.5`, false, false},
		{"train class weight", []string{"train", p("label"), "--out", p("new.ecgm"), "--class-weight", "foo"}, ExitUsage, `--class-weight "foo"`, false, false},
		{"train jobs", []string{"train", p("label"), "--out", p("new.ecgm"), "--jobs", "0"}, ExitUsage, `--jobs 0`, false, false},
		{"train trees", []string{"train", p("label"), "--out", p("new.ecgm"), "--trees", "0"}, ExitUsage, `--trees 0`, false, false},
		{"train min leaf", []string{"train", p("label"), "--out", p("new.ecgm"), "--min-leaf", "0"}, ExitUsage, `--min-leaf 0`, false, false},
		{"train max depth", []string{"train", p("label"), "--out", p("new.ecgm"), "--max-depth", "-1"}, ExitUsage, `--max-depth -1`, false, false},
		{"train format", []string{"train", p("label"), "--out", p("new.ecgm"), "--format", "csv"}, ExitUsage, `--format "csv"`, false, false},
		{"eval bogus flag", []string{"eval", p("model.ecgm"), p("label"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"eval one arg", []string{"eval", p("model.ecgm")}, ExitUsage, `accepts 2 arg`, false, false},
		{"eval threshold", []string{"eval", p("model.ecgm"), p("label"), "--threshold", "2"}, ExitUsage, `--threshold 2`, false, false},
		{"eval jobs", []string{"eval", p("model.ecgm"), p("label"), "--jobs", "-1"}, ExitUsage, `--jobs -1`, false, false},
		{"eval format", []string{"eval", p("model.ecgm"), p("label"), "--format", "tsv"}, ExitUsage, `--format "tsv"`, false, false},
		{"predict bogus flag", []string{"predict", p("model.ecgm"), p("ok"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"predict no files", []string{"predict", p("model.ecgm")}, ExitUsage, `requires at least 2 arg|is a model: give the files to label after it`, false, false},
		{"predict top", []string{"predict", p("model.ecgm"), p("ok"), "--top", "0"}, ExitUsage, `--top 0`, false, false},
		{"predict format", []string{"predict", p("model.ecgm"), p("ok"), "--format", "tsv"}, ExitUsage, `--format "tsv"`, false, false},
		{"spectro bogus flag", []string{"spectro", p("ok"), "--out", p("spec4"), "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"spectro no out", []string{"spectro", p("ok")}, ExitUsage, `--out DIR is required`, false, false},
		{"spectro stride", []string{"spectro", p("ok"), "--out", p("spec4"), "--stride", "abc"}, ExitUsage, `--stride abc`, false, false},
		{"spectro label", []string{"spectro", p("ok"), "--out", p("spec4"), "--label", "foo"}, ExitUsage, `--label "foo"`, false, false},
		{"spectro jobs", []string{"spectro", p("ok"), "--out", p("spec4"), "--jobs", "0"}, ExitUsage, `--jobs 0`, false, false},
		{"spectro format", []string{"spectro", p("ok"), "--out", p("spec4"), "--format", "csv"}, ExitUsage, `--format "csv"`, false, false},
		{"spectro shard", []string{"spectro", p("ok"), "--out", p("spec4"), "--shard", "5/4"}, ExitUsage, `--shard "5/4"`, false, false},
		// (this usage error is found after the run: spec5/manifest.csv is still written, reported to SPECTRO)
		{"spectro nperseg", []string{"spectro", p("label/afib/p1_afib"), "--out", p("spec5"), "--stride", "10s", "--nperseg", "100000"}, ExitUsage, `shorter than the STFT segment`, false, false},
		{"spectro window", []string{"spectro", p("ok"), "--out", p("spec4"), "--window", "foo"}, ExitUsage, `window "foo"`, false, false},
		{"simulate bogus flag", []string{"simulate", "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"simulate rhythm", []string{"simulate", "--rhythm", "flutter", "--out", p("sim/x")}, ExitUsage, `unknown rhythm "flutter"`, false, false},
		{"simulate fs", []string{"simulate", "--fs", "-5"}, ExitUsage, `sampling frequency -5`, false, false},
		{"simulate duration", []string{"simulate", "--duration", "abc"}, ExitUsage, `--duration "abc"`, false, false},
		{"simulate format", []string{"simulate", "--format", "json"}, ExitUsage, `--format "json"`, false, false},
		{"simulate args", []string{"simulate", "extra"}, ExitUsage, `unknown command "extra"`, false, false},
		{"stream bogus flag", []string{"stream", "--fs", "250", "--bogus"}, ExitUsage, `unknown flag: --bogus`, true, false},
		{"stream no rate", []string{"stream"}, ExitUsage, `no sampling rate`, true, false},
		{"stream window", []string{"stream", "--fs", "250", "--window", "abc"}, ExitUsage, `--window "abc"`, true, false},
		{"stream hop after window", []string{"stream", "--fs", "250", "--window", "5s", "--hop", "10s"}, ExitUsage, `hop <= window`, true, false},
		{"stream units", []string{"stream", "--fs", "250", "--units", "furlongs"}, ExitUsage, `units "furlongs"`, true, false},
		{"stream threshold", []string{"stream", "--fs", "250", "--alert-threshold", "2"}, ExitUsage, `threshold 2`, true, false},
		{"demo bogus flag", []string{"demo", "--bogus"}, ExitUsage, `unknown flag: --bogus`, false, false},
		{"datasets fetch no dir", []string{"datasets", "fetch", "mitdb"}, ExitUsage, `--dir is required`, false, false},
		{"version extra", []string{"version", "extra"}, ExitUsage, ``, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := ""
			if tc.stdin {
				in = string(stdin)
			}
			code, out, errOut := runECG(t, in, tc.args...)
			if code != tc.code {
				t.Errorf("ecg %s: exit %d, want %d\nstderr: %s", strings.Join(tc.args, " "), code, tc.code, errOut)
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine ") {
				t.Errorf("ecg %s: panic:\n%s", strings.Join(tc.args, " "), errOut)
			}
			if tc.err != "" && !regexp.MustCompile(tc.err).MatchString(errOut) {
				t.Errorf("ecg %s: stderr %q does not match %q", strings.Join(tc.args, " "), errOut, tc.err)
			}
			if tc.code != ExitOK && !strings.HasPrefix(errOut, "ecg") {
				t.Errorf("ecg %s: stderr %q does not start with ecg", strings.Join(tc.args, " "), errOut)
			}
			if !tc.stdoutOK && out != "" {
				t.Errorf("ecg %s: failed with stdout %q, want none", strings.Join(tc.args, " "), out)
			}
		})
	}

	// Failures leave no output files behind.
	if _, err := os.Stat(p("newdir/sub/m.ecgm")); err != nil {
		t.Errorf("train --out into a missing folder: %v", err)
	}
	for _, name := range []string{"new.ecgm", "new1.ecgm", "sim/x.hea", "sim/x.dat", "sim/x.atr", "trunc.qrs", "spec4", "spec0/manifest.csv"} {
		if _, err := os.Stat(p(name)); err == nil {
			t.Errorf("%s exists after failed commands", name)
		}
	}
}

// TestIngestBrokenRecordStory: "ecg ingest" on a database with one broken
// record checks the others, names the broken one in every output format and
// exits 3.
func TestIngestBrokenRecordStory(t *testing.T) {
	d := exitStoryFixtures(t)
	for _, format := range []string{"text", "tsv", "csv", "json"} {
		code, out, errOut := runECG(t, "", "ingest", filepath.Join(d, "db"), "--format", format)
		if code != ExitPartial {
			t.Errorf("ingest --format %s: exit %d, want %d (stderr %q)", format, code, ExitPartial, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		var good, broken string
		for _, l := range lines {
			switch {
			case strings.Contains(l, "good"):
				good = l
			case strings.Contains(l, "broken"):
				broken = l
			}
		}
		if good == "" || !strings.Contains(good, "ok") || strings.Contains(good, "truncated") {
			t.Errorf("ingest --format %s: good record row %q", format, good)
		}
		// The checksum of a record that cannot be read is not verified: "-", not "none" (no
		// checksum in the header) nor "ok".
		if !regexp.MustCompile(`(\s|,|"checksums":")-(\s|,|")`).MatchString(broken) {
			t.Errorf("ingest --format %s: broken record row %q: checksums not shown as -", format, broken)
		}
		if !strings.Contains(broken, "broken.dat: truncated signal file") {
			t.Errorf("ingest --format %s: broken record row %q does not name the problem", format, broken)
		}
		if !strings.Contains(errOut, "1 of 2 records have problems") {
			t.Errorf("ingest --format %s: stderr %q", format, errOut)
		}
	}
}

// TestFetchExitCodesStory: "ecg datasets fetch" against a local server:
// a good database downloads and a second run verifies it (0); a listed file
// whose bytes do not match its SHA-256 is discarded (1); a SHA256SUMS.txt
// naming a file outside the database directory is refused before any
// download (1).
func TestFetchExitCodesStory(t *testing.T) {
	sum := func(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }
	files := map[string][]byte{
		"RECORDS":   []byte("100\n"),
		"100.hea":   []byte("100 1 360 3\n100.dat 16 200 16 0 0 0 0 MLII\n"),
		"100.dat":   {1, 0, 2, 0, 3, 0},
		"evil.hea":  []byte("not what the sums say\n"),
		"x/../../y": []byte("outside"),
	}
	sums := map[string]string{
		"gooddb/1.0.0": sum(files["RECORDS"]) + "  RECORDS\n" + sum(files["100.hea"]) + "  100.hea\n" + sum(files["100.dat"]) + "  100.dat\n",
		"baddb/1.0.0":  sum(files["RECORDS"]) + "  RECORDS\n" + sum([]byte("something else")) + "  evil.hea\n",
		"escdb/1.0.0":  sum(files["RECORDS"]) + "  RECORDS\n" + sum(files["x/../../y"]) + "  ../../y\n",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for db, s := range sums {
			prefix := "/" + db + "/"
			if !strings.HasPrefix(r.URL.Path, prefix) {
				continue
			}
			name := strings.TrimPrefix(r.URL.Path, prefix)
			if name == "SHA256SUMS.txt" {
				io.WriteString(w, s)
				return
			}
			if b, ok := files[name]; ok {
				w.Write(b)
				return
			}
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	dir := t.TempDir()
	fetch := func(db, out string) (int, string, string) {
		return runECG(t, "", "datasets", "fetch", db, "--dir", filepath.Join(dir, out), "--base-url", srv.URL)
	}

	code, _, errOut := fetch("gooddb/1.0.0", "good")
	if code != ExitOK {
		t.Fatalf("fetch gooddb: exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(filepath.Join(dir, "good", "100.dat"))
	if err != nil || string(got) != string(files["100.dat"]) {
		t.Fatalf("fetch gooddb: 100.dat = %v, %v", got, err)
	}
	if code, _, errOut := runECG(t, "", "info", filepath.Join(dir, "good", "100")); code != ExitOK {
		t.Errorf("info on the fetched record: exit %d: %s", code, errOut)
	}
	if code, _, errOut := fetch("gooddb/1.0.0", "good"); code != ExitOK {
		t.Errorf("second fetch (verify): exit %d: %s", code, errOut)
	}

	code, _, errOut = fetch("baddb/1.0.0", "bad")
	if code != ExitError || !strings.Contains(errOut, "evil.hea") || !strings.Contains(errOut, "SHA-256") {
		t.Errorf("fetch with a bad checksum: exit %d, stderr %q; want 1 naming evil.hea and SHA-256", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad", "evil.hea")); err == nil {
		t.Errorf("evil.hea kept although its SHA-256 does not match")
	}

	code, _, errOut = fetch("escdb/1.0.0", "esc/db")
	if code != ExitError || !strings.Contains(errOut, "../../y") {
		t.Errorf("fetch of a file outside the database dir: exit %d, stderr %q; want 1 naming ../../y", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "y")); err == nil {
		t.Errorf("a file was written outside --dir")
	}
}

// TestInterruptStory: an archive run cancelled midway (Ctrl-C cancels the
// command's context) exits 130 and leaves only complete PNGs, no temporary
// files; the next run keeps them and writes the rest.
func TestInterruptStory(t *testing.T) {
	if testing.Short() {
		t.Skip("about 1 s of spectrograms")
	}
	dir := t.TempDir()
	db, out := filepath.Join(dir, "db"), filepath.Join(dir, "out")
	for _, name := range []string{"r1", "r2", "r3"} {
		if code, _, errOut := runECG(t, "", "-q", "simulate", "--duration", "2m", "--fs", "250",
			"--seed", name[1:], "--out", filepath.Join(db, name)); code != 0 {
			t.Fatalf("simulate: exit %d: %s", code, errOut)
		}
	}
	args := []string{"spectro", db, "--out", out, "--stride", "10s", "--hop", "1s"} // 3 x 111 images
	ctx, cancel := context.WithCancel(context.Background())
	streams, _, errOut := TestStreams("")
	done := make(chan int)
	go func() { done <- Run(ctx, args, streams) }()
	// Cancel once some images exist.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m, _ := filepath.Glob(filepath.Join(out, "*.png")); len(m) >= 20 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	code := <-done
	if code == ExitOK {
		t.Skip("the run finished before it could be interrupted")
	}
	if code != ExitInterrupted {
		t.Fatalf("interrupted spectro: exit %d, want %d; stderr %q", code, ExitInterrupted, errOut)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	pngs := 0
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || strings.Contains(name, ".tmp") {
			t.Errorf("temporary file left behind: %s", name)
			continue
		}
		if !strings.HasSuffix(name, ".png") {
			continue
		}
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s: partial PNG after the interrupt: %v", name, err)
		}
		f.Close()
		pngs++
	}
	if pngs == 0 || pngs >= 333 {
		t.Fatalf("%d images after the interrupt, want some but not all 333", pngs)
	}

	// The next run resumes: what exists is kept, the rest written.
	code, stdout, stderr := runECG(t, "", args...)
	if code != ExitOK {
		t.Fatalf("resumed spectro: exit %d: %s", code, stderr)
	}
	want := fmt.Sprintf("3 records, 333 images (%d files written, %d kept)", 333-pngs, pngs)
	if !strings.Contains(stdout, want) {
		t.Errorf("resumed spectro: stdout %q, want %q", stdout, want)
	}
}
