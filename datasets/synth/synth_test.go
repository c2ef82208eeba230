package synth

import (
	"errors"
	"math"
	"math/cmplx"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

func gen(t *testing.T, opt Options) *Recording {
	t.Helper()
	rec, err := Generate(opt)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opt, err)
	}
	return rec
}

func rrSeconds(rec *Recording) []float64 {
	var rr []float64
	for i := 1; i < len(rec.Beats); i++ {
		rr = append(rr, float64(rec.Beats[i].Sample-rec.Beats[i-1].Sample)/rec.Fs)
	}
	return rr
}

func meanStd(x []float64) (m, s float64) {
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return m, math.Sqrt(s / float64(len(x)))
}

func TestSameSeedSameOutput(t *testing.T) {
	for _, r := range Rhythms {
		opt := Options{Rhythm: r, Duration: 30, Seed: 7, Noise: 0.05, Wander: 0.2}
		a, b := gen(t, opt), gen(t, opt)
		if !slices.Equal(a.MV, b.MV) || !slices.Equal(a.Beats, b.Beats) {
			t.Errorf("%s: two runs with seed 7 differ", r)
		}
		opt.Seed = 8
		c := gen(t, opt)
		if slices.Equal(a.MV, c.MV) {
			t.Errorf("%s: seeds 7 and 8 give the same samples", r)
		}
	}
}

// TestChunking reads a generator in uneven chunks: the samples and beats
// must be those of Generate, bit for bit.
func TestChunking(t *testing.T) {
	for _, r := range []string{Normal, AFib, PVC} {
		opt := Options{Rhythm: r, Duration: 40, Seed: 3, Noise: 0.02, Wander: 0.1, Fs: 250}
		want := gen(t, opt)
		g, err := NewGenerator(opt)
		if err != nil {
			t.Fatal(err)
		}
		var got []float64
		var beats []Beat
		sizes := []int{1, 7, 250, 3, 1000, 4096, 13}
		for i := 0; ; i++ {
			buf := make([]float64, sizes[i%len(sizes)])
			n := g.Read(buf, func(b Beat) { beats = append(beats, b) })
			if n == 0 {
				break
			}
			got = append(got, buf[:n]...)
		}
		if !slices.Equal(got, want.MV) {
			t.Errorf("%s: chunked samples differ from Generate (%d vs %d samples)", r, len(got), len(want.MV))
		}
		if !slices.Equal(beats, want.Beats) {
			t.Errorf("%s: chunked beats differ: %d vs %d", r, len(beats), len(want.Beats))
		}
	}
}

func TestLengthAndRhythmNote(t *testing.T) {
	notes := map[string]string{Normal: "(N", AFib: "(AFIB", Brady: "(SBR", Tachy: "(N", PVC: "(N", Bigeminy: "(B", Trigeminy: "(T"}
	for _, r := range Rhythms {
		rec := gen(t, Options{Rhythm: r, Duration: 10.5, Fs: 200})
		if len(rec.MV) != 2100 {
			t.Errorf("%s: %d samples, want 2100", r, len(rec.MV))
		}
		if len(rec.Rhythms) != 1 || rec.Rhythms[0].Type != wfdb.Rhythm || rec.Rhythms[0].Aux != notes[r] || rec.Rhythms[0].Sample != 0 {
			t.Errorf("%s: rhythm annotations %+v, want one %q at 0", r, rec.Rhythms, notes[r])
		}
		for _, b := range rec.Beats {
			if b.Sample < 0 || b.Sample >= 2100 {
				t.Errorf("%s: beat at %d outside the record", r, b.Sample)
			}
		}
	}
}

// TestHeartRate: the mean beat rate matches HR for every rhythm, at several
// sampling rates.
func TestHeartRate(t *testing.T) {
	cases := []struct {
		rhythm string
		hr     float64
	}{
		{Normal, 60}, {Normal, 72}, {Normal, 100}, {AFib, 80}, {AFib, 130}, {Brady, 40},
		{Tachy, 150}, {PVC, 75}, {Bigeminy, 66}, {Trigeminy, 90},
	}
	for i, c := range cases {
		fs := []float64{360, 128, 500, 250, 1000}[i%5]
		rec := gen(t, Options{Rhythm: c.rhythm, HR: c.hr, Duration: 600, Fs: fs, Seed: int64(i)})
		n := len(rec.Beats)
		span := float64(rec.Beats[n-1].Sample-rec.Beats[0].Sample) / fs
		hr := float64(n-1) / span * 60
		tol := 0.02
		if c.rhythm == AFib {
			tol = 0.04 // independent intervals: the mean of ~1000 varies more
		}
		if math.Abs(hr-c.hr)/c.hr > tol {
			t.Errorf("%s HR %g at %g Hz: measured %.2f bpm", c.rhythm, c.hr, fs, hr)
		}
	}
}

// TestRRIrregularity: atrial fibrillation is irregularly irregular, sinus
// rhythm is not.
func TestRRIrregularity(t *testing.T) {
	for seed := int64(0); seed < 5; seed++ {
		for _, r := range []string{Normal, AFib, Brady, Tachy} {
			rec := gen(t, Options{Rhythm: r, Duration: 300, Seed: seed})
			rr := rrSeconds(rec)
			m, s := meanStd(rr)
			cv := s / m
			// Successive differences: large in AF, small in sinus rhythm.
			var d []float64
			for i := 1; i < len(rr); i++ {
				d = append(d, math.Abs(rr[i]-rr[i-1])/m)
			}
			md, _ := meanStd(d)
			switch r {
			case AFib:
				if cv < 0.18 || md < 0.15 {
					t.Errorf("seed %d afib: RR CV %.3f, mean |dRR|/RR %.3f: not irregular enough", seed, cv, md)
				}
			default:
				if cv > 0.08 || cv < 0.01 || md > 0.08 {
					t.Errorf("seed %d %s: RR CV %.3f, mean |dRR|/RR %.3f", seed, r, cv, md)
				}
			}
		}
	}
}

// TestBeatPositions: each N beat annotation is at the R peak (the largest
// value within 60 ms in a clean record), and each V beat at the extreme of
// its main deflection.
func TestBeatPositions(t *testing.T) {
	for _, r := range []string{Normal, PVC, Bigeminy, AFib} {
		for _, fs := range []float64{360, 250, 1000} {
			rec := gen(t, Options{Rhythm: r, Duration: 60, Fs: fs, Seed: 11})
			half := int64(0.06 * fs)
			for _, b := range rec.Beats {
				lo, hi := max(0, b.Sample-half), min(int64(len(rec.MV)), b.Sample+half+1)
				sign := 1.0
				if b.Type == wfdb.PVC && rec.MV[b.Sample] < 0 {
					sign = -1
				}
				best := b.Sample
				for i := lo; i < hi; i++ {
					if sign*rec.MV[i] > sign*rec.MV[best] {
						best = i
					}
				}
				if d := best - b.Sample; d < -1 || d > 1 {
					t.Errorf("%s %g Hz: beat %s at %d, extreme at %d", r, fs, b.Type.Symbol(), b.Sample, best)
					break
				}
				if math.Abs(rec.MV[b.Sample]) < 0.5 {
					t.Errorf("%s %g Hz: beat at %d has amplitude %.3f mV", r, fs, b.Sample, rec.MV[b.Sample])
					break
				}
			}
		}
	}
}

func countTypes(rec *Recording) (n, v int) {
	for _, b := range rec.Beats {
		switch b.Type {
		case wfdb.Normal:
			n++
		case wfdb.PVC:
			v++
		}
	}
	return
}

// TestPrematureBeats checks the V beat patterns and the compensatory pause.
func TestPrematureBeats(t *testing.T) {
	rec := gen(t, Options{Rhythm: PVC, Duration: 600, Seed: 5})
	n, v := countTypes(rec)
	if f := float64(v) / float64(n+v); f < 0.11 || f > 0.19 {
		t.Errorf("pvc: %d of %d beats are V (%.3f), want about 0.15", v, n+v, f)
	}
	checkPauses(t, "pvc", rec)

	rec = gen(t, Options{Rhythm: Bigeminy, Duration: 120, Seed: 5})
	for i, b := range rec.Beats {
		want := wfdb.Normal
		if (b.Type == wfdb.PVC) != (rec.Beats[0].Type == wfdb.PVC) == (i%2 == 0) {
			t.Fatalf("bigeminy: beat %d is %s, pattern broken", i, b.Type.Symbol())
		}
		_ = want
	}
	checkPauses(t, "bigeminy", rec)

	rec = gen(t, Options{Rhythm: Trigeminy, Duration: 120, Seed: 5})
	var s []byte
	for _, b := range rec.Beats {
		s = append(s, b.Type.Symbol()[0])
	}
	for i := 3; i+3 <= len(s); i += 3 {
		// after the first V, the pattern is N N V
		if string(s[i-3:i]) != "NNV" && string(s[i-3:i]) != "NVN" && string(s[i-3:i]) != "VNN" {
			t.Fatalf("trigeminy pattern broken: %s", s)
		}
	}
	if _, v := countTypes(rec); math.Abs(float64(v)-float64(len(s))/3) > 1 {
		t.Errorf("trigeminy: %d V of %d beats", v, len(s))
	}
}

// checkPauses: a V beat comes early (55-70 % of the sinus RR) and the
// interval N-V-N spans two sinus cycles.
func checkPauses(t *testing.T, name string, rec *Recording) {
	t.Helper()
	b := rec.Beats
	rr0 := 60 / rec.Options.HR
	for i := 1; i+1 < len(b); i++ {
		if b[i].Type != wfdb.PVC {
			continue
		}
		if b[i-1].Type != wfdb.Normal || b[i+1].Type != wfdb.Normal {
			t.Fatalf("%s: V beat %d not between N beats", name, i)
		}
		pre := float64(b[i].Sample-b[i-1].Sample) / rec.Fs
		both := float64(b[i+1].Sample-b[i-1].Sample) / rec.Fs
		if pre < 0.45*rr0 || pre > 0.8*rr0 {
			t.Errorf("%s: coupling interval %.3f s with RR %.3f s", name, pre, rr0)
		}
		if both < 1.7*rr0 || both > 2.3*rr0 {
			t.Errorf("%s: N-V-N spans %.3f s, want about 2 RR = %.3f s", name, both, 2*rr0)
		}
	}
}

// TestFibrillatoryWaves renders only the f-waves of an AF generator (beats
// of zero amplitude) and checks that their power lies in 4-9 Hz.
func TestFibrillatoryWaves(t *testing.T) {
	for seed := int64(0); seed < 4; seed++ {
		g, err := NewGenerator(Options{Rhythm: AFib, Duration: 20, Fs: 200, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		g.m = morphology{}
		x := make([]float64, 4000)
		g.Read(x, nil)
		_, s := meanStd(x)
		if s < 0.02 || s > 0.1 {
			t.Errorf("seed %d: f-wave RMS %.3f mV", seed, s)
		}
		var in, all float64
		for k := 1; k < len(x)/2; k++ {
			var c complex128
			for i, v := range x {
				c += complex(v, 0) * cmplx.Exp(complex(0, -2*math.Pi*float64(k*i)/float64(len(x))))
			}
			p := real(c)*real(c) + imag(c)*imag(c)
			f := float64(k) * 200 / float64(len(x))
			all += p
			if f >= 4 && f <= 9 {
				in += p
			}
		}
		if in/all < 0.8 {
			t.Errorf("seed %d: %.2f of f-wave power in 4-9 Hz", seed, in/all)
		}
	}
}

// TestNoPWavesInAF: AF beats have no wave before the QRS; sinus beats
// have their P wave 0.12-0.2 s before R.
func TestNoPWavesInAF(t *testing.T) {
	for _, r := range []string{AFib, Normal} {
		g, _ := NewGenerator(Options{Rhythm: r, Duration: 10})
		x := make([]float64, 10)
		g.Read(x, nil)
		for _, e := range g.pending {
			t0 := float64(e.sample) / g.fs
			hasP := false
			for _, w := range e.waves {
				if d := t0 - w.centre; d > 0.1 && d < 0.21 && w.amp > 0.05 {
					hasP = true
				}
			}
			if hasP != (r == Normal) {
				t.Errorf("%s: beat at %d has P wave: %v", r, e.sample, hasP)
			}
		}
	}
}

// TestNoiseLevel: noise comes from its own random stream, so the difference
// between a noisy and a clean record of the same seed is the noise alone.
func TestNoiseLevel(t *testing.T) {
	clean := gen(t, Options{Duration: 60, Seed: 9})
	noisy := gen(t, Options{Duration: 60, Seed: 9, Noise: 0.1})
	if !slices.Equal(clean.Beats, noisy.Beats) {
		t.Fatal("noise changed the beats")
	}
	d := make([]float64, len(clean.MV))
	for i := range d {
		d[i] = noisy.MV[i] - clean.MV[i]
	}
	m, s := meanStd(d)
	if math.Abs(m) > 0.005 || math.Abs(s-0.1) > 0.005 {
		t.Errorf("noise mean %.4f std %.4f, want 0 and 0.1", m, s)
	}
	wander := gen(t, Options{Duration: 60, Seed: 9, Wander: 0.5})
	var peak float64
	for i := range d {
		peak = max(peak, math.Abs(wander.MV[i]-clean.MV[i]))
	}
	if peak < 0.2 || peak > 0.5+1e-9 {
		t.Errorf("wander peak %.3f mV, want at most 0.5 and not tiny", peak)
	}
}

// TestAmplitudes: a clean normal recording looks like lead II in mV.
func TestAmplitudes(t *testing.T) {
	rec := gen(t, Options{Duration: 30, Seed: 2})
	lo, hi := slices.Min(rec.MV), slices.Max(rec.MV)
	if hi < 0.8 || hi > 1.8 || lo > -0.1 || lo < -0.6 {
		t.Errorf("range %.3f..%.3f mV", lo, hi)
	}
}

func TestOptionErrors(t *testing.T) {
	bad := []Options{
		{Rhythm: "vfib", Duration: 1},
		{Rhythm: Brady, HR: 70, Duration: 1},
		{Rhythm: Tachy, HR: 90, Duration: 1},
		{Rhythm: Normal, HR: 120, Duration: 1},
		{HR: math.NaN(), Duration: 1},
		{Fs: 10, Duration: 1},
		{Noise: -1, Duration: 1},
		{Duration: -1},
		{Duration: math.Inf(1)},
		{Duration: 0},
		{Rhythm: PVC, PVCFraction: 0.9, Duration: 1},
		{Duration: 25 * 3600, Fs: 1000},
	}
	for _, o := range bad {
		if _, err := Generate(o); !errors.Is(err, ErrOptions) {
			t.Errorf("Generate(%+v): error %v, want ErrOptions", o, err)
		}
	}
}

func TestEndlessGenerator(t *testing.T) {
	g, err := NewGenerator(Options{Rhythm: AFib, Fs: 100})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float64, 1000)
	beats := 0
	for i := 0; i < 200; i++ { // 2000 s
		if n := g.Read(buf, func(Beat) { beats++ }); n != len(buf) {
			t.Fatalf("endless generator returned %d", n)
		}
		if len(g.pending) > 20 {
			t.Fatalf("%d pending beats: memory grows", len(g.pending))
		}
	}
	if hr := float64(beats) / 2000 * 60; math.Abs(hr-95) > 4 {
		t.Errorf("endless afib HR %.1f", hr)
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, r := range []string{Normal, AFib} {
		b.Run(r, func(b *testing.B) {
			g, _ := NewGenerator(Options{Rhythm: r, Noise: 0.02, Wander: 0.1})
			buf := make([]float64, 3600)
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				g.Read(buf, nil)
			}
		})
	}
}

func TestWriteWFDB(t *testing.T) {
	dir := t.TempDir()
	rec := gen(t, Options{Rhythm: Bigeminy, Duration: 20, Fs: 250, Seed: 4, Noise: 0.02})
	if err := rec.WriteWFDB(dir, "sim1"); err != nil {
		t.Fatal(err)
	}
	back, err := wfdb.ReadRecord(dir + "/sim1")
	if err != nil {
		t.Fatal(err)
	}
	if back.Header.Fs != 250 || back.NumFrames() != len(rec.MV) || back.Header.Signals[0].Units != "mV" {
		t.Fatalf("header %+v", back.Header)
	}
	for i, v := range back.Physical(0) {
		if math.Abs(v-rec.MV[i]) > 0.5/200+1e-12 {
			t.Fatalf("sample %d: %g read back, %g written", i, v, rec.MV[i])
		}
	}
	anns, err := wfdb.ReadAnnotations(dir+"/sim1", "atr")
	if err != nil {
		t.Fatal(err)
	}
	if len(anns) != len(rec.Beats)+1 || anns[0].Type != wfdb.Rhythm || anns[0].Aux != "(B" {
		t.Fatalf("%d annotations, first %+v", len(anns), anns[0])
	}
	for i, b := range rec.Beats {
		if a := anns[i+1]; a.Sample != b.Sample || a.Type != b.Type {
			t.Fatalf("annotation %d: %+v, want beat %+v", i+1, a, b)
		}
	}
	if err := rec.WriteWFDB(dir, "../x"); err == nil {
		t.Error("record name with a path: no error")
	}
}
