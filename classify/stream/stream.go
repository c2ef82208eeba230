package stream

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets/beats"
)

// Scorer classifies a signal segment in mV sampled at fs Hz;
// *classify.Model is one.
type Scorer interface {
	PredictSignal(x []float64, fs float64) (classify.Prediction, error)
}

// Config sets up the processing of a stream.
type Config struct {
	// Fs is the sampling rate in Hz; 0 means infer it from timestamps.
	Fs float64
	// Window and Hop are the length of the scored windows and the step
	// between their ends, in seconds; 0 means 60 and 10.
	Window, Hop float64
	// Model scores each window; nil means windows carry heart rate and
	// quality only.
	Model Scorer
	// Normal lists labels that never raise alerts; nil means {"N"}.
	Normal []string
	// NoiseLabels lists labels that say the signal is too noisy to read
	// (a model trained on the CinC 2017 "~" class): a window predicted as
	// one is inconclusive, and they never raise alerts; nil means
	// DefaultNoiseLabels.
	NoiseLabels []string
	// AlertThreshold is the score a label must reach in a window, 0 means
	// 0.8; AlertWindows the number of consecutive such windows that raise
	// an alert, 0 means 3.
	AlertThreshold float64
	AlertWindows   int
	// MaxNoisy is the largest share of noisy beats (beats.Beat.Noisy) a
	// window may have and still count for alerts; 0 means DefaultMaxNoisy, 1 or more
	// turns the test off. A window with more, with fewer than two beats,
	// or with a flat or lead-off second is inconclusive: its prediction
	// is reported, but it neither raises, continues nor clears an alert.
	MaxNoisy float64
	// Beats asks for a beat event per detected beat.
	Beats bool
	// Now returns the wall time stamped on events; nil means time.Now.
	Now func() time.Time
	// Emit receives the events, in order. It must not keep Body pointers
	// beyond the call if it changes them.
	Emit func(Event)
	// OnAlert, when not nil, is called with each alert event after Emit
	// (for --alert-exec); it must not block.
	OnAlert func(Event)
	// AlertsDropped, when not nil, reports the alerts OnAlert dropped, for
	// status events.
	AlertsDropped func() int64
	// AlertsFailed, when not nil, reports the alert commands that failed
	// (CommandNotifier.Failed), for status events: a failure shows in the
	// next one.
	AlertsFailed func() int64
	// Quality thresholds in mV: a second whose peak-to-peak amplitude is
	// below FlatMV (0: 0.02) is flat (two such seconds in a row report
	// "flat"); one whose mean is beyond LeadOffMV (0: 5) is "lead_off"; one
	// whose sample-to-sample noise estimate exceeds NoiseMV (0: 0.15) is
	// "noise".
	FlatMV, LeadOffMV, NoiseMV float64
}

// DefaultMaxNoisy is the default Config.MaxNoisy.
const DefaultMaxNoisy = 0.5

// maxPending bounds the samples held while the rate is inferred from
// timestamps.
const maxPending = 1 << 16

// ratePoints is the number of timestamped samples used to infer the rate.
const ratePoints = 256

// Stream turns input bytes into events: decode, detect beats, score
// windows, watch quality, raise alerts. Feed it with Write (chunks of any
// size give the same events), Reset after a reconnection, and Close at
// the end. It is not safe for concurrent use.
type Stream struct {
	cfg    Config
	dec    *decoder
	counts [numProblems]int64
	proc   *processor

	// rate inference
	pend    []float64
	stamps  []stamp
	timeUns string
	err     error
}

type stamp struct {
	i  int64
	ts float64
}

// MaxWindowSamples bounds a window's length in samples (an hour at 1 kHz):
// a window and its scoring copy are held in memory.
const MaxWindowSamples = 3600 * 1000

// checkRate checks a stream's rate against the beat detector's
// (beats.CheckRate: an error wrapping beats.ErrRate outside beats.MinFs to
// beats.MaxFs) and that its window fits MaxWindowSamples at that rate.
func (s *Stream) checkRate(fs float64) error {
	if err := beats.CheckRate(fs); err != nil {
		return err
	}
	if n := s.cfg.Window * fs; n > MaxWindowSamples {
		return fmt.Errorf("window %gs at %g Hz: %.0f samples, more than %d: take a shorter window", s.cfg.Window, fs, n, MaxWindowSamples)
	}
	return nil
}

// New returns a Stream reading input described by in. A Config.Fs
// outside the beat detector's rates is an error wrapping beats.ErrRate.
func New(in InputOptions, cfg Config) (*Stream, error) {
	if cfg.Emit == nil {
		return nil, errors.New("stream: Config.Emit is nil")
	}
	if cfg.Window == 0 {
		cfg.Window = 60
	}
	if cfg.Hop == 0 {
		cfg.Hop = 10
	}
	if !(cfg.Window > 0 && cfg.Window <= 3600) || !(cfg.Hop > 0 && cfg.Hop <= cfg.Window) {
		return nil, fmt.Errorf("stream: window %gs, hop %gs (want 0 < hop <= window <= 3600s)", cfg.Window, cfg.Hop)
	}
	if cfg.NoiseLabels == nil {
		cfg.NoiseLabels = DefaultNoiseLabels
	}
	if cfg.Normal == nil {
		cfg.Normal = []string{"N"}
	}
	if cfg.AlertThreshold == 0 {
		cfg.AlertThreshold = 0.8
	}
	if !(cfg.AlertThreshold > 0 && cfg.AlertThreshold <= 1) {
		return nil, fmt.Errorf("stream: alert threshold %g (want 0-1)", cfg.AlertThreshold)
	}
	if cfg.AlertWindows == 0 {
		cfg.AlertWindows = 3
	}
	if cfg.AlertWindows < 1 {
		return nil, fmt.Errorf("stream: alert windows %d (want 1 or more)", cfg.AlertWindows)
	}
	if cfg.MaxNoisy == 0 {
		cfg.MaxNoisy = DefaultMaxNoisy
	}
	if !(cfg.MaxNoisy > 0) {
		return nil, fmt.Errorf("stream: max noisy share %g (want more than 0)", cfg.MaxNoisy)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.FlatMV == 0 {
		cfg.FlatMV = 0.02
	}
	if cfg.LeadOffMV == 0 {
		cfg.LeadOffMV = 5
	}
	if cfg.NoiseMV == 0 {
		cfg.NoiseMV = 0.15
	}
	s := &Stream{cfg: cfg}
	d, err := newDecoder(in, s)
	if err != nil {
		return nil, err
	}
	s.dec = d
	s.timeUns = d.opt.TimeUnits
	if cfg.Fs != 0 {
		if err := s.checkRate(cfg.Fs); err != nil {
			return nil, err
		}
		s.start(cfg.Fs)
	} else if !d.hasTime() {
		return nil, ErrNoRate
	}
	return s, nil
}

// Write decodes p and processes its samples. It fails only when the
// sampling rate cannot be inferred from the timestamps; input problems are
// counted in status events.
func (s *Stream) Write(p []byte) error {
	if s.err != nil {
		return s.err
	}
	s.dec.write(p)
	return s.err
}

// Reset tells the stream that its input was reconnected: a partial line is
// dropped, and so is the next one (it may start mid-line). It emits a
// status event with Input "connected".
func (s *Stream) Reset() {
	s.dec.reset()
	if s.proc != nil {
		s.proc.status("connected")
	}
}

// Disconnected emits a status event with Input "disconnected".
func (s *Stream) Disconnected() {
	if s.proc != nil {
		s.proc.status("disconnected")
	}
}

// Close ends the stream: it decodes a last unterminated line, flushes the
// beat detector, scores the last window, and emits a final status event.
func (s *Stream) Close() error {
	if s.err != nil {
		return s.err
	}
	s.dec.flush()
	if s.proc == nil && len(s.stamps) >= 2 {
		s.inferRate()
	}
	if s.err != nil {
		return s.err
	}
	if s.proc == nil {
		if len(s.pend) > 0 {
			return ErrNoRate
		}
		return nil
	}
	s.proc.close()
	return nil
}

// Samples returns the number of samples processed.
func (s *Stream) Samples() int64 {
	if s.proc == nil {
		return 0
	}
	return s.proc.n
}

// Fs returns the sampling rate, 0 while it is not known yet.
func (s *Stream) Fs() float64 {
	if s.proc == nil {
		return 0
	}
	return s.proc.fs
}

func (s *Stream) problem(kind int) { s.counts[kind]++ }

func (s *Stream) sample(v, ts float64, hasTS bool) {
	if s.proc != nil {
		s.proc.push(v)
		return
	}
	if s.err != nil {
		return
	}
	if hasTS {
		s.stamps = append(s.stamps, stamp{int64(len(s.pend)), ts})
	} else if d := s.dec; d.opt.Format == FormatText && d.opt.TimeColumn == 0 {
		// Text without a time column (no header named one): no rate
		// will come.
		s.err = ErrNoRate
		return
	}
	s.pend = append(s.pend, v)
	if len(s.stamps) >= ratePoints {
		s.inferRate()
	} else if len(s.pend) >= maxPending {
		s.err = ErrNoRate
	}
}

// inferRate sets the rate from the timestamps seen so far and processes
// the samples held until then.
func (s *Stream) inferRate() {
	a, b := s.stamps[0], s.stamps[len(s.stamps)-1]
	r, err := RateFromTimestamps(b.i-a.i, b.ts-a.ts, s.timeUns)
	if err != nil {
		s.err = err
		return
	}
	if err := s.checkRate(r); err != nil {
		s.err = fmt.Errorf("timestamps: %w", err)
		return
	}
	s.start(r)
	pend := s.pend
	s.pend, s.stamps = nil, nil
	for _, v := range pend {
		s.proc.push(v)
	}
}

func (s *Stream) start(fs float64) {
	s.proc = newProcessor(s.cfg, fs, &s.counts)
}

// processor works sample by sample, so that events do not depend on how
// the input was chunked.
type processor struct {
	cfg    Config
	fs     float64
	counts *[numProblems]int64
	n      int64 // samples pushed

	det    *beats.Detector
	delay  int64
	one    [1]float64
	onBeat func(beats.Beat)

	// beats: a ring of the latest beat samples
	beatRing  []int64
	noisyRing []bool // Beat.Noisy of the beats in beatRing
	beatCount int64
	lastBeat  int64
	lastClean int64 // the end of the last interval between clean beats, -1 if none

	// hr ticks
	hrTick  int64 // next hr event after this many samples
	hrCount int64
	hrAt    int64 // sample of the last hr event, -1 before the first
	rrBuf   []float64

	// windows
	win, hop  int64
	ring      [][]float64 // the last win samples, in blocks of ringBlock
	scratch   []float64
	lastWinAt int64
	streak    map[string]*alertState
	labels    []string // labels seen, sorted, for a stable alert order

	// quality
	block      int64
	bMin, bMax float64
	bSum       float64
	bDiff      []float64
	prevV      float64
	flatPrev   bool
	quality    string
	winQuality []string // quality per block, a ring over the window
	qi         int
	lastStatus StatusBody
	statusOnce bool
}

// ringBlock is the size of the blocks of the window's ring, allocated as
// the first win samples arrive.
const ringBlock = 1 << 16

type alertState struct {
	count  int
	since  int64
	active bool
}

func newProcessor(cfg Config, fs float64, counts *[numProblems]int64) *processor {
	p := &processor{cfg: cfg, fs: fs, counts: counts}
	// Beats for a live stream: not held back 5 s for the two-sided
	// rhythm (whose re-decided beats would be Noisy, left out of the
	// heart rate, anyway).
	p.det = beats.NewLiveDetector(fs)
	p.delay = p.det.Delay()
	p.onBeat = p.beat
	p.beatRing = make([]int64, 1024)
	p.noisyRing = make([]bool, len(p.beatRing))
	p.lastBeat = -1
	p.lastClean = -1
	p.hrTick = int64(math.Round(fs))
	p.hrAt = -1
	p.rrBuf = make([]float64, 0, 8)
	p.win = max(1, int64(math.Round(cfg.Window*fs)))
	p.hop = max(1, int64(math.Round(cfg.Hop*fs)))
	// ring (in blocks) and scratch grow as samples arrive and windows
	// are scored, up to win samples each: a long window over a short
	// input costs what the input holds.
	p.streak = map[string]*alertState{}
	p.block = max(1, int64(math.Round(fs)))
	p.bDiff = make([]float64, 0, p.block)
	p.bMin, p.bMax = math.Inf(1), math.Inf(-1)
	p.quality = "none" // until a second of signal is rated
	p.winQuality = make([]string, (p.win+p.block-1)/p.block+1)
	return p
}

func (p *processor) event(typ string, sample int64, body any) {
	p.cfg.Emit(Event{Type: typ, Sample: sample, T: float64(sample) / p.fs, Wall: p.cfg.Now(), Body: body})
}

func (p *processor) push(v float64) {
	j := p.n % p.win
	if int(j/ringBlock) == len(p.ring) {
		p.ring = append(p.ring, make([]float64, min(ringBlock, p.win-j)))
	}
	p.ring[j/ringBlock][j%ringBlock] = v
	p.one[0] = v
	p.det.Write(p.one[:], p.onBeat)
	p.qualitySample(v)
	p.n++
	if p.n%p.block == 0 {
		p.endBlock()
	}
	if p.n == p.hrTick {
		p.hrEvent(p.n)
		p.hrCount++
		p.hrTick = int64(math.Round(float64(p.hrCount+1) * p.fs))
	}
	if p.n >= p.win && (p.n-p.win)%p.hop == 0 {
		p.window(p.n-p.win, p.n, false)
		p.lastWinAt = p.n
	}
}

func (p *processor) beat(b beats.Beat) {
	body := BeatBody{Noisy: b.Noisy}
	if p.lastBeat >= 0 && b.Sample > p.lastBeat {
		rr := float64(b.Sample-p.lastBeat) / p.fs
		body.RR = &rr
		// The heart rate follows the intervals between clean beats (the
		// last beat's flag is the newest in noisyRing).
		lastNoisy := p.noisyRing[(p.beatCount-1)%int64(len(p.noisyRing))]
		if !b.Noisy && !lastNoisy {
			if len(p.rrBuf) == cap(p.rrBuf) {
				copy(p.rrBuf, p.rrBuf[1:])
				p.rrBuf = p.rrBuf[:len(p.rrBuf)-1]
			}
			p.rrBuf = append(p.rrBuf, rr)
			p.lastClean = b.Sample
		}
	}
	p.lastBeat = b.Sample
	p.beatRing[p.beatCount%int64(len(p.beatRing))] = b.Sample
	p.noisyRing[p.beatCount%int64(len(p.beatRing))] = b.Noisy
	p.beatCount++
	if p.cfg.Beats {
		p.event(EventBeat, b.Sample, &body)
	}
}

// currentHR is the median of the last RR intervals between clean beats
// (not noisy), or nil when the last such interval ended too long ago: more
// than 3 s, or 2.5 RR, before the detector's horizon.
func (p *processor) currentHR(at int64) *float64 {
	if p.lastClean < 0 || len(p.rrBuf) == 0 {
		return nil
	}
	var tmp [8]float64
	rr := tmp[:len(p.rrBuf)]
	copy(rr, p.rrBuf)
	slices.Sort(rr)
	med := rr[len(rr)/2]
	if len(rr)%2 == 0 {
		med = (rr[len(rr)/2-1] + rr[len(rr)/2]) / 2
	}
	age := float64(at-p.delay-p.lastClean) / p.fs
	if age > math.Max(3, 2.5*med) {
		return nil
	}
	hr := round2(60 / med)
	return &hr
}

func (p *processor) hrEvent(at int64) {
	p.hrAt = at
	p.event(EventHR, at, &HRBody{HR: p.currentHR(at), Beats: p.beatCount})
}

// window scores samples [start, end) (all in the ring).
func (p *processor) window(start, end int64, final bool) {
	body := &WindowBody{Start: start, End: end, Final: final}
	// Beats in the window, from the ring of beat samples; the heart rate
	// from the intervals between consecutive clean beats.
	var sum float64
	var n int
	next, nextNoisy := int64(-1), true
	for k := p.beatCount - 1; k >= 0 && k >= p.beatCount-int64(len(p.beatRing)); k-- {
		s := p.beatRing[k%int64(len(p.beatRing))]
		noisy := p.noisyRing[k%int64(len(p.beatRing))]
		if s < start {
			break
		}
		if s >= end {
			continue
		}
		body.Beats++
		if noisy {
			body.NoisyBeats++
		}
		if next >= 0 && !noisy && !nextNoisy {
			sum += float64(next - s)
			n++
		}
		next, nextNoisy = s, noisy
	}
	if n > 0 {
		hr := round2(60 * float64(n) / (sum / p.fs))
		body.HR = &hr
	}
	body.Quality = p.windowQuality(end - start)
	body.Inconclusive = body.Beats < 2 || body.Quality == "flat" || body.Quality == "lead_off" ||
		float64(body.NoisyBeats) > p.cfg.MaxNoisy*float64(body.Beats)
	if p.cfg.Model != nil {
		if int64(len(p.scratch)) < end-start {
			p.scratch = make([]float64, end-start)
		}
		x := p.scratch[:end-start]
		for i := start; i < end; i++ {
			j := i % p.win
			x[i-start] = p.ring[j/ringBlock][j%ringBlock]
		}
		pred, err := p.cfg.Model.PredictSignal(x, p.fs)
		if err != nil {
			body.Error = err.Error()
		} else {
			body.Label, body.Confidence, body.Confident = pred.Label, pred.Confidence, pred.Confident
			body.Inconclusive = body.Inconclusive || slices.Contains(p.cfg.NoiseLabels, pred.Label)
			body.Scores = make(map[string]float64, len(pred.Scores))
			for _, s := range pred.Scores {
				body.Scores[s.Label] = s.Score
			}
		}
	}
	p.event(EventWindow, end, body)
	if body.Scores != nil {
		p.alerts(start, end, body.Scores, body.Inconclusive)
	}
}

// DefaultNoiseLabels are the labels of noisy recordings in the embedded
// model and in CinC 2017 style label sets.
var DefaultNoiseLabels = []string{"NOISY", "Noisy", "noisy", "~"}

func (p *processor) isNormal(label string) bool {
	return slices.Contains(p.cfg.Normal, label) || slices.Contains(p.cfg.NoiseLabels, label)
}

// alerts updates the alert state of each label with a window's scores. An
// inconclusive window holds raised alerts and ends the streaks of the
// others: an alert needs consecutive conclusive windows.
func (p *processor) alerts(start, end int64, scores map[string]float64, inconclusive bool) {
	for l := range scores {
		if _, ok := p.streak[l]; !ok && !p.isNormal(l) {
			p.streak[l] = &alertState{}
			p.labels = append(p.labels, l)
			sort.Strings(p.labels)
		}
	}
	for _, l := range p.labels {
		st := p.streak[l]
		sc := scores[l]
		if inconclusive {
			if !st.active {
				st.count = 0
			}
			continue
		}
		if sc >= p.cfg.AlertThreshold {
			if st.count == 0 {
				st.since = start
			}
			st.count++
			if st.count >= p.cfg.AlertWindows && !st.active {
				st.active = true
				p.alert(end, &AlertBody{State: "raised", Label: l, Confidence: sc, Windows: st.count, Since: st.since})
			}
			continue
		}
		if st.active {
			p.alert(end, &AlertBody{State: "cleared", Label: l, Confidence: sc, Windows: st.count, Since: st.since})
		}
		st.count, st.active = 0, false
	}
}

func (p *processor) alert(end int64, body *AlertBody) {
	e := Event{Type: EventAlert, Sample: end, T: float64(end) / p.fs, Wall: p.cfg.Now(), Body: body}
	p.cfg.Emit(e)
	if p.cfg.OnAlert != nil {
		p.cfg.OnAlert(e)
	}
}

func (p *processor) qualitySample(v float64) {
	p.bMin = math.Min(p.bMin, v)
	p.bMax = math.Max(p.bMax, v)
	p.bSum += v
	if p.n > 0 && len(p.bDiff) < cap(p.bDiff) {
		p.bDiff = append(p.bDiff, math.Abs(v-p.prevV))
	}
	p.prevV = v
}

// endBlock rates the last second and emits a status event when the
// quality or a counter changed.
func (p *processor) endBlock() {
	q := "ok"
	mean := p.bSum / float64(p.block)
	flat := p.bMax-p.bMin < p.cfg.FlatMV
	switch {
	case math.Abs(mean) > p.cfg.LeadOffMV:
		q = "lead_off"
	case flat && p.flatPrev:
		q = "flat"
	case len(p.bDiff) > 0:
		slices.Sort(p.bDiff)
		// For white noise of deviation s, the median |difference| is
		// 0.6745*sqrt(2)*s.
		if p.bDiff[len(p.bDiff)/2]/(0.6745*math.Sqrt2) > p.cfg.NoiseMV {
			q = "noise"
		}
	}
	p.flatPrev = flat
	p.bMin, p.bMax, p.bSum = math.Inf(1), math.Inf(-1), 0
	p.bDiff = p.bDiff[:0]
	p.quality = q
	p.winQuality[p.qi%len(p.winQuality)] = q
	p.qi++
	p.status("")
}

// qualityRank orders qualities from best to worst.
var qualityRank = map[string]int{"ok": 0, "noise": 1, "flat": 2, "lead_off": 3}

// windowQuality is the worst quality of the blocks within the last n
// samples.
func (p *processor) windowQuality(n int64) string {
	worst := "ok"
	nb := min(int64(p.qi), n/p.block, int64(len(p.winQuality)))
	for k := int64(1); k <= nb; k++ {
		q := p.winQuality[(int64(p.qi)-k)%int64(len(p.winQuality))]
		if qualityRank[q] > qualityRank[worst] {
			worst = q
		}
	}
	return worst
}

// status emits a status event when input is set, or when the quality or
// a counter changed since the last one.
func (p *processor) status(input string) {
	b := StatusBody{
		Quality: p.quality, Input: input, Samples: p.n, Fs: p.fs,
		Malformed: p.counts[ProblemMalformed], TooLong: p.counts[ProblemTooLong],
		Partial: p.counts[ProblemPartial], Header: p.counts[ProblemHeader], Held: p.counts[ProblemHeld],
	}
	if p.cfg.AlertsDropped != nil {
		b.AlertsDropped = p.cfg.AlertsDropped()
	}
	if p.cfg.AlertsFailed != nil {
		b.AlertsFailed = p.cfg.AlertsFailed()
	}
	cmp := b
	cmp.Samples, cmp.Input = 0, ""
	if input == "" && p.statusOnce && cmp == p.lastStatus {
		return
	}
	p.statusOnce = true
	p.lastStatus = cmp
	p.event(EventStatus, p.n, &b)
}

func (p *processor) close() {
	p.det.Flush(p.onBeat)
	if p.n > p.hrAt {
		// The last part second; when the input ends on a whole second its
		// hr event is already out.
		p.hrEvent(p.n)
	}
	if p.n > p.lastWinAt {
		switch {
		case p.n >= p.win:
			p.window(p.n-p.win, p.n, true)
		case p.n >= p.hop:
			p.window(0, p.n, true)
		}
	}
	p.status("end")
}

// round2 rounds to 0.01 (bpm): more digits would be noise.
func round2(v float64) float64 { return math.Round(v*100) / 100 }
