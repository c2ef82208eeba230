package fleet

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgkit/ecg/datasets/synth"
)

// chromium returns the path of a Chromium (Debian package chromium),
// skipping the test when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no chromium (Debian package chromium; .ci/serve-deps)")
	return ""
}

// headless runs Chromium headless on url for a few seconds with args
// (--dump-dom, --screenshot=FILE) and returns its standard output.
func headless(t *testing.T, bin, url string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	home := t.TempDir()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
		"--no-first-run", "--user-data-dir=" + filepath.Join(home, "profile"), "--window-size=1280,800", "--virtual-time-budget=3000"}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb // stderr: dbus noise, shown on failure
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.String()
}

// TestDashboardInChromium feeds three devices (one in AF) to a hub, opens
// the dashboard in headless Chromium, and checks that the page lists the
// devices, the AF device first and in alert, and that the traces move
// between two screenshots. The screenshots stay in ECG_DASHBOARD_SHOTS
// when set, to be looked at.
func TestDashboardInChromium(t *testing.T) {
	bin := chromium(t)
	cfg := scoring(t)
	h, err := New(Config{Score: cfg, RateFactor: 1000, Queue: 64}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	srv := httptest.NewServer((&Server{Hub: h, Dashboard: &Dashboard{Hub: h, Interval: 200 * time.Millisecond}}).Handler())
	defer srv.Close()
	ids := []string{"nsr-1", "nsr-2", "af-1"}
	rhythms := []string{synth.Normal, synth.Normal, synth.AFib}
	sigs := make([][]float64, len(ids))
	for k := range ids {
		sigs[k] = signal(t, rhythms[k], 250, 120, int64(20+k))
		send(t, h, ids[k], sigs[k][:40*250], 50, 250) // 40 s at once: windows, the alert
	}
	// Then 5 s of signal a second, so that the traces move.
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 40 * 250; i+125 <= 120*250; i += 125 {
			for k := range ids {
				h.Ingest(Message{Device: ids[k], ECG: sigs[k][i : i+125], Fs: 250}, time.Now())
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	defer func() { close(stop); <-done }()
	if !waitFor(10*time.Second, func() bool { v := h.Views(nil); return len(v) == 3 && len(v[0].Alerts) > 0 }) {
		t.Fatalf("no alert for af-1: %+v", h.Views(nil))
	}

	dom := headless(t, bin, srv.URL+"/?frames=3", "--dump-dom")
	for _, want := range []string{`data-device="af-1"`, `data-device="nsr-1"`, `data-device="nsr-2"`, "3 devices, 1 in alert", "ALERT AFIB"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the page lacks %q:\n%s", want, dom)
		}
	}
	if a, n := strings.Index(dom, `data-device="af-1"`), strings.Index(dom, `data-device="nsr-1"`); a < 0 || n < 0 || a > n {
		t.Error("the device in alert is not first")
	}
	if i := strings.Index(dom, `data-device="af-1"`); i >= 0 && !strings.Contains(dom[max(0, i-40):i], "tile alert") {
		t.Error("af-1's tile is not marked in alert")
	}

	dir := os.Getenv("ECG_DASHBOARD_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := func(name string) []byte {
		p := filepath.Join(dir, name)
		headless(t, bin, srv.URL+"/?frames=3", "--screenshot="+p)
		b, err := os.ReadFile(p)
		if err != nil || len(b) < 1000 {
			t.Fatalf("screenshot %s: %v (%d bytes)", p, err, len(b))
		}
		return b
	}
	a := shot("dashboard-1.png")
	time.Sleep(1500 * time.Millisecond)
	b := shot("dashboard-2.png")
	if bytes.Equal(a, b) {
		t.Error("the two screenshots are the same: the traces do not move")
	}

	// Nothing is fetched from elsewhere: the page names no other host.
	for _, p := range []string{"/", "/app.js", "/style.css"} {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || strings.Contains(string(body), "http://") || strings.Contains(string(body), "https://") {
			t.Errorf("%s: %d, or names another host", p, res.StatusCode)
		}
	}
}
