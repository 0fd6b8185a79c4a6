package api

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// The web page: static files embedded in the binary, no CDN, so the page
// works offline. It reads everything from the API.
//
//go:embed web
var webFiles embed.FS

var webRoot = func() fs.FS {
	sub, err := fs.Sub(webFiles, "web")
	if err != nil {
		panic(err)
	}
	return sub
}()

// contentSecurity lets the page load its own files and talk to its own
// origin, and nothing else.
const contentSecurity = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"

// index answers / with the page to a browser and with the JSON index to
// anything that does not ask for HTML.
func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		s.apiIndex(w, r)
		return
	}
	b, err := fs.ReadFile(webRoot, "index.html")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// ui serves the page's files.
func (s *Server) ui() http.Handler {
	files := http.StripPrefix("/ui/", http.FileServerFS(webRoot))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/ui/")
		if fi, err := fs.Stat(webRoot, name); err != nil || fi.IsDir() {
			s.writeError(w, r, notFound("%s: no such file of the page", r.URL.Path))
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurity)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		files.ServeHTTP(w, r)
	})
}

// favicon answers /favicon.ico, which browsers ask for on their own.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	b, err := fs.ReadFile(webRoot, "favicon.ico")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/x-icon")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(b)
}
