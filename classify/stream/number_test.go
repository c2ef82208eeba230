package stream

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestParseFloatMatchesStrconv(t *testing.T) {
	cases := []string{"0", "-0", "1", "-1.5", "+2.25", "0.001", ".5", "5.", "123456789012345",
		"1234567890123456", "0.000000000000000000001", "1e3", "-2.5E-2", "0x1p3", "00012.50",
		"0.1234567890123456789", "3.14159", "-0.000", "1_0", "", "-", ".", "abc", "1.2.3", "NaN", "inf", "-Inf", "1e400"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		cases = append(cases, strconv.FormatFloat((r.Float64()-0.5)*math.Pow(10, float64(r.IntN(12)-6)), 'f', r.IntN(10), 64))
	}
	for _, s := range cases {
		got, ok := parseFloat([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		wantOK := err == nil && !math.IsNaN(want) && !math.IsInf(want, 0)
		if ok != wantOK || (ok && math.Float64bits(got) != math.Float64bits(want)) {
			t.Errorf("parseFloat(%q) = %v, %v; strconv gives %v, %v", s, got, ok, want, err)
		}
	}
}

func FuzzParseFloat(f *testing.F) {
	for _, s := range []string{"0.125", "-3", "1e5", "nan", "0.1234567890123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseFloat([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		wantOK := err == nil && !math.IsNaN(want) && !math.IsInf(want, 0)
		if ok != wantOK || (ok && math.Float64bits(got) != math.Float64bits(want)) {
			t.Fatalf("parseFloat(%q) = %v, %v; strconv %v, %v", s, got, ok, want, err)
		}
	})
}
