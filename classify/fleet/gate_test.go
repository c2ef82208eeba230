package fleet

import (
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/ecgkit/ecg/classify"
	"github.com/ecgkit/ecg/classify/stream"
	"github.com/ecgkit/ecg/datasets/synth"
)

// gateScorer tells devices apart by their rates, keeps the order in which
// their windows were scored, and holds every window until released.
type gateScorer struct {
	mu      sync.Mutex
	order   []float64
	release chan struct{}
}

func (g *gateScorer) PredictSignal(x []float64, fs float64) (classify.Prediction, error) {
	g.mu.Lock()
	g.order = append(g.order, fs)
	g.mu.Unlock()
	<-g.release
	return classify.Prediction{Label: "N", Confidence: 1, Scores: []classify.LabelScore{{Label: "N", Score: 1}}}, nil
}

// TestScoringGateFirstComeFirstServed: with one scorer, windows that
// become due while another is being scored are scored in the order they
// became due, whatever the devices' names or rates. testing/synctest
// makes the order of arrival exact: each device's window is due only once
// the one before it waits at the gate.
func TestScoringGateFirstComeFirstServed(t *testing.T) {
	for _, arrival := range [][]float64{{250, 251, 252, 253}, {250, 253, 251, 252}, {252, 250, 253, 251}} {
		synctest.Test(t, func(t *testing.T) {
			g := &gateScorer{release: make(chan struct{})}
			h, err := New(Config{Score: stream.Config{Window: 2, Hop: 2, Model: g}, Scorers: 1, RateFactor: 1e6, Idle: time.Hour}, nil)
			if err != nil {
				t.Fatal(err)
			}
			for k, fs := range arrival {
				// 2 s of signal: the window is due with its last sample.
				x := signal(t, synth.Normal, fs, 2, int64(k))
				id := string(rune('d' - k)) // names against the order
				if err := h.Ingest(Message{Device: id, ECG: x, Fs: fs}, time.Now()); err != nil {
					t.Fatal(err)
				}
				synctest.Wait() // the first is scoring; the others wait at the gate
			}
			g.mu.Lock()
			if len(g.order) != 1 || g.order[0] != arrival[0] {
				t.Errorf("scored before the release: %v, want the first device's window only", g.order)
			}
			g.mu.Unlock()
			close(g.release)
			h.Close()
			if !slices.Equal(g.order, arrival) {
				t.Errorf("windows scored in the order of rates %v, want %v (the order they were due)", g.order, arrival)
			}
		})
	}
}
