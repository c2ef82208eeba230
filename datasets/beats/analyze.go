package beats

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// Options say which signals Analyze and AnalyzeRecord use and whether
// they score the beats.
type Options struct {
	// Signal selects the leads: "" for the first ECG signal (else signal
	// 0), a signal's index or name, or "all" for the ECG signals (up to
	// MaxLeads), which a multi-lead Detector combines.
	Signal string
	// Compare, when not "", names the reference annotator (e.g. "atr")
	// that AnalyzeRecord scores the beats against, by Match's rules with
	// Window and Skip from Match (its Exclude is taken from the
	// reference's ventricular flutter episodes).
	Compare string
	Match   MatchOptions
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

// AnalyzeRecord reads the WFDB record at path (as wfdb.ReadRecord takes
// it) a chunk at a time, detects its beats in the signals opt selects,
// summarises them (HRV, frequency HRV, QRS polarity) and, with
// opt.Compare, scores them against the reference annotations next to the
// record. A record is so analysed in memory bounded by the detector's
// rings and the beats, whatever its length.
func AnalyzeRecord(path string, opt Options) (*Analysis, error) {
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		return nil, err
	}
	sigs, err := pickSignals(h, opt.Signal)
	if err != nil {
		return nil, &SignalError{Record: path, Err: err}
	}
	an := newAnalyzer(h.Fs, sigs)
	frames := int64(0)
	err = h.ReadChunks(0, -1, func(r *wfdb.Record) error {
		an.write(r)
		frames = r.Start() + int64(r.NumFrames())
		return nil
	})
	if err != nil {
		return nil, err
	}
	a := an.finish()
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
	sigs, err := pickSignals(rec.Header, opt.Signal)
	if err != nil {
		return nil, &SignalError{Record: rec.Header.Name, Err: err}
	}
	an := newAnalyzer(rec.Header.Fs, sigs)
	an.write(rec)
	return an.finish(), nil
}

// analyzer feeds a record's chunks to a detector and a polarity vote.
type analyzer struct {
	a    *Analysis
	d    *Detector
	x    [][]float64 // the current chunk of each lead, mV
	vote *polarityVote
	emit func(Beat)
}

func newAnalyzer(fs float64, sigs []int) *analyzer {
	an := &analyzer{a: &Analysis{Fs: fs, Signals: sigs}, x: make([][]float64, len(sigs))}
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
		an.x[i] = r.AppendPhysical(an.x[i][:0], s)
	}
	an.vote.write(an.x[0])
	if len(an.x) == 1 {
		an.d.Write(an.x[0], an.emit)
	} else {
		an.d.WriteLeads(an.x, an.emit)
	}
}

// finish ends the signal and summarises the beats.
func (an *analyzer) finish() *Analysis {
	an.d.Flush(an.emit)
	a := an.a
	a.HRV = SummarizeBeats(a.Beats, a.Fs)
	a.Freq = FrequencyHRV(a.Beats, a.Fs)
	a.Polarity, a.Agreement = an.vote.result()
	return a
}

// SignalError is a signal selection (Options.Signal) that does not fit a
// record.
type SignalError struct {
	Record string // the record's path or name
	Err    error
}

func (e *SignalError) Error() string { return e.Record + ": " + e.Err.Error() }
func (e *SignalError) Unwrap() error { return e.Err }

// ecgNames are signal descriptions taken for ECG leads.
var ecgNames = []string{"MLII", "MLI", "MLIII", "II", "I", "III", "V1", "V2", "V3", "V4", "V5", "V6",
	"AVR", "AVL", "AVF", "ECG", "EKG", "ML5", "V", "CM5", "D3"}

func isECG(desc string) bool {
	d := strings.ToUpper(strings.TrimSpace(desc))
	for _, n := range ecgNames {
		if d == n || strings.HasPrefix(d, "ECG") || strings.HasPrefix(d, "EKG") {
			return true
		}
	}
	return false
}

// pickSignals resolves a signal selection against the header.
func pickSignals(h *wfdb.Header, spec string) ([]int, error) {
	n := len(h.Signals)
	if n == 0 {
		return nil, fmt.Errorf("no signals")
	}
	switch spec {
	case "":
		for i, s := range h.Signals {
			if isECG(s.Description) {
				return []int{i}, nil
			}
		}
		return []int{0}, nil
	case "all":
		var out []int
		for i, s := range h.Signals {
			if isECG(s.Description) && len(out) < MaxLeads {
				out = append(out, i)
			}
		}
		if len(out) == 0 {
			out = []int{0}
		}
		return out, nil
	}
	if i, err := strconv.Atoi(spec); err == nil {
		if i < 0 || i >= n {
			return nil, fmt.Errorf("--signal %d: the record has %d signals", i, n)
		}
		return []int{i}, nil
	}
	for i, s := range h.Signals {
		if s.Description == spec {
			return []int{i}, nil
		}
	}
	return nil, fmt.Errorf("--signal %q: no such signal", spec)
}
