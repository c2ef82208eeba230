package fleet

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"
)

//go:embed dashboard
var assets embed.FS

// Dashboard serves the live dashboard of a hub: the page and its script
// and style (embedded: nothing is fetched from elsewhere) at /, and the
// server-sent events it reads at /events: every Interval (0: 500 ms) one
// message "data: [DeviceView, ...]" with each device's latest state and
// the trace points it has not sent that client yet.
//
// Each device has a page at /device/ID: the last HistorySeconds of its
// trace and the spectrogram figure of its last RecentSeconds
// (/device/ID/spectrogram.png, drawn on request), reloaded every 10 s.
type Dashboard struct {
	Hub      *Hub
	Interval time.Duration

	drawing sync.Mutex // one figure drawn at a time
}

// ServeHTTP serves the page, its assets and /events.
func (d *Dashboard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/events" {
		d.events(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:")
	if rest, ok := strings.CutPrefix(r.URL.Path, "/device/"); ok {
		d.devicePage(w, r, rest)
		return
	}
	sub, _ := fs.Sub(assets, "dashboard")
	http.FileServerFS(sub).ServeHTTP(w, r)
}

func (d *Dashboard) events(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	every := d.Interval
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	since := map[string]int64{}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		b, err := json.Marshal(d.Hub.Views(since))
		if err != nil {
			return
		}
		if _, err := w.Write(append(append([]byte("data: "), b...), '\n', '\n')); err != nil {
			return
		}
		fl.Flush()
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
	}
}
