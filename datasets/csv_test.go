package datasets

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestReadCSV(t *testing.T) {
	in := "\ufeffTime (s);MLII;V5\n'sec';'mV';'uV'\n0.000;-0.145;12\n0.004;-0.150;\n0.008;1.25e-1;-7\n"
	s, err := ReadCSV(strings.NewReader(in), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Fs != 250 || len(s.Data) != 2 || s.Names[0] != "MLII" || s.Units[1] != "uV" {
		t.Fatalf("got fs %v names %v units %v", s.Fs, s.Names, s.Units)
	}
	if s.Data[0][1] != -0.150 || !math.IsNaN(s.Data[1][1]) || s.Decimals[0] != -1 || s.Decimals[1] != 0 {
		t.Fatalf("data %v decimals %v", s.Data, s.Decimals)
	}
	// No header, whitespace delimiter, --fs required.
	if _, err := ReadCSV(strings.NewReader("1 2\n3 4\n"), CSVOptions{}); !errors.Is(err, ErrNoFs) {
		t.Errorf("no fs: %v", err)
	}
	s, err = ReadCSV(strings.NewReader("1 2\n3 4\n"), CSVOptions{Fs: 100, Units: "mmHg"})
	if err != nil || len(s.Data) != 2 || s.Data[1][1] != 4 || s.Units[0] != "mmHg" || s.Names[0] != "sig0" {
		t.Errorf("plain: %+v %v", s, err)
	}
	// Milliseconds time column, tab delimiter.
	s, err = ReadCSV(strings.NewReader("time_ms\tecg\n0\t1\n2\t2\n4\t3\n"), CSVOptions{})
	if err != nil || s.Fs != 500 {
		t.Errorf("ms: %+v %v", s, err)
	}
	for _, tc := range []struct{ in, want string }{
		{"a,b\n1,2\n3\n", "line 3: 1 fields"},
		{"a,b\n1,2\n3,x\n", "line 3 column 2"},
		{"t,x\n0,1\n1,1\n1.5,1\n", "uneven time step"},
		{"t,x\n", "no data rows"},
	} {
		_, err := ReadCSV(strings.NewReader(tc.in), CSVOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.want)
		}
	}
}

// Values written with d decimals survive the conversion exactly.
// Decimal commas, as spreadsheets write numbers in many locales: with a
// ';' or tab delimiter a comma in a number is its decimal separator; with
// ',' it is the delimiter.
func TestReadCSVDecimalComma(t *testing.T) {
	in := "Zeit;EKG\n0,000;-0,145\n0,004;0,25\n0,008;1\n"
	s, err := ReadCSV(strings.NewReader(in), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Fs != 250 || s.Data[0][0] != -0.145 || s.Data[0][1] != 0.25 || s.Decimals[0] != 3 {
		t.Fatalf("fs %v data %v decimals %v", s.Fs, s.Data, s.Decimals)
	}
	s, err = ReadCSV(strings.NewReader("t\tx\n0\t1,5\n0,01\t-2,25\n"), CSVOptions{})
	if err != nil || s.Fs != 100 || s.Data[0][1] != -2.25 {
		t.Fatalf("tab: %+v %v", s, err)
	}
	// A number with both separators (1.234,5) is not read as a number.
	if _, err := ReadCSV(strings.NewReader("t;x\n0;1.234,5\n"), CSVOptions{Fs: 1}); err == nil {
		t.Error("1.234,5 read as a number")
	}
	// Comma-delimited: "1,5" is two fields.
	s, err = ReadCSV(strings.NewReader("1,5\n2,6\n"), CSVOptions{Fs: 10})
	if err != nil || len(s.Data) != 2 || s.Data[1][1] != 6 {
		t.Fatalf("comma delimiter: %+v %v", s, err)
	}
}

func TestCSVToWFDBExact(t *testing.T) {
	s, err := ReadCSV(strings.NewReader("x,y\n-1.234,100\n5.001,-250\n0.5,\n"), CSVOptions{Fs: 360})
	if err != nil {
		t.Fatal(err)
	}
	h, data, err := s.ToWFDB("rec", 0)
	if err != nil {
		t.Fatal(err)
	}
	if h.Signals[0].Gain != 1000 || h.Signals[1].Gain != 1 {
		t.Errorf("gains %v %v", h.Signals[0].Gain, h.Signals[1].Gain)
	}
	for i, x := range s.Data {
		sp := h.Signals[i]
		for k, v := range x {
			d := data[i][k]
			if math.IsNaN(v) {
				if d != -1<<31 {
					t.Errorf("missing value -> %d", d)
				}
				continue
			}
			if got := float64(d-sp.Baseline) / sp.Gain; got != v {
				t.Errorf("signal %d value %v -> %v", i, v, got)
			}
		}
	}
	// A range wider than 16 bits at 3 decimals: the gain drops.
	s, _ = ReadCSV(strings.NewReader("x\n-100.001\n100.002\n"), CSVOptions{Fs: 1})
	h, data, _ = s.ToWFDB("r", 0)
	if g := h.Signals[0].Gain; g >= 1000 || g < 100 {
		t.Errorf("gain %v for ±100 at 3 decimals", g)
	}
	for k, v := range s.Data[0] {
		if got := float64(data[0][k]-h.Signals[0].Baseline) / h.Signals[0].Gain; math.Abs(got-v) > 0.5/h.Signals[0].Gain {
			t.Errorf("%v -> %v", v, got)
		}
	}
	if _, _, err := s.ToWFDB("r", 1000); err == nil {
		t.Error("gain 1000 for ±100: no error")
	}
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{"Time (s);MLII;V5\n0;1;2\n0.004;3;4\n", "1 2\n3 4\n", "t,x\n0,1\n1,1\n", "a\tb\n1\t\n"} {
		f.Add(s, 0.0)
		f.Add(s, 250.0)
	}
	f.Fuzz(func(t *testing.T, in string, fs float64) {
		s, err := ReadCSV(strings.NewReader(in), CSVOptions{Fs: fs, MaxValues: 1 << 16})
		if err != nil {
			return
		}
		if !(s.Fs > 0) || len(s.Names) != len(s.Data) || len(s.Units) != len(s.Data) {
			t.Fatalf("inconsistent result %+v", s)
		}
		h, data, err := s.ToWFDB("r", 0)
		if err != nil {
			return
		}
		for i := range data {
			if len(data[i]) != len(s.Data[i]) || h.Signals[i].Gain <= 0 {
				t.Fatal("bad conversion")
			}
		}
	})
}
