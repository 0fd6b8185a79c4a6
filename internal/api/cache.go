package api

import (
	"net/http"
	"net/url"
	"sync"
)

// answers caches encoded read answers by request and projection sequence:
// an answer computed at sequence N is served again, byte for byte, until
// the projection moves past N. Reads far outnumber writes, and most reads
// ask the same few questions.
type answers struct {
	mu    sync.RWMutex
	m     map[string]cached
	bytes int
	limit int
}

type cached struct {
	seq  uint64
	body []byte
}

func newAnswers(limit int) *answers { return &answers{m: map[string]cached{}, limit: limit} }

// keyOf is the request without the parameters that do not change the
// answer (min_seq only waits).
func keyOf(r *http.Request) string {
	q := r.URL.Query()
	if !q.Has("min_seq") {
		return r.URL.Path + "?" + r.URL.RawQuery
	}
	q.Del("min_seq")
	return r.URL.Path + "?" + url.Values(q).Encode()
}

func (a *answers) get(key string, seq uint64) ([]byte, bool) {
	if a.limit <= 0 {
		return nil, false
	}
	a.mu.RLock()
	c, ok := a.m[key]
	a.mu.RUnlock()
	return c.body, ok && c.seq == seq
}

func (a *answers) put(key string, seq uint64, body []byte) {
	if a.limit <= 0 || len(body) > a.limit/16 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if old, ok := a.m[key]; ok {
		a.bytes -= len(old.body)
	}
	if a.bytes+len(body) > a.limit {
		clear(a.m) // simplest fair eviction: start over
		a.bytes = 0
	}
	a.m[key] = cached{seq: seq, body: body}
	a.bytes += len(body)
}
