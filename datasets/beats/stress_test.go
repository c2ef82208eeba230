package beats

import (
	"fmt"
	"math"
	"math/rand/v2"
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

// addNoise adds synthetic noise to x (mV, rate fs) in alternate 2-minute
// segments from 5:00 on, as the MIT-BIH Noise Stress Test does, scaled so
// that the signal-to-noise ratio is snr dB. The signal power is that of a
// sine wave with the median peak-to-peak QRS amplitude (A^2/8, as nst
// defines it), measured within 50 ms of the reference beats; the noise
// power is its variance. Kinds (all Gaussian noise shaped by filters):
//   - bw: baseline wander, low-passed at 0.5 Hz (2nd-order Butterworth);
//   - ma: muscle (EMG-like), band-passed 10-100 Hz (capped at 0.45 fs);
//   - em: electrode motion, band-passed 1-15 Hz and gated by bursts of
//     0.5-3 s with smooth edges, with random steps at burst starts.
func addNoise(x []float64, fs float64, kind string, snr float64, ref []int64, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	w := int(0.05 * fs)
	var amps []float64
	for _, s := range ref {
		lo, hi := int(s)-w, int(s)+w
		if lo < 0 || hi >= len(x) {
			continue
		}
		mn, mx := math.Inf(1), math.Inf(-1)
		for _, v := range x[lo:hi] {
			if !math.IsNaN(v) {
				mn, mx = math.Min(mn, v), math.Max(mx, v)
			}
		}
		if mx > mn {
			amps = append(amps, mx-mn)
		}
	}
	if len(amps) == 0 {
		return
	}
	slices.Sort(amps)
	a := amps[len(amps)/2]
	ps := a * a / 8
	pn := ps / math.Pow(10, snr/10)

	n := make([]float64, len(x))
	var c cascade
	switch kind {
	case "bw":
		c = cascade{lowpass2(0.5, math.Sqrt2/2, fs)}
	case "ma":
		c = cascade{highpass2(10, math.Sqrt2/2, fs), lowpass2(math.Min(100, 0.45*fs), math.Sqrt2/2, fs)}
	case "em":
		c = cascade{highpass2(1, math.Sqrt2/2, fs), lowpass2(15, math.Sqrt2/2, fs)}
	}
	for i := range n {
		n[i] = c.step(rng.NormFloat64())
	}
	if kind == "em" {
		// Bursts: on for 0.5-3 s, off for 0.5-3 s, raised-cosine edges of
		// 0.1 s, a step (0.5 to 2 noise units) at each start.
		i := 0
		on := false
		step := 0.0
		for i < len(n) {
			dur := int((0.5 + 2.5*rng.Float64()) * fs)
			edge := int(0.1 * fs)
			if on {
				step = (0.5 + 1.5*rng.Float64()) * float64(1-2*rng.IntN(2))
			}
			for k := 0; k < dur && i < len(n); k, i = k+1, i+1 {
				g := 0.0
				if on {
					g = 1
					if k < edge {
						g = 0.5 - 0.5*math.Cos(math.Pi*float64(k)/float64(edge))
					} else if dur-k < edge {
						g = 0.5 - 0.5*math.Cos(math.Pi*float64(dur-k)/float64(edge))
					}
				}
				n[i] = g * (n[i] + step*0.02)
			}
			on = !on
		}
	}
	// Scale to the target power over the noisy segments.
	seg := int(120 * fs)
	start := int(300 * fs)
	noisy := func(i int) bool { return i >= start && ((i-start)/seg)%2 == 0 }
	var mean, cnt float64
	for i := range n {
		if noisy(i) {
			mean += n[i]
			cnt++
		}
	}
	if cnt == 0 {
		return
	}
	mean /= cnt
	var v float64
	for i := range n {
		if noisy(i) {
			v += (n[i] - mean) * (n[i] - mean)
		}
	}
	v /= cnt
	if v == 0 {
		return
	}
	k := math.Sqrt(pn / v)
	for i := range x {
		if noisy(i) {
			x[i] += k * (n[i] - mean)
		}
	}
}
