package datasets

import (
	"bytes"
	"errors"
	"testing"
)

func TestArchiveResultWriteSummary(t *testing.T) {
	res := &ArchiveResult{Records: 2, Windows: 5, Written: 5, Labels: map[string]int{"N": 3, "AFIB": 2},
		Manifest: "out/manifest.csv", SkippedFraction: 1, SkippedRecords: 1, Failed: []error{errors.New("x.hea: bad")}}
	opt := ArchiveOptions{Out: "out", Label: LabelRhythm, MinFraction: 0.8, Signals: []string{"MLII", "V1"}}
	for _, tc := range []struct{ format, want string }{
		{"text", "2 records, 5 images (5 files written, 0 kept) in out\n  AFIB     2\n  N        3\n" +
			"skipped 1 strides whose rhythm covers less than 0.8 of the stride\n" +
			"skipped 1 records without the signals MLII,V1\nmanifest out/manifest.csv\n"},
		{"json", `{"existing":0,"failed":["x.hea: bad"],"images":5,"labels":{"AFIB":2,"N":3},"manifest":"out/manifest.csv",` +
			`"records":2,"removed":0,"short_records":0,"skipped_edge":0,"skipped_fraction":1,"skipped_no_label":0,` +
			`"skipped_records":1,"skipped_short":0,"written":5}` + "\n"},
	} {
		var b bytes.Buffer
		if err := res.WriteSummary(&b, tc.format, opt); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.format, b.String(), tc.want)
		}
	}
}
