package datasets

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// ecgCSV returns 60 s of a synthetic ECG at 250 Hz in mV with three
// decimals, one value per line, after a header line.
func ecgCSV(outlier string) string {
	var b strings.Builder
	b.WriteString("ecg\n")
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 60*250; i++ {
		t := float64(i) / 250
		v := 0.1*math.Sin(2*math.Pi*t) + 0.01*rng.NormFloat64()
		if ph := math.Mod(t, 0.8); ph < 0.04 {
			v += 1.2 * math.Sin(math.Pi*ph/0.04)
		}
		if i == 7000 && outlier != "" {
			b.WriteString(outlier + "\n")
			continue
		}
		fmt.Fprintf(&b, "%.3f\n", v)
	}
	return b.String()
}

// One outlier in a minute of ECG must not collapse the signal's
// resolution, and the clipping is reported (issue 19, item 5).
func TestCSVOutlierKeepsResolution(t *testing.T) {
	s, err := ReadCSV(strings.NewReader(ecgCSV("99999")), CSVOptions{Fs: 250})
	if err != nil {
		t.Fatal(err)
	}
	h, data, conv, err := s.Convert("r", 0)
	if err != nil {
		t.Fatal(err)
	}
	in, out := map[float64]bool{}, map[int32]bool{}
	for k, v := range s.Data[0] {
		in[v] = true
		out[data[0][k]] = true
	}
	if len(out) < len(in)-1 {
		t.Errorf("%d distinct values became %d (gain %g)", len(in), len(out), h.Signals[0].Gain)
	}
	c := conv[0]
	if c.Gain != 1000 || c.Clipped != 1 || !c.Lossless || c.Warning() == "" || !strings.Contains(c.Warning(), "1 values outside") {
		t.Errorf("conversion %+v, warning %q", c, c.Warning())
	}
	for k, v := range s.Data[0] {
		if k == 7000 {
			if data[0][k] != 32767 {
				t.Errorf("outlier stored as %d, want the 16-bit limit", data[0][k])
			}
			continue
		}
		if got := float64(data[0][k]-h.Signals[0].Baseline) / h.Signals[0].Gain; math.Abs(got-v) > 1e-9 {
			t.Fatalf("sample %d: %v read back as %v", k, v, got)
		}
	}

	// Without the outlier: exact, nothing to say.
	s, _ = ReadCSV(strings.NewReader(ecgCSV("")), CSVOptions{Fs: 250})
	_, _, conv, err = s.Convert("r", 0)
	if err != nil || conv[0].Warning() != "" || conv[0].Gain != 1000 {
		t.Errorf("clean signal: %+v, %q, %v", conv[0], conv[0].Warning(), err)
	}
	// A range too wide for 16 bits at its decimals, without outliers:
	// rounded, and said so.
	s, _ = ReadCSV(strings.NewReader("x\n-100.001\n100.002\n0.5\n"), CSVOptions{Fs: 1})
	_, _, conv, _ = s.Convert("r", 0)
	if conv[0].Lossless || conv[0].Clipped != 0 || !strings.Contains(conv[0].Warning(), "rounded") {
		t.Errorf("wide range: %+v, %q", conv[0], conv[0].Warning())
	}
}

// Rates from a CSV time step or an EDF record duration are checked
// (issue 19, item 2): a time step of 1e-9 s is 1 GHz.
func TestRatesOutOfRange(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("time,ecg\n0,1\n0.000000001,2\n0.000000002,3\n"), CSVOptions{})
	if !errors.Is(err, wfdb.ErrRate) || !strings.Contains(err.Error(), "time step") {
		t.Errorf("CSV time step 1e-9 s: %v", err)
	}
	_, err = ReadCSV(strings.NewReader("1\n2\n"), CSVOptions{Fs: 1e9})
	if !errors.Is(err, wfdb.ErrRate) {
		t.Errorf("CSV at --fs 1e9: %v", err)
	}
	_, err = ReadCSV(strings.NewReader("1\n2\n"), CSVOptions{Fs: 1e-300})
	if !errors.Is(err, wfdb.ErrRate) {
		t.Errorf("CSV at --fs 1e-300: %v", err)
	}
	val := func(s, i int) int16 { return int16(i) }
	for _, dur := range []float64{1e-9, 1e9} {
		data := makeEDF([]string{"ECG"}, []int{10}, []float64{-1}, []float64{1}, []int{-32768}, []int{32767}, 2, dur, val)
		_, err = ReadEDF(bytes.NewReader(data), int64(len(data)))
		if !errors.Is(err, wfdb.ErrRate) || !strings.Contains(err.Error(), "data record") {
			t.Errorf("EDF data record duration %g: %v", dur, err)
		}
	}
}

// An EDF file with a bad version field is recognised by its content: the
// CSV reader refuses it naming the version, and IsEDF says EDF, so that
// ReadEDF reports the version rather than a CSV error on binary data.
func TestEDFBadVersionSniffed(t *testing.T) {
	val := func(s, i int) int16 { return int16(i * 1000) }
	data := makeEDF([]string{"ECG"}, []int{250}, []float64{-1}, []float64{1}, []int{-32768}, []int{32767}, 2, 1, val)
	copy(data, "1       ")
	if !IsEDF(data[:256]) {
		t.Error("IsEDF: false for an EDF header with version 1")
	}
	if IsEDF([]byte("time,ecg\n0,1\n")) || IsEDF(bytes.Repeat([]byte("1,2\n"), 100)) {
		t.Error("IsEDF: true for CSV")
	}
	_, err := ReadEDF(bytes.NewReader(data), int64(len(data)))
	if err == nil || !strings.Contains(err.Error(), `version "1"`) {
		t.Errorf("ReadEDF: %v", err)
	}
	_, err = ReadCSV(bytes.NewReader(data), CSVOptions{Fs: 250})
	if !errors.Is(err, ErrNotText) || !strings.Contains(err.Error(), `EDF header with version field "1"`) {
		t.Errorf("ReadCSV of an EDF file: %v", err)
	}
	// Other binary data: refused as such, not parsed field by field.
	_, err = ReadCSV(bytes.NewReader([]byte("1,2\n\x00\x01\x02,3\n")), CSVOptions{Fs: 250})
	if !errors.Is(err, ErrNotText) {
		t.Errorf("ReadCSV of binary data: %v", err)
	}
}

// Quoted input in CSV errors is cut (a 10 MB field is not echoed whole).
func TestCSVErrorQuotesLittle(t *testing.T) {
	long := strings.Repeat("x", 500<<10)
	for _, in := range []string{"1\n" + long + "\n", "1,2\n3," + long + "\n"} {
		_, err := ReadCSV(strings.NewReader(in), CSVOptions{Fs: 250})
		if err == nil || len(err.Error()) > 200 {
			t.Errorf("error of %d bytes", len(fmt.Sprint(err)))
		}
	}
	_, err := ReadCSV(strings.NewReader("1\n2\n"), CSVOptions{Fs: 250, TimeColumn: long})
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("time column error of %d bytes", len(fmt.Sprint(err)))
	}
}
