package beats

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/ecgkit/ecg/internal/refdata"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

var (
	bxbSe  = regexp.MustCompile(`QRS sensitivity:.*\((\d+)/(\d+)\)`)
	bxbPPV = regexp.MustCompile(`QRS positive predictivity:.*\((\d+)/(\d+)\)`)
)

// runBxb scores annotator test against atr with bxb's defaults and returns
// TP, FN, FP from its QRS sensitivity and positive predictivity lines.
func runBxb(t *testing.T, wfdbPath, rec, test string) (tp, fn, fp int) {
	t.Helper()
	cmd := exec.Command("bxb", "-r", rec, "-a", "atr", test)
	cmd.Env = append(os.Environ(), "WFDB="+wfdbPath)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bxb %s %s: %v", rec, test, err)
	}
	se := bxbSe.FindSubmatch(out)
	pp := bxbPPV.FindSubmatch(out)
	if se == nil || pp == nil {
		t.Fatalf("bxb %s %s: no QRS statistics in\n%s", rec, test, out)
	}
	a, _ := strconv.Atoi(string(se[1]))
	b, _ := strconv.Atoi(string(se[2]))
	c, _ := strconv.Atoi(string(pp[1]))
	d, _ := strconv.Atoi(string(pp[2]))
	if a != c {
		t.Fatalf("bxb %s %s: TP %d in Se, %d in +P", rec, test, a, c)
	}
	return a, b - a, d - c
}

// TestConformanceBxb checks that Match gives bxb's TP, FN and FP on every
// mitdb record, for our detector's annotations and for gqrs's.
func TestConformanceBxb(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") != "1" {
		t.Skip("set ECG_CONFORMANCE=1 (make conformance) to compare with bxb")
	}
	refdata.NeedTools(t, "bxb", "gqrs")
	db := refdata.MITDB(t)
	names, err := readRecords(db)
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	wfdbPath := tmp + " " + db
	var ours, gq, bOurs, bGq MatchResult
	for _, name := range names {
		rec, err := wfdb.ReadRecord(filepath.Join(db, name))
		if err != nil {
			t.Fatal(err)
		}
		fs := rec.Header.Fs
		det := Detect(rec.Physical(0), fs)
		anns := make([]wfdb.Annotation, len(det))
		test := make([]int64, len(det))
		for i, b := range det {
			anns[i] = wfdb.Annotation{Sample: b.Sample, Type: wfdb.Normal}
			test[i] = b.Sample
		}
		if err := wfdb.WriteAnnotations(filepath.Join(tmp, name), "ours", anns); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("gqrs", "-r", name)
		cmd.Dir = tmp
		cmd.Env = append(os.Environ(), "WFDB="+wfdbPath)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gqrs %s: %v\n%s", name, err, out)
		}
		ref, err := wfdb.ReadAnnotations(filepath.Join(db, name), "atr")
		if err != nil {
			t.Fatal(err)
		}
		gqAnns, err := wfdb.ReadAnnotations(filepath.Join(tmp, name), "qrs")
		if err != nil {
			t.Fatal(err)
		}
		refBeats, vf := Reference(ref, int64(rec.NumFrames()))
		opt := DefaultMatchOptions()
		opt.Exclude = vf
		for _, c := range []struct {
			ann      string
			test     []int64
			sum, bxb *MatchResult
		}{{"ours", test, &ours, &bOurs}, {"qrs", BeatSamples(gqAnns), &gq, &bGq}} {
			m := Match(refBeats, c.test, fs, opt)
			tp, fn, fp := runBxb(t, wfdbPath, name, c.ann)
			if m.TP != tp || m.FN != fn || m.FP != fp {
				t.Errorf("%s %s: Match TP %d FN %d FP %d, bxb %d %d %d", name, c.ann, m.TP, m.FN, m.FP, tp, fn, fp)
			}
			c.sum.Add(m)
			c.bxb.Add(MatchResult{TP: tp, FN: fn, FP: fp})
		}
	}
	t.Logf("all %d records: ours TP %d FN %d FP %d (Se %.3f +P %.3f); gqrs TP %d FN %d FP %d (Se %.3f +P %.3f)",
		len(names), ours.TP, ours.FN, ours.FP, ours.Sensitivity(), ours.PositivePredictivity(),
		gq.TP, gq.FN, gq.FP, gq.Sensitivity(), gq.PositivePredictivity())
}

func readRecords(db string) ([]string, error) {
	b, err := os.ReadFile(filepath.Join(db, "RECORDS"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range regexp.MustCompile(`\S+`).FindAll(b, -1) {
		names = append(names, string(f))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%s: empty RECORDS", db)
	}
	return names, nil
}
