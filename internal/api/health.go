package api

import (
	"context"
	_ "embed"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/stancewatch/stancewatch/projections"
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
		body["status"] = "not ready"
		s.writeError(w, r, withExtensions(errorf(errNotReady, "%s", why), body))
	}
	if err := s.store.Healthy(ctx); err != nil {
		fail(err.Error())
		return
	}
	if ok, why := s.proj.Ready(); !ok {
		fail("projection: " + why)
		return
	}
	loading := s.loading()
	if loading != nil {
		// What is loaded, honestly: the answers hold the records loaded so
		// far, and the projection follows the load (its lag is the load's,
		// not a stall, so it does not make the server unready).
		body["bundled"] = loading
	}
	if lag := s.proj.Lag(); lag > s.cfg.MaxLag && !s.stillLoading() {
		fail(fmt.Sprintf("projection is %d events behind the stream (at most %d)", lag, s.cfg.MaxLag))
		return
	}
	body["status"] = "ready"
	if n, seqs := s.damaged(); n > 0 {
		// Ready, but not whole: the answers leave these events out.
		body["damaged"] = map[string]any{"events": n, "sequences": seqs,
			"note": "lost or damaged on disk: left out of every answer; see /v1/deadletters and the log"}
	}
	if h, ok := s.proj.(interface{ HeldBack() (int, int, uint64) }); ok {
		if n, groups, oldest := h.HeldBack(); n > 0 {
			body["held"] = map[string]any{"events": n, "groups": groups, "oldest_seq": oldest,
				"note": "stored by a bulk load that was cut short: held back from every answer until the load runs again and completes their roll calls"}
		}
	}
	if s.cfg.Admin != nil {
		if rb := s.cfg.Admin.RebuildStatus(); rb.Running {
			body["rebuild"] = rb
		}
	}
	writeJSON(w, http.StatusOK, body)
}

// loading returns the bundled load's status, nil when there is none.
func (s *Server) loading() any {
	if s.cfg.Loading == nil {
		return nil
	}
	return s.cfg.Loading()
}

// stillLoading reports whether a bundled load is storing records.
func (s *Server) stillLoading() bool {
	return s.cfg.StillLoading != nil && s.cfg.StillLoading()
}

// index lists the API's endpoints.
func (s *Server) apiIndex(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"name": "stancewatch",
		"seq":  s.proj.LastSeq(),
		"endpoints": []string{
			"GET /v1/actors", "GET /v1/actors/{actor}", "GET /v1/actors/{actor}/history?topic=",
			"GET /v1/topics", "GET /v1/topics/{topic}", "GET /v1/topics/{topic}/matrix", "GET /v1/shifts?actor=&topic=&since=",
			"GET /v1/motions?topic=", "GET /v1/motions/{id}", "GET /v1/conflicts", "GET /v1/deadletters",
			"GET /v1/events/{id}", "POST /v1/events", "POST /v1/events/{id}/retract",
			"POST /v1/events/{id}/correct", "GET /v1/stream?actor=&topic=&kind=events|shifts (Server-Sent Events)",
			"GET /v1/export/positions.csv", "GET /v1/export/motions.csv", "GET /v1/export/events.jsonl", "GET /v1/export/deadletters.jsonl",
			"GET /v1/review?status=&actor=", "GET /v1/review/{id}", "POST /v1/review/{id}/accept", "POST /v1/review/{id}/reject",
			"GET /v1/admin/rebuild", "POST /v1/admin/rebuild", "GET /livez", "GET /readyz", "GET / (the web page, to a browser)",
		},
		"parameters": map[string]string{
			"as_of":       "YYYY-MM-DD: the world as it stood that day (positions taken on or before it)",
			"known_at":    "RFC 3339 time or YYYY-MM-DD (end of day, UTC): what had been recorded by then",
			"min_seq":     "wait until the projection has folded this stream sequence (answered at once, 409, when it is far beyond the stream)",
			"wait":        "how long min_seq may wait: seconds (2, 0.5) or a duration (500ms); default and maximum " + s.cfg.MaxWait.String(),
			"exclude_own": "true: leave out an actor's positions on texts it put forward itself",
		},
	})
}

// rebuildStatus reports the last (or current) rebuild.
func (s *Server) rebuildStatus(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Admin == nil {
		s.writeError(w, r, notFound("this server runs no projector"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"seq": s.proj.LastSeq(), "rebuild": s.cfg.Admin.RebuildStatus()})
}

// startRebuild builds the projection again from sequence 1 beside the one
// being served (202); queries keep answering; readers switch when it has
// caught up. 409 while one is running.
func (s *Server) startRebuild(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Admin == nil {
		s.writeError(w, r, notFound("this server runs no projector"))
		return
	}
	st, err := s.cfg.Admin.StartRebuild("requested over HTTP")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/v1/admin/rebuild")
	writeJSON(w, http.StatusAccepted, map[string]any{"seq": s.proj.LastSeq(), "rebuild": st})
}

// stateView describes the projection's state.
type stateView struct {
	Seq      uint64 `json:"seq"`
	Events   int    `json:"events"`
	Rejected int    `json:"rejected"`
	IDReused int    `json:"id_reused"` // of the rejected: copies of an id another event holds
	Damaged  int    `json:"damaged"`   // of the rejected: lost or damaged on disk
	// DamagedSeqs are the first damaged sequences (at most 20).
	DamagedSeqs []uint64 `json:"damaged_sequences,omitempty"`
	Digest      string   `json:"digest"`
	Version     int      `json:"version"`
	Ready       bool     `json:"ready"`
}

// damaged counts the events lost or damaged on disk, and lists the first
// 20 sequences.
func (s *Server) damaged() (n int, seqs []uint64) {
	all := s.proj.Damaged()
	if all == nil {
		all = map[uint64]string{}
	}
	s.proj.Read(func(st *projections.State) {
		for _, r := range st.Rejected() {
			if r.Damaged() {
				all[r.Seq] = r.Reason
			}
		}
	})
	seqs = slices.Sorted(maps.Keys(all))
	return len(seqs), seqs[:min(len(seqs), 20)]
}

func (s *Server) stateOf() stateView {
	var v stateView
	s.proj.Read(func(st *projections.State) {
		rejected := st.Rejected()
		v = stateView{Seq: st.LastSeq(), Events: st.Len(), Rejected: len(rejected), Digest: st.Digest(), Version: projections.Version}
		for _, r := range rejected {
			switch {
			case r.IDReused():
				v.IDReused++
			case r.Damaged():
				v.Damaged++
				if len(v.DamagedSeqs) < 20 {
					v.DamagedSeqs = append(v.DamagedSeqs, r.Seq)
				}
			}
		}
	})
	v.Ready, _ = s.proj.Ready()
	return v
}

// state reports the projection's last sequence, size and digest: two
// replicas at the same sequence agree when their digests do.
func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.stateOf())
}

// verify folds the stream again from sequence 1, up to the projection's
// sequence, and compares: 200 when the projection equals the clean
// replay, 500 when it does not.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Admin == nil {
		s.writeError(w, r, notFound("this server runs no projector"))
		return
	}
	live := s.stateOf()
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Minute)
	defer cancel()
	ref, err := s.cfg.Admin.Replay(ctx, live.Seq)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	damaged, seqs := s.damaged()
	body := map[string]any{"seq": live.Seq, "projection": live.Digest, "replay": ref.Digest(), "equal": ref.Digest() == live.Digest,
		"events": live.Events, "rejected": live.Rejected, "id_reused": live.IDReused, "damaged": damaged, "damaged_sequences": seqs}
	if ref.Digest() != live.Digest {
		s.log.Error("the projection differs from a clean replay of the stream", "seq", live.Seq)
		s.writeError(w, r, withExtensions(errorf(errDiffers, "at sequence %d the projection's digest is %s, a clean replay's %s: rebuild it (POST /v1/admin/rebuild)",
			live.Seq, live.Digest, ref.Digest()), body))
		return
	}
	writeJSON(w, http.StatusOK, body)
}

//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the OpenAPI 3.1 description of this API.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	writeBody(w, http.StatusOK, openAPIDoc)
}
