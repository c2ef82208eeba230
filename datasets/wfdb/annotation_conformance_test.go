package wfdb

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"
)

// wfdbTool returns the path of a WFDB Software Package program, or skips
// the test unless ECG_CONFORMANCE=1 and the program is on PATH.
func wfdbTool(t *testing.T, name string) string {
	t.Helper()
	if os.Getenv("ECG_CONFORMANCE") != "1" {
		t.Skip("set ECG_CONFORMANCE=1 (make conformance) to compare with the WFDB tools")
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not on PATH", name)
	}
	return p
}

// runAnnTool runs a WFDB program in dir and returns its standard output.
func runAnnTool(t *testing.T, dir, stdin string, prog string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WFDB=.")
	cmd.Stdin = strings.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v in %s: %v: %s", filepath.Base(prog), args, dir, err, stderr.String())
	}
	return out
}

// withoutNUL cuts every Aux at its first NUL byte, as rdann prints it and
// wrann reads it back.
func withoutNUL(anns []Annotation) []Annotation {
	out := make([]Annotation, len(anns))
	for i, a := range anns {
		if j := strings.IndexByte(a.Aux, 0); j >= 0 {
			a.Aux = a.Aux[:j]
		}
		out[i] = a
	}
	return out
}

// TestConformanceRdann checks every annotation file of the MIT-BIH
// Arrhythmia Database against rdann and wrann:
//   - WriteRdann prints what `rdann -r REC -a ANN` prints, byte for byte;
//   - EncodeAnnotations re-creates the original file byte for byte;
//   - the file WriteAnnotations writes (next to a copy of the header)
//     reads back in rdann exactly as the original;
//   - wrann fed with rdann's text writes a file that DecodeAnnotations
//     reads as the original annotations (Aux cut at NUL, as rdann prints
//     it), and that is byte-identical to our encoding of them.
func TestConformanceRdann(t *testing.T) {
	rdann := wfdbTool(t, "rdann")
	wrann := wfdbTool(t, "wrann")
	dir := refdata.MITDB(t)
	var files []string
	for _, pat := range []string{"*.atr", "*.at_", "*.at-"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	if len(files) < 48 {
		t.Fatalf("only %d annotation files in %s", len(files), dir)
	}
	tmp := t.TempDir()
	identical, total := 0, 0
	for _, path := range files {
		base := filepath.Base(path)
		ext := filepath.Ext(base)
		rec, ann := strings.TrimSuffix(base, ext), ext[1:]
		h, err := ReadHeader(filepath.Join(dir, rec))
		if err != nil {
			t.Fatal(err)
		}
		anns, err := ReadAnnotations(filepath.Join(dir, rec), ann)
		if err != nil {
			t.Fatal(err)
		}
		total += len(anns)

		want := runAnnTool(t, dir, "", rdann, "-r", rec, "-a", ann)
		var got bytes.Buffer
		if err := WriteRdann(&got, anns, h.Fs); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(got.String(), string(want)); d != "" {
			t.Errorf("%s: WriteRdann vs rdann: %s", base, d)
		}

		orig, _ := os.ReadFile(path)
		var enc bytes.Buffer
		if err := EncodeAnnotations(&enc, anns); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(enc.Bytes(), orig) {
			identical++
		} else {
			t.Errorf("%s: re-encoding is not byte-identical (%d vs %d bytes)", base, enc.Len(), len(orig))
		}

		hea, _ := os.ReadFile(filepath.Join(dir, rec+".hea"))
		if err := os.WriteFile(filepath.Join(tmp, rec+".hea"), hea, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := WriteAnnotations(filepath.Join(tmp, rec), "ecg", anns); err != nil {
			t.Fatal(err)
		}
		back := runAnnTool(t, tmp, "", rdann, "-r", rec, "-a", "ecg")
		if d := firstDiff(string(back), string(want)); d != "" {
			t.Errorf("%s: rdann of our file vs of the original: %s", base, d)
		}

		runAnnTool(t, tmp, string(want), wrann, "-r", rec, "-a", "wrn")
		wr, err := ReadAnnotations(filepath.Join(tmp, rec), "wrn")
		if err != nil {
			t.Fatal(err)
		}
		norm := withoutNUL(anns)
		if !reflect.DeepEqual(wr, norm) {
			t.Errorf("%s: wrann-written file decodes differently", base)
		}
		wrBytes, _ := os.ReadFile(filepath.Join(tmp, rec+".wrn"))
		enc.Reset()
		if err := EncodeAnnotations(&enc, append(wrannTable(h.Fs), norm...)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc.Bytes(), wrBytes) {
			t.Errorf("%s: our encoding differs from wrann's", base)
		}
	}
	t.Logf("%d files, %d annotations; %d of %d re-encoded byte for byte", len(files), total, identical, len(files))
}

// wrannTable is what wrann writes before the annotations: a note with the
// time resolution and a NotQRS annotation that ends the table.
func wrannTable(fs float64) []Annotation {
	return []Annotation{{Type: Note, Aux: "## time resolution: " + strconv.FormatFloat(fs, 'g', 12, 64)}, {Type: NotQRS}}
}

// TestConformanceSynthetic covers what mitdb lacks: CHAN and NUM changes,
// negative subtypes, long and backward-free gaps (SKIP), every code 1..49,
// long AUX strings, NotQRS annotations and a comment at time 0, at odd
// sampling frequencies.
func TestConformanceSynthetic(t *testing.T) {
	rdann := wfdbTool(t, "rdann")
	wrann := wfdbTool(t, "wrann")
	tmp := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	for k, fs := range []float64{360, 250, 128, 1000, 999.9999, 500.5, 31.25} {
		rec := fmt.Sprintf("syn%d", k)
		hea := fmt.Sprintf("%s 1 %v 100000000\n%s.dat 16 200 16 0 0 0 0 ECG\n", rec, fs, rec)
		if err := os.WriteFile(filepath.Join(tmp, rec+".hea"), []byte(hea), 0o644); err != nil {
			t.Fatal(err)
		}
		anns := []Annotation{{Sample: 0, Type: Note, Aux: "a comment at time 0"}}
		var sample int64
		for i := 0; i < 3000; i++ {
			switch r := rng.IntN(100); {
			case r < 3:
				sample += rng.Int64N(1 << 28) // hours: SKIP
			case r < 10:
				sample += 1024 + rng.Int64N(5000)
			case r < 15:
				// same sample, a later channel or annotator
			default:
				sample += 1 + rng.Int64N(1023)
			}
			a := Annotation{Sample: sample, Type: Code(1 + rng.IntN(49))}
			if rng.IntN(4) == 0 {
				a.Subtype = rng.IntN(256) - 128
			}
			if rng.IntN(5) == 0 {
				a.Chan = rng.IntN(256)
			}
			if rng.IntN(7) == 0 {
				a.Num = rng.IntN(256) - 128
			}
			if rng.IntN(6) == 0 {
				b := make([]byte, 1+rng.IntN(120))
				for j := range b {
					b[j] = byte('!' + rng.IntN(94))
				}
				a.Aux = string(b)
			}
			if p := anns[len(anns)-1]; p.Sample == a.Sample && (a.Num < p.Num || a.Num == p.Num && a.Chan <= p.Chan) {
				a.Num, a.Chan = p.Num, p.Chan+1 // keep (sample, num, chan) increasing
				if a.Chan > 255 {
					continue
				}
			}
			anns = append(anns, a)
		}
		// NotQRS annotations print in rdann (as " ") but wrann cannot
		// read them back, so they go in a copy for the rdann check only.
		withNotQRS := append([]Annotation(nil), anns...)
		withNotQRS = append(withNotQRS, Annotation{Sample: sample + 5, Type: NotQRS, Chan: 3}, Annotation{Sample: sample + 5000, Type: NotQRS, Aux: "x"})
		if err := WriteAnnotations(filepath.Join(tmp, rec), "ecg", withNotQRS); err != nil {
			t.Fatal(err)
		}
		want := runAnnTool(t, tmp, "", rdann, "-r", rec, "-a", "ecg")
		var got bytes.Buffer
		if err := WriteRdann(&got, withNotQRS, fs); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(got.String(), string(want)); d != "" {
			t.Errorf("fs %v: WriteRdann vs rdann: %s", fs, d)
		}

		if err := WriteAnnotations(filepath.Join(tmp, rec), "ecg", anns); err != nil {
			t.Fatal(err)
		}
		text := runAnnTool(t, tmp, "", rdann, "-r", rec, "-a", "ecg")
		runAnnTool(t, tmp, string(text), wrann, "-r", rec, "-a", "wrn")
		ours, _ := os.ReadFile(filepath.Join(tmp, rec+".ecg"))
		theirs, _ := os.ReadFile(filepath.Join(tmp, rec+".wrn"))
		var withTable bytes.Buffer
		if err := EncodeAnnotations(&withTable, append(wrannTable(fs), anns...)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(withTable.Bytes(), theirs) {
			t.Errorf("fs %v: wrann's file (%d bytes) differs from our encoding (%d bytes)", fs, len(theirs), withTable.Len())
		}
		if wr, err := ReadAnnotations(filepath.Join(tmp, rec), "wrn"); err != nil || !reflect.DeepEqual(wr, anns) {
			t.Errorf("fs %v: wrann's file does not read back as the annotations (%v)", fs, err)
		}
		dec, err := DecodeAnnotations(bytes.NewReader(ours))
		dec, _ = SplitDefinitions(dec)
		if err != nil || !reflect.DeepEqual(dec, anns) {
			t.Errorf("fs %v: our file does not decode to what we wrote (%v)", fs, err)
		}
	}
}

// TestConformanceTime compares ParseTime and FormatTime with WFDB's strtim
// and mstimstr through wfdbtime, at several sampling frequencies.
func TestConformanceTime(t *testing.T) {
	wfdbtime := wfdbTool(t, "wfdbtime")
	tmp := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	checked := 0
	for k, fs := range []float64{360, 250, 128, 1000, 999.9999, 500.5, 31.25, 8000, 1.5} {
		rec := fmt.Sprintf("t%d", k)
		hea := fmt.Sprintf("%s 1 %v 100000000\n%s.dat 16 200 16 0 0 0 0 ECG\n", rec, fs, rec)
		if err := os.WriteFile(filepath.Join(tmp, rec+".hea"), []byte(hea), 0o644); err != nil {
			t.Fatal(err)
		}
		var times []string
		for i := 0; i < 400; i++ {
			var s string
			switch rng.IntN(5) {
			case 0:
				s = fmt.Sprintf("s%d", rng.Int64N(1<<34))
			case 1:
				s = fmt.Sprintf("%d", rng.IntN(100000))
			case 2:
				s = fmt.Sprintf("%.*f", rng.IntN(7), rng.Float64()*5000)
			case 3:
				s = fmt.Sprintf("%d:%0*.*f", rng.IntN(600), 2+rng.IntN(4), rng.IntN(4), rng.Float64()*60)
			default:
				s = fmt.Sprintf("%d:%02d:%06.3f", rng.IntN(300), rng.IntN(60), rng.Float64()*60)
			}
			times = append(times, s)
		}
		out := runAnnTool(t, tmp, "", wfdbtime, append([]string{"-r", rec}, times...)...)
		lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
		if len(lines) != len(times) {
			t.Fatalf("fs %v: %d lines for %d times", fs, len(lines), len(times))
		}
		for i, line := range lines {
			f := strings.Split(line, "\t")
			var want int64
			if _, err := fmt.Sscanf(strings.TrimSpace(f[0]), "s%d", &want); err != nil {
				t.Fatalf("wfdbtime line %q", line)
			}
			got, err := ParseTime(times[i], fs)
			if err != nil || got != want {
				t.Errorf("fs %v: ParseTime(%q) = %d, %v; wfdbtime says %d", fs, times[i], got, err, want)
			}
			if ft := FormatTime(want, fs); strings.TrimSpace(ft) != strings.TrimSpace(f[2]) {
				t.Errorf("fs %v: FormatTime(%d) = %q; wfdbtime says %q", fs, want, ft, f[2])
			}
			checked++
		}
	}
	t.Logf("%d times checked", checked)
}

// TestConformanceRdannBaseTime: for records whose header gives a base
// time (and date), rdann prints times of day; WriteRdannClock must print
// the same, across midnight and with fractional base times. No mitdb
// header has one: record 100's header is rewritten with several.
func TestConformanceRdannBaseTime(t *testing.T) {
	rdann := wfdbTool(t, "rdann")
	dir := refdata.MITDB(t)
	hea, err := os.ReadFile(filepath.Join(dir, "100.hea"))
	if err != nil {
		t.Fatal(err)
	}
	atr, _ := os.ReadFile(filepath.Join(dir, "100.atr"))
	lines := strings.SplitAfterN(string(hea), "\n", 2)
	tmp := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmp, "100.atr"), atr, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"23:59:59 31/12/1999", "23:59:59", "08:30:00.250", "12:00:00 28/02/2000", "00:00:00 01/01/2000", "17:45:12.999 29/02/2004"} {
		rec := "100 2 360 650000 " + base + "\r\n" + lines[1]
		if err := os.WriteFile(filepath.Join(tmp, "100.hea"), []byte(rec), 0o644); err != nil {
			t.Fatal(err)
		}
		h, err := ReadHeader(filepath.Join(tmp, "100"))
		if err != nil {
			t.Fatal(err)
		}
		anns, err := ReadAnnotations(filepath.Join(tmp, "100"), "atr")
		if err != nil {
			t.Fatal(err)
		}
		want := runAnnTool(t, tmp, "", rdann, "-r", "100", "-a", "atr")
		var got bytes.Buffer
		if err := WriteRdannClock(&got, anns, NewClock(h)); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(got.String(), string(want)); d != "" {
			t.Errorf("base %q: WriteRdannClock vs rdann: %s", base, d)
		}
		wantE := runAnnTool(t, tmp, "", rdann, "-r", "100", "-a", "atr", "-e")
		got.Reset()
		if err := WriteRdann(&got, anns, h.Fs); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(got.String(), string(wantE)); d != "" {
			t.Errorf("base %q: WriteRdann vs rdann -e: %s", base, d)
		}
	}
}
