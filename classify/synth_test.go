package classify

import (
	"fmt"
	"testing"

	"github.com/ecgkit/ecg/datasets"
	"github.com/ecgkit/ecg/datasets/synth"
)

// synthSegments cuts nRec synthetic recordings per rhythm into segments
// of segSec seconds; each recording is one group (a patient).
func synthSegments(t testing.TB, rhythms []string, nRec int, segs int, segSec float64, seed int64) (x [][]float64, fs []float64, y []int, groups []string) {
	t.Helper()
	rates := []float64{360, 250, 300}
	for ri, rh := range rhythms {
		for r := 0; r < nRec; r++ {
			s := seed + int64(ri*1000+r)
			opt := synth.Options{Rhythm: rh, Fs: rates[r%len(rates)], Duration: segSec * float64(segs), Seed: s, Noise: 0.02 + 0.01*float64(r%4), Wander: 0.1}
			// Vary heart rate within each rhythm's range.
			switch rh {
			case synth.Normal:
				opt.HR = 62 + float64((r*7)%36)
			case synth.Brady:
				opt.HR = 40 + float64((r*3)%17)
			case synth.Tachy:
				opt.HR = 105 + float64((r*9)%60)
			case synth.AFib:
				opt.HR = 70 + float64((r*11)%60)
			case synth.PVC:
				opt.HR = 62 + float64((r*5)%30)
			}
			rec, err := synth.Generate(opt)
			if err != nil {
				t.Fatal(err)
			}
			n := int(segSec * rec.Fs)
			for k := 0; k < segs; k++ {
				x = append(x, rec.MV[k*n:(k+1)*n])
				fs = append(fs, rec.Fs)
				y = append(y, ri)
				groups = append(groups, fmt.Sprintf("%s%03d", rh, r))
			}
		}
	}
	return
}

// TestSyntheticRhythms trains on synthetic normal, AF, PVC, brady and
// tachy recordings and tests on recordings held out by a grouped split:
// macro F1 must reach 0.95.
func TestSyntheticRhythms(t *testing.T) {
	rhythms := []string{synth.Normal, synth.AFib, synth.PVC, synth.Brady, synth.Tachy}
	nRec := 12 // fewer leaves whole heart-rate ranges out of training
	sig, fs, y, groups := synthSegments(t, rhythms, nRec, 3, 20, 1)
	spec := SignalSpec(DefaultSignalFeatures())
	X := make([][]float64, len(sig))
	for i := range sig {
		v, err := spec.SignalVector(sig[i], fs[i])
		if err != nil {
			t.Fatal(err)
		}
		X[i] = v
	}
	train, test, err := datasets.SplitByGroup(y, groups, len(rhythms), 0.7, 1)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(idx []int) ([][]float64, []int) {
		var a [][]float64
		var b []int
		for _, i := range idx {
			a, b = append(a, X[i]), append(b, y[i])
		}
		return a, b
	}
	trX, trY := pick(train)
	teX, teY := pick(test)
	m, err := Train(rhythms, spec, trX, trY, TrainOptions{Forest: ForestOptions{Trees: 60, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	scores := make([][]float64, len(teX))
	for i, x := range teX {
		scores[i] = m.Scores(nil, x)
	}
	rep, err := Evaluate(rhythms, teY, scores, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d training segments, %d test segments; macro F1 %.4f accuracy %.4f", len(trX), len(teX), rep.Macro.F1, rep.Accuracy)
	for _, l := range rep.PerLabel {
		t.Logf("%-7s P %.3f R %.3f F1 %.3f n %d", l.Label, l.Precision, l.Recall, l.F1, l.Support)
	}
	if rep.Macro.F1 < 0.95 {
		t.Errorf("macro F1 %.4f on held-out synthetic records, want >= 0.95", rep.Macro.F1)
	}
}
