package beats

import (
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// TestClassMatrixGross checks the EC57 gross-statistic rules bxb applies
// (measured with bxb on relabelled mitdb annotation files): a reference F
// or Q beat called V and a reference Q beat called S are no error, a
// reference F beat called S is one.
func TestClassMatrixGross(t *testing.T) {
	var m ClassMatrix
	set := func(cell string, v int) {
		m[strings.IndexByte(ClassNames, cell[0])][strings.IndexByte(ClassNames, strings.ToUpper(cell[1:])[0])] = v
	}
	for cell, v := range map[string]int{
		"Nn": 1000, "Nv": 3, "Ns": 5, "No": 2,
		"Vv": 90, "Vn": 4, "Vs": 1, "Vf": 2, "Vq": 1, "Vo": 2,
		"Ss": 40, "Sn": 6, "Sv": 7, "So": 1,
		"Fv": 11, "Fs": 13, "Ff": 3,
		"Qv": 17, "Qs": 19,
		"Ov": 23, "Os": 29, "On": 31,
	} {
		set(cell, v)
	}
	if got, want := m.VEB(), (MatchResult{TP: 90, FN: 4 + 1 + 2 + 1 + 2, FP: 3 + 7 + 23}); got.TP != want.TP || got.FN != want.FN || got.FP != want.FP {
		t.Errorf("VEB %+v, want %+v", got, want)
	}
	if got, want := m.SVEB(), (MatchResult{TP: 40, FN: 6 + 7 + 1, FP: 5 + 1 + 13 + 29}); got.TP != want.TP || got.FN != want.FN || got.FP != want.FP {
		t.Errorf("SVEB %+v, want %+v", got, want)
	}
	if got := m.QRS(); got.FN != 2+2+1 || got.FP != 23+29+31 {
		t.Errorf("QRS %+v", got)
	}
}

// TestCompareClasses checks the tally of a small comparison: matched
// beats by class (escape beats as S, as bxb counts them), a missed and an
// extra beat, the learning period and a flutter episode left out.
func TestCompareClasses(t *testing.T) {
	b := func(s int64, c wfdb.Code) wfdb.Annotation { return wfdb.Annotation{Sample: s, Type: c} }
	ref := []wfdb.Annotation{
		b(10, wfdb.PVC), // before the start: not scored
		b(1000, wfdb.Normal), b(1100, wfdb.PVC), b(1200, wfdb.NEsc), b(1300, wfdb.Fusion),
		b(1400, wfdb.Normal), // missed
		{Sample: 1450, Type: wfdb.VFOn}, b(1500, wfdb.PVC), {Sample: 1550, Type: wfdb.VFOff},
	}
	test := []wfdb.Annotation{
		b(12, wfdb.Normal),
		b(1002, wfdb.Normal), b(1098, wfdb.APC), b(1201, wfdb.APC), b(1300, wfdb.PVC),
		b(1350, wfdb.PVC), // extra
		b(1501, wfdb.Normal),
	}
	cm, m := CompareClasses(ref, test, 100, 2000, MatchOptions{Window: 0.15, Skip: 5})
	want := map[string]int{"NN": 1, "VS": 1, "SS": 1, "FV": 1, "NO": 1, "OV": 1}
	for r := range ClassNames {
		for c := range ClassNames {
			if got := cm[r][c]; got != want[ClassNames[r:r+1]+ClassNames[c:c+1]] {
				t.Errorf("%c%c: %d, want %d", ClassNames[r], ClassNames[c], got, want[ClassNames[r:r+1]+ClassNames[c:c+1]])
			}
		}
	}
	if len(m.Matches) != 4 || m.Matches[0] != [2]int{1, 1} {
		t.Errorf("matches %v", m.Matches)
	}
	var buf strings.Builder
	if err := cm.WriteText(&buf); err != nil || !strings.Contains(buf.String(), "VEB sensitivity 0.00% (0/1), positive predictivity 0.00% (0/1)") {
		t.Errorf("WriteText: %v\n%s", err, buf.String())
	}
}
