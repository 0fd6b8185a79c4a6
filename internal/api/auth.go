package api

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/stancewatch/stancewatch/events"
	"github.com/stancewatch/stancewatch/producers"
)

// Scope is what a token may do. Each scope includes the ones before it.
type Scope int

// Scopes.
const (
	ScopeNone  Scope = iota
	ScopeRead        // GET the projection, the stream, exports
	ScopeWrite       // append events, retract, correct
	ScopeAdmin       // rebuild, state, verify
)

// ParseScope accepts read, write or admin.
func ParseScope(s string) (Scope, error) {
	switch strings.ToLower(s) {
	case "read":
		return ScopeRead, nil
	case "write":
		return ScopeWrite, nil
	case "admin":
		return ScopeAdmin, nil
	}
	return ScopeNone, fmt.Errorf("%q is not a scope: want read, write or admin", s)
}

func (s Scope) String() string {
	return [...]string{"none", "read", "write", "admin"}[s]
}

// Token is a bearer token. Only its SHA-256 is kept.
type Token struct {
	Name  string
	Scope Scope
	// Producers are the producers the token may write as (the
	// evidence.producer of the positions it appends); default analyst.
	// The official record (rollcall) and the news extractor's output
	// (news) are written only with a token that names them.
	Producers []events.Producer
	hash      [32]byte
}

// NewToken makes a token from its secret; it writes as the producers
// given, or as analyst when none are.
func NewToken(name string, scope Scope, secret string, producers ...events.Producer) Token {
	if len(producers) == 0 {
		producers = []events.Producer{events.ProducerAnalyst}
	}
	return Token{Name: name, Scope: scope, Producers: producers, hash: sha256.Sum256([]byte(secret))}
}

// ReadTokens reads a token file: one token a line, "name scope secret",
// optionally followed by "producers=rollcall,news,analyst" (default
// analyst), '#' starting a comment. Secrets shorter than 16 bytes are
// refused.
func ReadTokens(r io.Reader) ([]Token, error) {
	var out []Token
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = strings.TrimSpace(text[:i])
		}
		if text == "" {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 3 && len(f) != 4 {
			return nil, fmt.Errorf("line %d: want \"name scope secret [producers=rollcall,news,analyst]\"", line)
		}
		var prods []events.Producer
		if len(f) == 4 {
			list, ok := strings.CutPrefix(f[3], "producers=")
			if !ok {
				return nil, fmt.Errorf("line %d: %q: want producers=rollcall,news,analyst", line, f[3])
			}
			for _, p := range strings.Split(list, ",") {
				prod, err := events.ParseProducer(p)
				if err != nil {
					return nil, fmt.Errorf("line %d: producers: %v", line, err)
				}
				prods = append(prods, prod)
			}
		}
		scope, err := ParseScope(f[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", line, err)
		}
		if len(f[2]) < 16 {
			return nil, fmt.Errorf("line %d: the secret of %s is shorter than 16 bytes", line, f[0])
		}
		out = append(out, NewToken(f[0], scope, f[2], prods...))
	}
	return out, sc.Err()
}

var (
	errUnauthenticated = errors.New("unauthenticated")
	errForbidden       = errors.New("forbidden")
	errRateLimited     = errors.New("rate limited")
)

// who is the caller of a request.
type who struct {
	token *Token // nil when no token was presented
	key   string // rate-limit key: the token's name, or the client's address
}

// identify checks the bearer token, if any, comparing digests in constant
// time against every token (the secret itself is never kept or logged).
func (s *Server) identify(r *http.Request) (who, error) {
	w := who{key: "ip:" + clientIP(r)}
	h := r.Header.Get("Authorization")
	if h == "" {
		return w, nil
	}
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return w, errorf(errUnauthenticated, "the Authorization header is not a bearer token")
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(secret)))
	var match *Token
	for i := range s.cfg.Tokens {
		if subtle.ConstantTimeCompare(sum[:], s.cfg.Tokens[i].hash[:]) == 1 {
			match = &s.cfg.Tokens[i]
		}
	}
	if match == nil {
		return w, errorf(errUnauthenticated, "unknown token")
	}
	w.token, w.key = match, "token:"+match.Name
	return w, nil
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// scopeOf is the scope a request needs.
func (s *Server) scopeOf(r *http.Request) Scope {
	p := r.URL.Path
	switch {
	case p == "/livez" || p == "/readyz":
		return ScopeNone
	case (p == "/" || p == "/favicon.ico" || strings.HasPrefix(p, "/ui/")) && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		return ScopeNone // the page's own files hold no data; what it reads needs what reads need
	case strings.HasPrefix(p, "/v1/admin/"):
		return ScopeAdmin
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		return ScopeWrite
	case s.cfg.PrivateReads:
		return ScopeRead
	}
	return ScopeNone
}

// guard authenticates, authorizes and rate-limits every request before
// the routes see it.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, err := s.identify(r)
		need := s.scopeOf(r)
		if err == nil && len(s.cfg.Tokens) > 0 && need > ScopeNone {
			switch {
			case caller.token == nil:
				err = errorf(errUnauthenticated, "%s %s needs a bearer token with the %s scope", r.Method, r.URL.Path, need)
			case caller.token.Scope < need:
				err = errorf(errForbidden, "token %s has the %s scope; %s %s needs %s", caller.token.Name, caller.token.Scope, r.Method, r.URL.Path, need)
			}
		}
		if err != nil {
			if errors.Is(err, errUnauthenticated) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="stancewatch"`)
			}
			s.writeError(w, r, err)
			return
		}
		if need > ScopeNone || (r.URL.Path != "/livez" && r.URL.Path != "/readyz") {
			if !s.limiter.allow(caller.key) {
				w.Header().Set("Retry-After", "1")
				s.writeError(w, r, errorf(errRateLimited, "more than %g requests a second from %s", s.cfg.RateLimit, strings.SplitN(caller.key, ":", 2)[1]))
				return
			}
		}
		if caller.token != nil {
			r = r.WithContext(context.WithValue(r.Context(), callerKey{}, caller.token))
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if r.Pattern != "GET /v1/stream" { // streams last as long as the client wants
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			s.cfg.Metrics.HTTPSeconds.WithLabelValues(route, r.Method, fmt.Sprintf("%dxx", sw.status/100)).Observe(time.Since(start).Seconds())
		}
	})
}

// statusWriter remembers the status written; Unwrap keeps Flush and
// write deadlines reachable through http.ResponseController.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type callerKey struct{}

// sourceFor is the CloudEvents source of events a request appends: the
// token's name when one was presented.
func (s *Server) sourceFor(r *http.Request) string {
	if t, ok := r.Context().Value(callerKey{}).(*Token); ok {
		return producers.AnalystSourceOf(t.Name)
	}
	return s.cfg.Source
}

// mayWrite checks that the request's credentials allow what an event
// claims to be: a position's producer (rollcall, news, analyst) must be
// one the token names (without tokens, or without one on the request,
// analyst only), a motion is the official record (rollcall), and derived
// events (shift alerts) are the projector's alone. A claim beyond the
// credentials is refused (403) before anything is stored.
func (s *Server) mayWrite(r *http.Request, ev events.Event) error {
	allowed := []events.Producer{events.ProducerAnalyst}
	name := "a request without a token"
	if t, ok := r.Context().Value(callerKey{}).(*Token); ok {
		allowed, name = t.Producers, "token "+t.Name
	}
	claim, what, derived := ev.Claim()
	if derived {
		return errorf(errForbidden, "event %s is a %s: alerts are derived by the projector; they are not written over HTTP", ev.ID, ev.Data.Type())
	}
	if claim.IsZero() || slices.Contains(allowed, claim) {
		return nil
	}
	names := make([]string, len(allowed))
	for i, p := range allowed {
		names[i] = p.String()
	}
	return errorf(errForbidden, "%s may write as %s; event %s claims %s (%s): a token whose producers include it may write it",
		name, strings.Join(names, ", "), ev.ID, claim, what)
}

// limiter is a token bucket per client.
type limiter struct {
	mu      sync.Mutex
	r       rate.Limit
	burst   int
	clients map[string]*client
	swept   time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(perSecond float64, burst int) *limiter {
	return &limiter{r: rate.Limit(perSecond), burst: burst, clients: map[string]*client{}}
}

func (l *limiter) allow(key string) bool {
	if l.r <= 0 {
		return true
	}
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, c := range l.clients {
			if now.Sub(c.seen) > 10*time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	c := l.clients[key]
	if c == nil {
		c = &client{lim: rate.NewLimiter(l.r, l.burst)}
		l.clients[key] = c
	}
	c.seen = now
	return c.lim.AllowN(now, 1)
}
