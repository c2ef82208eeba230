package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/beats"
	"github.com/ecgkit/ecg/internal/refdata"
)

var (
	bxbStat = regexp.MustCompile(`(?m)^ *(QRS|VEB|SVEB) (sensitivity|positive predictivity): .*\((\d+)/(\d+)\)$`)
	bxbRow  = regexp.MustCompile(`(?m)^ *([NSVFQOX]) \|((?: +\d+)+)$`)
)

// bxbClasses runs bxb -S on annotator test of record name against atr and
// returns its class table (rows N S V F Q O, columns n s v f q o; bxb's X
// row, extra test beats in a reference shutdown, added to O) and its
// statistics ("VEB sensitivity" -> {TP, TP+FN}).
func bxbClasses(t *testing.T, wfdbPath, name, test string) (beats.ClassMatrix, map[string][2]int) {
	t.Helper()
	cmd := exec.Command("bxb", "-r", name, "-a", "atr", test, "-S", "-")
	cmd.Env = append(os.Environ(), "WFDB="+wfdbPath)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("bxb %s %s: %v", name, test, err)
	}
	var cm beats.ClassMatrix
	for _, m := range bxbRow.FindAllSubmatch(out, -1) {
		r := strings.IndexByte(beats.ClassNames, m[1][0])
		if m[1][0] == 'X' {
			r = strings.IndexByte(beats.ClassNames, 'O')
		}
		for j, f := range strings.Fields(string(m[2])) {
			if j < len(beats.ClassNames) {
				v, _ := strconv.Atoi(f)
				cm[r][j] += v
			}
		}
	}
	stats := map[string][2]int{}
	for _, m := range bxbStat.FindAllSubmatch(out, -1) {
		a, _ := strconv.Atoi(string(m[3]))
		b, _ := strconv.Atoi(string(m[4]))
		stats[string(m[1])+" "+string(m[2])] = [2]int{a, b}
	}
	if len(stats) != 6 {
		t.Fatalf("bxb %s %s: want QRS, VEB and SVEB statistics in\n%s", name, test, out)
	}
	return cm, stats
}

// statsOf returns r as bxb's statistics lines count it.
func statsOf(kind string, r beats.MatchResult) map[string][2]int {
	return map[string][2]int{kind + " sensitivity": {r.TP, r.TP + r.FN}, kind + " positive predictivity": {r.TP, r.TP + r.FP}}
}

// TestConformanceBeatEvalBxb checks ecg eval on a beat model against bxb:
// ecg beats --classify default --out-annotator writes the classes of the
// detected beats of every mitdb record (-short: 3), bxb scores those files, and ecg eval's
// class table per record and its QRS, VEB and SVEB counts (per record and
// gross) must be bxb's exactly. It runs with ECG_CONFORMANCE=1 and bxb on
// PATH (make conformance).
func TestConformanceBeatEvalBxb(t *testing.T) {
	if os.Getenv("ECG_CONFORMANCE") != "1" {
		t.Skip("set ECG_CONFORMANCE=1 (make conformance) to compare with bxb")
	}
	refdata.NeedTools(t, "bxb")
	db := mitdbDir(t)
	recs, err := os.ReadFile(filepath.Join(db, "RECORDS"))
	if err != nil {
		t.Fatal(err)
	}
	names := strings.Fields(string(recs))
	if testing.Short() {
		names = []string{"208", "222", "232"} // V, F, escape beats, S
	}
	tmp := t.TempDir()
	var paths []string
	for _, n := range names {
		rec := filepath.Join(db, n)
		paths = append(paths, rec)
		if code, _, stderr := runECG(t, "", "-q", "beats", rec, "--classify", "default", "--out-annotator", "cls", "--out", tmp); code != 0 {
			t.Fatalf("ecg beats %s: exit %d: %s", n, code, stderr)
		}
	}
	code, out, stderr := runECG(t, "", append([]string{"-q", "eval", "default", "--annotator", "atr", "--format", "json"}, paths...)...)
	if code != 0 {
		t.Fatalf("ecg eval: exit %d: %s", code, stderr)
	}
	var got struct {
		EC57    beats.ClassMatrix `json:"ec57"`
		Records []struct {
			Record string            `json:"record"`
			EC57   beats.ClassMatrix `json:"ec57"`
		} `json:"records"`
		VEB  struct{ TP, FN, FP int } `json:"veb"`
		SVEB struct{ TP, FN, FP int } `json:"sveb"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Records) != len(names) {
		t.Fatalf("ecg eval --format json: %v (%d records)\n%s", err, len(got.Records), out)
	}
	wfdbPath := tmp + " " + db
	var sum beats.ClassMatrix
	gross := map[string][2]int{}
	for i, n := range names {
		cm, stats := bxbClasses(t, wfdbPath, n, "cls")
		ours := got.Records[i].EC57
		if ours != cm {
			t.Errorf("%s: ecg eval's class table\n%v\nbxb's\n%v", n, ours, cm)
		}
		for k, v := range stats {
			gross[k] = [2]int{gross[k][0] + v[0], gross[k][1] + v[1]}
		}
		for _, kind := range []string{"QRS", "VEB", "SVEB"} {
			r := map[string]beats.MatchResult{"QRS": ours.QRS(), "VEB": ours.VEB(), "SVEB": ours.SVEB()}[kind]
			for k, v := range statsOf(kind, r) {
				if stats[k] != v {
					t.Errorf("%s: %s: ecg eval %d/%d, bxb %d/%d", n, k, v[0], v[1], stats[k][0], stats[k][1])
				}
			}
		}
		sum.Add(ours)
	}
	if sum != got.EC57 {
		t.Errorf("gross class table %v, the sum of the records' %v", got.EC57, sum)
	}
	for kind, r := range map[string]beats.MatchResult{
		"VEB":  {TP: got.VEB.TP, FN: got.VEB.FN, FP: got.VEB.FP},
		"SVEB": {TP: got.SVEB.TP, FN: got.SVEB.FN, FP: got.SVEB.FP},
	} {
		for k, v := range statsOf(kind, r) {
			if gross[k] != v {
				t.Errorf("gross %s: ecg eval %d/%d, bxb's summed %d/%d", k, v[0], v[1], gross[k][0], gross[k][1])
			}
		}
	}
	t.Logf("%d records: VEB Se %d/%d +P %d/%d, SVEB Se %d/%d +P %d/%d (ecg eval = bxb)", len(names),
		gross["VEB sensitivity"][0], gross["VEB sensitivity"][1], gross["VEB positive predictivity"][0], gross["VEB positive predictivity"][1],
		gross["SVEB sensitivity"][0], gross["SVEB sensitivity"][1], gross["SVEB positive predictivity"][0], gross["SVEB positive predictivity"][1])
}
