package classify

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/pool"
)

// Beat labels: how ReadBeats names the class of a reference beat.
const (
	// BeatLabelsAAMI labels beats with their ANSI/AAMI EC57 class (N, S,
	// V, F, Q; wfdb.Code.AAMI).
	BeatLabelsAAMI = "aami"
	// BeatLabelsSymbols labels beats with their annotation symbols (N, L,
	// R, A, V, ...).
	BeatLabelsSymbols = "symbols"
)

// aamiOrder is the order of the AAMI classes in a beat model's labels.
const aamiOrder = "NSVFQ"

// BeatSpec returns the feature settings of a new beat model: the
// scale-free columns of BeatFeatures (beatModelColumns) at each beat of
// the first ECG signal, its baseline found at BeatBaselineHz.
func BeatSpec() FeatureSpec { return beatSpec(DefaultBeatSettings()) }

// BeatBaselineHz is the rate the baseline of a new beat model's signal is
// found at (BeatSettings.BaselineHz), chosen by 5-fold CV grouped by
// record on de Chazal's DS1 against the signal's rate (docs/beats.md).
const BeatBaselineHz = 45

// DefaultBeatSettings returns the beat feature settings of a new beat
// model.
func DefaultBeatSettings() *BeatSettings { return &BeatSettings{BaselineHz: BeatBaselineHz} }

// beatSpec returns the feature settings of a beat model with beat
// settings b: nil for b at the signal's rate (BaselineHz 0), as beat
// models before the settings store them.
func beatSpec(b *BeatSettings) FeatureSpec {
	if b == nil || b.BaselineHz == 0 {
		return FeatureSpec{Input: InputBeats}
	}
	return FeatureSpec{Input: InputBeats, Beats: &BeatSettings{BaselineHz: b.BaselineHz}}
}

// BeatMinLeaf is the forest's minimum leaf size for beat models, chosen
// with the features by 5-fold CV grouped by record on de Chazal's DS1
// (TestAAMIInterPatient, docs/classify.md).
const BeatMinLeaf = 20

// beatModelColumns are the indexes into BeatFeatureNames of a beat
// model's features: the scale-free ones (RR ratios, QRS samples over the
// beat's amplitude, QRS width and correlation with the record's median
// beat), the set chosen on DS1 ("RR ratios + normalised shape").
var beatModelColumns = func() []int {
	var idx []int
	for i, n := range BeatFeatureNames {
		if strings.Contains(n, "/") || n == "qrs.width" || n == "qrs.corr.record" {
			idx = append(idx, i)
		}
	}
	return idx
}()

// beatModelNames names the features of a beat model.
func beatModelNames() []string {
	n := make([]string, len(beatModelColumns))
	for i, c := range beatModelColumns {
		n[i] = BeatFeatureNames[c]
	}
	return n
}

// beatVectors returns a beat model's feature vector of each beat at
// samples r of x (as ReadBeatSignal returns it) at fs Hz: the
// beatModelColumns of BeatFeatures at peakBeats, in one array.
func beatVectors(x []float64, fs float64, r []int64) [][]float64 {
	p := peakBeats(x, fs, r)
	f := newBeatFeaturer(x, fs, p)
	k := len(beatModelColumns)
	all, out := make([]float64, len(p)*k), make([][]float64, len(p))
	row := make([]float64, 0, len(BeatFeatureNames))
	for i := range p {
		row = f.row(row[:0], i)
		v := all[i*k : (i+1)*k : (i+1)*k]
		for j, c := range beatModelColumns {
			v[j] = row[c]
		}
		out[i] = v
	}
	return out
}

// BeatOptions say how ReadBeats reads the reference beats of records.
type BeatOptions struct {
	// Annotator names the reference annotation files ("" for "atr").
	Annotator string
	// Labels is BeatLabelsAAMI (also when empty) or BeatLabelsSymbols.
	Labels string
	// Jobs is the number of records read at once (at least 1).
	Jobs int
	// Progress, when set, is told of each record read (StageFeatures).
	Progress Progress
	// Settings are the features' settings; nil selects
	// DefaultBeatSettings (a BaselineHz of 0, the signal's rate, is the
	// setting of beat models before session 20).
	Settings *BeatSettings
}

// BeatDataset is the beats of records with their reference labels and
// feature vectors, a row per beat, grouped by record.
type BeatDataset struct {
	// Source names the data (the folder or first record), for the model's
	// training summary.
	Source string
	// Labels are the classes found, in AAMI order (N S V F Q) or, for
	// symbols, sorted.
	Labels []string
	// X, Y and Groups are each beat's features, label index and record
	// name.
	X      [][]float64
	Y      []int
	Groups []string
	// Spec is the feature settings X was computed with, which a model
	// trained on X stores (ReadBeats sets it; the zero value stands for
	// BeatSpec()).
	Spec FeatureSpec
}

// ReadBeats reads the reference beats of the WFDB records at paths and
// computes their features (BeatFeatures on the first ECG signal, at the
// reference beat samples). Beats without a class (AAMI's 0) are left out.
func ReadBeats(ctx context.Context, paths []string, opt BeatOptions) (*BeatDataset, error) {
	if opt.Labels != "" && opt.Labels != BeatLabelsAAMI && opt.Labels != BeatLabelsSymbols {
		return nil, fmt.Errorf("classify: beat labels %q (want %s or %s)", opt.Labels, BeatLabelsAAMI, BeatLabelsSymbols)
	}
	if len(paths) == 0 {
		return nil, errors.New("classify: no records to read beats from")
	}
	if opt.Settings == nil {
		opt.Settings = DefaultBeatSettings()
	}
	if err := opt.Settings.check(); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	spec := beatSpec(opt.Settings)
	type recordBeats struct {
		X   [][]float64
		lab []string
		err error
	}
	tick := featureTick(opt.Progress, len(paths))
	recs, err := pool.Map(ctx, paths, max(opt.Jobs, 1), func(p string) recordBeats {
		var r recordBeats
		r.X, r.lab, r.err = referenceBeats(p, opt)
		return r
	}, tick)
	if err != nil {
		return nil, err
	}
	ds := &BeatDataset{Source: filepath.Base(filepath.Clean(paths[0])), Spec: spec}
	if len(paths) > 1 {
		ds.Source = filepath.Base(filepath.Dir(filepath.Clean(paths[0])))
	}
	var labs []string
	for i, r := range recs {
		if r.err != nil {
			return nil, r.err
		}
		ds.X = append(ds.X, r.X...)
		labs = append(labs, r.lab...)
		for range r.lab {
			ds.Groups = append(ds.Groups, filepath.Base(paths[i]))
		}
	}
	ds.Labels = beatLabelOrder(labs)
	ds.Y = make([]int, len(labs))
	for i, l := range labs {
		ds.Y[i] = slices.Index(ds.Labels, l)
	}
	return ds, nil
}

// spec returns ds.Spec, BeatSpec() for the zero value.
func (ds *BeatDataset) spec() FeatureSpec {
	if ds.Spec.Input == "" {
		return BeatSpec()
	}
	return ds.Spec
}

// String describes ds in a line: its beats, records and beats per class.
func (ds *BeatDataset) String() string {
	n := make([]int, len(ds.Labels))
	for _, y := range ds.Y {
		n[y]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d beats of %d records", ds.Source, len(ds.Y), countDistinct(ds.Groups))
	for i, l := range ds.Labels {
		fmt.Fprintf(&b, ", %s %d", l, n[i])
	}
	return b.String()
}

// beatLabelOrder returns the distinct labels: AAMI classes in aamiOrder,
// then any other sorted.
func beatLabelOrder(labs []string) []string {
	var out []string
	for _, l := range labs {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	rank := func(l string) int {
		if i := strings.Index(aamiOrder, l); len(l) == 1 && i >= 0 {
			return i
		}
		return len(aamiOrder)
	}
	slices.SortFunc(out, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	return out
}

// referenceBeats returns the features and labels of the reference beats
// of the record at path.
func referenceBeats(path string, opt BeatOptions) ([][]float64, []string, error) {
	ann := opt.Annotator
	if ann == "" {
		ann = "atr"
	}
	anns, err := wfdb.ReadAnnotations(path, ann)
	if err != nil {
		return nil, nil, err
	}
	var r []int64
	var labs []string
	for _, a := range anns {
		if !a.Type.IsBeat() {
			continue
		}
		l := a.Type.Symbol()
		if opt.Labels != BeatLabelsSymbols {
			if a.Type.AAMI() == 0 {
				continue
			}
			l = string(a.Type.AAMI())
		}
		r, labs = append(r, a.Sample), append(labs, l)
	}
	x, fs, err := ReadBeatSignal(path, opt.Settings)
	if err != nil {
		return nil, nil, err
	}
	return beatVectors(x, fs, r), labs, nil
}

// ReadBeatSignal reads the signal BeatFeatures takes from the WFDB record
// at path: its first ECG signal (ReadSignal) in mV, invalid samples
// filled and the baseline removed as the settings b say (nil: at the
// signal's rate, RemoveBaseline; a model's are Info.Features.Beats); and
// its rate in Hz.
func ReadBeatSignal(path string, b *BeatSettings) ([]float64, float64, error) {
	s, err := readFirstECG(path)
	if err != nil {
		return nil, 0, err
	}
	return s.Signal(path, b)
}

// BeatSignal gathers the signal ReadBeatSignal reads from the chunks of a
// WFDB record as a reader hands them over (wfdb.Header.ReadChunks, or
// beats.Options.Tap while the beats are detected), keeping the first ECG
// signal alone: a record read once gives both its beats and their
// features. The zero value is ready to use and serves any settings;
// Model.BeatSignal's keeps only what its model's settings read.
type BeatSignal struct {
	key []int32   // digital samples (every step-th), after keyRoom(fs/step) int32s of room
	x   []float64 // the physical values of every sample, as ReadSignal's
	fs  float64
	sig int // the signal kept, once a chunk with signals was seen
	set bool
	// With planned, the keys are kept for Signal with the settings b
	// alone: every step-th (the samples a decimated baseline reads).
	planned bool
	b       *BeatSettings
	step    int
}

// BeatSignal returns a BeatSignal for ClassifyBeatSignal with m: it keeps
// only the digital samples m's beat settings read (every D-th of a
// decimated baseline, BeatSettings.BaselineHz), and gives the same
// signal as the zero BeatSignal.
func (m *Model) BeatSignal() *BeatSignal {
	return &BeatSignal{planned: true, b: m.Info.Features.Beats}
}

// Add keeps the first ECG signal of chunk c, the next chunk of the
// record.
func (s *BeatSignal) Add(c *wfdb.Record) {
	if c.NumSignals() == 0 {
		return
	}
	if !s.set {
		s.sig, s.fs, s.set = signal.FirstECG(wfdb.Descriptions(c.Header.Signals)), c.Header.Fs, true
		s.step = 1
		if s.planned {
			s.step = s.b.baselineStep(s.fs)
		}
		// The keys after the room the baseline's filters work in
		// (removeBaselineKeyed), their length from the header, a hint.
		n := min(max(c.Header.NSamples, 0), 1<<24)
		room := int64(keyRoom(s.fs / float64(s.step)))
		s.key, s.x = make([]int32, room, room+(n+int64(s.step)-1)/int64(s.step)), make([]float64, 0, n)
	}
	dig := c.Digital(s.sig)
	if s.step == 1 {
		s.key = append(s.key, dig...)
	} else {
		// The samples of the record at multiples of step.
		for i := (s.step - len(s.x)%s.step) % s.step; i < len(dig); i += s.step {
			s.key = append(s.key, dig[i])
		}
	}
	s.x = c.AppendPhysical(s.x, s.sig)
}

// Signal returns the signal ReadBeatSignal(path, b) returns from the
// chunks added (filled, its baseline removed) and its rate in Hz; path
// names the record in errors. It takes over what s holds: call it once.
// A BeatSignal of Model.BeatSignal takes its model's settings alone.
func (s *BeatSignal) Signal(path string, b *BeatSettings) ([]float64, float64, error) {
	buf, x, fs, step := s.key, s.x, s.fs, s.step
	*s = BeatSignal{}
	if len(x) == 0 {
		return nil, 0, fmt.Errorf("%s: record has no samples", path)
	}
	if step <= 1 {
		return b.removeBaseline(x, buf, fs), fs, nil
	}
	if d := b.baselineStep(fs); d != step {
		return nil, 0, fmt.Errorf("%s: beat signal kept for a baseline step of %d samples, the settings want %d", path, step, d)
	}
	if !finite(x) {
		x = fillInvalid(x)
	}
	return subtractDecimated(x, buf, fs, step), fs, nil
}

// readFirstECG reads the signal ReadSignal reads, a chunk at a time
// (wfdb.Header.ReadChunks, keeping that signal alone, BeatSignal.Add).
func readFirstECG(path string) (*BeatSignal, error) {
	h, err := wfdb.ReadHeader(path)
	if err != nil {
		return nil, err
	}
	if err := beats.CheckRate(h.Fs); err != nil { // the features find beats
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &BeatSignal{}
	err = h.ReadChunks(0, -1, func(c *wfdb.Record) error {
		s.Add(c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// BeatTrainOptions are the settings of TrainBeats.
type BeatTrainOptions struct {
	// Test is a dataset to measure the model on instead of a held-out
	// split; its beats of labels the training set lacks are left out and
	// counted in TrainResult.Skipped.
	Test *BeatDataset
	// Split is the share of the records that goes to training when Test
	// is nil, in (0, 1); 0 selects 0.8. Seed seeds it.
	Split float64
	Seed  uint64
	// Learner is LearnerForest (also when empty) or LearnerGBDT; Forest
	// and GBDT hold their settings.
	Learner string
	Forest  ForestOptions
	GBDT    GBDTOptions
	// Progress, when set, is told of growing trees.
	Progress Progress
}

// TrainBeats trains a beat model (BeatSpec) on the beats of ds, the way
// TrainDataset trains on files: split by record into training and
// held-out beats (or measured on opt.Test), the held-out beats scored into
// Model.Info.Heldout. No record is in both. The same data and options
// give a byte-identical model. The result is never nil; its Skipped counts
// the test beats left out.
func TrainBeats(ctx context.Context, ds *BeatDataset, opt BeatTrainOptions) (*TrainResult, error) {
	if len(ds.Labels) < 2 {
		return &TrainResult{}, fmt.Errorf("%s: need at least 2 beat classes (found %v)", ds.Source, ds.Labels)
	}
	spec := ds.spec()
	sp, err := beatHoldOut(ds, opt)
	res := &TrainResult{Skipped: sp.skipped, Heldout: len(sp.testX)}
	if err != nil {
		return res, err
	}
	start := time.Now()
	to := learnerOptions(opt.Learner, opt.Forest, opt.GBDT, opt.Progress, len(spec.Names()), len(ds.Labels), 1)
	m, err := Train(ds.Labels, spec, sp.trX, sp.trY, to)
	if err != nil {
		return res, err
	}
	res.TrainTime, res.Model = time.Since(start), m
	t := &m.Info.Training
	t.Source, t.Split, t.Groups = ds.Source, sp.desc, sp.groups
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if len(sp.testX) > 0 {
		if m.Info.Heldout, err = Evaluate(m.Info.Labels, sp.testY, m.ScoreRows(sp.testX), 0); err != nil {
			return res, err
		}
	}
	return res, nil
}

// beatSplit is the training and held-out beats of TrainBeats.
type beatSplit struct {
	trX, testX [][]float64
	trY, testY []int
	groups     int    // records in training
	desc       string // as TrainingSummary.Split
	skipped    []LabelCount
}

// beatHoldOut splits ds into training and held-out beats: opt.Test's, or
// a split by record.
func beatHoldOut(ds *BeatDataset, opt BeatTrainOptions) (beatSplit, error) {
	var sp beatSplit
	if opt.Test != nil {
		for i, l := range opt.Test.Y {
			if j := slices.Index(ds.Labels, opt.Test.Labels[l]); j >= 0 {
				sp.testX, sp.testY = append(sp.testX, opt.Test.X[i]), append(sp.testY, j)
				continue
			}
			sp.skipped = countLabel(sp.skipped, opt.Test.Labels[l])
		}
		if len(sp.testX) == 0 {
			return sp, fmt.Errorf("%s: no test beats with the training classes %v", opt.Test.Source, ds.Labels)
		}
		sp.trX, sp.trY, sp.groups, sp.desc = ds.X, ds.Y, countDistinct(ds.Groups), "test "+opt.Test.Source
		return sp, nil
	}
	split := opt.Split
	if split == 0 {
		split = 0.8
	}
	train, test, err := datasets.SplitByGroup(ds.Y, ds.Groups, len(ds.Labels), split, opt.Seed)
	if err != nil {
		return sp, err
	}
	var groups []string
	for _, i := range train {
		sp.trX, sp.trY, groups = append(sp.trX, ds.X[i]), append(sp.trY, ds.Y[i]), append(groups, ds.Groups[i])
	}
	for _, i := range test {
		sp.testX, sp.testY = append(sp.testX, ds.X[i]), append(sp.testY, ds.Y[i])
	}
	sp.groups = countDistinct(groups)
	sp.desc = fmt.Sprintf("grouped by record, %.2f training, seed %d", split, int64(opt.Seed))
	if len(test) == 0 {
		sp.desc = "none (a single record)"
	}
	return sp, nil
}

// countLabel adds one to label's count in c.
func countLabel(c []LabelCount, label string) []LabelCount {
	for i := range c {
		if c[i].Label == label {
			c[i].Files++
			return c
		}
	}
	return append(c, LabelCount{Label: label, Files: 1})
}

// CrossValidateBeats measures TrainBeats on ds by K-fold cross-validation
// grouped by record, as CrossValidateDataset does for files (opt.Spec,
// opt.Cache and opt.Jobs are not used: the features are ds's).
func CrossValidateBeats(ctx context.Context, ds *BeatDataset, opt CVOptions) (*CVResult, error) {
	if len(ds.Labels) < 2 {
		return nil, fmt.Errorf("%s: need at least 2 beat classes (found %v)", ds.Source, ds.Labels)
	}
	plan, err := planCV(ds.Labels, ds.Y, ds.Groups, opt)
	if err != nil {
		return nil, err
	}
	res, err := crossValidateRows(ctx, ds.Labels, ds.spec(), ds.X, ds.Y, ds.Groups, plan, opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ds.Source, err)
	}
	res.Source = ds.Source
	if res.Model != nil {
		res.Model.Info.Training.Source = ds.Source
	}
	return res, nil
}

// beatAlign is how far peakBeats looks for a beat's peak, seconds either
// side: 50 ms, chosen over 25 and 100 ms (and none) by a 2-fold split by
// record of DS1 scored by bxb at detected beats (docs/classify.md).
const beatAlign = 0.05

// peakBeats returns the beats at r moved to the largest absolute value
// of x within beatAlign seconds (kept ascending), so that beats placed by
// different detectors (or annotators) give the same features.
func peakBeats(x []float64, fs float64, r []int64) []int64 {
	w := int64(math.Round(beatAlign * fs))
	out := make([]int64, len(r))
	for i, p := range r {
		best, bv := p, -1.0
		for k := max(p-w, 0); k <= min(p+w, int64(len(x))-1); k++ {
			if v := math.Abs(x[k]); v > bv {
				best, bv = k, v
			}
		}
		if i > 0 && best <= out[i-1] {
			best = p
		}
		out[i] = best
	}
	return out
}
