//go:build harness

package beats_test

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/datasets/synth"
	"github.com/ecgkit/ecg/datasets/wfdb"
	"github.com/ecgkit/ecg/internal/defaultmodel"
	"github.com/ecgkit/ecg/internal/refdata"
)

// TestNoiseFalseAlarms measures (ECG_BEATS_ALARMS=1) how often the default
// rhythm model calls AFIB on one-minute windows of simulated rhythms with
// electrode-motion and muscle noise, with and without a gate on the share of
// noisy beats in the window.
func TestNoiseFalseAlarms(t *testing.T) {
	if os.Getenv("ECG_BEATS_ALARMS") == "" {
		t.Skip("set ECG_BEATS_ALARMS=1")
	}
	m, err := classify.LoadModel(defaultmodel.Open())
	if err != nil {
		t.Fatal(err)
	}
	const fs = 360.0
	gates := []float64{0.1, 0.2, 0.3, 0.5}
	type key struct{ rhythm, cond string }
	type tally struct {
		windows, afib    int
		afibGated, gated [4]int
	}
	res := map[key]*tally{}
	var order []key
	for _, rhythm := range []string{"normal", "pvc", "tachy", "brady", "afib"} {
		for seed := int64(1); seed <= 4; seed++ {
			rec, err := synth.Generate(synth.Options{Rhythm: rhythm, Fs: fs, Duration: 540, Seed: seed, Noise: 0.01, Wander: 0.05})
			if err != nil {
				t.Fatal(err)
			}
			var ref []int64
			for _, b := range rec.Beats {
				ref = append(ref, b.Sample)
			}
			for _, cond := range []struct {
				kind string
				snr  float64
			}{{"", 0}, {"em", 12}, {"em", 6}, {"em", 0}, {"ma", 6}, {"ma", 0}} {
				x := append([]float64(nil), rec.MV...)
				name := "clean"
				if cond.kind != "" {
					beats.AddNoise(x, fs, cond.kind, cond.snr, ref, uint64(seed))
					name = fmt.Sprintf("%s %g dB", cond.kind, cond.snr)
				}
				k := key{rhythm, name}
				if res[k] == nil {
					res[k] = &tally{}
					order = append(order, k)
				}
				tl := res[k]
				// Windows in the noisy segments: 5:00-7:00 (and clean 0-5 for "clean").
				for st := 300.0; st+60 <= 420; st += 15 {
					w := x[int(st*fs):int((st+60)*fs)]
					p, err := m.PredictSignal(w, fs)
					if err != nil {
						t.Fatal(err)
					}
					bs := detectLive(w, fs)
					noisy := 0
					for _, b := range bs {
						if b.Noisy {
							noisy++
						}
					}
					tl.windows++
					if p.Label == "AFIB" {
						tl.afib++
					}
					for gi, g := range gates {
						gate := len(bs) == 0 || float64(noisy) > g*float64(len(bs))
						if gate {
							tl.gated[gi]++
						} else if p.Label == "AFIB" {
							tl.afibGated[gi]++
						}
					}
				}
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| rhythm | noise | windows | AFIB | AFIB / inconclusive, gate 0.1 | 0.2 | 0.3 | 0.5 |\n|---|---|---|---|---|---|---|---|\n")
	for _, k := range order {
		tl := res[k]
		fmt.Fprintf(&b, "| %s | %s | %d | %d |", k.rhythm, k.cond, tl.windows, tl.afib)
		for gi := range gates {
			fmt.Fprintf(&b, " %d / %d |", tl.afibGated[gi], tl.gated[gi])
		}
		fmt.Fprintln(&b)
	}
	t.Log("\n" + b.String())
}

// TestNoisyWindowsMitdb counts (ECG_BEATS_ALARMS=1) the one-minute windows
// of the clean mitdb records (signal 0, every 30 s) that a gate on the share
// of noisy beats would make inconclusive, by the rhythm at the window's
// middle.
func TestNoisyWindowsMitdb(t *testing.T) {
	if os.Getenv("ECG_BEATS_ALARMS") == "" {
		t.Skip("set ECG_BEATS_ALARMS=1")
	}
	db := refdata.MITDB(t)
	names, err := datasets.ListRecords(db)
	if err != nil {
		t.Fatal(err)
	}
	gates := []float64{0.1, 0.2, 0.3, 0.5}
	type tally struct {
		windows int
		gated   [4]int
	}
	res := map[string]*tally{}
	recs := map[string][4]int{}
	for _, path := range names {
		rec, err := wfdb.ReadRecord(path)
		if err != nil {
			t.Fatal(err)
		}
		anns, err := wfdb.ReadAnnotations(path, "atr")
		if err != nil {
			t.Fatal(err)
		}
		fs := rec.Header.Fs
		x := rec.Physical(0)
		for st := 0; st+int(60*fs) <= len(x); st += int(30 * fs) {
			mid := int64(st + int(30*fs))
			rhythm := "?"
			for _, a := range anns {
				if a.Sample > mid {
					break
				}
				if strings.HasPrefix(a.Aux, "(") {
					rhythm = strings.TrimRight(a.Aux, "\x00")
				}
			}
			bs := detectLive(x[st:st+int(60*fs)], fs)
			noisy := 0
			for _, b := range bs {
				if b.Noisy {
					noisy++
				}
			}
			if res[rhythm] == nil {
				res[rhythm] = &tally{}
			}
			r := res[rhythm]
			r.windows++
			for gi, g := range gates {
				if len(bs) == 0 || float64(noisy) > g*float64(len(bs)) {
					r.gated[gi]++
					v := recs[path]
					v[gi]++
					recs[path] = v
				}
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| rhythm | windows | inconclusive at gate 0.1 | 0.2 | 0.3 | 0.5 |\n|---|---|---|---|---|---|\n")
	for _, k := range slices.Sorted(maps.Keys(res)) {
		r := res[k]
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d |\n", k, r.windows, r.gated[0], r.gated[1], r.gated[2], r.gated[3])
	}
	for _, p := range slices.Sorted(maps.Keys(recs)) {
		if v := recs[p]; v[1] > 0 {
			fmt.Fprintf(&b, "%s: %v\n", p, v)
		}
	}
	t.Log("\n" + b.String())
}

// detectLive finds the beats of x as ecg stream does (NewLiveDetector).
func detectLive(x []float64, fs float64) []beats.Beat {
	d := beats.NewLiveDetector(fs)
	var out []beats.Beat
	emit := func(b beats.Beat) { out = append(out, b) }
	d.Write(x, emit)
	d.Flush(emit)
	return out
}
