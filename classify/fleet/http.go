package fleet

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Server is the HTTP side of a hub: POST /ingest/{device} for gateways
// without MQTT, GET /metrics, and (when Dashboard is set) the dashboard.
type Server struct {
	Hub *Hub
	// Token, when not empty, is the bearer token every request must carry
	// ("Authorization: Bearer TOKEN").
	Token string
	// MaxBody bounds a request body in bytes (0: 1 MiB).
	MaxBody int64
	// Dashboard, when not nil, serves GET / and what it needs (a
	// *Dashboard).
	Dashboard http.Handler
}

// Handler returns the routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /ingest/{device}", s.ingest)
	mux.Handle("GET /metrics", s.Hub.metrics.Handler())
	if s.Dashboard != nil {
		mux.Handle("/", s.Dashboard)
	}
	return s.auth(mux)
}

func (s *Server) auth(next http.Handler) http.Handler {
	if s.Token == "" {
		return next
	}
	want := []byte("Bearer " + s.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="ecg"`)
			http.Error(w, "a bearer token is required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// IngestResult is the JSON answer of POST /ingest/{device}.
type IngestResult struct {
	Accepted int    `json:"accepted"` // messages queued
	Rejected int    `json:"rejected"` // lines or messages refused
	Error    string `json:"error,omitempty"`
}

// ingest decodes a body (JSON lines or CSV, see DecodeBody) and queues
// its messages: 202 when all were taken, 400 for a body with nothing to
// take, 413 for a body too large, 429 when the device's queue or rate
// limit refused one, 503 when the fleet is full.
func (s *Server) ingest(w http.ResponseWriter, r *http.Request) {
	received := time.Now()
	s.Hub.metrics.Received("http")
	max := s.MaxBody
	if max <= 0 {
		max = 1 << 20
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.Hub.metrics.Rejected(ErrTooLarge)
		reply(w, http.StatusRequestEntityTooLarge, IngestResult{Rejected: 1, Error: fmt.Sprintf("body over %d bytes", max)})
		return
	}
	if err != nil {
		reply(w, http.StatusBadRequest, IngestResult{Error: err.Error()})
		return
	}
	device := r.PathValue("device")
	lim := s.Hub.cfg.Limits
	lim.MaxBytes = int(max)
	msgs, bad, err := DecodeBody(device, body, lim)
	for range bad {
		s.Hub.reject(device, ErrMalformed)
	}
	if err != nil {
		s.Hub.reject(device, err)
		code := http.StatusBadRequest
		if errors.Is(err, ErrTooLarge) {
			code = http.StatusRequestEntityTooLarge
		}
		reply(w, code, IngestResult{Rejected: bad + 1, Error: err.Error()})
		return
	}
	res, code := IngestResult{Rejected: bad}, http.StatusAccepted
	for _, m := range msgs {
		if err := s.Hub.Ingest(m, received); err != nil {
			res.Rejected++
			res.Error = err.Error()
			code = http.StatusTooManyRequests
			if errors.Is(err, ErrDevicesCap) {
				code = http.StatusServiceUnavailable
			}
			continue
		}
		res.Accepted++
	}
	if res.Accepted == 0 && code == http.StatusAccepted {
		code = http.StatusBadRequest
		res.Error = "no valid message"
	}
	reply(w, code, res)
}

func reply(w http.ResponseWriter, code int, res IngestResult) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(res)
}
