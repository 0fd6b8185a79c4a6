package api

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	// gzips are gzip writers to reuse: each holds the compressor's
	// tables (hundreds of KB), too much to make for every answer.
	gzips sync.Pool
}

type cached struct {
	seq  uint64
	body []byte
	gz   []byte // body gzipped, made on the first request that accepts it
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

func (a *answers) get(key string, seq uint64) (cached, bool) {
	if a.limit <= 0 {
		return cached{}, false
	}
	a.mu.RLock()
	c, ok := a.m[key]
	a.mu.RUnlock()
	return c, ok && c.seq == seq
}

// putGzip keeps the gzipped form of the answer cached at key and seq, if
// it is still the one cached there.
func (a *answers) putGzip(key string, seq uint64, gz []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if c, ok := a.m[key]; ok && c.seq == seq && c.gz == nil && a.bytes+len(gz) <= a.limit {
		c.gz = gz
		a.m[key] = c
		a.bytes += len(gz)
	}
}

func (a *answers) put(key string, seq uint64, body []byte) {
	if a.limit <= 0 || len(body) > a.limit/16 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if old, ok := a.m[key]; ok {
		a.bytes -= len(old.body) + len(old.gz)
	}
	if a.bytes+len(body) > a.limit {
		clear(a.m) // simplest fair eviction: start over
		a.bytes = 0
	}
	a.m[key] = cached{seq: seq, body: body}
	a.bytes += len(body)
}

// gzipMin is the size below which an answer goes out as it is: a small
// answer gains less from compression than the compression costs.
const gzipMin = 1400

// acceptsGzip reports whether the request's Accept-Encoding admits gzip.
func acceptsGzip(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(h, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			if q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q="); ok {
				if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
					return false
				}
			}
			return true
		}
	}
	return false
}

// gzipped compresses an answer, at the speed end of gzip: a history page
// of 100 roll-call votes (~100 KB of JSON) becomes a tenth of it.
func (a *answers) gzipped(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body) / 6)
	zw, _ := a.gzips.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(&buf, gzip.BestSpeed) // a valid level: no error
	} else {
		zw.Reset(&buf)
	}
	_, _ = zw.Write(body) // a bytes.Buffer does not fail
	_ = zw.Close()
	zw.Reset(io.Discard) // let go of this answer's buffer while pooled
	a.gzips.Put(zw)
	return buf.Bytes()
}

// writeAnswer writes a read's 200 answer, gzipped when the client accepts
// it and the answer is large enough to gain from it.
func (a *answers) writeAnswer(w http.ResponseWriter, r *http.Request, key string, c cached) {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if len(c.body) < gzipMin || !acceptsGzip(r) {
		writeBody(w, http.StatusOK, c.body)
		return
	}
	gz := c.gz
	if gz == nil {
		gz = a.gzipped(c.body)
		a.putGzip(key, c.seq, gz)
	}
	h.Set("Content-Encoding", "gzip")
	writeBody(w, http.StatusOK, gz)
}
