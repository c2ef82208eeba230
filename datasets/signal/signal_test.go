package signal

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestSelect(t *testing.T) {
	names := []string{"MLII", "V5", "1"}
	for _, tc := range []struct {
		spec string
		want []int
	}{
		{"", []int{0, 1, 2}},
		{"ALL", []int{0, 1, 2}},
		{"mlii", []int{0}},
		{" v5 , MLII", []int{1, 0}},
		{"0", []int{0}},
		{"1", []int{2}}, // a signal named "1" wins over index 1
		{"v5,1,V5", []int{1, 2}},
	} {
		got, err := Select(names, tc.spec)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Select(%q) = %v, %v; want %v", tc.spec, got, err, tc.want)
		}
	}
	for _, spec := range []string{"V1", "3", "-1", "MLII,x"} {
		_, err := Select(names, spec)
		var ue *UnknownError
		if !errors.As(err, &ue) {
			t.Errorf("Select(%q): error %v, want *UnknownError", spec, err)
		}
	}
	_, err := Select(names, "V1")
	if got, want := err.Error(), `no signal "V1" (signals: 0=MLII, 1=V5, 2=1)`; got != want {
		t.Errorf("error %q, want %q", got, want)
	}
}

func TestIsECGAndFirstECG(t *testing.T) {
	for _, n := range []string{"MLII", "v1", " II ", "ECG lead 1", "ekg", "aVF"} {
		if !IsECG(n) {
			t.Errorf("IsECG(%q) = false", n)
		}
	}
	for _, n := range []string{"ABP", "PLETH", "RESP", "", "VV"} {
		if IsECG(n) {
			t.Errorf("IsECG(%q) = true", n)
		}
	}
	if got := FirstECG([]string{"ABP", "V5", "MLII"}); got != 1 {
		t.Errorf("FirstECG = %d, want 1", got)
	}
	if got := FirstECG([]string{"ABP"}); got != 0 {
		t.Errorf("FirstECG without ECG = %d, want 0", got)
	}
	if got := FirstECG(nil); got != -1 {
		t.Errorf("FirstECG(nil) = %d, want -1", got)
	}
}

func TestToDigital(t *testing.T) {
	for _, tc := range []struct {
		v, gain, base float64
		want          int32
	}{
		{1, 200, 1024, 1224},
		{-0.0025, 200, 0, -1}, // half away from zero
		{0.0025, 200, 0, 1},
		{math.NaN(), 200, 7, 7},
		{1e12, 200, 0, math.MaxInt32},
		{-1e12, 200, 0, math.MinInt32},
	} {
		if got := ToDigital(tc.v, tc.gain, tc.base); got != tc.want {
			t.Errorf("ToDigital(%v, %v, %v) = %d, want %d", tc.v, tc.gain, tc.base, got, tc.want)
		}
	}
}

func TestSpanLen(t *testing.T) {
	if got := (Span{Start: 10, End: 25}).Len(); got != 15 {
		t.Errorf("Len = %d, want 15", got)
	}
}
