package figure

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

// DefaultDuration is the stretch ReadPaper reads when neither To nor
// Duration is given: one row of ECG paper.
const DefaultDuration = 10.0 // s

// BeatsLane is the name of the lane of beats detected by ReadPaper.
const BeatsLane = "beats"

// ReadOptions say which stretch of a record ReadPaper reads.
type ReadOptions struct {
	// From, To and Duration are WFDB time strings ("10", "1:30", "s3600"
	// for a sample number) read at the record's frame rate (Duration may
	// also be a Go duration such as "30s" or "10m"): the stretch
	// starts at From (0 when empty) and stops before To, or after
	// Duration (DefaultDuration when both are empty), or at the end of
	// the record, whichever comes first.
	From, To, Duration string
	// Signals selects the signals by signal.Select's rule (all when "").
	Signals string
	// Annotators names the annotation files to draw, each in its lane, in
	// this order; nil draws "atr" when the record has it (for a CSV or
	// EDF file: its EDF+ annotations, named datasets.DeviceAnnotator).
	Annotators []string
	// Beats adds a lane of the beats that the detector (beats.Analyze,
	// first ECG signal) finds in the stretch.
	Beats bool
	// Device reads CSV and EDF files.
	Device datasets.DeviceOptions
}

// SelectionError is a stretch or a signal list that the record cannot
// give (after its end, empty, an unknown signal): the caller's mistake,
// not the file's.
type SelectionError struct{ Err error }

// Error returns the message.
func (e *SelectionError) Error() string { return e.Err.Error() }

// Unwrap returns the wrapped error.
func (e *SelectionError) Unwrap() error { return e.Err }

func selectionErrorf(format string, args ...any) error {
	return &SelectionError{fmt.Errorf(format, args...)}
}

// ReadPaper reads a stretch of a WFDB record (any format, multi-frequency
// signals at their own rate, multi-segment records) or of a CSV or EDF
// file (datasets.IsDeviceFile), with its annotations, as a Paper to draw.
// Errors name the file; a stretch or signal list the record cannot give
// is a *SelectionError.
func ReadPaper(path string, opt ReadOptions) (*Paper, error) {
	var mem *wfdb.Record
	var memAnns []wfdb.Annotation
	var h *wfdb.Header
	var err error
	if datasets.IsDeviceFile(path) {
		if mem, memAnns, err = opt.Device.ReadDevice(path); err != nil {
			return nil, err
		}
		h = mem.Header
	} else if h, err = wfdb.ReadHeader(path); err != nil {
		return nil, err
	}
	name := strings.TrimSuffix(filepath.Base(path), ".hea")
	from, to, err := opt.window(name, h)
	if err != nil {
		return nil, err
	}
	sigs, err := selectSignals(name, h, opt.Signals)
	if err != nil {
		return nil, err
	}
	rec := mem
	if rec == nil {
		if rec, err = h.ReadSamples(from, to); err != nil {
			return nil, err
		}
	}
	if end := rec.Start() + int64(rec.NumFrames()); to < 0 || to > end {
		to = end
	}
	if from >= to {
		return nil, selectionErrorf("%s: --from %s is at or after the end of the record (%s)", name, opt.From, strings.TrimSpace(wfdb.FormatTime(to, h.Fs)))
	}
	p := &Paper{Fs: h.Fs, From: from, To: to}
	p.Title = fmt.Sprintf("%s   %s-%s", name, Clock(float64(from)/h.Fs), Clock(float64(to)/h.Fs))
	for _, s := range sigs {
		p.Traces = append(p.Traces, traceOf(rec, s, from, to))
	}
	if p.Lanes, err = opt.lanes(path, mem != nil, memAnns); err != nil {
		return nil, err
	}
	if opt.Beats {
		lane, err := detectedBeats(rec, from, to)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		p.Lanes = append(p.Lanes, lane)
	}
	return p, nil
}

// window returns the frames [from, to) asked for; to is -1 for the end
// of a record of unknown length.
func (opt ReadOptions) window(name string, h *wfdb.Header) (from, to int64, err error) {
	parse := func(flag, s string) (int64, error) {
		v, err := wfdb.ParseTime(s, h.Fs)
		if err != nil {
			return 0, selectionErrorf("%s: --%s: %v", name, flag, err)
		}
		return v, nil
	}
	if opt.From != "" {
		if from, err = parse("from", opt.From); err != nil {
			return 0, 0, err
		}
	}
	switch {
	case opt.To != "" && opt.Duration != "":
		return 0, 0, selectionErrorf("--to and --duration: give one")
	case opt.To != "":
		if to, err = parse("to", opt.To); err != nil {
			return 0, 0, err
		}
	case opt.Duration != "":
		d, err := parse("duration", opt.Duration)
		if gd, gerr := time.ParseDuration(opt.Duration); err != nil && gerr == nil {
			d, err = int64(math.Round(gd.Seconds()*h.Fs)), nil // "30s", "10m" too
		}
		if err != nil {
			return 0, 0, err
		}
		to = from + d
	default:
		to = from + int64(math.Round(DefaultDuration*h.Fs))
	}
	if to <= from {
		return 0, 0, selectionErrorf("%s: empty stretch: it stops (%s) where it starts or before (%s)", name,
			strings.TrimSpace(wfdb.FormatTime(to, h.Fs)), strings.TrimSpace(wfdb.FormatTime(from, h.Fs)))
	}
	if n := h.NSamples; n > 0 {
		if from >= n {
			return 0, 0, selectionErrorf("%s: --from %s is at or after the end of the record (%s)", name, opt.From, strings.TrimSpace(wfdb.FormatTime(n, h.Fs)))
		}
		to = min(to, n)
	}
	return from, to, nil
}

// selectSignals resolves the signal list by signal.Select.
func selectSignals(name string, h *wfdb.Header, list string) ([]int, error) {
	names, err := h.SignalNames()
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: the record has no signals", name)
	}
	sigs, err := signal.Select(names, list)
	if err != nil {
		return nil, selectionErrorf("%s: --signals: %v", name, err)
	}
	if len(sigs) == 0 {
		return nil, selectionErrorf("%s: --signals %q selects no signal", name, list)
	}
	return sigs, nil
}

// traceOf returns signal s of rec over frames [from, to) at its own rate,
// in physical units (NaN where invalid).
func traceOf(rec *wfdb.Record, s int, from, to int64) Trace {
	spec := rec.Header.Signals[s]
	spf := int64(max(spec.SamplesPerFrame, 1))
	d := rec.HighRes(s)[(from-rec.Start())*spf : (to-rec.Start())*spf]
	g := spec.Gain
	if g == 0 {
		g = wfdb.DefaultGain
	}
	x := make([]float64, len(d))
	for i, v := range d {
		x[i] = math.NaN()
		if v != wfdb.InvalidSample {
			x[i] = (float64(v) - float64(spec.Baseline)) / g
		}
	}
	return Trace{Name: spec.Description, Units: spec.Units, SamplesPerFrame: int(spf), X: x}
}

// lanes reads the annotators asked for (atr, when present, if none).
func (opt ReadOptions) lanes(path string, device bool, memAnns []wfdb.Annotation) ([]Lane, error) {
	names := opt.Annotators
	if names == nil {
		if device && len(memAnns) > 0 || !device && wfdb.HasAnnotations(path, "atr") {
			names = []string{datasets.DeviceAnnotator}
		}
	}
	var lanes []Lane
	for _, a := range names {
		if a == "" || strings.ContainsAny(a, `/\`) {
			return nil, selectionErrorf("annotator %q: want a name such as atr", a)
		}
		if device {
			if a != datasets.DeviceAnnotator {
				return nil, fmt.Errorf("%s: no annotator %q (a CSV or EDF file's annotations are %q)", path, a, datasets.DeviceAnnotator)
			}
			lanes = append(lanes, Lane{Name: a, Annotations: memAnns})
			continue
		}
		rec := strings.TrimSuffix(path, ".hea")
		anns, err := wfdb.ReadAnnotations(rec, a)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no annotator %q (no file %s)", path, a, filepath.Base(rec)+"."+a)
		}
		if err != nil {
			return nil, err
		}
		lanes = append(lanes, Lane{Name: a, Annotations: anns})
	}
	return lanes, nil
}

// detectedBeats runs the beat detector over the stretch.
func detectedBeats(rec *wfdb.Record, from, to int64) (Lane, error) {
	an, err := beats.Analyze(rec, beats.Options{})
	if err != nil {
		return Lane{}, err
	}
	var out []wfdb.Annotation
	for _, a := range an.Annotations() {
		a.Sample += rec.Start()
		if a.Sample >= from && a.Sample < to {
			out = append(out, a)
		}
	}
	return Lane{Name: BeatsLane, Annotations: out}, nil
}
