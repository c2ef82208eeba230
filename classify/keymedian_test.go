package classify

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgkit/ecg/datasets"

	"github.com/ecgkit/ecg/internal/refdata"
)

// sameBits reports the first index where a and b differ bit for bit, or -1.
func sameBits(a, b []float64) int {
	if len(a) != len(b) {
		return 0
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestRemoveBaselineKeyed compares the keyed baseline removal with
// RemoveBaseline bit for bit on random walks of digital samples (rising
// and falling gains, baselines, rates, lengths from too short to a few
// seconds; the keys with and without keyRoom before them), and checks that keys that do not fit leave x alone.
func TestRemoveBaselineKeyed(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 60 {
		fs := []float64{50, 128, 250, 360, 500}[trial%5]
		n := []int{0, 10, 200, 700, 1500, 4000}[trial%6]
		gain := []float64{200, -200, 1e-3, 0.37}[trial%4]
		base := float64(rng.IntN(2048) - 1024)
		key := make([]int32, n)
		x := make([]float64, n)
		k := int32(rng.IntN(1000))
		for i := range key {
			k += int32(rng.IntN(7) - 3)
			if rng.IntN(50) == 0 {
				k += int32(rng.IntN(200) - 100)
			}
			key[i] = k
			x[i] = (float64(k) - base) / gain
		}
		want := RemoveBaseline(x, fs)
		got := append([]float64(nil), x...)
		buf := key // half the trials work in the keys' room, half in a copy
		if trial%2 == 1 {
			buf = append(make([]int32, keyRoom(fs)+trial%3), key...)
		}
		ok := removeBaselineKeyed(got, buf, fs)
		w1, w2 := baselineWidths(fs)
		if fits := n >= 2*(w1/2+2*(w2/2)+1); ok != fits {
			t.Fatalf("trial %d (n %d fs %v): keyed %v, want %v", trial, n, fs, ok, fits)
		}
		if !ok {
			if i := sameBits(got, x); i >= 0 {
				t.Fatalf("trial %d: refused but changed x at %d", trial, i)
			}
			continue
		}
		if i := sameBits(got, want); i >= 0 {
			t.Fatalf("trial %d (n %d fs %v gain %v): sample %d is %v, RemoveBaseline gives %v", trial, n, fs, gain, i, got[i], want[i])
		}
	}
	// Keys that do not order the values: refused, x unchanged.
	x := make([]float64, 2000)
	key := make([]int32, 2000)
	for i := range x {
		key[i] = int32(i % 50)
		x[i] = float64(i % 50)
	}
	for name, bad := range map[string]func(){
		"not monotone": func() { x[3] = -7 },
		"two values":   func() { x[53] = 2.5 },
		"NaN":          func() { x[9] = math.NaN() },
		"span":         func() { key[0] = 1 << 20 },
	} {
		orig, origKey := append([]float64(nil), x...), append([]int32(nil), key...)
		bad()
		y := append([]float64(nil), x...)
		if removeBaselineKeyed(y, key, 360) {
			t.Errorf("%s: keys taken", name)
		}
		if i := sameBits(y, x); i >= 0 {
			t.Errorf("%s: x changed at %d", name, i)
		}
		copy(x, orig)
		copy(key, origKey)
	}
}

// TestReadBeatSignalMITDB checks ReadBeatSignal (keyed medians) against
// RemoveBaseline on the signal as read, bit for bit: on four records,
// on all 48 with ECG_CONFORMANCE=1 (5 s).
func TestReadBeatSignalMITDB(t *testing.T) {
	db := refdata.MITDB(t)
	paths, err := datasets.ListRecords(db)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("ECG_CONFORMANCE") == "" {
		paths = []string{filepath.Join(db, "100"), filepath.Join(db, "108"), filepath.Join(db, "208"), filepath.Join(db, "232")}
	}
	for _, path := range paths {
		r := filepath.Base(path)
		x, fs, err := ReadSignal(path)
		if err != nil {
			t.Fatal(err)
		}
		want := RemoveBaseline(fillInvalid(x), fs)
		got, _, err := ReadBeatSignal(path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if i := sameBits(got, want); i >= 0 {
			t.Fatalf("%s: sample %d is %v, RemoveBaseline gives %v", r, i, got[i], want[i])
		}
	}
}
