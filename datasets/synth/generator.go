package synth

import (
	"math"
	"math/rand/v2"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// maxLead is an upper bound, in seconds, on how far before its fiducial
// point a beat's waves start (the P wave: at most 0.18 s plus 5 widths).
const maxLead = 1.0

// cutoff is how many widths from its centre a Gaussian wave is evaluated;
// beyond, it is below 4e-6 of its amplitude.
const cutoff = 5.0

// Random streams: one per concern, so that reading samples in chunks of any
// size draws the same numbers.
const (
	streamMorph = 0x6d6f727068 // "morph": per-recording morphology and RR spectrum
	streamBeats = 0x6265617473 // "beats": RR intervals, premature beats, jitter
	streamNoise = 0x6e6f697365 // "noise": white noise
)

// sinusoid is a*sin(2*pi*f*t + phi).
type sinusoid struct{ a, f, phi float64 }

func sumSin(cs []sinusoid, t float64) float64 {
	var s float64
	for _, c := range cs {
		s += c.a * math.Sin(2*math.Pi*c.f*t+c.phi)
	}
	return s
}

// wave is one asymmetric Gaussian bump of a beat, in absolute time.
type wave struct {
	centre     float64 // s
	amp        float64 // mV
	sigL, sigR float64 // s
	start, end int64   // samples [start, end) where it is evaluated
}

// beatKind says what a scheduled beat draws and annotates.
type beatKind uint8

const (
	kindN     beatKind = iota // sinus (or fibrillation) beat: P (unless AF), QRS, T
	kindV                     // premature ventricular beat: wide QRS, discordant T
	kindPOnly                 // sinus P wave not conducted (hidden by a V beat)
	kindAF                    // beat in atrial fibrillation: QRS and T, no P
)

type event struct {
	sample int64 // fiducial sample, annotated unless kindPOnly
	kind   beatKind
	waves  []wave
	end    int64 // max over waves of end
}

// morphology holds a recording's beat shapes, drawn once from the seed.
type morphology struct {
	pAmp, pSig                                float64
	qAmp, qSig, rAmp, rSig, sAmp, sSig        float64
	tAmp, tSigL, tSigR, tDelay                float64
	vAmp, vSig, vNotch, vTAmp, vTSigL, vTSigR float64
}

// Generator produces a synthetic ECG a chunk at a time, with constant
// memory, for endless or paced streams. Generate uses it for whole
// recordings.
type Generator struct {
	opt   Options
	fs    float64
	total int64 // samples, or -1 for endless
	pos   int64 // next sample to produce

	beatRng, noiseRng *rand.Rand
	m                 morphology

	rr0, cv, fResp float64
	rrComps        []sinusoid // relative RR modulation, zero mean, std cv
	ampResp        sinusoid   // respiratory modulation of QRS amplitude
	wander         []sinusoid // baseline wander in mV

	// beat scheduling
	next      float64 // time of the next sinus firing (or AF beat), s
	blockNext bool    // the next sinus firing is hidden by a V beat
	sinceV    int     // conducted sinus beats since the last V beat
	pending   []event // beats whose waves reach sample pos or later

	// atrial fibrillation f-waves
	fBase, fDev, fAmp, fPhase float64
	fDrift, fAM               sinusoid
	fHarm                     float64
}

// NewGenerator checks opt and returns a generator positioned at sample 0.
func NewGenerator(opt Options) (*Generator, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	g := &Generator{opt: opt, fs: opt.Fs, total: -1}
	if opt.Duration > 0 {
		g.total = int64(math.Round(opt.Duration * opt.Fs))
	}
	seed := uint64(opt.Seed)
	mr := rand.New(rand.NewPCG(seed, streamMorph))
	g.beatRng = rand.New(rand.NewPCG(seed, streamBeats))
	g.noiseRng = rand.New(rand.NewPCG(seed, streamNoise))
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*mr.Float64() }

	// Beat shapes (lead II, adult at rest).
	g.m = morphology{
		pAmp: u(0.10, 0.20), pSig: u(0.020, 0.028),
		rAmp: u(0.9, 1.6), rSig: u(0.008, 0.011),
		qSig: u(0.007, 0.010), sSig: u(0.009, 0.012),
		tAmp: u(0.20, 0.45), tDelay: u(0.26, 0.30),
		tSigL: u(0.055, 0.065), tSigR: u(0.035, 0.045),
	}
	g.m.qAmp = -g.m.rAmp * u(0.05, 0.12)
	g.m.sAmp = -g.m.rAmp * u(0.15, 0.30)
	g.m.vAmp = u(1.2, 1.8)
	if mr.Float64() < 0.4 {
		g.m.vAmp = -g.m.vAmp
	}
	g.m.vSig = u(0.030, 0.038)
	g.m.vNotch = -0.3 * g.m.vAmp
	g.m.vTAmp = -u(0.25, 0.40) * g.m.vAmp
	g.m.vTSigL, g.m.vTSigR = u(0.065, 0.08), u(0.045, 0.055)

	// RR variability: very low, low (Mayer, ~0.1 Hz) and high (respiratory)
	// frequency bands with powers 0.2, 0.3, 0.5 of the total.
	g.rr0 = 60 / opt.HR
	g.fResp = u(0.2, 0.3)
	switch opt.Rhythm {
	case Tachy:
		g.cv = 0.02
	case Brady:
		g.cv = 0.05
	default:
		g.cv = 0.04
	}
	band := func(n int, power float64, f func() float64) {
		for i := 0; i < n; i++ {
			g.rrComps = append(g.rrComps, sinusoid{a: math.Sqrt(2*power/float64(n)) * u(0.7, 1.3), f: f(), phi: u(0, 2*math.Pi)})
		}
	}
	band(6, 0.2, func() float64 { return u(0.005, 0.04) })
	band(12, 0.3, func() float64 { return math.Max(0.04, math.Min(0.15, 0.1+0.015*mr.NormFloat64())) })
	band(12, 0.5, func() float64 { return math.Max(0.15, g.fResp+0.01*mr.NormFloat64()) })
	var p float64
	for _, c := range g.rrComps {
		p += c.a * c.a / 2
	}
	for i := range g.rrComps {
		g.rrComps[i].a *= g.cv / math.Sqrt(p)
	}
	g.ampResp = sinusoid{a: 0.05, f: g.fResp, phi: u(0, 2*math.Pi)}

	// Everything is drawn whatever the options, so that adding wander or
	// noise leaves the beats of a seed where they were.
	wander := []sinusoid{{a: 0.6, f: g.fResp, phi: u(0, 2*math.Pi)}}
	for i := 0; i < 3; i++ {
		wander = append(wander, sinusoid{a: 0.4 / 3, f: u(0.01, 0.1), phi: u(0, 2*math.Pi)})
	}
	if opt.Wander > 0 {
		for _, c := range wander {
			c.a *= opt.Wander
			g.wander = append(g.wander, c)
		}
	}
	fBase, fDev, fAmp := u(5, 7), u(0.4, 0.9), u(0.05, 0.1)
	fDrift := sinusoid{a: 1, f: u(0.05, 0.12), phi: u(0, 2*math.Pi)}
	fAM := sinusoid{a: 0.4, f: u(0.1, 0.3), phi: u(0, 2*math.Pi)}
	fHarm, fPhase := u(0.15, 0.3), u(0, 2*math.Pi)
	if opt.Rhythm == AFib {
		g.fBase, g.fDev, g.fAmp, g.fDrift, g.fAM, g.fHarm, g.fPhase = fBase, fDev, fAmp, fDrift, fAM, fHarm, fPhase
	}
	g.next = u(0.1, 0.9) * g.rr0
	return g, nil
}

// Options returns the options with defaults filled in.
func (g *Generator) Options() Options { return g.opt }

// Fs returns the sampling frequency in Hz.
func (g *Generator) Fs() float64 { return g.fs }

// Len returns the number of samples the generator produces in all, or -1
// when it is endless.
func (g *Generator) Len() int64 { return g.total }

// RhythmAnnotations returns the rhythm annotations of the recording: one
// rhythm change at sample 0 with the MIT-BIH note of the rhythm.
func (g *Generator) RhythmAnnotations() []wfdb.Annotation {
	return []wfdb.Annotation{{Sample: 0, Type: wfdb.Rhythm, Aux: RhythmNote(g.opt.Rhythm)}}
}

// Read fills dst with the next samples in mV and calls emit (when not nil)
// for each reference beat whose sample falls among them, in order. It
// returns the number of samples written: len(dst), fewer at the end of a
// finite recording, and 0 after its end.
func (g *Generator) Read(dst []float64, emit func(Beat)) int {
	n := int64(len(dst))
	if g.total >= 0 && g.pos+n > g.total {
		n = g.total - g.pos
	}
	if n <= 0 {
		return 0
	}
	dst = dst[:n]
	a, b := g.pos, g.pos+n
	for g.next-maxLead <= float64(b)/g.fs {
		g.schedule()
	}
	clear(dst)
	for _, e := range g.pending {
		if emit != nil && e.kind != kindPOnly && e.sample >= a && e.sample < b {
			emit(Beat{Sample: e.sample, Type: e.typeCode()})
		}
		for _, w := range e.waves {
			lo, hi := max(a, w.start), min(b, w.end)
			for i := lo; i < hi; i++ {
				d := float64(i)/g.fs - w.centre
				s := w.sigR
				if d < 0 {
					s = w.sigL
				}
				dst[i-a] += w.amp * math.Exp(-0.5*d*d/(s*s))
			}
		}
	}
	// Drop beats drawn to the end; keep the order of the rest.
	k := 0
	for _, e := range g.pending {
		if e.end > b {
			g.pending[k] = e
			k++
		}
	}
	clear(g.pending[k:])
	g.pending = g.pending[:k]

	if g.fAmp > 0 {
		for i := range dst {
			t := float64(a+int64(i)) / g.fs
			f := g.fBase + g.fDev*math.Sin(2*math.Pi*g.fDrift.f*t+g.fDrift.phi)
			amp := g.fAmp * (1 + g.fAM.a*math.Sin(2*math.Pi*g.fAM.f*t+g.fAM.phi))
			dst[i] += amp * (math.Sin(g.fPhase) + g.fHarm*math.Sin(2*g.fPhase+1))
			g.fPhase += 2 * math.Pi * f / g.fs
			if g.fPhase >= 2*math.Pi {
				g.fPhase -= 2 * math.Pi
			}
		}
	}
	if len(g.wander) > 0 {
		for i := range dst {
			dst[i] += sumSin(g.wander, float64(a+int64(i))/g.fs)
		}
	}
	if g.opt.Noise > 0 {
		for i := range dst {
			dst[i] += g.opt.Noise * g.noiseRng.NormFloat64()
		}
	}
	g.pos = b
	return int(n)
}

func (e *event) typeCode() wfdb.Code {
	if e.kind == kindV {
		return wfdb.PVC
	}
	return wfdb.Normal
}

// rrAt returns the sinus RR interval that starts at time t.
func (g *Generator) rrAt(t float64) float64 {
	rr := g.rr0 * (1 + sumSin(g.rrComps, t)) * (1 + 0.004*g.beatRng.NormFloat64())
	return math.Max(rr, 0.25)
}

// schedule adds the beats of the next cycle to g.pending and advances
// g.next.
func (g *Generator) schedule() {
	t := g.next
	if g.opt.Rhythm == AFib {
		const sigma = 0.25
		rr := g.rr0 * math.Exp(sigma*g.beatRng.NormFloat64()-sigma*sigma/2)
		rr = math.Max(rr, 0.25)
		g.add(kindAF, t, rr)
		g.next = t + rr
		return
	}
	rr := g.rrAt(t)
	if g.blockNext {
		g.add(kindPOnly, t, rr)
		g.blockNext = false
		g.next = t + rr
		return
	}
	g.add(kindN, t, rr)
	g.sinceV++
	premature := false
	switch g.opt.Rhythm {
	case PVC:
		f := g.opt.PVCFraction
		premature = g.beatRng.Float64() < f/(1-f)
	case Bigeminy:
		premature = g.sinceV >= 1
	case Trigeminy:
		premature = g.sinceV >= 2
	}
	if premature {
		c := 0.55 + 0.15*g.beatRng.Float64()
		g.add(kindV, t+c*rr, rr)
		g.blockNext = true
		g.sinceV = 0
	}
	g.next = t + rr
}

// add appends a beat of kind k with fiducial time t (s) and RR interval rr
// (s) to g.pending.
func (g *Generator) add(k beatKind, t, rr float64) {
	m := &g.m
	jit := 1 + 0.02*g.beatRng.NormFloat64()
	resp := 1 + g.ampResp.a*math.Sin(2*math.Pi*g.ampResp.f*t+g.ampResp.phi)
	sq := math.Sqrt(math.Min(math.Max(rr, 0.3), 2))
	e := event{sample: int64(math.Round(t * g.fs)), kind: k}
	var ws [6]wave
	w := ws[:0]
	pDelay := 0.12 + 0.04*math.Min(rr, 1.5)
	switch k {
	case kindN, kindAF:
		if k == kindN {
			w = append(w, wave{centre: t - pDelay, amp: m.pAmp * jit, sigL: m.pSig * 1.1, sigR: m.pSig * 0.9})
		}
		a := jit * resp
		w = append(w,
			wave{centre: t - 0.028, amp: m.qAmp * a, sigL: m.qSig, sigR: m.qSig},
			wave{centre: t, amp: m.rAmp * a, sigL: m.rSig, sigR: m.rSig},
			wave{centre: t + 0.030, amp: m.sAmp * a, sigL: m.sSig, sigR: m.sSig},
			wave{centre: t + m.tDelay*sq, amp: m.tAmp * jit, sigL: m.tSigL * sq, sigR: m.tSigR * sq},
		)
	case kindV:
		a := jit * resp
		w = append(w,
			wave{centre: t, amp: m.vAmp * a, sigL: m.vSig, sigR: m.vSig * 1.2},
			wave{centre: t + 0.07, amp: m.vNotch * a, sigL: 0.02, sigR: 0.025},
			wave{centre: t + 0.32*sq, amp: m.vTAmp * jit, sigL: m.vTSigL * sq, sigR: m.vTSigR * sq},
		)
	case kindPOnly:
		w = append(w, wave{centre: t - pDelay, amp: m.pAmp * jit, sigL: m.pSig * 1.1, sigR: m.pSig * 0.9})
	}
	e.waves = make([]wave, len(w))
	for i, x := range w {
		x.start = int64(math.Ceil((x.centre - cutoff*x.sigL) * g.fs))
		x.end = int64(math.Floor((x.centre+cutoff*x.sigR)*g.fs)) + 1
		e.waves[i] = x
		e.end = max(e.end, x.end)
	}
	g.pending = append(g.pending, e)
}
