package datasets

import (
	"bytes"
	"testing"
)

// Every format of WriteRecordChecks, byte for byte, with a record that
// has no rate and a status that CSV must quote.
func TestWriteRecordChecks(t *testing.T) {
	checks := []RecordCheck{
		{Record: "100", Signals: 2, Fs: 360, Frames: 650000, Duration: 1805.5556, Checksums: "ok", Annotations: 2274, Status: "ok"},
		{Record: "bad", Checksums: "-", Status: `bad.hea line 1: "x": invalid`, Problems: []string{"p"}},
	}
	for _, tc := range []struct{ format, want string }{
		{"text", "RECORD  SIGNALS  DURATION   CHECKSUMS  ANNOTATIONS  STATUS\n" +
			"100     2        30:05.556  ok         2274         ok\n" +
			"bad     0        -          -          0            bad.hea line 1: \"x\": invalid\n"},
		{"tsv", "record\tsignals\tfs\tframes\tduration_s\tchecksums\tannotations\tstatus\n" +
			"100\t2\t360\t650000\t1805.556\tok\t2274\tok\n" +
			"bad\t0\t0\t0\t0.000\t-\t0\t\"bad.hea line 1: \"\"x\"\": invalid\"\n"},
		{"csv", "record,signals,fs,frames,duration_s,checksums,annotations,status\n" +
			"100,2,360,650000,1805.556,ok,2274,ok\n" +
			"bad,0,0,0,0.000,-,0,\"bad.hea line 1: \"\"x\"\": invalid\"\n"},
		{"json", `{"record":"100","signals":2,"fs":360,"frames":650000,"duration_s":1805.5556,"checksums":"ok","annotations":2274,"status":"ok"}` + "\n" +
			`{"record":"bad","signals":0,"fs":0,"frames":0,"duration_s":0,"checksums":"-","annotations":0,"status":"bad.hea line 1: \"x\": invalid","problems":["p"]}` + "\n"},
	} {
		var b bytes.Buffer
		if err := WriteRecordChecks(&b, checks, tc.format); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("%s:\n%s\nwant\n%s", tc.format, b.String(), tc.want)
		}
	}
}
