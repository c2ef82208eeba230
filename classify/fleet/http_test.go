package fleet

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgkit/ecg/datasets/synth"
)

func TestServer(t *testing.T) {
	c := newCollector()
	cfg := scoring(t)
	h, err := New(Config{Score: cfg, Emit: c.emit, RateFactor: 1000}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Hub: h, Token: "s3cret", MaxBody: 64 << 10}).Handler())
	defer srv.Close()
	post := func(path, token, body string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(body))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, _ := post("/ingest/w1", "", "1\n"); code != http.StatusUnauthorized {
		t.Errorf("no token: %d", code)
	}
	if code, _ := post("/ingest/w1", "wrong", "1\n"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", code)
	}
	// 40 s of AF as CSV bodies of one second with a time column.
	x := signal(t, synth.AFib, 250, 40, 7)
	for i := 0; i < len(x); i += 250 {
		var b strings.Builder
		b.WriteString("time,ecg\n")
		for k := i; k < i+250; k++ {
			b.WriteString(strconv.FormatFloat(float64(k)/250, 'f', 3, 64) + "," + strconv.FormatFloat(x[k], 'g', -1, 64) + "\n")
		}
		if code, res := post("/ingest/w1", "s3cret", b.String()); code != http.StatusAccepted {
			t.Fatalf("CSV body: %d %s", code, res)
		}
	}
	if code, res := post("/ingest/w..1", "s3cret", `{"ecg":[1,2]}`); code != http.StatusAccepted {
		t.Errorf("JSON body: %d %s", code, res)
	}
	if code, _ := post("/ingest/.w", "s3cret", `1`); code != http.StatusBadRequest {
		t.Errorf("bad device: %d", code)
	}
	if code, _ := post("/ingest/w1", "s3cret", "nothing\nhere\n"); code != http.StatusBadRequest {
		t.Errorf("no samples: %d", code)
	}
	if code, _ := post("/ingest/w1", "s3cret", strings.Repeat("1\n", 40<<10)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: %d", code)
	}
	h.Close()
	if w := c.of("w1", "window"); len(w) < 3 {
		t.Errorf("%d windows from the CSV bodies, want 3 or more", len(w))
	}
	req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(b)
	for _, want := range []string{`ecg_messages_total{source="http"}`, `ecg_messages_rejected_total{reason="bad_device"} 1`, "ecg_ingest_to_event_seconds_bucket", "process_resident_memory_bytes"} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	promtool(t, text)
}
