package wfdb

import (
	"strings"
	"testing"
)

// Expected values are those printed by `wfdbtime -r 100 ...` (strtim and
// mstimstr at 360 Hz, WFDB 10.7.0) unless noted.
func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		s    string
		fs   float64
		want int64
	}{
		{"0.002", 360, 1},
		{"1:30.5", 360, 32580},
		{"1:00:00.001", 360, 1296000},
		{"s12500", 360, 12500},
		{"50", 360, 18000},
		{" 50\n", 360, 18000},
		{"0", 360, 0},
		{"0.5", 1, 1},         // (0.5*1 + 0.5) truncated
		{"0.0013888", 360, 0}, // 0.499968 + 0.5 truncated
		{"1e1", 250, 2500},    // strtod reads exponents
		{"00:01", 1000, 1000}, // mm:ss
		{"2:03:04.5", 128, 945216},
		{"2:03:04.5", 999.9999, 7384499}, // wfdbtime with a 999.9999 Hz header
	} {
		got, err := ParseTime(tc.s, tc.fs)
		if err != nil || got != tc.want {
			t.Errorf("ParseTime(%q, %v) = %d, %v; want %d", tc.s, tc.fs, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "abc", "-5", "s", "s-5", "s1.5", "1:2:3:4", "1::2", "inf", "nan", "0x10", "1e", "+5", "1.2.3", "1e99999", "[10:00:00]"} {
		if got, err := ParseTime(bad, 360); err == nil {
			t.Errorf("ParseTime(%q) = %d, want an error", bad, got)
		} else if !strings.Contains(err.Error(), "time") {
			t.Errorf("ParseTime(%q): error %q does not say what", bad, err)
		}
	}
	if _, err := ParseTime("5", 0); err == nil {
		t.Error("fs 0 accepted")
	}
}

func TestFormatTime(t *testing.T) {
	for _, tc := range []struct {
		sample int64
		fs     float64
		want   string
	}{
		{0, 360, "    0:00.000"},
		{18, 360, "    0:00.050"},
		{1, 360, "    0:00.003"},
		{12500, 360, "    0:34.722"},
		{1296000, 360, " 1:00:00.000"},
		{649999, 360, "   30:05.553"},
		{359, 360, "    0:00.997"},
		{-18, 360, "    0:00.050"},
		{999999, 1000, "   16:39.999"},
		// wfdbtime with headers at these rates:
		{9999999, 999.9999, " 2:46:40.000"}, // millisecond carry
		{3600000000, 999.9999, "1000:00:00.360"},
		{3600000000, 1000, "1000:00:00.000"},
		{9999999, 128, "21:42:04.992"},
	} {
		if got := FormatTime(tc.sample, tc.fs); got != tc.want {
			t.Errorf("FormatTime(%d, %v) = %q, want %q", tc.sample, tc.fs, got, tc.want)
		}
	}
}

// FuzzParseTime: no panic; accepted times are non-negative, and seconds
// that FormatTime prints parse back to the same sample.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"50", "0.002", "1:30.5", "1:00:00.001", "s12500", "1e3", "  7 "} {
		f.Add(s, 360.0)
	}
	f.Fuzz(func(t *testing.T, s string, fs float64) {
		n, err := ParseTime(s, fs)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseTime(%q, %v) = %d < 0", s, fs, n)
		}
		if s[0] == 's' || !(fs >= 1 && fs <= 1e5) || n > 1<<40 {
			return
		}
		// FormatTime rounds to the millisecond: parsing it back lands
		// within half a millisecond of n.
		str := strings.TrimSpace(FormatTime(n, fs))
		m, err := ParseTime(str, fs)
		if err != nil {
			t.Fatalf("FormatTime(%d, %v) = %q does not parse: %v", n, fs, str, err)
		}
		if d := float64(m-n) / fs; d > 0.0005+1/fs || d < -0.0005-1/fs {
			t.Fatalf("%q -> %d -> %q -> %d", s, n, str, m)
		}
	})
}

// Times of day as rdann prints them (values seen in rdann 10.7.0's output
// for record 100 with these base times; TestConformanceRdannBaseTime
// compares whole files when the tools are present).
func TestClock(t *testing.T) {
	hdr := func(line string) *Header {
		h, err := ParseHeader([]byte(line+"\n100.dat 212 200 11 1024 995 -22131 0 MLII\n"), "100")
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for _, c := range []struct {
		line   string
		sample int64
		want   string
	}{
		{"100 1 360 650000 23:59:59 31/12/1999", 18, "[23:59:59.050 31/12/1999]"},
		{"100 1 360 650000 23:59:59 31/12/1999", 946, "[00:00:01.628 01/01/2000]"},
		{"100 1 360 650000 23:59:59", 77, "[23:59:59.214]"},
		{"100 1 360 650000 23:59:59", 370, "[00:00:00.028 1]"},
		{"100 1 360 650000 23:59:59", 649991, "[00:30:04.531 1]"},
		{"100 1 360 650000 08:30:00.250", 18, "[08:30:00.300]"},
		{"100 1 360 650000 00:00:00 01/01/2000", 18, "[00:00:00.050 01/01/2000]"},
		{"100 1 360 650000 00:00:00", 18, "    0:00.050"}, // zero base time, no date: elapsed
		{"100 1 360 650000", 77, "    0:00.214"},
	} {
		cl := NewClock(hdr(c.line))
		if got := cl.Format(c.sample); got != c.want {
			t.Errorf("%q sample %d: %q, want %q", c.line, c.sample, got, c.want)
		}
	}
}
