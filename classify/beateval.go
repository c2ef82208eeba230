package classify

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/pool"
)

// Where EvaluateBeats classifies beats (BeatEvalOptions.At).
const (
	// BeatsAtDetected classifies the beats the detector finds (as ecg
	// beats --classify does) and matches them with the reference beats by
	// EC57's rules, as bxb scores the annotation files ecg beats
	// --out-annotator writes.
	BeatsAtDetected = "detected"
	// BeatsAtReference classifies the beats at the reference annotations:
	// a perfect detector, the features alone measured.
	BeatsAtReference = "reference"
)

// BeatEvalOptions are the settings of EvaluateBeats.
type BeatEvalOptions struct {
	// Annotator names the reference annotation files ("" for "atr").
	Annotator string
	// At is BeatsAtDetected (also when empty) or BeatsAtReference.
	At string
	// Match holds the EC57 comparison rules; the zero value selects
	// beats.DefaultMatchOptions (150 ms, the first 5 minutes skipped, as
	// bxb). Its Exclude is ignored: each record's ventricular flutter is
	// left out, as bxb does.
	Match beats.MatchOptions
	// Jobs is the number of records scored at once (at least 1).
	Jobs int
	// Progress, when set, is told of each record scored (StageFeatures).
	Progress Progress
}

// BeatEvaluation is a beat model's score on records.
type BeatEvaluation struct {
	// Model names the model, as the caller set it.
	Model string `json:"model"`
	// At is where the beats were classified (BeatsAtDetected or
	// BeatsAtReference); Annotator the reference annotator.
	At        string `json:"at"`
	Annotator string `json:"annotator"`
	// Report is the per-class table of the beats classified and matched
	// with a reference beat, by the model's labels; reference beats of
	// labels the model lacks are left out and counted in Skipped.
	Report  *Report      `json:"report"`
	Skipped []LabelCount `json:"skipped,omitempty"`
	// EC57 is the beat-by-beat class comparison over all records (gross
	// statistics), the missed and extra beats included, as bxb counts it;
	// Records has it per record, in input order.
	EC57    beats.ClassMatrix `json:"ec57"`
	Records []RecordEC57      `json:"records"`
}

// RecordEC57 is one record's EC57 class comparison.
type RecordEC57 struct {
	Record string            `json:"record"`
	EC57   beats.ClassMatrix `json:"ec57"`
}

// Gross returns e's EC57 gross statistics (QRS, VEB, SVEB counts).
func (e *BeatEvaluation) Gross() (qrs, veb, sveb beats.MatchResult) {
	return e.EC57.QRS(), e.EC57.VEB(), e.EC57.SVEB()
}

// recordScore is what one record gives EvaluateBeats.
type recordScore struct {
	cm    beats.ClassMatrix
	pairs [][2]string // reference label, predicted label of each matched beat
	err   error
}

// EvaluateBeats scores the beat model m on the WFDB records at paths
// against their reference beat annotations. With opt.At BeatsAtDetected
// the beats are those beats.AnalyzeRecord detects (ecg beats's), matched
// with the reference beats by EC57's rules; with BeatsAtReference they
// are the reference beats themselves. Either way the beats scored are
// those EC57 scores (from opt.Match.Skip on, outside ventricular flutter),
// and EC57 counts them as bxb does on the annotation files ecg beats
// --classify --out-annotator writes. A model whose labels are all AAMI
// classes (N S V F Q) is scored by the reference beats' AAMI classes,
// any other by their annotation symbols.
func EvaluateBeats(ctx context.Context, m *Model, paths []string, opt BeatEvalOptions) (*BeatEvaluation, error) {
	if err := CheckBeatModel(m); err != nil {
		return nil, err
	}
	if opt.At == "" {
		opt.At = BeatsAtDetected
	}
	if opt.At != BeatsAtDetected && opt.At != BeatsAtReference {
		return nil, fmt.Errorf("classify: beats at %q (want %s or %s)", opt.At, BeatsAtDetected, BeatsAtReference)
	}
	if opt.Annotator == "" {
		opt.Annotator = "atr"
	}
	if opt.Match.Window == 0 {
		opt.Match = beats.DefaultMatchOptions()
	}
	opt.Match.Exclude = nil
	if len(paths) == 0 {
		return nil, errors.New("classify: no records to evaluate")
	}
	recs, err := pool.Map(ctx, paths, max(opt.Jobs, 1), func(p string) recordScore { return scoreRecordBeats(m, p, opt) },
		featureTick(opt.Progress, len(paths)))
	if err != nil {
		return nil, err
	}
	e := &BeatEvaluation{At: opt.At, Annotator: opt.Annotator}
	k := len(m.Info.Labels)
	conf := make([][]int, k)
	for i := range conf {
		conf[i] = make([]int, k)
	}
	for i, r := range recs {
		if r.err != nil {
			return nil, r.err
		}
		e.EC57.Add(r.cm)
		e.Records = append(e.Records, RecordEC57{Record: filepath.Base(paths[i]), EC57: r.cm})
		for _, p := range r.pairs {
			t := slices.Index(m.Info.Labels, p[0])
			if t < 0 {
				e.Skipped = countLabel(e.Skipped, p[0])
				continue
			}
			conf[t][slices.Index(m.Info.Labels, p[1])]++
		}
	}
	if e.Report, err = ReportFromConfusion(m.Info.Labels, conf); err != nil {
		return nil, err
	}
	return e, nil
}

// scoreRecordBeats classifies the beats of the record at path and
// compares them with its reference beats.
func scoreRecordBeats(m *Model, path string, opt BeatEvalOptions) recordScore {
	var rs recordScore
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		return recordScore{err: err}
	}
	ref, err := wfdb.ReadAnnotations(path, opt.Annotator)
	if err != nil {
		return recordScore{err: err}
	}
	var test []wfdb.Annotation
	if opt.At == BeatsAtReference {
		for _, a := range ref {
			if a.Type.IsBeat() {
				test = append(test, wfdb.Annotation{Sample: a.Sample, Type: a.Type})
			}
		}
	} else {
		a, err := beats.AnalyzeRecord(path, beats.Options{})
		if err != nil {
			return recordScore{err: err}
		}
		test = a.Annotations()
	}
	r := make([]int64, len(test))
	for i, a := range test {
		r[i] = a.Sample
	}
	bc, err := m.ClassifyRecordBeats(path, r)
	if err != nil {
		return recordScore{err: err}
	}
	bc.Annotate(test)
	var match beats.MatchResult
	rs.cm, match = beats.CompareClasses(ref, test, h.Fs, h.NSamples, opt.Match)
	refBeats := beatAnnotations(ref)
	byClass := aamiLabels(m.Info.Labels)
	for _, p := range match.Matches {
		c := refBeats[p[0]].Type
		l := c.Symbol()
		if byClass {
			l = string(c.AAMI())
		}
		rs.pairs = append(rs.pairs, [2]string{l, bc.Label(p[1])})
	}
	return rs
}

// beatAnnotations returns the beat annotations of anns.
func beatAnnotations(anns []wfdb.Annotation) []wfdb.Annotation {
	var b []wfdb.Annotation
	for _, a := range anns {
		if a.Type.IsBeat() {
			b = append(b, a)
		}
	}
	return b
}

// aamiLabels reports whether every label is an AAMI class.
func aamiLabels(labels []string) bool {
	for _, l := range labels {
		if len(l) != 1 || !strings.Contains(aamiOrder, l) {
			return false
		}
	}
	return true
}
