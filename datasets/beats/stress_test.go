//go:build harness

package beats

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// TestStressTables measures ours against gqrs, both scored by bxb, on
// mitdb as is, resampled to 125-1000 Hz, and with synthetic noise at SNR
// 24 to 0 dB, and writes the Markdown tables of docs/beats.md into
// $ECG_BEATS_TABLES/beats-tables.md. It runs only when ECG_BEATS_TABLES
// is set and gqrs and bxb are on PATH; it takes several minutes.
func TestStressTables(t *testing.T) {
	out := os.Getenv("ECG_BEATS_TABLES")
	if out == "" {
		t.Skip("set ECG_BEATS_TABLES=dir to measure the tables of docs/beats.md")
	}
	refdata.NeedTools(t, "bxb", "gqrs")
	db := refdata.MITDB(t)
	names, err := readRecords(db)
	if err != nil {
		t.Fatal(err)
	}
	paced := map[string]bool{"102": true, "104": true, "107": true, "217": true}
	var md strings.Builder

	// 1. Per record, at 360 Hz.
	tmp := t.TempDir()
	type row struct{ ours, gq MatchResult }
	rows := make([]row, len(names))
	parallel(len(names), func(i int) {
		name := names[i]
		rows[i].ours, rows[i].gq = scoreBoth(t, db, tmp, name, db)
	})
	fmt.Fprintf(&md, "### Per record (mitdb, signal 0, 360 Hz; from 5:00, 150 ms window; scored by bxb)\n\n")
	fmt.Fprintf(&md, "| record | ours TP | FN | FP | Se %% | +P %% | gqrs TP | FN | FP | Se %% | +P %% |\n|---|---|---|---|---|---|---|---|---|---|---|\n")
	var to, tg, po, pg MatchResult
	for i, name := range names {
		r := rows[i]
		mark := ""
		if paced[name] {
			mark = " (paced)"
			po.Add(r.ours)
			pg.Add(r.gq)
		} else {
			to.Add(r.ours)
			tg.Add(r.gq)
		}
		fmt.Fprintf(&md, "| %s%s | %s | %s |\n", name, mark, cells(r.ours), cells(r.gq))
	}
	fmt.Fprintf(&md, "| **44 non-paced, gross** | %s | %s |\n", cells(to), cells(tg))
	fmt.Fprintf(&md, "| 4 paced, gross | %s | %s |\n\n", cells(po), cells(pg))

	var nonPaced []string
	for _, n := range names {
		if !paced[n] {
			nonPaced = append(nonPaced, n)
		}
	}

	// 2. Resampled.
	fmt.Fprintf(&md, "### Other sampling rates (44 non-paced records resampled, gross)\n\n")
	fmt.Fprintf(&md, "| fs Hz | ours Se %% | ours +P %% | gqrs Se %% | gqrs +P %% |\n|---|---|---|---|---|\n")
	for _, fs := range []float64{125, 250, 500, 1000} {
		dir := t.TempDir()
		o, g := make([]MatchResult, len(nonPaced)), make([]MatchResult, len(nonPaced))
		parallel(len(nonPaced), func(i int) {
			name := nonPaced[i]
			transform(t, db, dir, name, fs, "", 0)
			o[i], g[i] = scoreBoth(t, dir, dir, name, dir)
		})
		so, sg := sum(o), sum(g)
		fmt.Fprintf(&md, "| %g | %.3f | %.3f | %.3f | %.3f |\n", fs, so.Sensitivity(), so.PositivePredictivity(), sg.Sensitivity(), sg.PositivePredictivity())
	}
	fmt.Fprintln(&md)

	// 3. Noise.
	fmt.Fprintf(&md, "### Noise stress (44 non-paced records, noise in alternate 2-minute segments from 5:00, gross)\n\n")
	fmt.Fprintf(&md, "| noise | SNR dB | ours Se %% | ours +P %% | gqrs Se %% | gqrs +P %% |\n|---|---|---|---|---|---|\n")
	for _, kind := range []string{"bw", "ma", "em"} {
		for _, snr := range []float64{24, 18, 12, 6, 0} {
			dir := t.TempDir()
			o, g := make([]MatchResult, len(nonPaced)), make([]MatchResult, len(nonPaced))
			parallel(len(nonPaced), func(i int) {
				name := nonPaced[i]
				transform(t, db, dir, name, 0, kind, snr)
				o[i], g[i] = scoreBoth(t, dir, dir, name, dir)
			})
			so, sg := sum(o), sum(g)
			fmt.Fprintf(&md, "| %s | %g | %.3f | %.3f | %.3f | %.3f |\n", kind, snr, so.Sensitivity(), so.PositivePredictivity(), sg.Sensitivity(), sg.PositivePredictivity())
		}
	}
	if err := os.WriteFile(filepath.Join(out, "beats-tables.md"), []byte(md.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + md.String())
}

func cells(m MatchResult) string {
	return fmt.Sprintf("%d | %d | %d | %.2f | %.2f", m.TP, m.FN, m.FP, m.Sensitivity(), m.PositivePredictivity())
}

func sum(ms []MatchResult) MatchResult {
	var s MatchResult
	for _, m := range ms {
		s.Add(m)
	}
	return s
}

func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			f(i)
		}()
	}
	wg.Wait()
}

// scoreBoth runs our detector (signal 0) and gqrs on record name (header
// in recDir), writes their annotations into outDir, and scores both
// against recDir's atr with bxb.
func scoreBoth(t *testing.T, recDir, outDir, name, atrDir string) (ours, gq MatchResult) {
	rec, err := wfdb.ReadRecord(filepath.Join(recDir, name))
	if err != nil {
		t.Error(err)
		return
	}
	det := Detect(rec.Physical(0), rec.Header.Fs)
	anns := make([]wfdb.Annotation, len(det))
	for i, b := range det {
		anns[i] = wfdb.Annotation{Sample: b.Sample, Type: wfdb.Normal}
	}
	if err := wfdb.WriteAnnotations(filepath.Join(outDir, name), "ours", anns); err != nil {
		t.Error(err)
		return
	}
	path := outDir + " " + recDir + " " + atrDir
	cmd := exec.Command("gqrs", "-r", name)
	cmd.Dir = outDir
	cmd.Env = append(os.Environ(), "WFDB="+path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("gqrs %s: %v %s", name, err, b)
		return
	}
	tp, fn, fp := runBxb(t, path, name, "ours")
	ours = MatchResult{TP: tp, FN: fn, FP: fp}
	tp, fn, fp = runBxb(t, path, name, "qrs")
	gq = MatchResult{TP: tp, FN: fn, FP: fp}
	return
}

// transform writes record name of db into dir, resampled to fs (0: as
// is) and with noise of the given kind at snr dB (kind "": none), with
// the reference annotations moved to the new rate.
func transform(t *testing.T, db, dir, name string, fs float64, kind string, snr float64) {
	rec, err := wfdb.ReadRecord(filepath.Join(db, name))
	if err != nil {
		t.Fatal(err)
	}
	h := *rec.Header
	h.Signals = slices.Clone(h.Signals)
	ref, err := wfdb.ReadAnnotations(filepath.Join(db, name), "atr")
	if err != nil {
		t.Fatal(err)
	}
	fs0 := h.Fs
	if fs == 0 {
		fs = fs0
	}
	data := make([][]int32, len(h.Signals))
	for s := range h.Signals {
		x := rec.Physical(s)
		if fs != fs0 {
			x = resample(x, fs0, fs)
		}
		if kind != "" {
			addNoise(x, fs, kind, snr, refSamples(ref, fs/fs0), uint64(s)+hashName(name))
		}
		sp := &h.Signals[s]
		sp.FileName = name + ".dat"
		sp.Format = 16
		sp.ADCResolution = 16
		g := sp.Gain
		if g == 0 {
			g = wfdb.DefaultGain
		}
		d := make([]int32, len(x))
		for i, v := range x {
			d[i] = int32(math.Round(v*g)) + sp.Baseline
		}
		data[s] = d
	}
	h.Fs = fs
	h.NSamples = int64(len(data[0]))
	if err := wfdb.WriteRecord(dir, &h, data); err != nil {
		t.Fatal(err)
	}
	scaled := make([]wfdb.Annotation, len(ref))
	for i, a := range ref {
		a.Sample = int64(math.Round(float64(a.Sample) * fs / fs0))
		scaled[i] = a
	}
	if err := wfdb.WriteAnnotations(filepath.Join(dir, name), "atr", scaled); err != nil {
		t.Fatal(err)
	}
}

func hashName(s string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

func refSamples(anns []wfdb.Annotation, scale float64) []int64 {
	var s []int64
	for _, a := range anns {
		if a.Type.IsBeat() {
			s = append(s, int64(math.Round(float64(a.Sample)*scale)))
		}
	}
	return s
}

// resample converts x from rate from to rate to: a zero-phase (forward
// and backward) 4th-order Butterworth low-pass at 0.4 of the lower rate,
// then linear interpolation.
func resample(x []float64, from, to float64) []float64 {
	y := slices.Clone(x)
	fc := 0.4 * math.Min(from, to)
	if fc < 0.45*from {
		c := cascade{lowpass2(fc, 0.5412, from), lowpass2(fc, 1.3066, from)}
		for i := range y {
			y[i] = c.step(y[i])
		}
		c.reset()
		for i := len(y) - 1; i >= 0; i-- {
			y[i] = c.step(y[i])
		}
	}
	n := int(float64(len(x)) * to / from)
	out := make([]float64, n)
	for i := range out {
		p := float64(i) * from / to
		k := int(p)
		if k+1 >= len(y) {
			out[i] = y[len(y)-1]
			continue
		}
		f := p - float64(k)
		out[i] = y[k]*(1-f) + y[k+1]*f
	}
	return out
}
