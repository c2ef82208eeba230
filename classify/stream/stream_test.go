package stream

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/datasets/synth"
)

var fixedNow = func() time.Time { return time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC) }

// textOf renders samples as text lines, as `ecg simulate` does.
func textOf(x []float64) []byte {
	var b []byte
	for _, v := range x {
		b = strconv.AppendFloat(b, v, 'f', 3, 64)
		b = append(b, '\n')
	}
	return b
}

func simulate(t testing.TB, rhythm string, seconds, fs float64, seed int64) *synth.Recording {
	t.Helper()
	rec, err := synth.Generate(synth.Options{Rhythm: rhythm, Duration: seconds, Fs: fs, Seed: seed, Noise: 0.01, Wander: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// rrScorer is a stand-in model: "AF" when the RR intervals of the window
// are irregular, "N" otherwise.
type rrScorer struct{}

func (rrScorer) PredictSignal(x []float64, fs float64) (classify.Prediction, error) {
	// Peaks above 60 % of the max, at least 250 ms apart.
	mx := 0.0
	for _, v := range x {
		mx = math.Max(mx, v)
	}
	var at []int
	for i := 1; i+1 < len(x); i++ {
		if x[i] > 0.6*mx && x[i] >= x[i-1] && x[i] > x[i+1] && (len(at) == 0 || float64(i-at[len(at)-1]) > 0.25*fs) {
			at = append(at, i)
		}
	}
	var d, m float64
	for i := 2; i < len(at); i++ {
		d += math.Abs(float64(at[i] - 2*at[i-1] + at[i-2]))
		m += float64(at[i] - at[i-1])
	}
	irr := 0.0
	if m > 0 {
		irr = d / m
	}
	af := math.Min(1, irr*5)
	p := classify.Prediction{Scores: []classify.LabelScore{{Label: "AF", Score: af}, {Label: "N", Score: 1 - af}}}
	p.Label, p.Confidence = "N", 1-af
	if af > 0.5 {
		p.Label, p.Confidence = "AF", af
	}
	return p, nil
}

type collector struct {
	lines []string
	ev    []Event
}

func (c *collector) emit(e Event) {
	b, err := json.Marshal(e)
	if err != nil {
		panic(err)
	}
	c.lines = append(c.lines, string(b))
	c.ev = append(c.ev, e)
}

func (c *collector) of(typ string) []Event {
	var out []Event
	for _, e := range c.ev {
		if e.Type == typ {
			out = append(out, e)
		}
	}
	return out
}

func newStream(t testing.TB, in InputOptions, cfg Config) (*Stream, *collector) {
	t.Helper()
	c := &collector{}
	cfg.Emit = c.emit
	if cfg.Now == nil {
		cfg.Now = fixedNow
	}
	s, err := New(in, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// feed writes data in chunks of the given sizes (cycled; nil: all at once)
// and closes the stream.
func feed(t testing.TB, s *Stream, data []byte, sizes []int) {
	t.Helper()
	for i := 0; len(data) > 0; i++ {
		n := len(data)
		if sizes != nil {
			n = min(n, sizes[i%len(sizes)])
		}
		if err := s.Write(data[:n]); err != nil {
			t.Fatal(err)
		}
		data = data[n:]
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// messy returns text input with a header, CR LF lines, and malformed,
// over-long and blank lines among the samples.
func messy(x []float64) ([]byte, int) {
	var b bytes.Buffer
	b.WriteString("time,ecg\r\n")
	bad := 0
	for i, v := range x {
		fmt.Fprintf(&b, "%.4f,%.3f\r\n", float64(i)/360, v)
		switch i % 997 {
		case 100:
			b.WriteString("abc,def\n")
			bad++
		case 200:
			b.WriteString("1.0,NaN\n")
			bad++
		case 300:
			b.WriteString("\n")
		case 400:
			b.WriteString(strings.Repeat("9", 5000) + "\n")
		case 500:
			b.WriteString("0.5\n")
			bad++
		}
	}
	return b.Bytes(), bad
}

func TestSameEventsForAnyChunking(t *testing.T) {
	rec := simulate(t, synth.AFib, 150, 360, 1)
	data, _ := messy(rec.MV)
	in := InputOptions{Column: 2}
	cfg := Config{Fs: 360, Model: rrScorer{}, Beats: true, Window: 30, Hop: 5, AlertWindows: 2}
	var want []string
	for k, sizes := range [][]int{nil, {1}, {7, 4096, 3, 65536, 1}, {100000}} {
		s, c := newStream(t, in, cfg)
		feed(t, s, data, sizes)
		if k == 0 {
			want = c.lines
			if len(c.of(EventWindow)) == 0 || len(c.of(EventBeat)) == 0 || len(c.of(EventAlert)) == 0 {
				t.Fatalf("events missing: %d lines", len(c.lines))
			}
			continue
		}
		if strings.Join(c.lines, "\n") != strings.Join(want, "\n") {
			for i := range min(len(want), len(c.lines)) {
				if c.lines[i] != want[i] {
					t.Fatalf("chunks %v: event %d\n got %s\nwant %s", sizes, i, c.lines[i], want[i])
				}
			}
			t.Fatalf("chunks %v: %d events, want %d", sizes, len(c.lines), len(want))
		}
	}
}

func TestMalformedInputCounted(t *testing.T) {
	rec := simulate(t, synth.Normal, 20, 360, 2)
	data, bad := messy(rec.MV)
	data = append(data, "0.1,0.2"...) // no final newline: still a sample
	s, c := newStream(t, InputOptions{Column: 2}, Config{Fs: 360})
	feed(t, s, data, []int{333})
	st := c.of(EventStatus)
	last := st[len(st)-1].Body.(*StatusBody)
	// Lines of messy() after sample i when i%997 == k; NaN, blank,
	// over-long and short lines hold a place, "abc,def" (no digit: a
	// message) does not.
	per := func(k int) int { return (len(rec.MV)-1-k)/997 + 1 }
	held := per(200) + per(300) + per(400) + per(500)
	if last.Input != "end" || last.Samples != int64(len(rec.MV)+1+held) || last.Malformed != int64(bad+per(300)) ||
		last.TooLong != int64(per(400)) || last.Header != 1 || last.Held != int64(held) {
		t.Errorf("final status %+v; want %d samples, %d malformed, %d held", last, len(rec.MV)+1+held, bad+per(300), held)
	}
}

func TestHeartRateEvents(t *testing.T) {
	for _, hr := range []float64{50, 72, 140} {
		rhythm := synth.Normal
		if hr < 60 {
			rhythm = synth.Brady
		} else if hr > 100 {
			rhythm = synth.Tachy
		}
		rec, _ := synth.Generate(synth.Options{Rhythm: rhythm, HR: hr, Duration: 60, Fs: 250, Seed: 3, Noise: 0.02})
		s, c := newStream(t, InputOptions{}, Config{Fs: 250, Beats: true})
		feed(t, s, textOf(rec.MV), nil)
		hrs := c.of(EventHR)
		// One a second; 60 s of input end on a whole second, whose event is
		// not repeated at the end.
		if len(hrs) != 60 {
			t.Errorf("HR %g: %d hr events, want 60", hr, len(hrs))
		}
		for i := 1; i < len(hrs); i++ {
			if hrs[i].Sample <= hrs[i-1].Sample {
				t.Fatalf("HR %g: hr events %d and %d at samples %d, %d", hr, i-1, i, hrs[i-1].Sample, hrs[i].Sample)
			}
		}
		for _, e := range hrs[10:] {
			b := e.Body.(*HRBody)
			if b.HR == nil || math.Abs(*b.HR-hr) > 0.1*hr {
				t.Fatalf("HR %g: hr event at %gs says %v", hr, e.T, b.HR)
			}
		}
		if n := len(c.of(EventBeat)); math.Abs(float64(n-len(rec.Beats))) > 2 {
			t.Errorf("HR %g: %d beat events, %d beats simulated", hr, n, len(rec.Beats))
		}
	}
}

// TestNoisyBeats: 20 s of white noise without ECG in a 72 bpm stream.
// The beats found in it are marked noisy, the heart rate goes null in it
// (no clean beat for more than 3 s) instead of following the noise, and
// comes back after it.
func TestNoisyBeats(t *testing.T) {
	const fs = 250
	rec := simulate(t, synth.Normal, 60, fs, 7)
	x := append([]float64(nil), rec.MV...)
	r := rand.New(rand.NewPCG(2, 2))
	for i := 20 * fs; i < 40*fs; i++ {
		x[i] = 0.3 * r.NormFloat64()
	}
	s, c := newStream(t, InputOptions{}, Config{Fs: fs, Beats: true})
	feed(t, s, textOf(x), nil)
	var in, marked int
	for _, e := range c.of(EventBeat) {
		if e.T >= 21 && e.T < 40 {
			in++
			if e.Body.(*BeatBody).Noisy {
				marked++
			}
		} else if e.T < 19 && e.Body.(*BeatBody).Noisy {
			t.Errorf("clean beat at %.2f s marked noisy", e.T)
		}
	}
	if in == 0 || float64(marked) < 0.9*float64(in) {
		t.Errorf("%d of %d beats in the noise marked noisy", marked, in)
	}
	// The window over the whole stream counts the noisy beats and takes
	// its heart rate from the clean intervals.
	wins := c.of(EventWindow)
	if len(wins) == 0 {
		t.Fatal("no window event")
	}
	w := wins[0].Body.(*WindowBody)
	if w.NoisyBeats < marked || w.HR == nil || math.Abs(*w.HR-72) > 5 {
		t.Errorf("window %d-%d: %d beats, %d noisy (%d marked in the noise), hr %v; want about 72", w.Start, w.End, w.Beats, w.NoisyBeats, marked, w.HR)
	}
	for _, e := range c.of(EventHR) {
		hr := e.Body.(*HRBody).HR
		switch {
		case e.T >= 10 && e.T < 20 || e.T >= 55:
			if hr == nil || math.Abs(*hr-72) > 8 {
				t.Errorf("hr at %g s: %v, want about 72", e.T, hr)
			}
		case e.T >= 28 && e.T < 40:
			if hr != nil {
				t.Errorf("hr at %g s in the noise: %v, want null", e.T, *hr)
			}
		}
	}
}

func TestQualityStatus(t *testing.T) {
	rec := simulate(t, synth.Normal, 10, 200, 4)
	x := append([]float64(nil), rec.MV...)
	x = append(x, make([]float64, 5*200)...) // flat
	for i := 0; i < 5*200; i++ {
		x = append(x, 7.5+0.01*float64(i%3)) // railed electrode
	}
	r := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 5*200; i++ {
		x = append(x, rec.MV[i]+0.5*r.NormFloat64())
	}
	x = append(x, rec.MV[:5*200]...)
	s, c := newStream(t, InputOptions{}, Config{Fs: 200})
	feed(t, s, textOf(x), nil)
	var seq []string
	for _, e := range c.of(EventStatus) {
		q := e.Body.(*StatusBody).Quality
		if len(seq) == 0 || seq[len(seq)-1] != q {
			seq = append(seq, q)
		}
	}
	if got := strings.Join(seq, " "); got != "ok flat lead_off noise ok" {
		t.Errorf("quality sequence %q", got)
	}
}

func TestRateFromTimestamps(t *testing.T) {
	rec := simulate(t, synth.Normal, 5, 250, 5)
	cases := []struct {
		name string
		in   InputOptions
		data func(i int, v float64) string
	}{
		{"seconds", InputOptions{TimeColumn: 1}, func(i int, v float64) string { return fmt.Sprintf("%.3f\t%.3f\n", 100+float64(i)/250, v) }},
		{"epoch ms", InputOptions{TimeColumn: 2, Column: 1, Delimiter: ";"}, func(i int, v float64) string {
			return fmt.Sprintf("%.3f;%d\n", v, 1718000000000+int64(i)*4)
		}},
		{"json", InputOptions{Format: FormatJSON}, func(i int, v float64) string {
			return fmt.Sprintf(`{"ts": %.3f, "ecg": %.3f}`+"\n", float64(i)/250, v)
		}},
	}
	for _, c := range cases {
		var b strings.Builder
		for i, v := range rec.MV {
			b.WriteString(c.data(i, v))
		}
		s, col := newStream(t, c.in, Config{})
		feed(t, s, []byte(b.String()), []int{1000})
		if s.Fs() != 250 || s.Samples() != int64(len(rec.MV)) {
			t.Errorf("%s: fs %g, %d samples", c.name, s.Fs(), s.Samples())
		}
		if len(col.of(EventHR)) < 5 {
			t.Errorf("%s: %d hr events", c.name, len(col.of(EventHR)))
		}
	}
	// Text might still name a time column in its header: the error comes
	// with the first sample. Binary input has no timestamps: at once.
	s, err := New(InputOptions{}, Config{Emit: func(Event) {}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write([]byte("0.1\n")); !errors.Is(err, ErrNoRate) {
		t.Errorf("no fs and no timestamps: %v, want ErrNoRate", err)
	}
	if _, err := New(InputOptions{Format: FormatBinary}, Config{Emit: func(Event) {}}); !errors.Is(err, ErrNoRate) {
		t.Errorf("binary without fs: %v, want ErrNoRate", err)
	}
}

// TestFormatsAgree: text, JSON (single values and arrays) and binary give
// the same samples and so the same events.
func TestFormatsAgree(t *testing.T) {
	rec := simulate(t, synth.PVC, 30, 360, 6)
	adu := make([]int16, len(rec.MV))
	for i, v := range rec.MV {
		adu[i] = int16(math.Round(v * 200))
	}
	var text, js, arr, bin bytes.Buffer
	for i, a := range adu {
		fmt.Fprintf(&text, "%d %d\n", i, a)
		fmt.Fprintf(&js, `{"ecg": %d}`+"\n", a)
		binary.Write(&bin, binary.LittleEndian, a)
	}
	for i := 0; i < len(adu); i += 36 {
		vs, _ := json.Marshal(adu[i:min(i+36, len(adu))])
		fmt.Fprintf(&arr, `{"ecg": %s, "ts": %d}`+"\n", vs, i)
	}
	var want []string
	for k, c := range []struct {
		in   InputOptions
		data []byte
	}{
		{InputOptions{Column: 2, Units: "adu"}, text.Bytes()},
		{InputOptions{Format: FormatJSON, Units: "adu", Gain: 200}, js.Bytes()},
		{InputOptions{Format: FormatJSON, Units: "adu"}, arr.Bytes()},
		{InputOptions{Format: FormatBinary}, bin.Bytes()},
	} {
		s, col := newStream(t, c.in, Config{Fs: 360, Beats: true})
		feed(t, s, c.data, []int{999})
		if k == 0 {
			want = col.lines
			continue
		}
		if strings.Join(col.lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("format %d: %d events differ from text's %d", k, len(col.lines), len(want))
		}
	}
}

// scripted scores windows from a list of AF scores.
type scripted struct {
	af []float64
	i  int
}

func (s *scripted) PredictSignal(x []float64, fs float64) (classify.Prediction, error) {
	a := s.af[min(s.i, len(s.af)-1)]
	s.i++
	return classify.Prediction{Label: "AF", Confidence: a, Scores: []classify.LabelScore{{Label: "AF", Score: a}, {Label: "N", Score: 1 - a}}}, nil
}

func TestAlerts(t *testing.T) {
	sc := &scripted{af: []float64{0.9, 0.9, 0.1, 0.95, 0.9, 0.85, 0.9, 0.2, 0.1, 0.1}}
	var notified []Event
	s, c := newStream(t, InputOptions{}, Config{Fs: 250, Window: 2, Hop: 1, Model: sc, AlertThreshold: 0.8, AlertWindows: 3,
		OnAlert: func(e Event) { notified = append(notified, e) }})
	feed(t, s, textOf(simulate(t, synth.Normal, 11, 250, 5).MV), nil)
	var got []string
	for _, e := range c.of(EventAlert) {
		b := e.Body.(*AlertBody)
		got = append(got, fmt.Sprintf("%s %s at %d since %d", b.State, b.Label, e.Sample, b.Since))
	}
	// Windows end every 250 samples from 500; the streak starts with the
	// window ending at 1250, which starts at 750.
	want := "raised AF at 1750 since 750; cleared AF at 2250 since 750"
	if strings.Join(got, "; ") != want {
		t.Errorf("alerts %q, want %q", strings.Join(got, "; "), want)
	}
	if len(notified) != 2 {
		t.Errorf("OnAlert called %d times", len(notified))
	}
}

// TestInconclusiveWindows: a model that says AF throughout, on an ECG with
// 20 s of white noise in it (no ECG) and on a flat line. Windows over the
// noise have mostly noisy beats and are inconclusive: they do not start an
// alert, and they hold one already raised instead of clearing it.
func TestInconclusiveWindows(t *testing.T) {
	const fs = 250
	ecg := simulate(t, synth.Normal, 60, fs, 6).MV
	r := rand.New(rand.NewPCG(3, 3))
	noise := func(x []float64, from, to int) {
		for i := from * fs; i < to*fs; i++ {
			x[i] = 0.3 * r.NormFloat64()
		}
	}
	run := func(x []float64) (wins []*WindowBody, alerts []string) {
		s, c := newStream(t, InputOptions{}, Config{Fs: fs, Window: 10, Hop: 5, Model: &scripted{af: []float64{0.95}}})
		feed(t, s, textOf(x), nil)
		for _, e := range c.of(EventWindow) {
			wins = append(wins, e.Body.(*WindowBody))
		}
		for _, e := range c.of(EventAlert) {
			b := e.Body.(*AlertBody)
			alerts = append(alerts, fmt.Sprintf("%s at %gs", b.State, e.T))
		}
		return wins, alerts
	}
	// Noise first: the alert waits for three conclusive windows after it.
	x := append([]float64(nil), ecg...)
	noise(x, 0, 20)
	wins, alerts := run(x)
	for _, w := range wins {
		inNoise := w.End <= 20*fs
		if w.Inconclusive != inNoise && (w.Start >= 20*fs || inNoise) {
			t.Errorf("noise first: window %d-%d s inconclusive=%v (%d of %d beats noisy)", w.Start/fs, w.End/fs, w.Inconclusive, w.NoisyBeats, w.Beats)
		}
	}
	if len(alerts) == 0 || alerts[0] != "raised at 40s" {
		t.Errorf("noise first: alerts %v, want raised at 40s (windows ending at 30, 35, 40 s are the first conclusive ones)", alerts)
	}
	// Noise in the middle: raised before it, held through it.
	x = append([]float64(nil), ecg...)
	noise(x, 25, 45)
	_, alerts = run(x)
	if strings.Join(alerts, "; ") != "raised at 20s" {
		t.Errorf("noise in the middle: alerts %v, want only raised at 20s", alerts)
	}
	// Without the test (--max-noisy 1) the noise windows count.
	s, c := newStream(t, InputOptions{}, Config{Fs: fs, Window: 10, Hop: 5, MaxNoisy: 1, Model: &scripted{af: []float64{0.95}}})
	x = append([]float64(nil), ecg...)
	noise(x, 0, 20)
	feed(t, s, textOf(x), nil)
	if a := c.of(EventAlert); len(a) == 0 || a[0].T != 20 {
		t.Errorf("MaxNoisy 1: alerts %v, want raised at 20s", a)
	}
	// A flat line is inconclusive too.
	wins, alerts = run(make([]float64, 30*fs))
	if len(alerts) != 0 || len(wins) == 0 || !wins[0].Inconclusive {
		t.Errorf("flat line: alerts %v, first window %+v", alerts, wins[0])
	}
}

// stallReader returns one burst, then blocks until closed.
type stallReader struct {
	burst []byte
	done  chan struct{}
}

func (r *stallReader) Read(p []byte) (int, error) {
	if len(r.burst) > 0 {
		n := copy(p, r.burst)
		r.burst = r.burst[n:]
		return n, nil
	}
	<-r.done
	return 0, io.EOF
}

// TestBurstThenStallThenCancel: a minute of data in one burst is processed
// whole; a stalled input is left on cancel, with the last events flushed.
func TestBurstThenStallThenCancel(t *testing.T) {
	rec := simulate(t, synth.Normal, 65, 360, 7)
	r := &stallReader{burst: textOf(rec.MV), done: make(chan struct{})}
	defer close(r.done)
	s, c := newStream(t, InputOptions{}, Config{Fs: 360})
	ctx, cancel := context.WithCancel(context.Background())
	// A Stream is not safe for concurrent use: its sample count is read
	// in flush, which Pump calls on its own goroutine after each write.
	var once sync.Once
	flush := func() error {
		if s.Samples() >= int64(len(rec.MV)) {
			once.Do(func() { time.AfterFunc(50*time.Millisecond, cancel) })
		}
		return nil
	}
	if err := Run(ctx, r, s, flush); err != nil {
		t.Fatal(err)
	}
	st := c.of(EventStatus)
	if b := st[len(st)-1].Body.(*StatusBody); b.Input != "end" || b.Samples != int64(len(rec.MV)) {
		t.Errorf("last status %+v", b)
	}
	if w := c.of(EventWindow); len(w) != 2 || w[0].Sample != 60*360 || !w[1].Body.(*WindowBody).Final || w[1].Sample != 65*360 {
		t.Errorf("%d window events, want one at 60 s and a final one at 65 s", len(w))
	}
}

func FuzzDecoder(f *testing.F) {
	f.Add([]byte("1\n2\n3\n"), uint8(0))
	f.Add([]byte("t,v\n0,1\n0.1,NaN\n"), uint8(1))
	f.Add([]byte(`{"ecg":[1,2,3],"ts":5}`+"\n"+`{"ecg":"x"}`), uint8(2))
	f.Add([]byte{1, 2, 3}, uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		in := []InputOptions{{}, {TimeColumn: 1}, {Format: FormatJSON}, {Format: FormatBinary}}[mode%4]
		in.MaxLine = 64
		n := 0
		s, err := New(in, Config{Fs: 125, Window: 1, Hop: 0.5, Emit: func(Event) { n++ }})
		if err != nil {
			t.Fatal(err)
		}
		half := len(data) / 2
		_ = s.Write(data[:half])
		s.Reset()
		_ = s.Write(data[half:])
		_ = s.Close()
	})
}

// A header naming a time column picks the columns when none are given:
// `ecg simulate --format csv` (time,ecg) streams as it reads.
func TestHeaderNamesTimeColumn(t *testing.T) {
	rec, err := synth.Generate(synth.Options{Rhythm: synth.Normal, HR: 60, Duration: 20, Fs: 250, Seed: 1, Noise: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("time,ecg\n")
	for i, v := range rec.MV {
		fmt.Fprintf(&b, "%.6f,%.4f\n", float64(i)/250, v)
	}
	s, c := newStream(t, InputOptions{}, Config{Fs: 250, Window: 10, Hop: 10})
	feed(t, s, []byte(b.String()), nil)
	st := c.of(EventStatus)
	last := st[len(st)-1].Body.(*StatusBody)
	if last.Header != 1 || last.Malformed != 0 || last.Samples != int64(len(rec.MV)) {
		t.Fatalf("final status %+v; want 1 header, 0 malformed, every line a sample", last)
	}
	hrs := c.of(EventHR)
	if h := hrs[len(hrs)-1].Body.(*HRBody).HR; h == nil || math.Abs(*h-60) > 6 {
		t.Fatalf("heart rate %v from the ecg column, want about 60", h)
	}
}

// Without Config.Fs the header's time column gives the rate; without a
// time column either, the first sample reports ErrNoRate (not after
// holding many samples).
func TestHeaderTimeColumnGivesRate(t *testing.T) {
	var b strings.Builder
	b.WriteString("time,ecg\n")
	for i := 0; i < 5*250; i++ {
		fmt.Fprintf(&b, "%.6f,%.4f\n", float64(i)/250, math.Sin(float64(i)/10))
	}
	s, _ := newStream(t, InputOptions{}, Config{Window: 2, Hop: 2})
	if err := s.Write([]byte(b.String())); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil || s.Fs() != 250 {
		t.Fatalf("rate %g, err %v; want 250 from the time column", s.Fs(), err)
	}

	s, _ = newStream(t, InputOptions{}, Config{Window: 2, Hop: 2})
	err := s.Write([]byte("ecg,x\n0.1,1\n"))
	if !errors.Is(err, ErrNoRate) {
		t.Fatalf("header without a time column: %v, want ErrNoRate", err)
	}
}

// labelled scores windows from a list of labels, each with score 0.9.
type labelled struct {
	labels []string
	i      int
}

func (s *labelled) PredictSignal(x []float64, fs float64) (classify.Prediction, error) {
	l := s.labels[min(s.i, len(s.labels)-1)]
	s.i++
	var sc []classify.LabelScore
	for _, k := range []string{"AFIB", "N", "NOISY"} {
		v := 0.05
		if k == l {
			v = 0.9
		}
		sc = append(sc, classify.LabelScore{Label: k, Score: v})
	}
	return classify.Prediction{Label: l, Confidence: 0.9, Scores: sc}, nil
}

// TestNoiseLabelWindows: a window the model calls NOISY is inconclusive:
// it neither raises an alert for NOISY nor clears a raised AFIB alert (it
// holds it, as a noisy signal does). With NoiseLabels empty, NOISY is a
// label like any other.
func TestNoiseLabelWindows(t *testing.T) {
	seq := []string{"AFIB", "AFIB", "AFIB", "NOISY", "NOISY", "NOISY", "N", "AFIB"}
	run := func(noise []string) (inconclusive int, alerts string) {
		s, c := newStream(t, InputOptions{}, Config{Fs: 250, Window: 2, Hop: 1, Model: &labelled{labels: seq},
			AlertWindows: 3, NoiseLabels: noise})
		feed(t, s, textOf(simulate(t, synth.Normal, 10, 250, 5).MV), nil)
		for _, e := range c.of(EventWindow) {
			if e.Body.(*WindowBody).Inconclusive {
				inconclusive++
			}
		}
		var got []string
		for _, e := range c.of(EventAlert) {
			b := e.Body.(*AlertBody)
			got = append(got, fmt.Sprintf("%s %s at %d", b.State, b.Label, e.Sample))
		}
		return inconclusive, strings.Join(got, "; ")
	}
	// Windows end at 500, 750, ...: AFIB at 500-1000 raises at 1000;
	// NOISY at 1250-1750 holds it; N at 2000 clears it.
	n, alerts := run(nil)
	if want := "raised AFIB at 1000; cleared AFIB at 2000"; alerts != want {
		t.Errorf("default noise labels: alerts %q, want %q", alerts, want)
	}
	if n != 3 {
		t.Errorf("default noise labels: %d inconclusive windows, want the 3 NOISY ones", n)
	}
	n, alerts = run([]string{})
	if want := "raised AFIB at 1000; cleared AFIB at 1250; raised NOISY at 1750; cleared NOISY at 2000"; alerts != want || n != 0 {
		t.Errorf("no noise labels: alerts %q, want %q; %d inconclusive, want 0", alerts, want, n)
	}
}
