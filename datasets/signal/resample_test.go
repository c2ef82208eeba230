package signal

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
)

func TestResampleRatio(t *testing.T) {
	for _, c := range []struct {
		from, to float64
		up, down int
		ok       bool
	}{
		{360, 250, 25, 36, true},
		{360, 300, 5, 6, true},
		{250, 360, 36, 25, true},
		{128, 128, 1, 1, true},
		{360, 1000, 25, 9, true},
		{360, 360 * math.Pi, 0, 0, false},
	} {
		up, down, ok := ratio(c.to/c.from, MaxResampleFactor)
		if ok != c.ok || (ok && (up != c.up || down != c.down)) {
			t.Errorf("%v -> %v Hz: %d/%d %v, want %d/%d %v", c.from, c.to, up, down, ok, c.up, c.down, c.ok)
		}
	}
	if _, err := Resample([]float64{1, 2}, 360, 360*math.Pi); err == nil {
		t.Error("irrational ratio accepted")
	}
	if _, err := ResamplePoly([]float64{1}, 0, 3); err == nil {
		t.Error("up 0 accepted")
	}
}

// A sine well below both Nyquist frequencies keeps its amplitude and
// phase: output sample i is at time i/to, and a constant stays constant
// away from the ends.
func TestResampleSine(t *testing.T) {
	const from, f = 360.0, 7.0
	x := make([]float64, 3600)
	for i := range x {
		x[i] = math.Sin(2*math.Pi*f*float64(i)/from) + 0.5
	}
	for _, to := range []float64{250, 300, 500, 128} {
		y, err := Resample(x, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if want := int(math.Ceil(float64(len(x)) * to / from)); len(y) != want {
			t.Fatalf("%v Hz: %d samples, want %d", to, len(y), want)
		}
		worst := 0.0
		// The filter spans 10 * max(up, down) upsampled samples on each
		// side: skip the edges where zeros come in.
		edge := int(to / 4)
		for i := edge; i < len(y)-edge; i++ {
			want := math.Sin(2*math.Pi*f*float64(i)/to) + 0.5
			worst = math.Max(worst, math.Abs(y[i]-want))
		}
		if worst > 2e-3 {
			t.Errorf("%v Hz: largest error %.2e", to, worst)
		}
	}
}

// Content above the new Nyquist frequency is removed, not aliased.
func TestResampleAntiAlias(t *testing.T) {
	x := make([]float64, 7200)
	for i := range x {
		x[i] = math.Sin(2 * math.Pi * 160 * float64(i) / 360) // aliases to 90 Hz at 250 Hz
	}
	y, err := Resample(x, 360, 250)
	if err != nil {
		t.Fatal(err)
	}
	rms := 0.0
	for _, v := range y[500 : len(y)-500] {
		rms += v * v
	}
	rms = math.Sqrt(rms / float64(len(y)-1000))
	if rms > 0.01 {
		t.Errorf("160 Hz at 250 Hz: rms %.3g left (want < 0.01 of 0.707)", rms)
	}
}

// TestConformanceResampleScipy compares with scipy.signal.resample_poly, when
// /usr/bin/python3 has scipy.
func TestConformanceResampleScipy(t *testing.T) {
	if _, err := exec.Command("/usr/bin/python3", "-c", "import scipy.signal").CombinedOutput(); err != nil {
		t.Skip("no scipy: /usr/bin/python3 -c 'import scipy.signal' failed")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		N, Up, Down int
		X           []float64
	}{{N: 1000, Up: 25, Down: 36}, {N: 777, Up: 5, Down: 6}, {N: 301, Up: 36, Down: 25}, {N: 50, Up: 2, Down: 1}, {N: 64, Up: 1, Down: 3}, {N: 3, Up: 7, Down: 5}}
	for i := range cases {
		cases[i].X = make([]float64, cases[i].N)
		for j := range cases[i].X {
			cases[i].X[j] = rng.NormFloat64()
		}
	}
	in, _ := json.Marshal(cases)
	// One python run for every case (importing scipy takes a second).
	script := "import json,sys,scipy.signal as s; c=json.load(sys.stdin); print(json.dumps([list(s.resample_poly(k['X'],k['Up'],k['Down'])) for k in c]))"
	cmd := exec.Command("/usr/bin/python3", "-c", script)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scipy: %v", err)
	}
	var wants [][]float64
	if err := json.Unmarshal(out, &wants); err != nil || len(wants) != len(cases) {
		t.Fatalf("scipy output: %v", err)
	}
	for ci, c := range cases {
		want := wants[ci]
		got, err := ResamplePoly(c.X, c.Up, c.Down)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d x %d/%d: %d samples, scipy %d", c.N, c.Up, c.Down, len(got), len(want))
		}
		worst := 0.0
		for i := range got {
			worst = math.Max(worst, math.Abs(got[i]-want[i]))
		}
		if worst > 1e-12 {
			t.Errorf("%d x %d/%d: largest difference from scipy %.3g", c.N, c.Up, c.Down, worst)
		}
	}
}

func BenchmarkResample(b *testing.B) {
	x := make([]float64, 60*360)
	for i := range x {
		x[i] = math.Sin(float64(i) / 10)
	}
	for b.Loop() {
		if _, err := Resample(x, 360, 250); err != nil {
			b.Fatal(err)
		}
	}
}
