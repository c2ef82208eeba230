package fleet

import (
	"bytes"
	"context"
	"image"
	"image/png"
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

	// The device page: the last minutes of the trace and the spectrogram.
	if !strings.Contains(dom, `href="device/af-1"`) {
		t.Error("af-1's tile does not link to its page")
	}
	checkDevicePage(t, bin, srv.URL, dir)

	// Nothing is fetched from elsewhere: the page names no other host.
	for _, p := range []string{"/", "/app.js", "/style.css", "/device/af-1"} {
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

// checkDevicePage opens af-1's device page in Chromium: the trace, the
// spectrogram image and the alert in the DOM, the figure in a screenshot.
func checkDevicePage(t *testing.T, bin, url, dir string) {
	page := headless(t, bin, url+"/device/af-1", "--dump-dom")
	for _, want := range []string{`id="trace"`, "<polyline", `id="spectrogram"`, `src="af-1/spectrogram.png"`, "ALERT AFIB", "Last "} {
		if !strings.Contains(page, want) {
			t.Errorf("the device page lacks %q:\n%s", want, page)
		}
	}
	p := filepath.Join(dir, "device.png")
	headless(t, bin, url+"/device/af-1", "--screenshot="+p, "--window-size=1280,1150")
	if img := decodePNG(t, p); img.Bounds().Dx() < 1000 || !hasFigure(img) {
		t.Errorf("%s: %v, no spectrogram figure in it", p, img.Bounds())
	}
}

// TestDevicePage: /device/ID shows the device's history as rows of 30 s
// and its spectrogram figure as PNG; unknown devices are 404.
func TestDevicePage(t *testing.T) {
	h, err := New(Config{Score: scoring(t), RateFactor: 1000, Queue: 64}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	send(t, h, "af-1", signal(t, synth.AFib, 250, 70, 40), 50, 250)
	if !waitFor(10*time.Second, func() bool { v := h.Views(nil); return len(v) == 1 && v[0].Seq == 70*TraceHz }) {
		t.Fatalf("views %+v", h.Views(nil))
	}
	det, ok := h.Detail("af-1")
	if !ok || len(det.Points) != 70*TraceHz || len(det.Recent) != RecentSeconds*250 || det.Fs != 250 || det.Start != 40 {
		t.Fatalf("detail: %v, %d points, %d recent at %g Hz from %g s", ok, len(det.Points), len(det.Recent), det.Fs, det.Start)
	}
	srv := httptest.NewServer((&Server{Hub: h, Dashboard: &Dashboard{Hub: h}}).Handler())
	defer srv.Close()
	get := func(p string) (int, string, []byte) {
		res, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), b
	}
	code, _, body := get("/device/af-1")
	if code != 200 || strings.Count(string(body), "<polyline") != 3 || !strings.Contains(string(body), "Last 70 s") {
		t.Errorf("page: %d, %d rows, want 3 (70 s):\n%s", code, strings.Count(string(body), "<polyline"), body)
	}
	code, typ, body := get("/device/af-1/spectrogram.png")
	if code != 200 || typ != "image/png" {
		t.Fatalf("spectrogram: %d %s", code, typ)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 1000 || cfg.Height != 620 {
		t.Errorf("spectrogram: %v, %dx%d", err, cfg.Width, cfg.Height)
	}
	for _, p := range []string{"/device/nope", "/device/nope/spectrogram.png", "/device/..%2Fx"} {
		if code, _, _ := get(p); code != 404 {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
}

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// hasFigure tells whether a screenshot holds a spectrogram figure: many
// grey pixels of middle or dark shades (the heat map; the page is white
// and light grey, the trace blue) in its lower half, where the figure is.
func hasFigure(img image.Image) bool {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y + b.Dy()/2; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if max(r, g, bl)-min(r, g, bl) < 0x1000 && max(r, g, bl) < 0xc000 {
				n++
			}
		}
	}
	return n > b.Dx()*b.Dy()/40
}
