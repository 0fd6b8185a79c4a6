package api

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

func (s *Server) livez(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok"})
}

// readyz is ready when the store answers, the projection has caught up
// with the stream since start, and it is at most MaxLag events behind.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	body := map[string]any{"seq": s.proj.LastSeq(), "lag": s.proj.Lag()}
	fail := func(why string) {
		body["status"], body["error"] = "not ready", why
		w.Header().Set("Retry-After", "1")
		writeJSON(w, http.StatusServiceUnavailable, body)
	}
	if err := s.store.Healthy(ctx); err != nil {
		fail(err.Error())
		return
	}
	if ok, why := s.proj.Ready(); !ok {
		fail("projection: " + why)
		return
	}
	if lag := s.proj.Lag(); lag > s.cfg.MaxLag {
		fail(fmt.Sprintf("projection is %d events behind the stream (at most %d)", lag, s.cfg.MaxLag))
		return
	}
	body["status"] = "ready"
	writeJSON(w, http.StatusOK, body)
}

// index lists the API's endpoints.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"name": "stancewatch",
		"seq":  s.proj.LastSeq(),
		"endpoints": []string{
			"GET /v1/actors", "GET /v1/actors/{actor}", "GET /v1/actors/{actor}/history?topic=",
			"GET /v1/topics", "GET /v1/topics/{topic}", "GET /v1/shifts?actor=&topic=&since=",
			"GET /v1/motions?topic=", "GET /v1/motions/{id}", "GET /v1/conflicts", "GET /v1/deadletters",
			"GET /v1/events/{id}", "POST /v1/events", "POST /v1/events/{id}/retract",
			"GET /v1/stream?actor=&topic= (Server-Sent Events)", "GET /livez", "GET /readyz",
		},
		"parameters": map[string]string{
			"as_of":       "YYYY-MM-DD: the world as it stood that day (positions taken on or before it)",
			"known_at":    "RFC 3339 time or YYYY-MM-DD (end of day, UTC): what had been recorded by then",
			"min_seq":     "wait (bounded) until the projection has folded this stream sequence",
			"exclude_own": "true: leave out an actor's positions on texts it put forward itself",
		},
	})
}
