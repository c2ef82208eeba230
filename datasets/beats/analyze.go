package beats

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Options say which signals Analyze and AnalyzeRecord use and whether
// they score the beats.
type Options struct {
	// Signal selects the leads: "" for the first ECG signal (else signal
	// 0), "all" for the ECG signals, or a comma-separated list of signal
	// names (any case) and indices (signal.Select); several leads (up to
	// MaxLeads) are combined by a multi-lead Detector.
	Signal string
	// Compare, when not "", names the reference annotator (e.g. "atr")
	// that AnalyzeRecord scores the beats against, by Match's rules with
	// Window and Skip from Match (its Exclude is taken from the
	// reference's ventricular flutter episodes).
	Compare string
	Match   MatchOptions
	// Tap, when set, is given each chunk of the record as it is read (the
	// record itself for Analyze), before the detector takes it, e.g. to
	// keep samples for beat features without reading the record again.
	// It must not change the chunk, nor keep it past the call.
	Tap func(*wfdb.Record)
	// NoFreqHRV leaves Analysis.Freq NaN, FrequencyHRV not computed: for
	// callers that do not show it.
	NoFreqHRV bool
}

// Analysis is what Analyze finds in a record.
type Analysis struct {
	Fs      float64 // sampling rate, Hz
	Signals []int   // the signals used as leads
	Beats   []Beat
	HRV     HRV     // heart rate and time-domain variability (SummarizeBeats)
	Freq    FreqHRV // frequency-domain variability (FrequencyHRV)
	// Polarity of the QRS complexes in the first lead (+1, -1, 0 unknown)
	// and the share of beats that agree (Polarity).
	Polarity  int
	Agreement float64
	// Match is the score against the reference annotator (nil without
	// Options.Compare).
	Match *MatchResult
}

// Samples returns the beats' samples.
func (a *Analysis) Samples() []int64 {
	s := make([]int64, len(a.Beats))
	for i, b := range a.Beats {
		s[i] = b.Sample
	}
	return s
}

// Annotations returns the beats as WFDB annotations (type N; subtype 1
// for a Noisy beat), for wfdb.WriteAnnotations.
func (a *Analysis) Annotations() []wfdb.Annotation {
	anns := make([]wfdb.Annotation, len(a.Beats))
	for i, b := range a.Beats {
		anns[i] = wfdb.Annotation{Sample: b.Sample, Type: wfdb.Normal}
		if b.Noisy {
			anns[i].Subtype = 1
		}
	}
	return anns
}

// String summarises the analysis in one line: the number of beats, heart
// rate and HRV (and the noisy beats left out of it), and the QRS polarity.
func (a *Analysis) String() string {
	h := a.HRV
	line := fmt.Sprintf("%d beats, HR mean %.1f min %.1f max %.1f bpm, SDNN %.1f ms, RMSSD %.1f ms, pNN50 %.1f %%",
		h.Beats, h.MeanHR, h.MinHR, h.MaxHR, h.SDNN, h.RMSSD, h.PNN50)
	if f := a.Freq; !math.IsNaN(f.HF) {
		line += fmt.Sprintf(", LF %.0f HF %.0f ms², LF/HF %.2f", f.LF, f.HF, f.LFHF)
	}
	if h.Noisy > 0 {
		line += fmt.Sprintf(" (%d noisy beats left out)", h.Noisy)
	}
	if a.Polarity != 0 {
		line += fmt.Sprintf(", QRS %s (%.0f %% of beats)", PolarityName(a.Polarity), 100*a.Agreement)
	}
	return line
}

// AnalyzeRecord reads the WFDB record at path (as wfdb.ReadRecord takes
// it) a chunk at a time, detects its beats in the signals opt selects,
// summarises them (HRV, frequency HRV, QRS polarity) and, with
// opt.Compare, scores them against the reference annotations next to the
// record. A record is so analysed in memory bounded by the detector's
// rings and the beats, whatever its length. A rate outside [MinFs, MaxFs]
// is an error wrapping ErrRate.
func AnalyzeRecord(path string, opt Options) (*Analysis, error) {
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		return nil, err
	}
	if err := CheckRate(h.Fs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	names, err := h.SignalNames() // a multi-segment record's too
	if err != nil {
		return nil, err
	}
	sigs, err := pickSignals(names, opt.Signal)
	if err != nil {
		return nil, &SignalError{Record: path, Err: err}
	}
	an := newAnalyzer(h.Fs, sigs, h.NSamples)
	frames := int64(0)
	err = h.ReadChunks(0, -1, func(r *wfdb.Record) error {
		if opt.Tap != nil {
			opt.Tap(r)
		}
		an.write(r)
		frames = r.Start() + int64(r.NumFrames())
		return nil
	})
	if err != nil {
		return nil, err
	}
	a := an.finish(opt)
	if opt.Compare != "" {
		ref, err := wfdb.ReadAnnotations(path, opt.Compare)
		if err != nil {
			return nil, err
		}
		refBeats, vf := Reference(ref, frames)
		mo := MatchOptions{Window: opt.Match.Window, Skip: opt.Match.Skip, Exclude: vf}
		m := Match(refBeats, a.Samples(), a.Fs, mo)
		a.Match = &m
	}
	return a, nil
}

// Analyze detects and summarises the beats of a record held in memory
// (read from a CSV or EDF file, or made with wfdb.NewRecord) as
// AnalyzeRecord does; it ignores opt.Compare (reference annotations are
// read next to a record on disk).
func Analyze(rec *wfdb.Record, opt Options) (*Analysis, error) {
	if err := CheckRate(rec.Header.Fs); err != nil {
		return nil, fmt.Errorf("%s: %w", rec.Header.Name, err)
	}
	sigs, err := pickSignals(wfdb.Descriptions(rec.Header.Signals), opt.Signal)
	if err != nil {
		return nil, &SignalError{Record: rec.Header.Name, Err: err}
	}
	an := newAnalyzer(rec.Header.Fs, sigs, int64(rec.NumFrames()))
	if opt.Tap != nil {
		opt.Tap(rec)
	}
	an.write(rec)
	return an.finish(opt), nil
}

// analyzer feeds a record's chunks to a detector and a polarity vote.
type analyzer struct {
	a    *Analysis
	d    *Detector
	x    [][]float64 // the current chunk of each lead, mV
	vote *polarityVote
	emit func(Beat)
}

// newAnalyzer returns an analyzer of a record of the given number of
// frames (0 if unknown) at fs Hz, detecting in signals sigs.
func newAnalyzer(fs float64, sigs []int, frames int64) *analyzer {
	an := &analyzer{a: &Analysis{Fs: fs, Signals: sigs}, x: make([][]float64, len(sigs))}
	// Room for the beats of 180 bpm throughout (up to 6 hours), so that they
	// are not copied as they grow: the pages of the room not used are
	// never touched.
	if beats := float64(frames) / fs * 3; beats >= 1 {
		an.a.Beats = make([]Beat, 0, int(min(beats, 1<<16)))
	}
	an.d = NewMultiDetector(fs, len(sigs))
	an.vote = newPolarityVote(fs, an.d.Delay()+1)
	an.emit = func(b Beat) {
		an.a.Beats = append(an.a.Beats, b)
		an.vote.add(b.Sample)
	}
	return an
}

// write detects the beats in the frames of chunk r.
func (an *analyzer) write(r *wfdb.Record) {
	for i, s := range an.a.Signals {
		if i == 0 && an.vote.ok {
			// The first lead is converted straight into the polarity
			// vote's samples, where the detector reads it: no copy.
			v := an.vote
			kept := len(v.room(r.NumFrames()))
			v.x = r.AppendPhysical(v.x, s)
			an.x[0] = v.x[kept:]
			v.written()
			continue
		}
		an.x[i] = r.AppendPhysical(an.x[i][:0], s)
	}
	if len(an.x) == 1 {
		an.d.Write(an.x[0], an.emit)
	} else {
		an.d.WriteLeads(an.x, an.emit)
	}
}

// finish ends the signal and summarises the beats (the frequency HRV
// unless opt.NoFreqHRV).
func (an *analyzer) finish(opt Options) *Analysis {
	an.d.Flush(an.emit)
	a := an.a
	a.HRV = SummarizeBeats(a.Beats, a.Fs)
	a.Freq = FreqHRV{LF: math.NaN(), HF: math.NaN(), LFHF: math.NaN()}
	if !opt.NoFreqHRV {
		a.Freq = FrequencyHRV(a.Beats, a.Fs)
	}
	a.Polarity, a.Agreement = an.vote.result()
	return a
}

// SignalError is a signal selection (Options.Signal) that does not fit a
// record.
type SignalError struct {
	Record string // the record's path or name
	Err    error
}

// Error returns the record and what does not fit.
func (e *SignalError) Error() string { return e.Record + ": " + e.Err.Error() }

// Unwrap returns the selection's error (a *signal.UnknownError for a name
// or index the record does not have).
func (e *SignalError) Unwrap() error { return e.Err }

// pickSignals resolves a signal selection against a record's signal
// descriptions: "" is the first ECG signal (signal.FirstECG), "all" every
// ECG signal (signal 0 if none), anything else a list that signal.Select
// resolves; at most MaxLeads signals.
func pickSignals(names []string, spec string) ([]int, error) {
	if len(names) == 0 {
		return nil, errors.New("no signals")
	}
	switch {
	case spec == "":
		return []int{signal.FirstECG(names)}, nil
	case strings.EqualFold(strings.TrimSpace(spec), "all"):
		var out []int
		for i, n := range names {
			if signal.IsECG(n) && len(out) < MaxLeads {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			out = []int{0}
		}
		return out, nil
	}
	out, err := signal.Select(names, spec)
	if err == nil && len(out) > MaxLeads {
		err = fmt.Errorf("%d signals selected, at most %d leads are combined", len(out), MaxLeads)
	}
	return out, err
}
