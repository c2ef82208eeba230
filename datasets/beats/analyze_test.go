package beats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/ecgkit/ecg/datasets/wfdb"
)

// testRecord writes a two-lead synthetic record of dur s at fs Hz (an
// upright ECG in a signal named "pleth", the same inverted in "MLII") with reference
// annotations "atr" into a temporary folder and returns its path and
// header and the samples.
func testRecord(t *testing.T, fs, dur float64) (string, *wfdb.Header, [][]int32) {
	t.Helper()
	rng := rand.New(rand.NewPCG(9, 10))
	times, ect := beatTimes(dur, rng)
	x := synthECG(fs, times, dur, ect, rng)
	data := [][]int32{make([]int32, len(x)), make([]int32, len(x))}
	for i, v := range x {
		data[0][i] = int32(math.Round(200 * v))
		data[1][i] = -data[0][i]
	}
	data[0][1000] = wfdb.InvalidSample
	h := &wfdb.Header{Name: "syn", Fs: fs, Signals: []wfdb.SignalSpec{
		{FileName: "syn.dat", Format: wfdb.Format212, Gain: 200, Units: "mV", ADCResolution: 12, Description: "pleth"},
		{FileName: "syn.dat", Format: wfdb.Format212, Gain: 200, Units: "mV", ADCResolution: 12, Description: "MLII"},
	}}
	dir := t.TempDir()
	if err := wfdb.WriteRecord(dir, h, data); err != nil {
		t.Fatal(err)
	}
	anns := make([]wfdb.Annotation, len(times))
	for i, s := range toSamples(times, fs) {
		anns[i] = wfdb.Annotation{Sample: s, Type: wfdb.Normal}
	}
	path := filepath.Join(dir, "syn")
	if err := wfdb.WriteAnnotations(path, "atr", anns); err != nil {
		t.Fatal(err)
	}
	return path, h, data
}

// AnalyzeRecord, reading the record a chunk at a time, finds what
// Detect, SummarizeBeats, FrequencyHRV, Polarity and Match find over the
// whole signal; Analyze of the record in memory the same; a bad signal
// selection is a SignalError.
func TestAnalyzeRecord(t *testing.T) {
	const fs = 360
	path, h, data := testRecord(t, fs, 400)
	rec, err := wfdb.NewRecord(h, data)
	if err != nil {
		t.Fatal(err)
	}
	x := rec.Physical(1) // MLII, the first ECG signal
	want := Detect(x, fs)
	sign, agree := Polarity(x, fs, want)
	a, err := AnalyzeRecord(path, Options{Compare: "atr", Match: DefaultMatchOptions()})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Beats, want) || !slices.Equal(a.Signals, []int{1}) {
		t.Fatalf("%d beats on signals %v, Detect finds %d", len(a.Beats), a.Signals, len(want))
	}
	if a.HRV != SummarizeBeats(want, fs) || a.Polarity != sign || a.Agreement != agree || sign != -1 {
		t.Errorf("HRV %+v polarity %d %.2f, want %+v %d %.2f", a.HRV, a.Polarity, a.Agreement, SummarizeBeats(want, fs), sign, agree)
	}
	if f := FrequencyHRV(want, fs); a.Freq != f && !(math.IsNaN(f.LF) && math.IsNaN(a.Freq.LF)) {
		t.Errorf("frequency HRV %+v, want %+v", a.Freq, f)
	}
	if m := a.Match; m == nil || m.Sensitivity() < 99 || m.PositivePredictivity() < 99 {
		t.Errorf("score against the reference: %+v", m)
	}
	mem, err := Analyze(rec, Options{Signal: "all"}) // the ECG signals: MLII
	if err != nil || !slices.Equal(mem.Beats, want) || mem.Match != nil {
		t.Errorf("Analyze in memory: %v, %d beats", err, len(mem.Beats))
	}
	two, err := AnalyzeRecord(path, Options{Signal: "PLETH, 1"})
	if err != nil || !slices.Equal(two.Beats, DetectLeads([][]float64{rec.Physical(0), x}, fs)) {
		t.Errorf("two leads: %v", err)
	}
	if _, err := AnalyzeRecord(path, Options{Signal: "V2"}); !isSignalError(err) {
		t.Errorf("unknown signal: %v, want a SignalError", err)
	}
}

func isSignalError(err error) bool {
	_, ok := err.(*SignalError)
	return ok
}

// The polarity vote over a signal written in chunks, beats added as they
// come, is Polarity's over the whole signal.
func TestPolarityVoteChunks(t *testing.T) {
	const fs = 250
	rng := rand.New(rand.NewPCG(3, 3))
	times, ect := beatTimes(120, rng)
	x := synthECG(fs, times, 120, ect, rng)
	bs := Detect(x, fs)
	sign, agree := Polarity(x, fs, bs)
	v := newPolarityVote(fs, NewDetector(fs).Delay()+1)
	next := 0
	for i := 0; i < len(x); i += 777 {
		v.write(x[i:min(i+777, len(x))])
		// beats come at most Delay after their sample
		for next < len(bs) && bs[next].Sample < int64(i) {
			v.add(bs[next].Sample)
			next++
		}
	}
	for _, b := range bs[next:] {
		v.add(b.Sample)
	}
	if s, a := v.result(); s != sign || a != agree {
		t.Fatalf("chunked vote %d %.3f, whole %d %.3f", s, a, sign, agree)
	}
}

// A multi-segment record (two segments of the test record's signals) is
// analysed as the concatenation of its segments.
func TestAnalyzeMultiSegment(t *testing.T) {
	const fs = 360
	path, h, data := testRecord(t, fs, 60)
	dir := filepath.Dir(path)
	half := len(data[0]) / 2
	for i, part := range [][2]int{{0, half}, {half, len(data[0])}} {
		hs := *h
		hs.Name = fmt.Sprintf("seg%d", i)
		hs.Signals = slices.Clone(h.Signals)
		for s := range hs.Signals {
			hs.Signals[s].FileName = hs.Name + ".dat"
		}
		if err := wfdb.WriteRecord(dir, &hs, [][]int32{data[0][part[0]:part[1]], data[1][part[0]:part[1]]}); err != nil {
			t.Fatal(err)
		}
	}
	text := fmt.Sprintf("multi/2 2 %d %d\nseg0 %d\nseg1 %d\n", fs, len(data[0]), half, len(data[0])-half)
	if err := os.WriteFile(filepath.Join(dir, "multi.hea"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := AnalyzeRecord(filepath.Join(dir, "multi"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := wfdb.NewRecord(h, data)
	if err != nil {
		t.Fatal(err)
	}
	if want := Detect(rec.Physical(1), fs); !slices.Equal(a.Beats, want) || !slices.Equal(a.Signals, []int{1}) {
		t.Fatalf("%d beats on signals %v, want %d on [1]", len(a.Beats), a.Signals, len(want))
	}
}
