package wfdb

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseHeaderFields(t *testing.T) {
	text := "# leading comment\r\n\r\nrec 3 128/1000(5) 7680 10:20:30.5 31/12/1999\r\n" +
		"rec.dat 16x4:2+24 200.5(-3)/uV 16 1 2 -4 512 ECG lead II  \r\n" +
		"  # indented comment\r\n" +
		"rec.dat 16 0 12 7\r\n" +
		"b.dat 80 1/mmHg\r\n"
	h, err := ParseHeader([]byte(text), "rec.hea")
	if err != nil {
		t.Fatal(err)
	}
	if h.Name != "rec" || h.Fs != 128 || h.CounterFreq != 1000 || h.BaseCounter != 5 || h.NSamples != 7680 ||
		!h.HasBaseTime || h.BaseTime != 10*time.Hour+20*time.Minute+30500*time.Millisecond ||
		!h.BaseDate.Equal(time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("record line: %+v", h)
	}
	if len(h.Comments) != 2 || h.Comments[0] != " leading comment" || h.Comments[1] != " indented comment" {
		t.Fatalf("comments %q", h.Comments)
	}
	want := []SignalSpec{
		{FileName: "rec.dat", Format: 16, SamplesPerFrame: 4, Skew: 2, ByteOffset: 24, Gain: 200.5, Baseline: -3, Units: "uV",
			ADCResolution: 16, ADCZero: 1, InitialValue: 2, Checksum: -4, HasChecksum: true, BlockSize: 512, Description: "ECG lead II"},
		{FileName: "rec.dat", Format: 16, SamplesPerFrame: 1, Gain: 0, Baseline: 7, Units: "mV", ADCResolution: 12, ADCZero: 7, InitialValue: 7,
			Description: "record rec, signal 1"},
		{FileName: "b.dat", Format: 80, SamplesPerFrame: 1, Gain: 1, Units: "mmHg", ADCResolution: 8, Description: "record rec, signal 2"},
	}
	for i := range want {
		if h.Signals[i] != want[i] {
			t.Errorf("signal %d:\n got %+v\nwant %+v", i, h.Signals[i], want[i])
		}
	}
}

func TestParseHeaderDefaults(t *testing.T) {
	for _, text := range []string{"r 0", "r 0 0"} {
		_, err := ParseHeader([]byte(text), "r.hea")
		if text == "r 0" && err != nil {
			t.Fatal(err)
		}
		if text == "r 0 0" && err == nil {
			t.Errorf("%q: no error for sampling frequency 0", text)
		}
	}
	h, err := ParseHeader([]byte("r 1\nr.dat 212\n"), "r.hea")
	if err != nil {
		t.Fatal(err)
	}
	if h.Fs != DefaultFs || h.NSamples != 0 || h.Signals[0].Gain != 0 || h.Signals[0].ADCResolution != 12 || h.Signals[0].Units != "mV" {
		t.Fatalf("defaults: %+v %+v", h, h.Signals[0])
	}
	for _, text := range []string{"r 0 360 10 1:02:03 2000-01-31", "r 0 360 10 [10:00:00 1.2.2000]", "r 0 360 10 1:02"} {
		if _, err := ParseHeader([]byte(text), "r.hea"); err != nil {
			t.Errorf("%q: %v", text, err)
		}
	}
}

func TestParseHeaderErrors(t *testing.T) {
	cases := []struct{ text, want string }{
		{"", "r.hea: malformed header: no record line"},
		{"r x 360", `r.hea line 1: number of signals "x": invalid number`},
		{"r 1 360\nr.dat 212 x", `r.hea line 2: gain "x": invalid number`},
		{"r 1 360\nr.dat 999", `r.hea line 2: format "999": unknown signal format`},
		{"r 1 360\nr.dat", `r.hea line 2: format: missing field`},
		{"r 2 360\nr.dat 212", `r.hea: signals: malformed header: record line declares 2 signals, header describes 1`},
		{"r 1 abc", `r.hea line 1: sampling frequency "abc": invalid number`},
		{"r 1 360 -5", `r.hea line 1: number of samples "-5": invalid number`},
		{"r 0 360 10 25:99:00", `r.hea line 1: base time "25:99:00": invalid number: want hh:mm:ss`},
		{"r 0 360 10 10:00:00 32/01/2000", `r.hea line 1: base date "32/01/2000": invalid number: want dd/mm/yyyy`},
		{"r 1 360\nr.dat 212 200(x)/mV", `r.hea line 2: baseline "x": invalid number`},
		{"r 1 360\nr.dat 212x0", `r.hea line 2: samples per frame "0": invalid number`},
		{"r 1 360\nr.dat 212 200 11 0 0 abc", `r.hea line 2: checksum "abc": invalid number`},
		{"r/2 1 360\ns1 10", `r.hea: segments: malformed header: record line declares 2 segments, header lists 1`},
		{"r 1 360\nr.dat 212\nextra line", `r.hea line 3: malformed header: unexpected line "extra line" after the last signal`},
	}
	for _, c := range cases {
		_, err := ParseHeader([]byte(c.text), "r.hea")
		if err == nil || err.Error() != c.want {
			t.Errorf("%q: error %v\nwant %s", c.text, err, c.want)
		}
		var he *HeaderError
		if err != nil && !errors.As(err, &he) {
			t.Errorf("%q: %T is not a *HeaderError", c.text, err)
		}
	}
}

func TestReadRecordErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := writeTestFile(dir, name, []byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	write("short.hea", "short 2 360 1000\nshort.dat 212 200 11 1024 0 0 0 a\nshort.dat 212 200 11 1024 0 0 0 b\n")
	write("short.dat", strings.Repeat("\x00", 30))
	write("nodat.hea", "nodat 1 360 10\nnodat.dat 16\n")
	write("lie.hea", "lie 1 360 2000000000000\nlie.dat 16\n")
	write("lie.dat", "\x00\x00")
	cases := map[string]string{
		"short":   "short.dat: truncated signal file: header gives 1000 frames, the file holds 10",
		"nodat":   "nodat.dat: no such file or directory",
		"lie":     "lie.dat: truncated signal file: header gives 2000000000000 frames, the file holds 1",
		"missing": "missing.hea: no such file or directory",
	}
	for name, want := range cases {
		_, err := ReadRecord(dir + "/" + name)
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Errorf("%s: error %v, want suffix %q", name, err, want)
		}
	}
}
