package classify

import (
	"bytes"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets"
)

func TestRecordOf(t *testing.T) {
	for _, c := range []struct {
		path string
		row  *datasets.ManifestRow
		want string
	}{
		{"arch/N/A00001_0000m15s_ECG.png", nil, "arch/N/A00001"},
		{"A00001_0000m00s_ECG.png", nil, "A00001"},
		{"data/mitdb/100.hea", nil, "data/mitdb/100"},
		{"data/mitdb/201", nil, "data/mitdb/201"},
		{"C03.png", nil, "C03"},
		{"arch/N/s0010_re_0000m00s_ECG.png", &datasets.ManifestRow{Record: "s0010_re"}, "arch/N/s0010_re"},
		{"arch/N/A00002_0000m00s_ECG.png", &datasets.ManifestRow{}, "arch/N/A00002"},
	} {
		if got := RecordOf(filepath.FromSlash(c.path), c.row); got != filepath.FromSlash(c.want) {
			t.Errorf("RecordOf(%q, %+v) = %q, want %q", c.path, c.row, got, c.want)
		}
	}
}

// scored makes a prediction of labels a, b, c with the given scores.
func scored(a, b, c float64) Prediction {
	return Prediction{Scores: []LabelScore{{"a", a}, {"b", b}, {"c", c}}}
}

// TestRecordMeans: records come in the order of their first file, with
// the mean of their files' scores, the label of the highest (the first on
// a tie) and Confident against that label's threshold.
func TestRecordMeans(t *testing.T) {
	m := &Model{Info: ModelInfo{Labels: []string{"a", "b", "c"}, Thresholds: []float64{0.5, 0.3, 0.9}}}
	rm := NewRecordMeans(m)
	for _, f := range []struct {
		rec string
		p   Prediction
	}{
		{"r1", scored(0.6, 0.3, 0.1)}, {"r2", scored(0.1, 0.8, 0.1)}, {"r1", scored(0.2, 0.7, 0.1)},
		{"r2", scored(0.4, 0.2, 0.4)}, {"r1", scored(0.4, 0.2, 0.4)}, {"r3", scored(0.2, 0.2, 0.6)},
		{"r3", scored(0.6, 0.2, 0.2)},
	} {
		if err := rm.Add(f.rec, f.p); err != nil {
			t.Fatal(err)
		}
	}
	want := []struct {
		rec       string
		files     int
		scores    []float64
		label     string
		confident bool
	}{
		{"r1", 3, []float64{0.4, 0.4, 0.2}, "a", false},  // a by rounding; 0.4 < 0.5
		{"r2", 2, []float64{0.25, 0.5, 0.25}, "b", true}, // 0.5 >= 0.3
		{"r3", 2, []float64{0.4, 0.2, 0.4}, "a", false},  // a and c tie exactly: the first
	}
	got := rm.Predictions()
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Record != w.rec || g.Files != w.files || g.Label != w.label || g.Confident != w.confident {
			t.Errorf("record %d: %s of %d files, %s confident %v; want %s of %d, %s %v", i, g.Record, g.Files, g.Label, g.Confident, w.rec, w.files, w.label, w.confident)
		}
		for j, s := range g.Scores {
			if s.Label != m.Info.Labels[j] || math.Abs(s.Score-w.scores[j]) > 1e-12 {
				t.Errorf("record %s score %d: %+v, want %v", g.Record, j, s, w.scores[j])
			}
		}
		if g.Confidence != g.Scores[0].Score && g.Label == "a" {
			t.Errorf("record %s: confidence %v is not the score of its label", g.Record, g.Confidence)
		}
	}
	if err := rm.Add("r4", Prediction{Scores: []LabelScore{{"a", 1}}}); err == nil {
		t.Error("a prediction of 1 label for a model of 3: no error")
	}
	if err := rm.Add("r4", Prediction{Scores: []LabelScore{{"b", 1}, {"a", 0}, {"c", 0}}}); err == nil {
		t.Error("scores in another label order: no error")
	}
	if n := len(rm.Predictions()); n != 3 {
		t.Errorf("%d records after refused predictions, want 3", n)
	}
}

// TestRecordPredictionWriter: a record's row has the record and its file
// count, a file's row is unchanged, and each writer refuses the other's.
func TestRecordPredictionWriter(t *testing.T) {
	rp := RecordPrediction{Record: "arch/A01", Files: 3, Prediction: Prediction{Label: "b", Confidence: 0.5, Confident: true,
		Scores: []LabelScore{{"a", 0.25}, {"b", 0.5}, {"c", 0.25}}}}
	for _, c := range []struct{ format, want string }{
		{"csv", "record,label,confidence,confident,files,label2,score2\narch/A01,b,0.5000,true,3,a,0.2500\n"},
		{"json", `{"record":"arch/A01","files":3,"label":"b","confidence":0.5,"confident":true,"top":[{"label":"b","score":0.5},{"label":"a","score":0.25}]}` + "\n"},
	} {
		var buf bytes.Buffer
		pw, err := NewRecordPredictionWriter(&buf, c.format, 2)
		if err != nil {
			t.Fatal(err)
		}
		if err := pw.WriteRecord(rp); err != nil {
			t.Fatal(err)
		}
		if buf.String() != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.format, buf.String(), c.want)
		}
		if err := pw.Write("f.png", rp.Prediction); err == nil {
			t.Errorf("%s: a file's prediction written to a writer of records", c.format)
		}
	}
	var buf bytes.Buffer
	pw, err := NewPredictionWriter(&buf, "json", 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := pw.Write("f.png", rp.Prediction); err != nil {
		t.Fatal(err)
	}
	if want := `{"file":"f.png","label":"b","confidence":0.5,"confident":true}` + "\n"; buf.String() != want {
		t.Errorf("file line %s, want %s", buf.String(), want)
	}
	if err := pw.WriteRecord(rp); err == nil || strings.Contains(buf.String(), "arch/A01") {
		t.Error("a record's prediction written to a writer of files")
	}
}
