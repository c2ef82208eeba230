// Command modelgen cuts a WFDB database into labelled single-lead segments
// for training rhythm models, and cross-validates signal feature sets on
// such a folder grouped by record.
//
// The default rhythm model (make model):
//
//	go run ./internal/modelgen -db ../shared/data/mitdb -out .cache/rhythm-segments
//
// Each record's first ECG lead (MLII where present) is cut into windows of
// -window seconds every -hop seconds; a window is labelled by the reference
// rhythm (AUX notes of the atr annotations) covering at least -min-fraction
// of it, and written as a WFDB record (format 16) into OUT/LABEL/, named
// RECORD_START so that training groups windows by record. Rhythms found in
// fewer than -min-records records are left out (too few patients to learn
// from or to test on).
//
// Short recordings as wearables make them (-lengths MIN-MAX): every rhythm
// episode is cut into consecutive segments of random lengths between MIN
// and MAX seconds (the rest of an episode shorter than MIN is dropped), each
// written at a rate drawn from -rates ("native" keeps the record's rate;
// others are resampled with signal.Resample). -keep lists the rhythms
// kept under their own name; the others go to the label -other (or are
// dropped when it is empty). Random choices come from -seed and the record
// name, so a record's segments do not depend on the other records.
//
//	go run ./internal/modelgen -db ../shared/data/mitdb -out .cache/short \
//	    -lengths 10-60 -rates native,250,300 -keep N,AFIB -other OTHER -seed 1
//
// Grouped cross-validation of signal feature sets on a label folder
// (-cv K): the files are put into K folds by record (datasets.GroupKFold,
// -seed), a forest (-trees, the ecg train defaults otherwise) is trained
// on K-1 folds and scores the other, and the pooled out-of-fold
// predictions give per-label precision, recall and F1 and their mean, for
// each set in -feature-sets, plus the mean F1 by sampling rate and by
// length. -crops N (default 0) gives every file N crop views of
// -crop-share of its length (classify.SignalFeatures.Crops; the forest
// then bootstraps files, each with its views):
//
//	go run ./internal/modelgen -cv 5 -data .cache/short -feature-sets 1,2
package main

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
)

type options struct {
	db, out        string
	window, hop    float64
	minFraction    float64
	minRecords     int
	lengths        string
	minLen, maxLen float64
	rates          []float64 // 0: native
	keep           map[string]bool
	other          string
	seed           uint64
	cv             int
	data           string
	featureSets    []int
	ablate         []string
	trees, jobs    int
	crops          int     // crop views of each file (-cv; 0: none)
	cropShare      float64 // their share of the file's length
	also           string  // a labelled database of short recordings to list with the segments (-also)
	ectopic        float64 // N segments with at least this share of ectopic beats go to -other (0: off)
}

func main() {
	var o options
	var rates, keep, sets string
	flag.StringVar(&o.db, "db", "", "WFDB database directory (RECORDS or *.hea)")
	flag.StringVar(&o.out, "out", "", "output directory for label folders")
	flag.Float64Var(&o.window, "window", 60, "window length in seconds (fixed windows)")
	flag.Float64Var(&o.hop, "hop", 30, "step between windows in seconds (fixed windows)")
	flag.Float64Var(&o.minFraction, "min-fraction", 0.8, "share of the window the rhythm must cover (fixed windows)")
	flag.IntVar(&o.minRecords, "min-records", 3, "keep rhythms found in at least this many records")
	flag.StringVar(&o.lengths, "lengths", "", "MIN-MAX: cut rhythm episodes into segments of random lengths in seconds instead of fixed windows")
	flag.StringVar(&rates, "rates", "native", "comma-separated rates in Hz to write segments at, one drawn per segment (native: the record's)")
	flag.StringVar(&keep, "keep", "", "comma-separated rhythms kept under their own label (empty: all)")
	flag.StringVar(&o.other, "other", "", "label for rhythms not in -keep (empty: drop them)")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the random lengths and rates, and of the folds")
	flag.IntVar(&o.cv, "cv", 0, "cross-validate with this many record-grouped folds on -data instead of cutting")
	flag.StringVar(&o.data, "data", "", "label folder to cross-validate on (-cv)")
	flag.StringVar(&sets, "feature-sets", strconv.Itoa(classify.LatestSignalFeatureSet), "comma-separated signal feature sets to cross-validate")
	var ablate string
	flag.StringVar(&ablate, "ablate", "", "comma-separated feature name prefixes: also cross-validate the last feature set without each (-cv); a+b leaves out several prefixes at once")
	flag.IntVar(&o.trees, "trees", 100, "trees per forest (-cv)")
	flag.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "parallel workers (-cv)")
	flag.IntVar(&o.crops, "crops", 0, "crop views of each file, 0 to 8 (-cv; 0: the whole file only)")
	flag.Float64Var(&o.cropShare, "crop-share", classify.DefaultCropShare, "the crop views' share of a file's length (-cv, with -crops)")
	flag.Float64Var(&o.ectopic, "ectopic-other", 0, "a segment of rhythm N with at least this share of ectopic beats (AAMI S, V, F, Q in atr) is labelled -other, as wearable labellers call sinus rhythm with ectopy (0: off)")
	flag.StringVar(&o.also, "also", "", "a labelled database (DIR/REFERENCE.csv, DIR/records) to link into -out and list with the segments in OUT/labels.csv (record,label,patient)")
	flag.Parse()
	if ablate != "" {
		o.ablate = strings.Split(ablate, ",")
	}
	if err := o.parse(rates, keep, sets); err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(2)
	}
	var err error
	if o.cv > 0 {
		err = crossValidate(context.Background(), os.Stdout, o)
	} else {
		err = cut(os.Stdout, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "modelgen:", err)
		os.Exit(1)
	}
}

func (o *options) parse(rates, keep, sets string) error {
	if o.cv > 0 {
		if o.data == "" || o.cv < 2 {
			return fmt.Errorf("usage: modelgen -cv K (K >= 2) -data DIR [-feature-sets 1,2]")
		}
		for _, s := range strings.Split(sets, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 || n > classify.LatestSignalFeatureSet {
				return fmt.Errorf("-feature-sets %q: want sets 1 to %d", sets, classify.LatestSignalFeatureSet)
			}
			o.featureSets = append(o.featureSets, n)
		}
		return o.checkCrops()
	}
	if o.db == "" || o.out == "" {
		return fmt.Errorf("usage: modelgen -db DIR -out DIR [-lengths MIN-MAX -rates native,250,300 -keep N,AFIB -other OTHER -seed N]")
	}
	if o.lengths != "" {
		lo, hi, ok := strings.Cut(o.lengths, "-")
		a, err1 := strconv.ParseFloat(lo, 64)
		b, err2 := strconv.ParseFloat(hi, 64)
		if !ok || err1 != nil || err2 != nil || !(a >= 2 && a <= b && b <= 3600) {
			return fmt.Errorf("-lengths %q: want MIN-MAX seconds with 2 <= MIN <= MAX <= 3600", o.lengths)
		}
		o.minLen, o.maxLen = a, b
	}
	for _, r := range strings.Split(rates, ",") {
		r = strings.TrimSpace(r)
		if r == "native" {
			o.rates = append(o.rates, 0)
			continue
		}
		f, err := strconv.ParseFloat(r, 64)
		if err != nil || !(f >= 50 && f <= 10000) {
			return fmt.Errorf("-rates: %q is not native or a rate of 50-10000 Hz", r)
		}
		o.rates = append(o.rates, f)
	}
	if keep != "" {
		o.keep = map[string]bool{}
		for _, k := range strings.Split(keep, ",") {
			o.keep[strings.TrimSpace(k)] = true
		}
	}
	return nil
}

type segment struct {
	record, label string
	span          datasets.Span
	x             []float64
	fs            float64 // rate of the source record
	rate          float64 // rate to write at (0: fs)
	units, desc   string
}

// recordRNG returns the random source of one record's choices.
func recordRNG(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

func cut(w io.Writer, o options) error {
	records, err := datasets.ListRecords(o.db)
	if err != nil {
		return err
	}
	var segs []segment
	recordsOf := map[string]map[string]bool{}
	for _, path := range records {
		rs, err := cutRecord(path, o)
		if err != nil {
			return err
		}
		for _, s := range rs {
			if recordsOf[s.label] == nil {
				recordsOf[s.label] = map[string]bool{}
			}
			recordsOf[s.label][s.record] = true
		}
		segs = append(segs, rs...)
	}
	counts := map[string]int{}
	perRate := map[float64]int{}
	var rows []labelRow
	for _, s := range segs {
		if len(recordsOf[s.label]) < o.minRecords {
			continue
		}
		dir := filepath.Join(o.out, s.label)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		name := fmt.Sprintf("%s_%07d", s.record, s.span.Start)
		if err := writeSegment(dir, name, s); err != nil {
			return err
		}
		rows = append(rows, labelRow{record: s.label + "/" + name, label: s.label, group: filepath.Base(o.db) + ":" + s.record})
		counts[s.label]++
		r := s.rate
		if r == 0 {
			r = s.fs
		}
		perRate[r]++
	}
	writeCounts(w, o, recordsOf, counts, perRate)
	if o.also == "" {
		return nil
	}
	more, err := alsoDatabase(o.out, o.also)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %d records\n", filepath.Base(o.also), len(more))
	return writeLabelsCSV(o.out, append(rows, more...))
}

// cutRecord cuts the record at path into labelled segments of its ECG
// lead: MLII where present, else the first ECG lead (signal.FirstECG).
func cutRecord(path string, o options) ([]segment, error) {
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		return nil, err
	}
	anns, err := wfdb.ReadAnnotations(path, "atr")
	if err != nil {
		return nil, err
	}
	h := rec.Header
	names := wfdb.Descriptions(h.Signals)
	sig := signal.FirstECG(names)
	if mlii, err := signal.Select(names, "MLII"); err == nil {
		sig = mlii[0]
	}
	x := rec.Physical(sig)
	n := int64(rec.NumFrames())
	eps := wfdb.RhythmEpisodes(anns, n)
	rng := recordRNG(o.seed, h.Name)
	var segs []segment
	add := func(label string, sp datasets.Span) {
		label = datasets.SanitizeLabel(label)
		if label == "N" && o.ectopic > 0 && o.other != "" && ectopicShare(anns, sp) >= o.ectopic {
			label = o.other
		}
		if o.keep != nil && !o.keep[label] {
			if o.other == "" {
				return
			}
			label = o.other
		}
		rate := o.rates[rng.IntN(len(o.rates))]
		segs = append(segs, segment{record: h.Name, label: label, span: sp, x: x[sp.Start:sp.End], fs: h.Fs,
			rate: rate, units: h.Signals[sig].Units, desc: h.Signals[sig].Description})
	}
	if o.lengths == "" {
		for _, sp := range datasets.Strides(n, datasets.Samples(o.window, h.Fs), datasets.Samples(o.hop, h.Fs), false) {
			label, frac := datasets.RhythmOf(eps, sp)
			if label == "" || frac < o.minFraction {
				continue
			}
			add(label, sp)
		}
		return segs, nil
	}
	for _, ep := range eps {
		pos := ep.Start
		for {
			l := datasets.Samples(o.minLen+rng.Float64()*(o.maxLen-o.minLen), h.Fs)
			if pos+l > ep.End {
				break
			}
			add(ep.Label, datasets.Span{Start: pos, End: pos + l})
			pos += l
		}
	}
	return segs, nil
}

// ectopicShare returns the share of the beats annotated in sp that are
// ectopic (AAMI class S, V, F or Q), 0 when there are none.
func ectopicShare(anns []wfdb.Annotation, sp datasets.Span) float64 {
	var beats, ectopic int
	for _, a := range anns {
		if a.Sample < sp.Start || a.Sample >= sp.End || !a.Type.IsBeat() {
			continue
		}
		beats++
		if c := a.Type.AAMI(); c != 'N' {
			ectopic++
		}
	}
	if beats == 0 {
		return 0
	}
	return float64(ectopic) / float64(beats)
}

// writeCounts prints the records and segments per rhythm, and the
// segments per rate.
func writeCounts(w io.Writer, o options, recordsOf map[string]map[string]bool, counts map[string]int, perRate map[float64]int) {
	labels := make([]string, 0, len(recordsOf))
	for l := range recordsOf {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		kept := "kept"
		if len(recordsOf[l]) < o.minRecords {
			kept = "left out"
		}
		fmt.Fprintf(w, "%-6s %3d records %5d segments  %s\n", l, len(recordsOf[l]), counts[l], kept)
	}
	rs := make([]float64, 0, len(perRate))
	for r := range perRate {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	for _, r := range rs {
		fmt.Fprintf(w, "%g Hz: %d segments\n", r, perRate[r])
	}
}

// writeSegment writes one segment as a single-signal WFDB record in format
// 16 with a gain of 1000 adu/mV (1 µV resolution), resampled to s.rate
// when that is set and differs from the record's rate.
func writeSegment(dir, name string, s segment) error {
	const gain = 1000
	x, fs := s.x, s.fs
	if s.rate > 0 && s.rate != s.fs {
		var err error
		x, err = signal.Resample(fillNaN(x), s.fs, s.rate)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fs = s.rate
	}
	d := make([]int32, len(x))
	for i, v := range x {
		if math.IsNaN(v) {
			d[i] = wfdb.InvalidSample
			continue
		}
		d[i] = signal.ToDigital(v, gain, 0)
	}
	h := &wfdb.Header{
		Name: name, Fs: fs,
		Signals: []wfdb.SignalSpec{{
			FileName: name + ".dat", Format: 16, SamplesPerFrame: 1, Gain: gain,
			Units: s.units, ADCResolution: 16, Description: s.desc,
		}},
		Comments: []string{fmt.Sprintf(" %s samples %d-%d of record %s (%g Hz), rhythm %s", s.desc, s.span.Start, s.span.End, s.record, s.fs, s.label)},
	}
	return wfdb.WriteRecord(dir, h, [][]int32{d})
}

// fillNaN returns x with invalid samples replaced by the previous valid
// one (the resampler needs finite samples).
func fillNaN(x []float64) []float64 {
	y := slices.Clone(x)
	last := 0.0
	for i, v := range y {
		if math.IsNaN(v) {
			y[i] = last
		}
		last = y[i]
	}
	return y
}

// crossValidate runs record-grouped K-fold cross-validation of each
// feature set on the label folder o.data and prints the pooled
// out-of-fold report.
func crossValidate(ctx context.Context, w io.Writer, o options) error {
	ds, err := datasets.ReadLabelFolders(o.data)
	if err != nil {
		return err
	}
	y := ds.LabelIndex()
	groups := make([]string, len(ds.Files))
	rates := make([]float64, len(ds.Files))
	secs := make([]float64, len(ds.Files))
	for i, f := range ds.Files {
		groups[i] = f.Group
		h, err := wfdb.ReadHeader(f.Path)
		if err != nil {
			return err
		}
		rates[i], secs[i] = h.Fs, float64(h.NSamples)/h.Fs
	}
	fold, err := datasets.GroupKFold(y, groups, len(ds.Labels), o.cv, o.seed)
	if err != nil {
		return err
	}
	nGroups := map[string]bool{}
	for _, g := range groups {
		nGroups[g] = true
	}
	fmt.Fprintf(w, "%s: %d files, %d records, labels %v; %d-fold CV grouped by record, seed %d, %d trees%s\n",
		o.data, len(ds.Files), len(nGroups), ds.Labels, o.cv, o.seed, o.trees, o.cropsNote())
	var runs []variant
	for _, set := range o.featureSets {
		runs = append(runs, variant{set: set})
	}
	for _, p := range o.ablate {
		runs = append(runs, variant{set: o.featureSets[len(o.featureSets)-1], drop: p})
	}
	cache := map[int][][]float64{}
	for _, run := range runs {
		spec, X, title, err := run.features(ctx, ds, o, cache)
		if err != nil {
			return err
		}
		scores, err := classify.CrossValidate(ds.Labels, spec, X, y, fold, o.cv, classify.TrainOptions{Forest: classify.ForestOptions{Trees: o.trees, Seed: o.seed, Jobs: o.jobs}})
		if err != nil {
			return err
		}
		if err := writeCV(w, title, ds.Labels, y, scores, rates, secs); err != nil {
			return err
		}
	}
	return nil
}

// variant is a feature set to cross-validate, with the features whose
// names start with drop (a+b: with a or with b) left out.
type variant struct {
	set  int
	drop string
}

// features returns the feature settings of the variant (with o's crops),
// the feature vectors of the files of ds (featurised once per set, in
// cache) and a title.
func (run variant) features(ctx context.Context, ds *datasets.LabelFolders, o options, cache map[int][][]float64) (classify.FeatureSpec, [][]float64, string, error) {
	set := run.set
	sf := classify.DefaultSignalFeatures()
	sf.FeatureSet = set
	if o.crops > 0 {
		sf.Crops, sf.CropShare = o.crops, o.cropShare
	}
	spec := classify.SignalSpec(sf)
	X := cache[set]
	if X == nil {
		var err error
		X, err = classify.Featurize(ctx, spec, ds.Files, o.jobs, nil)
		if err != nil {
			return spec, nil, "", err
		}
		cache[set] = X
	}
	title := fmt.Sprintf("feature set %d (%d features)", set, len(spec.Names()))
	if run.drop == "" {
		return spec, X, title, nil
	}
	// A feature left out is made unknown everywhere: a constant column is
	// never split on.
	var cols []int
	// "a+b": leave out the features of every prefix at once.
	for j, n := range spec.Names() {
		for _, p := range strings.Split(run.drop, "+") {
			if strings.HasPrefix(n, p) {
				cols = append(cols, j)
				break
			}
		}
	}
	X2 := make([][]float64, len(X))
	d := len(spec.Names())
	for i, row := range X {
		X2[i] = slices.Clone(row)
		for v := 0; v < len(row); v += d { // every view
			for _, j := range cols {
				X2[i][v+j] = math.NaN()
			}
		}
	}
	title = fmt.Sprintf("feature set %d without %s* (%d features)", set, run.drop, len(spec.Names())-len(cols))
	return spec, X2, title, nil
}

// writeCV prints the pooled out-of-fold report of one variant, then the
// accuracy and F1 by sampling rate and by length of the files.
func writeCV(w io.Writer, title string, labels []string, y []int, scores [][]float64, rates, secs []float64) error {
	rep, err := classify.Evaluate(labels, y, scores, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s: accuracy %.3f, mean F1 %.3f\n", title, rep.Accuracy, rep.Macro.F1)
	fmt.Fprintf(w, "  %-8s %9s %6s %6s %7s\n", "label", "precision", "recall", "F1", "support")
	for _, l := range rep.PerLabel {
		fmt.Fprintf(w, "  %-8s %9.3f %6.3f %6.3f %7d\n", l.Label, l.Precision, l.Recall, l.F1, l.Support)
	}
	sub := func(name string, keep func(i int) bool) error {
		var t []int
		var s [][]float64
		for i := range scores {
			if keep(i) {
				t, s = append(t, y[i]), append(s, scores[i])
			}
		}
		if len(t) == 0 {
			return nil
		}
		r, err := classify.Evaluate(labels, t, s, 0)
		if err != nil {
			return err
		}
		f := make([]string, len(r.PerLabel))
		for j, l := range r.PerLabel {
			f[j] = fmt.Sprintf("%s %.3f", l.Label, l.F1)
		}
		fmt.Fprintf(w, "  %-12s n=%-5d accuracy %.3f  mean F1 %.3f  (%s)\n", name, len(t), r.Accuracy, r.Macro.F1, strings.Join(f, ", "))
		return nil
	}
	seenRates := slices.Clone(rates)
	slices.Sort(seenRates)
	for _, r := range slices.Compact(seenRates) {
		if err := sub(fmt.Sprintf("%g Hz", r), func(i int) bool { return rates[i] == r }); err != nil {
			return err
		}
	}
	for _, b := range [][2]float64{{0, 20}, {20, 40}, {40, math.Inf(1)}} {
		if err := sub(fmt.Sprintf("%g-%g s", b[0], b[1]), func(i int) bool { return secs[i] >= b[0] && secs[i] < b[1] }); err != nil {
			return err
		}
	}
	return nil
}
