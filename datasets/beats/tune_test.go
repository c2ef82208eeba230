//go:build harness

package beats

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ecgkit/ecg/datasets/signal"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/refdata"
)

// The inter-patient split of de Chazal et al. (2004), as listed in the
// shared data README. DS1 is the only half used to select parameters;
// DS2 is reported, never looked at while choosing.
var (
	splitDS1 = strings.Fields("101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230")
	splitDS2 = strings.Fields("100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234")
)

// tuneConditions are the versions of each record a candidate is run on:
// clean, and with the synthetic noise of TestStressTables (same
// generator, same seeds) at the given SNRs.
var tuneConditions = []struct {
	kind string
	snr  float64
}{{"", 0}, {"ma", 12}, {"ma", 6}, {"ma", 0}, {"em", 12}, {"em", 6}, {"em", 0}, {"bw", 0}}

// TestTuneSplit scores candidate parameter sets with Match (which gives
// bxb's counts, TestConformanceBxb) on one half of the split, clean and
// noisy, and prints gross Se and +P per condition. It runs only when
// ECG_BEATS_TUNE is set to ds1, ds2 or all (the 44 non-paced records).
// ECG_BEATS_TRY lists candidates separated by ";", each a comma-separated
// list of field=value overrides of defaultParams ("" is the default).
// Parameters are chosen on ds1 only (docs/beats.md, "Parameter
// selection").
func TestTuneSplit(t *testing.T) {
	set := os.Getenv("ECG_BEATS_TUNE")
	if set == "" {
		t.Skip("set ECG_BEATS_TUNE=ds1|ds2|all to score parameter candidates")
	}
	var names []string
	switch set {
	case "ds1":
		names = splitDS1
	case "ds2":
		names = splitDS2
	case "all":
		names = append(append([]string{}, splitDS1...), splitDS2...)
	default:
		t.Fatalf("ECG_BEATS_TUNE=%q: want ds1, ds2 or all", set)
	}
	db := refdata.MITDB(t)
	if os.Getenv("ECG_BEATS_GQRS") == "1" {
		tuneGqrs(t, db, set, names)
		return
	}
	var cands []params
	var labels []string
	for _, spec := range strings.Split(os.Getenv("ECG_BEATS_TRY"), ";") {
		p, err := parseParams(strings.TrimSpace(spec))
		if err != nil {
			t.Fatal(err)
		}
		cands = append(cands, p)
		labels = append(labels, strings.TrimSpace(spec))
	}
	conds := tuneConditions
	if c := os.Getenv("ECG_BEATS_CONDS"); c == "clean" {
		conds = conds[:1]
	}
	res := make([][]MatchResult, len(cands)) // [cand][cond]
	for i := range res {
		res[i] = make([]MatchResult, len(conds))
	}
	var mu sync.Mutex
	parallel(len(names), func(i int) {
		r, err := readTuneRecord(db, names[i])
		if err != nil {
			t.Error(err)
			return
		}
		fs, refBeats := r.fs, r.ref
		opt := DefaultMatchOptions()
		opt.Exclude = r.vf
		for c, cond := range conds {
			x := r.version(cond.kind, cond.snr)
			for k, p := range cands {
				d := newDetector(fs, 1, p)
				var test []int64
				emit := func(b Beat) { test = append(test, b.Sample) }
				d.Write(x, emit)
				d.Flush(emit)
				m := Match(refBeats, test, fs, opt)
				mu.Lock()
				res[k][c].Add(m)
				mu.Unlock()
			}
		}
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d records), gross Se/+P %%, FN+FP in brackets\n", set, len(names))
	for k := range cands {
		fmt.Fprintf(&b, "[%s]\n", labels[k])
		for c, cond := range conds {
			m := res[k][c]
			name := "clean"
			if cond.kind != "" {
				name = fmt.Sprintf("%s%g", cond.kind, cond.snr)
			}
			fmt.Fprintf(&b, "  %-5s %7.3f %7.3f (%d+%d)\n", name, m.Sensitivity(), m.PositivePredictivity(), m.FN, m.FP)
		}
	}
	t.Log("\n" + b.String())
}

// tuneRecord is a record of the split with its reference beats, as the
// selection harness and the measurements use it.
type tuneRecord struct {
	name string
	rec  *wfdb.Record
	fs   float64
	ann  []wfdb.Annotation
	ref  []int64       // reference beats (Reference)
	vf   []signal.Span // ventricular flutter episodes, left out of the scores
}

func readTuneRecord(db, name string) (*tuneRecord, error) {
	path := filepath.Join(db, name)
	rec, err := wfdb.ReadRecord(path)
	if err != nil {
		return nil, err
	}
	ann, err := wfdb.ReadAnnotations(path, "atr")
	if err != nil {
		return nil, err
	}
	ref, vf := Reference(ann, int64(rec.NumFrames()))
	return &tuneRecord{name: name, rec: rec, fs: rec.Header.Fs, ann: ann, ref: ref, vf: vf}, nil
}

// version returns signal 0 as is (kind "") or with the noise of
// TestStressTables (same generator and seed), rounded to the record's
// gain as the format-16 stress records are.
func (r *tuneRecord) version(kind string, snr float64) []float64 {
	x := r.rec.Physical(0)
	if kind == "" {
		return x
	}
	g := r.rec.Header.Signals[0].Gain
	if g == 0 {
		g = wfdb.DefaultGain
	}
	addNoise(x, r.fs, kind, snr, refSamples(r.ann, 1), hashName(r.name))
	for k, v := range x {
		x[k] = math.Round(v*g) / g
	}
	return x
}

// tuneGqrs scores gqrs on the same records and conditions as
// TestTuneSplit (ECG_BEATS_GQRS=1): the bar a candidate is selected
// against. Each version is written as TestStressTables writes it
// (transform: the same noise on signal 0, format 16), gqrs runs on it
// and Match scores its annotations.
func tuneGqrs(t *testing.T, db, set string, names []string) {
	refdata.NeedTools(t, "gqrs")
	conds := tuneConditions
	if c := os.Getenv("ECG_BEATS_CONDS"); c == "clean" {
		conds = conds[:1]
	}
	res := make([]MatchResult, len(conds))
	var mu sync.Mutex
	for c, cond := range conds {
		dir := t.TempDir()
		parallel(len(names), func(i int) {
			name := names[i]
			transform(t, db, dir, name, 0, cond.kind, cond.snr)
			cmd := exec.Command("gqrs", "-r", name)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "WFDB="+dir)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("gqrs %s: %v %s", name, err, b)
				return
			}
			ref, err := wfdb.ReadAnnotations(filepath.Join(dir, name), "atr")
			if err != nil {
				t.Error(err)
				return
			}
			got, err := wfdb.ReadAnnotations(filepath.Join(dir, name), "qrs")
			if err != nil {
				t.Error(err)
				return
			}
			rec, err := wfdb.ReadHeader(filepath.Join(dir, name))
			if err != nil {
				t.Error(err)
				return
			}
			refBeats, vf := Reference(ref, rec.NSamples)
			var test []int64
			for _, a := range got {
				if a.Type.IsBeat() {
					test = append(test, a.Sample)
				}
			}
			opt := DefaultMatchOptions()
			opt.Exclude = vf
			m := Match(refBeats, test, rec.Fs, opt)
			mu.Lock()
			res[c].Add(m)
			mu.Unlock()
		})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%d records), gqrs, gross Se/+P %%, FN+FP in brackets\n", set, len(names))
	for c, cond := range conds {
		m := res[c]
		name := "clean"
		if cond.kind != "" {
			name = fmt.Sprintf("%s%g", cond.kind, cond.snr)
		}
		fmt.Fprintf(&b, "  %-5s %7.3f %7.3f (%d+%d)\n", name, m.Sensitivity(), m.PositivePredictivity(), m.FN, m.FP)
	}
	t.Log("\n" + b.String())
}

// parseParams applies "field=value,..." overrides to defaultParams.
func parseParams(spec string) (params, error) {
	p := defaultParams
	if spec == "" {
		return p, nil
	}
	for _, kv := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil {
			return p, fmt.Errorf("bad override %q", kv)
		}
		if !setParam(&p, k, f) {
			return p, fmt.Errorf("unknown parameter %q", k)
		}
	}
	return p, nil
}

func setParam(p *params, k string, v float64) bool {
	switch k {
	case "thresholdK":
		p.thresholdK = v
	case "competeTime":
		p.competeTime = v
	case "searchBackK":
		p.searchBackK = v
	case "searchBackTh":
		p.searchBackTh = v
	case "hpCutoff":
		p.hpCutoff = v
	case "lpCutoff":
		p.lpCutoff = v
	case "integWindow":
		p.integWindow = v
	case "confirmLag":
		p.confirmLag = v
	case "qRise":
		p.qRise = v
	case "sharpK":
		p.sharpK = v
	case "sharpV":
		p.sharpV = v
	case "insGate":
		p.insGate = v
	case "insTol":
		p.insTol = v
	case "insK":
		p.insK = v
	case "insMin":
		p.insMin = v
	case "narrowWin":
		p.narrowWin = v
	case "refineK":
		p.refineK = v
	case "compK":
		p.compK = v
	case "maxSlots":
		p.maxSlots = v
	case "rhythmTol":
		p.rhythmTol = v
	case "qOr":
		p.qOr = v
	case "mfK":
		p.mfK = v
	case "mfRefine":
		p.mfRefine = v
	case "mfCorr":
		p.mfCorr = v
	case "mfPLL":
		p.mfPLL = v
	case "mfGate":
		p.mfGate = v
	case "wA":
		p.wA = v
	case "wGate":
		p.wGate = v
	case "wGap":
		p.wGap = v
	case "wGapT":
		p.wGapT = v
	case "hHold":
		p.hHold = v
	case "hTol":
		p.hTol = v
	case "hK":
		p.hK = v
	case "hGate":
		p.hGate = v
	default:
		return false
	}
	return true
}

// TestNoisyFlagMitdb reports how well Beat.Noisy tells false beats from
// true ones on the 44 non-paced mitdb records, clean and with the noise of
// TestTuneSplit (ECG_BEATS_FLAG=1; a measurement for docs/beats.md, not a
// parameter selection: the flag does not change the beats).
func TestNoisyFlagMitdb(t *testing.T) {
	if os.Getenv("ECG_BEATS_FLAG") == "" {
		t.Skip("set ECG_BEATS_FLAG=1 to measure the Noisy flag on mitdb")
	}
	db := refdata.MITDB(t)
	names := append(append([]string{}, splitDS1...), splitDS2...)
	conds := tuneConditions
	type tally struct{ tp, tpNoisy, fp, fpNoisy int }
	res := make([]tally, len(conds))
	// clean records: true beats by reference type (N, V, other)
	byType := map[string][2]int{}
	var mu sync.Mutex
	parallel(len(names), func(i int) {
		r, err := readTuneRecord(db, names[i])
		if err != nil {
			t.Error(err)
			return
		}
		fs, ann, refBeats, vf := r.fs, r.ann, r.ref, r.vf
		w := int64(math.Round(0.15 * fs))
		skip := int64(300 * fs)
		for c, cond := range conds {
			x := r.version(cond.kind, cond.snr)
			var tl tally
			typeOf := map[int64]string{}
			if cond.kind == "" {
				for _, a := range ann {
					if !a.Type.IsBeat() {
						continue
					}
					k := "other"
					switch a.Type {
					case wfdb.Normal:
						k = "N"
					case wfdb.PVC:
						k = "V"
					}
					typeOf[a.Sample] = k
				}
			}
			for _, b := range Detect(x, fs) {
				if b.Sample < skip || excluded(b.Sample, vf) {
					continue
				}
				k, _ := slices.BinarySearch(refBeats, b.Sample)
				near := (k < len(refBeats) && refBeats[k]-b.Sample <= w) || (k > 0 && b.Sample-refBeats[k-1] <= w)
				if near {
					tl.tp++
					if b.Noisy {
						tl.tpNoisy++
					}
					if cond.kind == "" {
						var r int64
						if k == len(refBeats) || (k > 0 && b.Sample-refBeats[k-1] < refBeats[k]-b.Sample) {
							r = refBeats[k-1]
						} else {
							r = refBeats[k]
						}
						mu.Lock()
						v := byType[typeOf[r]]
						v[0]++
						if b.Noisy {
							v[1]++
						}
						byType[typeOf[r]] = v
						mu.Unlock()
					}
				} else {
					tl.fp++
					if b.Noisy {
						tl.fpNoisy++
					}
				}
			}
			mu.Lock()
			r := &res[c]
			r.tp += tl.tp
			r.tpNoisy += tl.tpNoisy
			r.fp += tl.fp
			r.fpNoisy += tl.fpNoisy
			mu.Unlock()
		}
	})
	var b strings.Builder
	fmt.Fprintf(&b, "| condition | beats near a reference beat | of them Noisy | beats far from any | of them Noisy |\n|---|---|---|---|---|\n")
	for c, cond := range conds {
		name := "clean"
		if cond.kind != "" {
			name = fmt.Sprintf("%s %g dB", cond.kind, cond.snr)
		}
		r := res[c]
		fmt.Fprintf(&b, "| %s | %d | %.1f %% | %d | %.1f %% |\n", name, r.tp, 100*float64(r.tpNoisy)/float64(max(r.tp, 1)), r.fp, 100*float64(r.fpNoisy)/float64(max(r.fp, 1)))
	}
	fmt.Fprintf(&b, "\nClean, true beats by reference type:\n\n| type | beats | Noisy |\n|---|---|---|\n")
	for _, k := range []string{"N", "V", "other"} {
		v := byType[k]
		fmt.Fprintf(&b, "| %s | %d | %.1f %% |\n", k, v[0], 100*float64(v[1])/float64(max(v[0], 1)))
	}
	t.Log("\n" + b.String())
}
